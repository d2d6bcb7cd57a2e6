/* WS_CHANNEL as WWSAPI code uses it, against sample STS processes on loopback: creation
 * arguments, every channel property, security descriptions, the state machine of open,
 * close, abort, reset and free (synchronous and through WS_ASYNC_CONTEXT with both callback
 * models), an abort in the middle of a negotiation, and every error path with its HRESULT and
 * the channel state it leaves.
 *
 * Usage: capi_channel_test <wst-sample-sts> <tests/sts/data>   (CTest passes both) */
#define _POSIX_C_SOURCE 200809L

#include "canned_replies.h"
#include "channel_fixture.h"

/* A minimal request: SAML 2.0 bearer token, WS-Trust 1.3. */
static HRESULT request(WS_CHANNEL* channel, WS_SECURITY_TOKEN** token,
                       const WS_ASYNC_CONTEXT* async, WS_ERROR* error) {
  static WS_TRUST_VERSION trust = WS_TRUST_VERSION_1_3;
  static WS_SECURITY_KEY_TYPE bearer = WS_SECURITY_KEY_TYPE_NONE;
  WS_REQUEST_SECURITY_TOKEN_PROPERTY props[2];
  props[0].id = WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION;
  props[0].value = &trust;
  props[0].valueSize = sizeof trust;
  props[1].id = WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE;
  props[1].value = &bearer;
  props[1].valueSize = sizeof bearer;
  return WsRequestSecurityToken(channel, props, 2, token, async, error);
}

/* One synchronous request that must succeed; frees the token. */
static int request_ok(WS_CHANNEL* channel) {
  WS_SECURITY_TOKEN* token = NULL;
  HRESULT hr = request(channel, &token, NULL, NULL);
  if (hr != S_OK) fprintf(stderr, "request failed: 0x%08X\n", (unsigned)hr);
  WsFreeSecurityToken(token);
  return hr == S_OK && token != NULL;
}

/* The token pointer a failed request must leave alone. */
#define UNTOUCHED ((WS_SECURITY_TOKEN*)(uintptr_t)0x5A5A5A5Au)

static int newest_error_contains(WS_ERROR* error, const wchar_t* needle) {
  return error_string_contains(error, 0, needle);
}

static HRESULT create(const WS_CHANNEL_PROPERTY* props, ULONG count,
                      const WS_SECURITY_DESCRIPTION* security, WS_ERROR* error) {
  WS_CHANNEL* channel = NULL;
  HRESULT hr = WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, props, count,
                               security, &channel, error);
  if (hr == S_OK) {
    if (channel == NULL) return E_FAIL;
    WsFreeChannel(channel);
  } else if (channel != NULL) {
    return E_FAIL; /* out-parameter written on failure */
  }
  return hr;
}

static HRESULT create_with(WS_CHANNEL_PROPERTY_ID id, void* value, ULONG size, WS_ERROR* error) {
  WS_CHANNEL_PROPERTY p;
  p.id = id;
  p.value = value;
  p.valueSize = size;
  return create(&p, 1, NULL, error);
}

/* --- creation and properties (no STS needed) ---------------------------------------------------
 */

static void test_create_arguments(void) {
  WS_ERROR* error = NULL;
  WS_CHANNEL* channel = NULL;
  WS_HEAP* heap = NULL;
  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);

  CHECK_HR(WsCreateChannel(WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL,
                           &channel, error),
           WS_E_NOT_SUPPORTED);
  CHECK(newest_error_contains(error, L"WS_CHANNEL_TYPE_REQUEST"));
  CHECK_HR(WsCreateChannel((WS_CHANNEL_TYPE)0x77, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &channel,
                           error),
           E_INVALIDARG);
  CHECK_HR(WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel,
                           error),
           WS_E_NOT_SUPPORTED);
  CHECK_HR(WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, (WS_CHANNEL_BINDING)9, NULL, 0, NULL, &channel,
                           error),
           E_INVALIDARG);
  CHECK_HR(
      WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, NULL, error),
      E_INVALIDARG);
  CHECK_HR(WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 2, NULL,
                           &channel, error),
           E_INVALIDARG);
  CHECK(channel == NULL);

  /* Every handle argument is checked: NULL and foreign handles. */
  CHECK_HR(WsCreateHeap(4096, 0, NULL, 0, &heap, NULL), S_OK);
  CHECK_HR(WsOpenChannel(NULL, NULL, NULL, error), E_INVALIDARG);
  CHECK_HR(WsOpenChannel((WS_CHANNEL*)heap, NULL, NULL, error), E_INVALIDARG);
  CHECK(newest_error_contains(error, L"WS_CHANNEL handle"));
  CHECK_HR(WsCloseChannel((WS_CHANNEL*)heap, NULL, error), E_INVALIDARG);
  CHECK_HR(WsAbortChannel((WS_CHANNEL*)heap, error), E_INVALIDARG);
  CHECK_HR(WsResetChannel((WS_CHANNEL*)heap, error), E_INVALIDARG);
  CHECK_HR(WsGetChannelProperty((WS_CHANNEL*)heap, WS_CHANNEL_PROPERTY_STATE, NULL, 0, error),
           E_INVALIDARG);
  CHECK_HR(WsRequestSecurityToken((WS_CHANNEL*)heap, NULL, 0, NULL, NULL, error), E_INVALIDARG);
  CHECK_HR(WsRequestSecurityToken(NULL, NULL, 0, NULL, NULL, error), E_INVALIDARG);
  WsFreeChannel(NULL);
  WsFreeChannel((WS_CHANNEL*)heap);                          /* not a channel: ignored */
  CHECK_HR(WsAlloc(heap, 16, (void**)&channel, NULL), S_OK); /* the heap is still alive */
  WsFreeHeap(heap);
  /* A bad error handle is refused before anything else. */
  CHECK_HR(WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL,
                           &channel, (WS_ERROR*)&channel),
           E_INVALIDARG);
  WsFreeError(error);
}

