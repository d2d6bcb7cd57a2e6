/*
 * Federation with the Windows Web Services API, as WWSAPI code writes it:
 *
 *   1. obtain a token from an identity STS, authenticating with a user name and password
 *      (WS_USERNAME_MESSAGE_SECURITY_BINDING over WS_SSL_TRANSPORT_SECURITY_BINDING), asking
 *      for a symmetric proof key and naming the second STS as the token's audience;
 *   2. present that token to a second STS (WS_XML_TOKEN_MESSAGE_SECURITY_BINDING: the token
 *      goes into the message's security header, signed with its proof key) to obtain the token
 *      for the relying party.
 *
 * Only <webservices.h> is used; the same source builds against Windows' header. The one wst
 * extension (trusting a CA from a PEM file, where Windows would use the machine's certificate
 * store) is guarded by WST_WEBSERVICES_EXTENSIONS.
 *
 * Usage: wst-federation-sample IDP_URL USER PASSWORD STS_URL RELYING_PARTY [CA_PEM_FILE]
 * Build: cc -std=c99 federation.c $(pkg-config --cflags --libs wst)
 */
#include <webservices.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

/* Prints the HRESULT and every string of the error object. */
static void print_error(HRESULT hr, WS_ERROR* error) {
  ULONG count = 0, i;
  fprintf(stderr, "failure: 0x%08X\n", (unsigned)hr);
  if (error == NULL ||
      FAILED(WsGetErrorProperty(error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count))))
    return;
  for (i = 0; i < count; ++i) {
    WS_STRING s;
    if (SUCCEEDED(WsGetErrorString(error, i, &s)))
      fprintf(stderr, "  %.*ls\n", (int)s.length, s.chars);
  }
}

/* A WS_STRING over a wide copy of a command-line argument (freed by the caller). */
static WS_STRING to_ws_string(const char* text) {
  WS_STRING s;
  size_t n = mbstowcs(NULL, text, 0);
  s.length = 0;
  s.chars = NULL;
  if (n == (size_t)-1) return s;
  s.chars = (WCHAR*)malloc((n + 1) * sizeof(WCHAR));
  if (s.chars == NULL) return s;
  mbstowcs(s.chars, text, n + 1);
  s.length = (ULONG)n;
  return s;
}

/* Overwrites a secret before its memory is released. */
static void free_secret(WS_STRING* s) {
  volatile WCHAR* p = s->chars;
  ULONG i;
  for (i = 0; p != NULL && i < s->length; ++i) p[i] = 0;
  free(s->chars);
}

/* 100-ns ticks since 0001-01-01 as an ISO 8601 UTC time. */
static void print_time(const char* label, const WS_DATETIME* t) {
  char text[32] = "unbounded";
  if (t->ticks != 0) {
    time_t seconds = (time_t)(t->ticks / 10000000ULL - 62135596800ULL);
    struct tm* utc = gmtime(&seconds);
    if (utc != NULL) strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", utc);
  }
  printf("  %s %s\n", label, text);
}

/* Describes a token: key type, key size, lifetime and its XML. */
static HRESULT print_token(const char* name, WS_SECURITY_TOKEN* token, WS_HEAP* heap,
                           WS_ERROR* error) {
  HRESULT hr;
  WS_SECURITY_KEY_TYPE keyType;
  WS_DATETIME from, till;
  WS_XML_BUFFER* xml = NULL;
  WS_XML_WRITER* writer = NULL;
  void* bytes = NULL;
  ULONG byteCount = 0;

  hr = WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &keyType,
                                  sizeof(keyType), NULL, error);
  if (FAILED(hr)) return hr;
  printf("%s:\n", name);
  if (keyType == WS_SECURITY_KEY_TYPE_SYMMETRIC) {
    WS_BYTES key;
    hr = WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY, &key,
                                    sizeof(key), heap, error);
    if (FAILED(hr)) return hr;
    printf("  proof key: symmetric, %u bits\n", (unsigned)key.length * 8);
  } else {
    printf("  proof key: none (bearer)\n");
  }
  hr = WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME, &from,
                                  sizeof(from), NULL, error);
  if (FAILED(hr)) return hr;
  hr = WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME, &till,
                                  sizeof(till), NULL, error);
  if (FAILED(hr)) return hr;
  print_time("valid from", &from);
  print_time("valid till", &till);
  hr = WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, &xml,
                                  sizeof(xml), heap, error);
  if (FAILED(hr)) return hr;
  hr = WsCreateWriter(NULL, 0, &writer, error);
  if (FAILED(hr)) return hr;
  hr = WsWriteXmlBufferToBytes(writer, xml, NULL, NULL, 0, heap, &bytes, &byteCount, error);
  WsFreeWriter(writer);
  if (FAILED(hr)) return hr;
  printf("  xml: %.*s\n", (int)byteCount, (const char*)bytes);
  return S_OK;
}