static void test_channel_properties(void) {
  WS_ERROR* error = NULL;
  WS_CHANNEL* channel;
  ULONG size = 131072, resolve = 1000, connect = 2000, send = 3000, response = 4000, receive = 5000,
        close = 6000;
  ULONG u = 0, zero = 0, tiny = 100, huge = 0x7FFFFFFF;
  WS_ENVELOPE_VERSION soap11 = WS_ENVELOPE_VERSION_SOAP_1_1, envelope = (WS_ENVELOPE_VERSION)0,
                      none_env = WS_ENVELOPE_VERSION_NONE;
  WS_ENVELOPE_VERSION bad_env = (WS_ENVELOPE_VERSION)9;
  WS_ADDRESSING_VERSION wsa04 = WS_ADDRESSING_VERSION_0_9, addressing = (WS_ADDRESSING_VERSION)0;
  WS_ADDRESSING_VERSION transport = WS_ADDRESSING_VERSION_TRANSPORT;
  WS_CALLBACK_MODEL short_model = WS_SHORT_CALLBACK, model = (WS_CALLBACK_MODEL)7,
                    bad_model = (WS_CALLBACK_MODEL)5;
  BOOL enable = FALSE, b = TRUE;
  WS_ENCODING utf8 = WS_ENCODING_XML_UTF8, binary = WS_ENCODING_XML_BINARY_1,
              encoding = (WS_ENCODING)0;
  WS_TRANSFER_MODE buffered = WS_BUFFERED_TRANSFER_MODE, streamed = WS_STREAMED_TRANSFER_MODE;
  WS_TRANSFER_MODE mode = (WS_TRANSFER_MODE)9;
  WS_HTTP_PROXY_SETTING_MODE proxy_none = WS_HTTP_PROXY_SETTING_MODE_NONE,
                             proxy_auto = WS_HTTP_PROXY_SETTING_MODE_AUTO;
  WS_CHANNEL_STATE state = WS_CHANNEL_STATE_OPEN;
  WS_CHANNEL_TYPE type = (WS_CHANNEL_TYPE)0;
  WS_CHANNEL_PROPERTY props[13];
  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);

  /* Defaults (WWSAPI's, with wst's resolve and close timeouts). */
  channel = make_channel(NULL, 0, NULL);
  CHECK(channel != NULL);
  if (channel != NULL) {
    CHECK(state_of(channel) == WS_CHANNEL_STATE_CREATED);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, &u,
                                  sizeof u, NULL),
             S_OK);
    CHECK(u == 65536);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &envelope,
                                  sizeof envelope, NULL),
             S_OK);
    CHECK(envelope == WS_ENVELOPE_VERSION_SOAP_1_2);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, &addressing,
                                  sizeof addressing, NULL),
             S_OK);
    CHECK(addressing == WS_ADDRESSING_VERSION_1_0);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, &model,
                                  sizeof model, NULL),
             S_OK);
    CHECK(model == WS_LONG_CALLBACK);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT, &u, sizeof u, NULL),
             S_OK);
    CHECK(u == 60000);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, &u, sizeof u, NULL),
             S_OK);
    CHECK(u == 30000);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_SEND_TIMEOUT, &u, sizeof u, NULL),
             S_OK);
    CHECK(u == 30000);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, &u,
                                  sizeof u, NULL),
             S_OK);
    CHECK(u == 30000);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, &u, sizeof u, NULL),
             S_OK);
    CHECK(u == 30000);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT, &u, sizeof u, NULL),
             S_OK);
    CHECK(u == 5000);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS, &b, sizeof b, NULL),
             S_OK);
    CHECK(b == TRUE);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ENCODING, &encoding, sizeof encoding,
                                  NULL),
             S_OK);
    CHECK(encoding == WS_ENCODING_XML_UTF8);
    CHECK_HR(
        WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof mode, NULL),
        S_OK);
    CHECK(mode == WS_BUFFERED_TRANSFER_MODE);
    CHECK_HR(
        WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_CHANNEL_TYPE, &type, sizeof type, NULL),
        S_OK);
    CHECK(type == WS_CHANNEL_TYPE_REQUEST);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE, &proxy_auto,
                                  sizeof proxy_auto, NULL),
             S_OK);
    CHECK(proxy_auto == WS_HTTP_PROXY_SETTING_MODE_NONE);
    proxy_auto = WS_HTTP_PROXY_SETTING_MODE_AUTO;
    /* Reading: sizes and ids. */
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_STATE, &state, 2, error),
             E_INVALIDARG);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_STATE, NULL, sizeof state, error),
             E_INVALIDARG);
    CHECK_HR(WsGetChannelProperty(channel, (WS_CHANNEL_PROPERTY_ID)500, &u, sizeof u, error),
             E_INVALIDARG);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_IP_VERSION, &u, sizeof u, error),
             WS_E_NOT_SUPPORTED);
    WsFreeChannel(channel);
  }

  /* Every settable property, read back. */
  props[0].id = WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, props[0].value = &size,
  props[0].valueSize = sizeof size;
  props[1].id = WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, props[1].value = &soap11,
  props[1].valueSize = sizeof soap11;
  props[2].id = WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, props[2].value = &wsa04,
  props[2].valueSize = sizeof wsa04;
  props[3].id = WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, props[3].value = &short_model;
  props[3].valueSize = sizeof short_model;
  props[4].id = WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT, props[4].value = &resolve,
  props[4].valueSize = sizeof resolve;
  props[5].id = WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, props[5].value = &connect,
  props[5].valueSize = sizeof connect;
  props[6].id = WS_CHANNEL_PROPERTY_SEND_TIMEOUT, props[6].value = &send,
  props[6].valueSize = sizeof send;
  props[7].id = WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, props[7].value = &response;
  props[7].valueSize = sizeof response;
  props[8].id = WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, props[8].value = &receive,
  props[8].valueSize = sizeof receive;
  props[9].id = WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT, props[9].value = &close,
  props[9].valueSize = sizeof close;
  props[10].id = WS_CHANNEL_PROPERTY_ENCODING, props[10].value = &utf8,
  props[10].valueSize = sizeof utf8;
  props[11].id = WS_CHANNEL_PROPERTY_TRANSFER_MODE, props[11].value = &buffered,
  props[11].valueSize = sizeof buffered;
  props[12].id = WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE, props[12].value = &proxy_none;
  props[12].valueSize = sizeof proxy_none;
  channel = make_channel(props, 13, NULL);
  CHECK(channel != NULL);
  if (channel != NULL) {
    struct {
      WS_CHANNEL_PROPERTY_ID id;
      ULONG expected;
    } ulongs[] = {{WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, 131072},
                  {WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT, 1000},
                  {WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, 2000},
                  {WS_CHANNEL_PROPERTY_SEND_TIMEOUT, 3000},
                  {WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, 4000},
                  {WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, 5000},
                  {WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT, 6000}};
    size_t i;
    for (i = 0; i < WsCountOf(ulongs); ++i) {
      CHECK_HR(WsGetChannelProperty(channel, ulongs[i].id, &u, sizeof u, NULL), S_OK);
      CHECK(u == ulongs[i].expected);
    }
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &envelope,
                                  sizeof envelope, NULL),
             S_OK);
    CHECK(envelope == WS_ENVELOPE_VERSION_SOAP_1_1);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, &addressing,
                                  sizeof addressing, NULL),
             S_OK);
    CHECK(addressing == WS_ADDRESSING_VERSION_0_9);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, &model,
                                  sizeof model, NULL),
             S_OK);
    CHECK(model == WS_SHORT_CALLBACK);
    WsFreeChannel(channel);
  }

  /* ENABLE_TIMEOUTS = FALSE: every timeout not given becomes INFINITE. */
  props[0].id = WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS, props[0].value = &enable,
  props[0].valueSize = sizeof enable;
  props[1].id = WS_CHANNEL_PROPERTY_SEND_TIMEOUT, props[1].value = &send,
  props[1].valueSize = sizeof send;
  channel = make_channel(props, 2, NULL);
  CHECK(channel != NULL);
  if (channel != NULL) {
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_SEND_TIMEOUT, &u, sizeof u, NULL),
             S_OK);
    CHECK(u == 3000);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, &u, sizeof u, NULL),
             S_OK);
    CHECK(u == INFINITE);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, &u,
                                  sizeof u, NULL),
             S_OK);
    CHECK(u == INFINITE);
    CHECK_HR(WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS, &b, sizeof b, NULL),
             S_OK);
    CHECK(b == FALSE);
    WsFreeChannel(channel);
  }

  /* Refused values: E_INVALIDARG for what is wrong, WS_E_NOT_SUPPORTED for what wst lacks. */
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, &tiny, sizeof tiny, error),
           E_INVALIDARG);
  CHECK(newest_error_contains(error, L"MAX_BUFFERED_MESSAGE_SIZE"));
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, &huge, sizeof huge, error),
           E_INVALIDARG);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, &size, 2, error),
           E_INVALIDARG);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, NULL, sizeof size, error),
           E_INVALIDARG);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &none_env, sizeof none_env, error),
           WS_E_NOT_SUPPORTED);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &bad_env, sizeof bad_env, error),
           E_INVALIDARG);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, &transport, sizeof transport, error),
           WS_E_NOT_SUPPORTED);
  CHECK_HR(
      create_with(WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, &bad_model, sizeof bad_model, error),
      E_INVALIDARG);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, &zero, sizeof zero, error),
           E_INVALIDARG);
  CHECK(newest_error_contains(error, L"timeout"));
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_ENCODING, &binary, sizeof binary, error),
           WS_E_NOT_SUPPORTED);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_TRANSFER_MODE, &streamed, sizeof streamed, error),
           WS_E_NOT_SUPPORTED);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE, &proxy_auto, sizeof proxy_auto,
                       error),
           WS_E_NOT_SUPPORTED);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_STATE, &state, sizeof state, error), E_INVALIDARG);
  CHECK(newest_error_contains(error, L"read only"));
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE, &size, sizeof size, error),
           WS_E_NOT_SUPPORTED);
  CHECK_HR(create_with(WS_CHANNEL_PROPERTY_COOKIE_MODE, &u, sizeof u, error), WS_E_NOT_SUPPORTED);
  CHECK_HR(create_with((WS_CHANNEL_PROPERTY_ID)-1, &u, sizeof u, error), E_INVALIDARG);
  CHECK_HR(create_with((WS_CHANNEL_PROPERTY_ID)50, &u, sizeof u, error), E_INVALIDARG);
  props[0].id = WS_CHANNEL_PROPERTY_SEND_TIMEOUT, props[0].value = &send,
  props[0].valueSize = sizeof send;
  props[1] = props[0];
  CHECK_HR(create(props, 2, NULL, error), E_INVALIDARG);
  CHECK(newest_error_contains(error, L"twice"));
  WsFreeError(error);
}

static HRESULT create_secured(security* s, WS_ERROR* error) {
  return create(NULL, 0, &s->description, error);
}

static void test_security_descriptions(void) {
  WS_ERROR* error = NULL;
  security s;
  WS_CERT_CREDENTIAL store_credential;
  WS_WINDOWS_INTEGRATED_AUTH_CREDENTIAL default_credential;
  WS_SECURITY_PROPERTY security_property;
  ULONG flags, ulong_value = 1;
  BOOL yes = TRUE;
  WS_HTTP_HEADER_AUTH_TARGET proxy_target = WS_HTTP_HEADER_AUTH_TARGET_PROXY;
  WS_SECURITY_BINDING kerberos;
  WS_SECURITY_TOKEN* token = NULL;
  WCHAR surrogate[2] = {0xD800, L'x'};
  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);

  /* Accepted shapes. */
  security_init(&s);
  add_ssl(&s, ca_file);
  CHECK_HR(create_secured(&s, error), S_OK);
  add_client_certificate(&s, cert_file, key_file);
  CHECK_HR(create_secured(&s, error), S_OK);
  add_basic(&s, "alice", "secret");
  add_username(&s, "alice", "secret");
  CHECK_HR(create_secured(&s, error), S_OK);

  /* SSL binding options. */
  security_init(&s);
  add_ssl(&s, NULL);
  s.ssl.binding.propertyCount = 1;
  s.ssl_props[0].id = WS_SECURITY_BINDING_PROPERTY_CERT_FAILURES_TO_IGNORE;
  s.ssl_props[0].value = &flags;
  s.ssl_props[0].valueSize = sizeof flags;
  flags = WS_CERT_FAILURE_CN_MISMATCH | WS_CERT_FAILURE_REVOCATION_OFFLINE;
  CHECK_HR(create_secured(&s, error), S_OK);
  flags = WS_CERT_FAILURE_UNTRUSTED_ROOT;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  CHECK(newest_error_contains(error, L"PEM_FILE_TRUSTED_CA"));
  flags = 0x100;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.ssl_props[0].id = WS_SECURITY_BINDING_PROPERTY_DISALLOWED_SECURE_PROTOCOLS;
  flags = WS_SECURE_PROTOCOL_SSL3 | WS_SECURE_PROTOCOL_TLS1_0 | WS_SECURE_PROTOCOL_TLS1_1;
  CHECK_HR(create_secured(&s, error), S_OK);
  flags = WS_SECURE_PROTOCOL_TLS1_2;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  CHECK(newest_error_contains(error, L"TLS 1.2"));
  s.ssl_props[0].id = WS_SECURITY_BINDING_PROPERTY_DISABLE_CERT_REVOCATION_CHECK;
  s.ssl_props[0].value = &yes;
  s.ssl_props[0].valueSize = sizeof yes;
  CHECK_HR(create_secured(&s, error), S_OK);
  s.ssl_props[0].valueSize = 1;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.ssl_props[0].valueSize = sizeof yes;
  s.ssl_props[0].id = WS_SECURITY_BINDING_PROPERTY_REQUIRE_SSL_CLIENT_CERT;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.ssl_props[0].id = WS_SECURITY_BINDING_PROPERTY_WINDOWS_INTEGRATED_AUTH_PACKAGE;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  s.ssl_props[0].id = (WS_SECURITY_BINDING_PROPERTY_ID)99;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.ssl.binding.propertyCount = 0;
  store_credential.credentialType = WS_THUMBPRINT_CERT_CREDENTIAL_TYPE;
  s.ssl.localCertCredential = &store_credential;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  CHECK(newest_error_contains(error, L"WS_PEM_FILE_CERT_CREDENTIAL"));
  store_credential.credentialType = (WS_CERT_CREDENTIAL_TYPE)77;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  add_client_certificate(&s, cert_file, "");
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);

  /* HTTP header authentication: Basic, a user name and a password, nothing else. */
  security_init(&s);
  add_basic(&s, "alice", "secret");
  CHECK_HR(create_secured(&s, error), S_OK); /* over http: allowed, as in WWSAPI */
  s.http.binding.propertyCount = 0;
  CHECK_HR(create_secured(&s, error),
           WS_E_NOT_SUPPORTED); /* Windows' default scheme is Negotiate */
  CHECK(newest_error_contains(error, L"WS_HTTP_HEADER_AUTH_SCHEME_BASIC"));
  s.http.binding.propertyCount = 1;
  s.scheme = WS_HTTP_HEADER_AUTH_SCHEME_NTLM;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  s.scheme = WS_HTTP_HEADER_AUTH_SCHEME_BASIC | WS_HTTP_HEADER_AUTH_SCHEME_NEGOTIATE;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  s.scheme = 0;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.scheme = WS_HTTP_HEADER_AUTH_SCHEME_BASIC;
  s.http.binding.propertyCount = 2;
  s.http_props[1].id = WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_TARGET;
  s.http_props[1].value = &proxy_target;
  s.http_props[1].valueSize = sizeof proxy_target;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  s.http.binding.propertyCount = 1;
  s.basic.domain = s.basic.username;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  s.basic.domain.length = 0;
  s.basic.username = wide("al:ice", s.basic_chars[0]);
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.basic.username.length = 0;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.basic.username = wide("alice", s.basic_chars[0]);
  s.basic.password.chars = surrogate;
  s.basic.password.length = 2;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  CHECK(newest_error_contains(error, L"password"));
  default_credential.credentialType = WS_DEFAULT_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE;
  s.http.clientCredential = &default_credential;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  s.http.clientCredential = NULL;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);

  /* Message security needs TLS under it. */
  security_init(&s);
  add_username(&s, "alice", "secret");
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  CHECK(newest_error_contains(error, L"WS_SSL_TRANSPORT_SECURITY_BINDING"));
  security_init(&s);
  add_ssl(&s, ca_file);
  add_username(&s, "alice", "secret");
  s.username.bindingUsage = (WS_MESSAGE_SECURITY_USAGE)0;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.username.bindingUsage = WS_SUPPORTING_MESSAGE_SECURITY_USAGE;
  s.username.passwordValidator = (WS_VALIDATE_PASSWORD_CALLBACK)(uintptr_t)1;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.username.passwordValidator = NULL;
  s.username_credential.username.length = 0;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.username.clientCredential = NULL;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.username.binding.propertyCount = 1;
  s.username.binding.properties = s.ssl_props;
  s.ssl_props[0].id = WS_SECURITY_BINDING_PROPERTY_MESSAGE_PROPERTIES;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);

  security_init(&s);
  add_ssl(&s, ca_file);
  add_xml_token(&s, NULL);
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  CHECK(newest_error_contains(error, L"xmlToken"));
  s.xml_token.xmlToken = (WS_SECURITY_TOKEN*)error; /* a foreign handle */
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  (void)token;

  /* Binding types and the description itself. */
  security_init(&s);
  memset(&kerberos, 0, sizeof kerberos);
  kerberos.bindingType = WS_KERBEROS_APREQ_MESSAGE_SECURITY_BINDING_TYPE;
  s.bindings[s.description.securityBindingCount++] = &kerberos;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  kerberos.bindingType = (WS_SECURITY_BINDING_TYPE)0; /* Wine's off-by-one SSL value */
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  kerberos.bindingType = (WS_SECURITY_BINDING_TYPE)10;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  s.bindings[0] = NULL;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  security_init(&s);
  add_ssl(&s, NULL);
  add_ssl(&s, NULL);
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  CHECK(newest_error_contains(error, L"twice"));
  security_init(&s);
  s.description.securityBindings = NULL;
  s.description.securityBindingCount = 1;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  security_init(&s);
  security_property.id = WS_SECURITY_PROPERTY_TIMESTAMP_USAGE;
  security_property.value = &ulong_value;
  security_property.valueSize = sizeof ulong_value;
  s.description.properties = &security_property;
  s.description.propertyCount = 1;
  CHECK_HR(create_secured(&s, error), WS_E_NOT_SUPPORTED);
  security_property.id = (WS_SECURITY_PROPERTY_ID)40;
  CHECK_HR(create_secured(&s, error), E_INVALIDARG);
  WsFreeError(error);
}