/* Opens a request channel to `url` with the given security bindings, asks it for a token and
   closes it again. */
static HRESULT request_token(const WS_STRING* url, WS_SECURITY_BINDING** bindings,
                             ULONG bindingCount,
                             const WS_REQUEST_SECURITY_TOKEN_PROPERTY* properties,
                             ULONG propertyCount, WS_SECURITY_TOKEN** token, WS_ERROR* error) {
  HRESULT hr;
  WS_CHANNEL* channel = NULL;
  WS_SECURITY_DESCRIPTION securityDescription;
  WS_ENDPOINT_ADDRESS address;

  memset(&securityDescription, 0, sizeof(securityDescription));
  securityDescription.securityBindings = bindings;
  securityDescription.securityBindingCount = bindingCount;
  memset(&address, 0, sizeof(address));
  address.url = *url;

  hr = WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0,
                       &securityDescription, &channel, error);
  if (FAILED(hr)) goto Exit;
  hr = WsOpenChannel(channel, &address, NULL, error);
  if (FAILED(hr)) goto Exit;
  hr = WsRequestSecurityToken(channel, properties, propertyCount, token, NULL, error);
  if (FAILED(hr)) goto Exit;
  hr = WsCloseChannel(channel, NULL, error);

Exit:
  if (channel != NULL) {
    if (FAILED(hr)) WsAbortChannel(channel, NULL);
    WsFreeChannel(channel);
  }
  return hr;
}