/* --- state machine --------------------------------------------------------------------------- */

static void test_open_arguments_and_states(const char* url) {
  WS_ERROR* error = NULL;
  WS_CHANNEL* channel = make_channel(NULL, 0, NULL);
  WS_ENDPOINT_ADDRESS address;
  WS_ASYNC_CONTEXT no_callback;
  WS_SECURITY_TOKEN* token = UNTOUCHED;
  WCHAR buffer[256];
  WS_XML_BUFFER* headers = (WS_XML_BUFFER*)&address;
  security s;
  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  if (channel == NULL) return;

  memset(&address, 0, sizeof address);
  CHECK_HR(WsOpenChannel(channel, NULL, NULL, error), E_INVALIDARG);
  CHECK_HR(WsOpenChannel(channel, &address, NULL, error), E_INVALIDARG); /* empty url */
  address.url = wide(url, buffer);
  address.headers = headers;
  CHECK_HR(WsOpenChannel(channel, &address, NULL, error), WS_E_NOT_SUPPORTED);
  address.headers = NULL;
  no_callback.callback = NULL;
  no_callback.callbackState = NULL;
  CHECK_HR(WsOpenChannel(channel, &address, &no_callback, error), E_INVALIDARG);
  CHECK_HR(open_at(channel, "https://127.0.0.1:1/", NULL, error),
           E_INVALIDARG); /* https without SSL binding */
  CHECK(newest_error_contains(error, L"WS_SSL_TRANSPORT_SECURITY_BINDING"));
  CHECK(state_of(channel) == WS_CHANNEL_STATE_CREATED);

  /* Calls that need another state. */
  CHECK_HR(WsCloseChannel(channel, NULL, error), WS_E_INVALID_OPERATION);
  CHECK(newest_error_contains(error, L"created"));
  CHECK_HR(request(channel, &token, NULL, error), WS_E_INVALID_OPERATION);
  CHECK(token == UNTOUCHED);
  CHECK_HR(WsAbortChannel(channel, error), S_OK);
  CHECK(state_of(channel) == WS_CHANNEL_STATE_CREATED);
  CHECK_HR(WsResetChannel(channel, error), S_OK);

  /* created -> open -> closed -> created -> open -> closed. */
  CHECK_HR(open_at(channel, url, NULL, error), S_OK);
  CHECK(state_of(channel) == WS_CHANNEL_STATE_OPEN);
  CHECK_HR(open_at(channel, url, NULL, error), WS_E_INVALID_OPERATION);
  CHECK_HR(WsResetChannel(channel, error), WS_E_INVALID_OPERATION);
  CHECK(newest_error_contains(error, L"open"));
  CHECK(request_ok(channel));
  CHECK(request_ok(channel)); /* the channel stays open after a success */
  CHECK(state_of(channel) == WS_CHANNEL_STATE_OPEN);
  CHECK_HR(WsCloseChannel(channel, NULL, error), S_OK);
  CHECK(state_of(channel) == WS_CHANNEL_STATE_CLOSED);
  CHECK_HR(WsCloseChannel(channel, NULL, error), WS_E_INVALID_OPERATION);
  CHECK_HR(open_at(channel, url, NULL, error), WS_E_INVALID_OPERATION);
  CHECK_HR(request(channel, &token, NULL, error), WS_E_INVALID_OPERATION);
  CHECK(token == UNTOUCHED);
  CHECK_HR(WsAbortChannel(channel, error), S_OK); /* any state; closed stays closed */
  CHECK(state_of(channel) == WS_CHANNEL_STATE_CLOSED);
  CHECK_HR(WsResetChannel(channel, error), S_OK);
  CHECK(state_of(channel) == WS_CHANNEL_STATE_CREATED);
  CHECK_HR(open_at(channel, url, NULL, error), S_OK);
  CHECK(request_ok(channel));
  /* Abort an open channel: faulted; only close, abort and free remain. */
  CHECK_HR(WsAbortChannel(channel, error), S_OK);
  CHECK(state_of(channel) == WS_CHANNEL_STATE_FAULTED);
  CHECK_HR(request(channel, &token, NULL, error), WS_E_INVALID_OPERATION);
  CHECK(newest_error_contains(error, L"faulted"));
  CHECK_HR(WsResetChannel(channel, error), WS_E_INVALID_OPERATION);
  CHECK_HR(WsCloseChannel(channel, NULL, error), S_OK);
  CHECK(state_of(channel) == WS_CHANNEL_STATE_CLOSED);
  WsFreeChannel(channel);

  /* An address the channel cannot use: the open fails, the channel is faulted. */
  channel = make_channel(NULL, 0, NULL);
  if (channel != NULL) {
    CHECK_HR(open_at(channel, "http://bad host/", NULL, error), WS_E_INVALID_ENDPOINT_URL);
    CHECK(state_of(channel) == WS_CHANNEL_STATE_FAULTED);
    CHECK_HR(request(channel, &token, NULL, error), WS_E_INVALID_OPERATION);
    CHECK_HR(WsCloseChannel(channel, NULL, error), S_OK);
    CHECK_HR(WsResetChannel(channel, error), S_OK);
    CHECK_HR(open_at(channel, url, NULL, error), S_OK); /* reset: a new address is fine */
    CHECK(request_ok(channel));
    close_and_free(channel);
  }
  /* An SSL channel needs an https address. */
  security_init(&s);
  add_ssl(&s, ca_file);
  channel = make_channel(NULL, 0, &s.description);
  if (channel != NULL) {
    CHECK_HR(open_at(channel, url, NULL, error), E_INVALIDARG);
    CHECK(state_of(channel) == WS_CHANNEL_STATE_CREATED);
    WsFreeChannel(channel);
  }
  WsFreeError(error);
}

/* --- asynchronous completion ---------------------------------------------------------------- */

static void test_async_open_close(const char* url, WS_CALLBACK_MODEL model) {
  WS_CHANNEL_PROPERTY p;
  WS_CHANNEL* channel;
  WS_ERROR* error = NULL;
  completion c;
  WS_ASYNC_CONTEXT async;
  WS_SECURITY_TOKEN* token = NULL;
  p.id = WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL;
  p.value = &model;
  p.valueSize = sizeof model;
  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  channel = make_channel(&p, 1, NULL);
  if (channel == NULL) return;

  completion_init(&c, error);
  c.channel = channel;
  async = async_of(&c);
  CHECK_HR(outcome(&c, open_at(channel, url, &async, error)), S_OK);
  CHECK(c.done.set <= 1);
  CHECK(state_of(channel) == WS_CHANNEL_STATE_OPEN);
  if (c.done.set) {
    CHECK(c.model == model);
    CHECK(c.state == WS_CHANNEL_STATE_OPEN); /* the state is final before the callback */
    CHECK(!pthread_equal(c.thread, pthread_self()));
  }
  completion_destroy(&c);

  completion_init(&c, error);
  async = async_of(&c);
  CHECK_HR(outcome(&c, request(channel, &token, &async, error)), S_OK);
  CHECK(token != NULL);
  if (c.done.set) CHECK(c.model == model);
  WsFreeSecurityToken(token);
  completion_destroy(&c);

  completion_init(&c, error);
  c.channel = channel;
  async = async_of(&c);
  CHECK_HR(outcome(&c, WsCloseChannel(channel, &async, error)), S_OK);
  CHECK(state_of(channel) == WS_CHANNEL_STATE_CLOSED);
  if (c.done.set) CHECK(c.state == WS_CHANNEL_STATE_CLOSED);
  sleep_ms(50);
  CHECK(c.done.set <= 1); /* exactly one callback */
  completion_destroy(&c);

  /* Refused synchronously even with a context: the HRESULT comes back, no callback. */
  completion_init(&c, error);
  async = async_of(&c);
  CHECK_HR(WsCloseChannel(channel, &async, error), WS_E_INVALID_OPERATION);
  sleep_ms(50);
  CHECK(c.done.set == 0);
  completion_destroy(&c);
  WsFreeChannel(channel);
  WsFreeError(error);
}

/* Inside a short callback (on a runtime thread) a synchronous call is refused. */
typedef struct {
  event done;
  WS_CHANNEL* channel;
  HRESULT nested;
  WS_CALLBACK_MODEL model;
} nested_state;