int main(int argc, char** argv) {
  HRESULT hr = S_OK;
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_SECURITY_TOKEN* identityToken = NULL;
  WS_SECURITY_TOKEN* serviceToken = NULL;
  WS_STRING idpUrl, user, password, stsUrl, relyingParty, caFile;

  WS_SSL_TRANSPORT_SECURITY_BINDING sslBinding;
  WS_SECURITY_BINDING_PROPERTY sslProperties[1];
  WS_STRING_USERNAME_CREDENTIAL usernameCredential;
  WS_USERNAME_MESSAGE_SECURITY_BINDING usernameBinding;
  WS_XML_TOKEN_MESSAGE_SECURITY_BINDING xmlTokenBinding;
  WS_SECURITY_BINDING* idpBindings[2];
  WS_SECURITY_BINDING* stsBindings[2];

  WS_TRUST_VERSION trustVersion = WS_TRUST_VERSION_1_3;
  WS_SECURITY_KEY_TYPE symmetric = WS_SECURITY_KEY_TYPE_SYMMETRIC;
  WS_SECURITY_KEY_ENTROPY_MODE combined = WS_SECURITY_KEY_ENTROPY_MODE_COMBINED;
  WS_ENDPOINT_ADDRESS idpAppliesTo, stsAppliesTo;
  WS_REQUEST_SECURITY_TOKEN_PROPERTY idpRequest[4], stsRequest[3];

  setlocale(LC_ALL, ""); /* arguments and messages in the user's (UTF-8) locale */
  if (argc < 6) {
    fprintf(stderr, "usage: %s IDP_URL USER PASSWORD STS_URL RELYING_PARTY [CA_PEM_FILE]\n",
            argv[0]);
    return 2;
  }
  idpUrl = to_ws_string(argv[1]);
  user = to_ws_string(argv[2]);
  password = to_ws_string(argv[3]);
  stsUrl = to_ws_string(argv[4]);
  relyingParty = to_ws_string(argv[5]);
  caFile = to_ws_string(argc > 6 ? argv[6] : "");

  hr = WsCreateError(NULL, 0, &error);
  if (FAILED(hr)) goto Exit;
  hr = WsCreateHeap(1 << 20, 0, NULL, 0, &heap, error);
  if (FAILED(hr)) goto Exit;

  /* TLS to both services. */
  memset(&sslBinding, 0, sizeof(sslBinding));
  sslBinding.binding.bindingType = WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE;
#ifdef WST_WEBSERVICES_EXTENSIONS
  if (caFile.length != 0) {
    sslProperties[0].id = WS_SECURITY_BINDING_PROPERTY_PEM_FILE_TRUSTED_CA;
    sslProperties[0].value = &caFile;
    sslProperties[0].valueSize = sizeof(caFile);
    sslBinding.binding.properties = sslProperties;
    sslBinding.binding.propertyCount = 1;
  }
#else
  (void)sslProperties;
#endif

  /* 1. The identity STS: a UsernameToken in the security header. */
  memset(&usernameCredential, 0, sizeof(usernameCredential));
  usernameCredential.credential.credentialType = WS_STRING_USERNAME_CREDENTIAL_TYPE;
  usernameCredential.username = user;
  usernameCredential.password = password;
  memset(&usernameBinding, 0, sizeof(usernameBinding));
  usernameBinding.binding.bindingType = WS_USERNAME_MESSAGE_SECURITY_BINDING_TYPE;
  usernameBinding.bindingUsage = WS_SUPPORTING_MESSAGE_SECURITY_USAGE;
  usernameBinding.clientCredential = &usernameCredential.credential;
  idpBindings[0] = &sslBinding.binding;
  idpBindings[1] = &usernameBinding.binding;

  memset(&idpAppliesTo, 0, sizeof(idpAppliesTo));
  idpAppliesTo.url = stsUrl; /* the token is for the second STS */
  idpRequest[0].id = WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION;
  idpRequest[0].value = &trustVersion;
  idpRequest[0].valueSize = sizeof(trustVersion);
  idpRequest[1].id = WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE;
  idpRequest[1].value = &symmetric;
  idpRequest[1].valueSize = sizeof(symmetric);
  idpRequest[2].id = WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY;
  idpRequest[2].value = &combined;
  idpRequest[2].valueSize = sizeof(combined);
  idpRequest[3].id = WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO;
  idpRequest[3].value = &idpAppliesTo;
  idpRequest[3].valueSize = sizeof(idpAppliesTo);

  hr = request_token(&idpUrl, idpBindings, WsCountOf(idpBindings), idpRequest,
                     WsCountOf(idpRequest), &identityToken, error);
  if (FAILED(hr)) goto Exit;
  hr = print_token("identity token", identityToken, heap, error);
  if (FAILED(hr)) goto Exit;

  /* 2. The second STS: the identity token as a supporting token, signed with its key. */
  memset(&xmlTokenBinding, 0, sizeof(xmlTokenBinding));
  xmlTokenBinding.binding.bindingType = WS_XML_TOKEN_MESSAGE_SECURITY_BINDING_TYPE;
  xmlTokenBinding.bindingUsage = WS_SUPPORTING_MESSAGE_SECURITY_USAGE;
  xmlTokenBinding.xmlToken = identityToken;
  stsBindings[0] = &sslBinding.binding;
  stsBindings[1] = &xmlTokenBinding.binding;

  memset(&stsAppliesTo, 0, sizeof(stsAppliesTo));
  stsAppliesTo.url = relyingParty;
  stsRequest[0] = idpRequest[0];
  stsRequest[1] = idpRequest[1];
  stsRequest[2].id = WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO;
  stsRequest[2].value = &stsAppliesTo;
  stsRequest[2].valueSize = sizeof(stsAppliesTo);

  hr = request_token(&stsUrl, stsBindings, WsCountOf(stsBindings), stsRequest,
                     WsCountOf(stsRequest), &serviceToken, error);
  if (FAILED(hr)) goto Exit;
  hr = print_token("service token", serviceToken, heap, error);

Exit:
  if (FAILED(hr)) print_error(hr, error);
  WsFreeSecurityToken(serviceToken);
  WsFreeSecurityToken(identityToken);
  if (heap != NULL) WsFreeHeap(heap);
  if (error != NULL) WsFreeError(error);
  free(idpUrl.chars);
  free(user.chars);
  free_secret(&password);
  free(stsUrl.chars);
  free(relyingParty.chars);
  free(caFile.chars);
  return FAILED(hr) ? 1 : 0;
}