static void CALLBACK nested_call(HRESULT hr, WS_CALLBACK_MODEL model, void* state) {
  nested_state* n = (nested_state*)state;
  WS_SECURITY_TOKEN* token = NULL;
  (void)hr;
  n->model = model;
  n->nested = request(n->channel, &token, NULL, NULL);
  WsFreeSecurityToken(token);
  event_set(&n->done);
}

static void test_callback_models(const char* url) {
  WS_CALLBACK_MODEL short_model = WS_SHORT_CALLBACK;
  WS_CHANNEL_PROPERTY p;
  WS_CHANNEL* channel;
  WS_ASYNC_CONTEXT async;
  WS_SECURITY_TOKEN* token = NULL;
  WS_SECURITY_TOKEN* token2 = NULL;
  nested_state n;
  completion first, second;
  HRESULT hr1, hr2;

  /* Short: a synchronous call from the callback would block a runtime thread. */
  p.id = WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL;
  p.value = &short_model;
  p.valueSize = sizeof short_model;
  channel = open_channel(url, &p, 1, NULL);
  if (channel != NULL) {
    memset(&n, 0, sizeof n);
    event_init(&n.done);
    n.channel = channel;
    async.callback = nested_call;
    async.callbackState = &n;
    hr1 = request(channel, &token, &async, NULL);
    CHECK(hr1 == WS_S_ASYNC);
    if (hr1 == WS_S_ASYNC) {
      CHECK(event_wait(&n.done, 30000));
      CHECK(n.model == WS_SHORT_CALLBACK);
      CHECK_HR(n.nested, WS_E_INVALID_OPERATION);
    }
    WsFreeSecurityToken(token);
    event_destroy(&n.done);
    close_and_free(channel);
  }

  /* Long (the default): a callback that blocks holds up no other completion. The first
     callback waits until the second one has run; with one thread for both it would time out. */
  channel = open_channel(url, NULL, 0, NULL);
  if (channel != NULL) {
    token = NULL;
    completion_init(&first, NULL);
    completion_init(&second, NULL);
    first.block_until = &second.done;
    async = async_of(&first);
    hr1 = request(channel, &token, &async, NULL);
    sleep_ms(100);
    async = async_of(&second);
    hr2 = request(channel, &token2, &async, NULL);
    CHECK(hr1 == WS_S_ASYNC && hr2 == WS_S_ASYNC);
    CHECK_HR(outcome(&first, hr1), S_OK);
    CHECK_HR(outcome(&second, hr2), S_OK);
    CHECK(first.unblocked == 1);
    CHECK(first.model == WS_LONG_CALLBACK && second.model == WS_LONG_CALLBACK);
    CHECK(!pthread_equal(first.thread, second.thread));
    CHECK(token != NULL && token2 != NULL && token != token2);
    WsFreeSecurityToken(token);
    WsFreeSecurityToken(token2);
    completion_destroy(&first);
    completion_destroy(&second);
    close_and_free(channel);
  }
}

/* --- abort, close and free with a negotiation in flight -------------------------------------- */

typedef struct {
  WS_CHANNEL* channel;
  WS_SECURITY_TOKEN* token;
  HRESULT hr;
  WS_ERROR* error;
} sync_call;

static void* sync_request(void* arg) {
  sync_call* s = (sync_call*)arg;
  s->hr = request(s->channel, &s->token, NULL, s->error);
  return NULL;
}

static void test_abort_during_negotiation(const char* stall_url) {
  WS_ERROR* error = NULL;
  WS_CHANNEL* channel;
  WS_ASYNC_CONTEXT async;
  WS_SECURITY_TOKEN* token = UNTOUCHED;
  completion c, closing;
  HRESULT hr;
  ULONG close_timeout = 300;
  WS_CHANNEL_PROPERTY p;
  sync_call call;
  pthread_t thread;
  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);

  /* Asynchronous request, then WsAbortChannel. */
  channel = open_channel(stall_url, NULL, 0, NULL);
  if (channel != NULL) {
    completion_init(&c, error);
    c.channel = channel;
    async = async_of(&c);
    hr = request(channel, &token, &async, error);
    CHECK(hr == WS_S_ASYNC);
    sleep_ms(300);
    CHECK(c.done.set == 0); /* the STS never answers */
    CHECK_HR(WsAbortChannel(channel, NULL), S_OK);
    CHECK(state_of(channel) == WS_CHANNEL_STATE_FAULTED);
    CHECK_HR(outcome(&c, hr), WS_E_OPERATION_ABORTED);
    CHECK(c.error_code == WS_E_OPERATION_ABORTED); /* WS_ERROR filled before the callback */
    CHECK(c.error_strings >= 1);
    CHECK(c.state == WS_CHANNEL_STATE_FAULTED);
    CHECK(token == UNTOUCHED);
    CHECK(newest_error_contains(error, L"WsRequestSecurityToken"));
    completion_destroy(&c);
    CHECK_HR(WsCloseChannel(channel, NULL, NULL), S_OK);
    CHECK(state_of(channel) == WS_CHANNEL_STATE_CLOSED);
    WsFreeChannel(channel);
  }

  /* A synchronous request blocked in another thread, aborted from this one. */
  channel = open_channel(stall_url, NULL, 0, NULL);
  if (channel != NULL) {
    memset(&call, 0, sizeof call);
    call.channel = channel;
    call.token = UNTOUCHED;
    CHECK(pthread_create(&thread, NULL, sync_request, &call) == 0);
    sleep_ms(300);
    CHECK_HR(WsAbortChannel(channel, NULL), S_OK);
    pthread_join(thread, NULL);
    CHECK_HR(call.hr, WS_E_OPERATION_ABORTED);
    CHECK(call.token == UNTOUCHED);
    close_and_free(channel);
  }

  /* WsFreeChannel with a request in flight: its callback still comes, once, aborted. */
  channel = open_channel(stall_url, NULL, 0, NULL);
  if (channel != NULL) {
    completion_init(&c, NULL);
    async = async_of(&c);
    token = UNTOUCHED;
    hr = request(channel, &token, &async, NULL);
    sleep_ms(200);
    WsFreeChannel(channel);
    CHECK_HR(outcome(&c, hr), WS_E_OPERATION_ABORTED);
    CHECK(token == UNTOUCHED);
    completion_destroy(&c);
  }

  /* Close with a request in flight: after the close timeout the request is aborted, the close
     reports the timeout, and the channel is closed all the same. */
  p.id = WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT;
  p.value = &close_timeout;
  p.valueSize = sizeof close_timeout;
  channel = open_channel(stall_url, &p, 1, NULL);
  if (channel != NULL) {
    completion_init(&c, NULL);
    async = async_of(&c);
    hr = request(channel, &token, &async, NULL);
    sleep_ms(300);
    CHECK_HR(WsCloseChannel(channel, NULL, error), WS_E_OPERATION_TIMED_OUT);
    CHECK(state_of(channel) == WS_CHANNEL_STATE_CLOSED);
    CHECK_HR(outcome(&c, hr), WS_E_OPERATION_ABORTED);
    completion_destroy(&c);
    WsFreeChannel(channel);
  }

  /* Abort during an asynchronous close: the close ends aborted, the channel closed. */
  close_timeout = 20000;
  channel = open_channel(stall_url, &p, 1, NULL);
  if (channel != NULL) {
    completion_init(&c, NULL);
    completion_init(&closing, NULL);
    async = async_of(&c);
    hr = request(channel, &token, &async, NULL);
    sleep_ms(300);
    async = async_of(&closing);
    CHECK_HR(WsCloseChannel(channel, &async, NULL), WS_S_ASYNC);
    CHECK(state_of(channel) == WS_CHANNEL_STATE_CLOSING);
    CHECK_HR(WsAbortChannel(channel, NULL), S_OK);
    CHECK(state_of(channel) == WS_CHANNEL_STATE_CLOSED);
    CHECK_HR(outcome(&closing, WS_S_ASYNC), WS_E_OPERATION_ABORTED);
    CHECK_HR(outcome(&c, hr), WS_E_OPERATION_ABORTED);
    CHECK_HR(WsResetChannel(channel, NULL), S_OK);
    completion_destroy(&c);
    completion_destroy(&closing);
    WsFreeChannel(channel);
  }
  WsFreeError(error);
}

/* --- error paths ------------------------------------------------------------------------------ */

/* One request on a fresh channel: checks the HRESULT, that WS_ERROR's newest string contains
   `needle` (when given), that *token is untouched, and the state the channel is left in. */
static void expect_failure(const char* url, const WS_CHANNEL_PROPERTY* props, ULONG count,
                           const WS_SECURITY_DESCRIPTION* security, HRESULT expected,
                           const wchar_t* needle, WS_CHANNEL_STATE after, int line) {
  WS_ERROR* error = NULL;
  WS_SECURITY_TOKEN* token = UNTOUCHED;
  WS_CHANNEL* channel = open_channel(url, props, count, security);
  HRESULT hr, code = 0;
  int before = check_failed;
  if (channel == NULL || WsCreateError(NULL, 0, &error) != S_OK) {
    CHECK(!"channel");
    return;
  }
  hr = request(channel, &token, NULL, error);
  CHECK_HR(hr, expected);
  CHECK(token == UNTOUCHED);
  WsGetErrorProperty(error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof code);
  CHECK(code == hr);
  if (needle != NULL) CHECK(newest_error_contains(error, needle));
  CHECK(state_of(channel) == after);
  if (check_failed != before || getenv("WST_TEST_VERBOSE") != NULL) {
    WS_STRING s;
    if (WsGetErrorString(error, 0, &s) == S_OK)
      fprintf(stderr, "  (line %d) error: %.*ls\n", line, (int)s.length, s.chars);
  }
  close_and_free(channel);
  WsFreeError(error);
}

static const char not_an_rstr[] =
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
    "xmlns:a=\"http://www.w3.org/2005/08/addressing\"><s:Header>"
    "<a:Action "
    "s:mustUnderstand=\"1\">http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTRC/IssueFinal"
    "</a:Action><a:RelatesTo>{{MessageID}}</a:RelatesTo></s:Header><s:Body>"
    "<x:Weather xmlns:x=\"urn:example\">sunny</x:Weather></s:Body></s:Envelope>";

static void test_error_paths(const char* dir, const char* plain_url) {
  sts_process sts;
  char path[512], url[256], refused[256];
  ULONG short_timeout = 500, small = 1024;
  WS_CHANNEL_PROPERTY p;
  security s;
  WS_CHANNEL* channel;
  WS_ERROR* error = NULL;

  /* Nobody listens: refused, and the channel faults. */
  CHECK(start_sts(&sts, 0, NULL) == 0);
  snprintf(refused, sizeof refused, "%s", sts.url);
  sts_stop(&sts);
  expect_failure(refused, NULL, 0, NULL, WS_E_ENDPOINT_UNREACHABLE, NULL, WS_CHANNEL_STATE_FAULTED,
                 __LINE__);

  /* Timeouts: a server that never answers, and one that answers too late. */
  p.id = WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT;
  p.value = &short_timeout;
  p.valueSize = sizeof short_timeout;
  {
    const char* stall[] = {"--fault", "stall", NULL};
    const char* delay[] = {"--fault", "delay:3000", NULL};
    if (start_sts(&sts, 0, stall) == 0) {
      expect_failure(sts.url, &p, 1, NULL, WS_E_OPERATION_TIMED_OUT, NULL, WS_CHANNEL_STATE_FAULTED,
                     __LINE__);
      sts_stop(&sts);
    }
    p.id = WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT;
    if (start_sts(&sts, 0, delay) == 0) {
      expect_failure(sts.url, &p, 1, NULL, WS_E_OPERATION_TIMED_OUT, NULL, WS_CHANNEL_STATE_FAULTED,
                     __LINE__);
      sts_stop(&sts);
    }
  }
  /* Broken connections and garbled HTTP fault the channel. */
  {
    const char* reset[] = {"--fault", "reset", NULL};
    const char* truncate[] = {"--fault", "truncate", NULL};
    const char* garbage[] = {"--fault", "garbage", NULL};
    const char* http500[] = {"--fault", "http500", NULL};
    if (start_sts(&sts, 0, reset) == 0) {
      expect_failure(sts.url, NULL, 0, NULL, WS_E_ENDPOINT_DISCONNECTED, NULL,
                     WS_CHANNEL_STATE_FAULTED, __LINE__);
      sts_stop(&sts);
    }
    if (start_sts(&sts, 0, truncate) == 0) {
      expect_failure(sts.url, NULL, 0, NULL, WS_E_ENDPOINT_DISCONNECTED, NULL,
                     WS_CHANNEL_STATE_FAULTED, __LINE__);
      sts_stop(&sts);
    }
    if (start_sts(&sts, 0, garbage) == 0) {
      expect_failure(sts.url, NULL, 0, NULL, WS_E_INVALID_FORMAT, NULL, WS_CHANNEL_STATE_FAULTED,
                     __LINE__);
      sts_stop(&sts);
    }
    /* An HTTP error status without SOAP: the connection is fine, the channel stays open. */
    if (start_sts(&sts, 0, http500) == 0) {
      expect_failure(sts.url, NULL, 0, NULL, WS_E_ENDPOINT_FAILURE, L"500", WS_CHANNEL_STATE_OPEN,
                     __LINE__);
      sts_stop(&sts);
    }
  }
  /* SOAP faults (the reason reaches WS_ERROR) and replies that are no RSTR. */
  if (write_temp_file(dir, "receiver-fault.xml", receiver_fault, path, sizeof path) == 0) {
    const char* replay[] = {"--replay", path, NULL};
    if (start_sts(&sts, 0, replay) == 0) {
      expect_failure(sts.url, NULL, 0, NULL, WS_E_ENDPOINT_FAULT_RECEIVED, L"down for maintenance",
                     WS_CHANNEL_STATE_OPEN, __LINE__);
      sts_stop(&sts);
    }
  }
  if (write_temp_file(dir, "weather.xml", not_an_rstr, path, sizeof path) == 0) {
    const char* replay[] = {"--replay", path, NULL};
    if (start_sts(&sts, 0, replay) == 0) {
      expect_failure(sts.url, NULL, 0, NULL, WS_E_INVALID_FORMAT, NULL, WS_CHANNEL_STATE_OPEN,
                     __LINE__);
      sts_stop(&sts);
    }
  }
  /* A reply larger than MAX_BUFFERED_MESSAGE_SIZE. */
  p.id = WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE;
  p.value = &small;
  p.valueSize = sizeof small;
  expect_failure(plain_url, &p, 1, NULL, WS_E_QUOTA_EXCEEDED, L"maximum message size",
                 WS_CHANNEL_STATE_OPEN, __LINE__);

  /* Authentication: HTTP Basic and UsernameToken against a users file. */
  if (write_temp_file(dir, "users", "alice:wonderland\nbob:builder\n", path, sizeof path) == 0) {
    const char* users[] = {"--users", path, NULL};
    if (start_sts(&sts, 0, users) == 0) {
      expect_failure(sts.url, NULL, 0, NULL, WS_E_SERVER_REQUIRES_BASIC_AUTH, L"401",
                     WS_CHANNEL_STATE_OPEN, __LINE__);
      security_init(&s);
      add_basic(&s, "alice", "rabbit");
      expect_failure(sts.url, NULL, 0, &s.description, WS_E_SERVER_REQUIRES_BASIC_AUTH, NULL,
                     WS_CHANNEL_STATE_OPEN, __LINE__);
      security_init(&s);
      add_basic(&s, "alice", "wonderland");
      channel = open_channel(sts.url, NULL, 0, &s.description);
      CHECK(channel != NULL && request_ok(channel));
      close_and_free(channel);
      sts_stop(&sts);
    }
    if (start_sts(&sts, 1, users) == 0) {
      security_init(&s);
      add_ssl(&s, ca_file);
      add_username(&s, "bob", "bricklayer");
      expect_failure(sts.url, NULL, 0, &s.description, WS_E_ENDPOINT_FAULT_RECEIVED,
                     L"wrong password", WS_CHANNEL_STATE_OPEN, __LINE__);
      security_init(&s);
      add_ssl(&s, ca_file);
      add_username(&s, "bob", "builder");
      channel = open_channel(sts.url, NULL, 0, &s.description);
      CHECK(channel != NULL && request_ok(channel));
      close_and_free(channel);
      /* Basic over TLS as well, with a client certificate configured. */
      security_init(&s);
      add_ssl(&s, ca_file);
      add_client_certificate(&s, cert_file, key_file);
      add_basic(&s, "alice", "wonderland");
      channel = open_channel(sts.url, NULL, 0, &s.description);
      CHECK(channel != NULL && request_ok(channel));
      close_and_free(channel);
      sts_stop(&sts);
    }
  }

  /* TLS: the system bundle does not know the test CA; unusable client certificate files fail
     the open itself. */
  if (start_sts(&sts, 1, NULL) == 0) {
    snprintf(url, sizeof url, "%s", sts.url);
    security_init(&s);
    add_ssl(&s, NULL);
    expect_failure(url, NULL, 0, &s.description, WS_E_SECURITY_VERIFICATION_FAILURE, NULL,
                   WS_CHANNEL_STATE_FAULTED, __LINE__);
    CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
    security_init(&s);
    add_ssl(&s, ca_file);
    add_client_certificate(&s, cert_file, "/nonexistent/key.pem");
    channel = make_channel(NULL, 0, &s.description);
    if (channel != NULL) {
      CHECK_HR(open_at(channel, url, NULL, error), E_INVALIDARG);
      CHECK(newest_error_contains(error, L"/nonexistent/key.pem"));
      CHECK(state_of(channel) == WS_CHANNEL_STATE_FAULTED);
      close_and_free(channel);
    }
    security_init(&s);
    add_ssl(&s, ca_file);
    add_client_certificate(&s, ca_file, key_file); /* a key that does not match the certificate */
    channel = make_channel(NULL, 0, &s.description);
    if (channel != NULL) {
      CHECK_HR(open_at(channel, url, NULL, error), E_INVALIDARG);
      CHECK(state_of(channel) == WS_CHANNEL_STATE_FAULTED);
      close_and_free(channel);
    }
    security_init(&s);
    add_ssl(&s, "/nonexistent/ca.pem");
    channel = make_channel(NULL, 0, &s.description);
    if (channel != NULL) {
      CHECK_HR(open_at(channel, url, NULL, error), E_INVALIDARG);
      close_and_free(channel);
    }
    WsFreeError(error);
    sts_stop(&sts);
  }
}

int main(int argc, char** argv) {
  sts_process plain, stall;
  char dir[256];
  const char* stall_args[] = {"--fault", "stall", NULL};
  if (fixture_init(argc, argv) != 0) return 2;
  if (make_temp_dir(dir, sizeof dir) != 0) return 2;

  test_create_arguments();
  test_channel_properties();
  test_security_descriptions();

  CHECK(start_sts(&plain, 0, NULL) == 0);
  CHECK(start_sts(&stall, 0, stall_args) == 0);
  if (plain.pid > 0 && stall.pid > 0) {
    test_open_arguments_and_states(plain.url);
    test_async_open_close(plain.url, WS_SHORT_CALLBACK);
    test_async_open_close(plain.url, WS_LONG_CALLBACK);
    test_callback_models(plain.url);
    test_abort_during_negotiation(stall.url);
    test_error_paths(dir, plain.url);
  }
  CHECK(sts_stop(&stall) == 0);
  CHECK(sts_stop(&plain) == 0);
  {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  }
  return finish();
}
