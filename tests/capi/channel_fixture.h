/* What the channel tests share: WWSAPI-style construction of channels and security
 * descriptions, sample STS processes, token inspection, and completion recording.
 * C99 + POSIX; include after defining _POSIX_C_SOURCE 200809L. */
#ifndef WST_TESTS_CAPI_CHANNEL_FIXTURE_H
#define WST_TESTS_CAPI_CHANNEL_FIXTURE_H

#include "check.h"
#include "sts_process.h"

#include <stdint.h>

/* Set by main() from the command line: the wst-sample-sts binary and tests/sts/data (a CA,
   and a localhost certificate + key it issued, used by the STS for TLS and signing). */
static const char* sts_binary = NULL;
static char ca_file[512], cert_file[512], key_file[512];

CHECK_MAYBE_UNUSED static int fixture_init(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <wst-sample-sts> <tests/sts/data>\n", argv[0]);
    return -1;
  }
  sts_binary = argv[1];
  snprintf(ca_file, sizeof ca_file, "%s/test-ca.pem", argv[2]);
  snprintf(cert_file, sizeof cert_file, "%s/localhost-cert.pem", argv[2]);
  snprintf(key_file, sizeof key_file, "%s/localhost-key.pem", argv[2]);
  return 0;
}

/* Starts an STS with the fixture's key and certificate plus `extra` (NULL-terminated, may be
   NULL); https when `https`. 0 on success. */
CHECK_MAYBE_UNUSED static int start_sts(sts_process* p, int https, const char* const* extra) {
  const char* args[40];
  size_t n = 0, i = 0;
  args[n++] = "--listen";
  args[n++] = "127.0.0.1:0";
  args[n++] = "--threads";
  args[n++] = "2";
  args[n++] = "--key";
  args[n++] = key_file;
  args[n++] = "--cert";
  args[n++] = cert_file;
  if (https) args[n++] = "--https";
  while (extra != NULL && extra[i] != NULL && n < 39) args[n++] = extra[i++];
  args[n] = NULL;
  return sts_start(p, sts_binary, args);
}

/* ASCII text as a WS_STRING over `buffer` (at least strlen(text) wchar_ts). */
CHECK_MAYBE_UNUSED static WS_STRING wide(const char* text, WCHAR* buffer) {
  WS_STRING s;
  size_t i, n = strlen(text);
  for (i = 0; i < n; ++i) buffer[i] = (WCHAR)(unsigned char)text[i];
  s.length = (ULONG)n;
  s.chars = buffer;
  return s;
}

/* --- channels ------------------------------------------------------------------------------ */

CHECK_MAYBE_UNUSED static WS_CHANNEL_STATE state_of(WS_CHANNEL* channel) {
  WS_CHANNEL_STATE state = (WS_CHANNEL_STATE)-1;
  if (WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_STATE, &state, sizeof state, NULL) != S_OK)
    return (WS_CHANNEL_STATE)-1;
  return state;
}

CHECK_MAYBE_UNUSED static HRESULT open_at(WS_CHANNEL* channel, const char* url,
                                          const WS_ASYNC_CONTEXT* async, WS_ERROR* error) {
  static WCHAR buffer[512];
  WS_ENDPOINT_ADDRESS address;
  memset(&address, 0, sizeof address);
  address.url = wide(url, buffer);
  return WsOpenChannel(channel, &address, async, error);
}

/* A request channel with the given properties and security description. */
CHECK_MAYBE_UNUSED static WS_CHANNEL* make_channel(const WS_CHANNEL_PROPERTY* props, ULONG count,
                                                   const WS_SECURITY_DESCRIPTION* security) {
  WS_CHANNEL* channel = NULL;
  HRESULT hr = WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, props, count,
                               security, &channel, NULL);
  if (hr != S_OK) {
    fprintf(stderr, "WsCreateChannel failed: 0x%08X\n", (unsigned)hr);
    return NULL;
  }
  return channel;
}

/* A channel opened (synchronously) at `url`, or NULL. */
CHECK_MAYBE_UNUSED static WS_CHANNEL* open_channel(const char* url,
                                                   const WS_CHANNEL_PROPERTY* props, ULONG count,
                                                   const WS_SECURITY_DESCRIPTION* security) {
  WS_CHANNEL* channel = make_channel(props, count, security);
  HRESULT hr;
  if (channel == NULL) return NULL;
  hr = open_at(channel, url, NULL, NULL);
  if (hr != S_OK) {
    fprintf(stderr, "WsOpenChannel(%s) failed: 0x%08X\n", url, (unsigned)hr);
    WsFreeChannel(channel);
    return NULL;
  }
  return channel;
}

CHECK_MAYBE_UNUSED static void close_and_free(WS_CHANNEL* channel) {
  if (channel == NULL) return;
  if (state_of(channel) == WS_CHANNEL_STATE_OPEN || state_of(channel) == WS_CHANNEL_STATE_FAULTED)
    WsCloseChannel(channel, NULL, NULL);
  WsFreeChannel(channel);
}

/* --- security descriptions, built as WWSAPI code builds them -----------------------------------
 */

typedef struct {
  WS_SSL_TRANSPORT_SECURITY_BINDING ssl;
  WS_SECURITY_BINDING_PROPERTY ssl_props[4];
  WS_STRING ca;
  WCHAR ca_chars[512];
  WS_PEM_FILE_CERT_CREDENTIAL pem;
  WCHAR pem_chars[3][512];
  WS_HTTP_HEADER_AUTH_SECURITY_BINDING http;
  WS_SECURITY_BINDING_PROPERTY http_props[2];
  ULONG scheme;
  WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL basic;
  WCHAR basic_chars[2][128];
  WS_USERNAME_MESSAGE_SECURITY_BINDING username;
  WS_STRING_USERNAME_CREDENTIAL username_credential;
  WCHAR username_chars[2][128];
  WS_XML_TOKEN_MESSAGE_SECURITY_BINDING xml_token;
  WS_SECURITY_BINDING* bindings[4];
  WS_SECURITY_DESCRIPTION description;
} security;

CHECK_MAYBE_UNUSED static void security_init(security* s) {
  memset(s, 0, sizeof *s);
  s->description.securityBindings = s->bindings;
}

/* TLS; `ca` NULL trusts the system bundle, else that PEM file. */
CHECK_MAYBE_UNUSED static void add_ssl(security* s, const char* ca) {
  s->ssl.binding.bindingType = WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE;
  s->ssl.binding.properties = s->ssl_props;
  if (ca != NULL) {
    s->ca = wide(ca, s->ca_chars);
    s->ssl_props[s->ssl.binding.propertyCount].id =
        WS_SECURITY_BINDING_PROPERTY_PEM_FILE_TRUSTED_CA;
    s->ssl_props[s->ssl.binding.propertyCount].value = &s->ca;
    s->ssl_props[s->ssl.binding.propertyCount].valueSize = sizeof s->ca;
    ++s->ssl.binding.propertyCount;
  }
  s->bindings[s->description.securityBindingCount++] = &s->ssl.binding;
}

/* A client certificate for the SSL binding (add_ssl first). */
CHECK_MAYBE_UNUSED static void add_client_certificate(security* s, const char* cert,
                                                      const char* key) {
  s->pem.credential.credentialType = WS_PEM_FILE_CERT_CREDENTIAL_TYPE;
  s->pem.certificateFile = wide(cert, s->pem_chars[0]);
  s->pem.privateKeyFile = wide(key, s->pem_chars[1]);
  s->ssl.localCertCredential = &s->pem.credential;
}

CHECK_MAYBE_UNUSED static void add_basic(security* s, const char* user, const char* password) {
  s->http.binding.bindingType = WS_HTTP_HEADER_AUTH_SECURITY_BINDING_TYPE;
  s->scheme = WS_HTTP_HEADER_AUTH_SCHEME_BASIC;
  s->http_props[0].id = WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_SCHEME;
  s->http_props[0].value = &s->scheme;
  s->http_props[0].valueSize = sizeof s->scheme;
  s->http.binding.properties = s->http_props;
  s->http.binding.propertyCount = 1;
  s->basic.credential.credentialType = WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE;
  s->basic.username = wide(user, s->basic_chars[0]);
  s->basic.password = wide(password, s->basic_chars[1]);
  s->http.clientCredential = &s->basic.credential;
  s->bindings[s->description.securityBindingCount++] = &s->http.binding;
}

CHECK_MAYBE_UNUSED static void add_username(security* s, const char* user, const char* password) {
  s->username.binding.bindingType = WS_USERNAME_MESSAGE_SECURITY_BINDING_TYPE;
  s->username.bindingUsage = WS_SUPPORTING_MESSAGE_SECURITY_USAGE;
  s->username_credential.credential.credentialType = WS_STRING_USERNAME_CREDENTIAL_TYPE;
  s->username_credential.username = wide(user, s->username_chars[0]);
  s->username_credential.password = wide(password, s->username_chars[1]);
  s->username.clientCredential = &s->username_credential.credential;
  s->bindings[s->description.securityBindingCount++] = &s->username.binding;
}

CHECK_MAYBE_UNUSED static void add_xml_token(security* s, WS_SECURITY_TOKEN* token) {
  s->xml_token.binding.bindingType = WS_XML_TOKEN_MESSAGE_SECURITY_BINDING_TYPE;
  s->xml_token.bindingUsage = WS_SUPPORTING_MESSAGE_SECURITY_USAGE;
  s->xml_token.xmlToken = token;
  s->bindings[s->description.securityBindingCount++] = &s->xml_token.binding;
}

/* --- request properties ---------------------------------------------------------------------- */

typedef struct {
  WS_REQUEST_SECURITY_TOKEN_PROPERTY items[16];
  ULONG count;
} rst_properties;

CHECK_MAYBE_UNUSED static void rst_add(rst_properties* p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID id,
                                       void* value, ULONG size) {
  p->items[p->count].id = id;
  p->items[p->count].value = value;
  p->items[p->count].valueSize = size;
  ++p->count;
}

/* --- tokens ---------------------------------------------------------------------------------- */

/* The token's serialized XML as text in `out` (NUL-terminated); 0 on success. */
CHECK_MAYBE_UNUSED static int token_text(WS_SECURITY_TOKEN* token, WS_SECURITY_TOKEN_PROPERTY_ID id,
                                         char* out, size_t size) {
  WS_HEAP* heap = NULL;
  WS_XML_WRITER* writer = NULL;
  WS_XML_BUFFER* buffer = NULL;
  void* bytes = NULL;
  ULONG n = 0;
  int rc = -1;
  out[0] = '\0';
  if (WsCreateHeap(1 << 20, 0, NULL, 0, &heap, NULL) != S_OK) return -1;
  if (WsCreateWriter(NULL, 0, &writer, NULL) == S_OK &&
      WsGetSecurityTokenProperty(token, id, &buffer, sizeof buffer, heap, NULL) == S_OK &&
      buffer != NULL &&
      WsWriteXmlBufferToBytes(writer, buffer, NULL, NULL, 0, heap, &bytes, &n, NULL) == S_OK &&
      n < size) {
    memcpy(out, bytes, n);
    out[n] = '\0';
    rc = 0;
  }
  if (writer != NULL) WsFreeWriter(writer);
  WsFreeHeap(heap);
  return rc;
}

CHECK_MAYBE_UNUSED static WS_SECURITY_KEY_TYPE key_type_of(WS_SECURITY_TOKEN* token) {
  WS_SECURITY_KEY_TYPE type = (WS_SECURITY_KEY_TYPE)0;
  WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &type, sizeof type, NULL,
                             NULL);
  return type;
}

/* The symmetric proof key into `out` (at least 512 bytes); its length, or 0 when none. */
CHECK_MAYBE_UNUSED static ULONG token_key(WS_SECURITY_TOKEN* token, BYTE* out) {
  WS_HEAP* heap = NULL;
  WS_BYTES key;
  ULONG n = 0;
  if (WsCreateHeap(4096, 0, NULL, 0, &heap, NULL) != S_OK) return 0;
  if (WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY, &key, sizeof key,
                                 heap, NULL) == S_OK &&
      key.length <= 512) {
    memcpy(out, key.bytes, key.length);
    n = key.length;
  }
  WsFreeHeap(heap);
  return n;
}

/* SHA-1 (FIPS 180-4), for checking the sample STS's ds:KeyName = base64(SHA-1(proof key)). */
static uint32_t sha1_rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(uint32_t h[5], const BYTE* p) {
  uint32_t w[80], a, b, c, d, e, f, k, t;
  int i;
  for (i = 0; i < 16; ++i)
    w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
           ((uint32_t)p[4 * i + 2] << 8) | (uint32_t)p[4 * i + 3];
  for (i = 16; i < 80; ++i) w[i] = sha1_rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (i = 0; i < 80; ++i) {
    if (i < 20)
      f = (b & c) | (~b & d), k = 0x5A827999u;
    else if (i < 40)
      f = b ^ c ^ d, k = 0x6ED9EBA1u;
    else if (i < 60)
      f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDCu;
    else
      f = b ^ c ^ d, k = 0xCA62C1D6u;
    t = sha1_rotl(a, 5) + f + e + k + w[i];
    e = d, d = c, c = sha1_rotl(b, 30), b = a, a = t;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

CHECK_MAYBE_UNUSED static void sha1(const BYTE* data, size_t n, BYTE digest[20]) {
  uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  BYTE tail[128];
  size_t i, full = n / 64 * 64, rest = n - full, tail_size;
  uint64_t bits = (uint64_t)n * 8;
  for (i = 0; i < full; i += 64) sha1_block(h, data + i);
  memset(tail, 0, sizeof tail);
  memcpy(tail, data + full, rest);
  tail[rest] = 0x80;
  tail_size = rest < 56 ? 64 : 128;
  for (i = 0; i < 8; ++i) tail[tail_size - 1 - i] = (BYTE)(bits >> (8 * i));
  for (i = 0; i < tail_size; i += 64) sha1_block(h, tail + i);
  for (i = 0; i < 20; ++i) digest[i] = (BYTE)(h[i / 4] >> (24 - 8 * (i % 4)));
}

CHECK_MAYBE_UNUSED static void base64(const BYTE* data, size_t n, char* out) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i, o = 0;
  for (i = 0; i + 2 < n; i += 3) {
    uint32_t v = ((uint32_t)data[i] << 16) | ((uint32_t)data[i + 1] << 8) | data[i + 2];
    out[o++] = alphabet[v >> 18], out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = alphabet[(v >> 6) & 63], out[o++] = alphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = (uint32_t)data[i] << 16;
    out[o++] = alphabet[v >> 18], out[o++] = alphabet[(v >> 12) & 63], out[o++] = '=',
    out[o++] = '=';
  } else if (n - i == 2) {
    uint32_t v = ((uint32_t)data[i] << 16) | ((uint32_t)data[i + 1] << 8);
    out[o++] = alphabet[v >> 18], out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = alphabet[(v >> 6) & 63], out[o++] = '=';
  }
  out[o] = '\0';
}

/* True when the token is a sample-STS assertion whose holder-of-key ds:KeyName names exactly
   the token's proof key (base64 of its SHA-1): the key wst derived is the STS's. */
CHECK_MAYBE_UNUSED static int key_name_matches(WS_SECURITY_TOKEN* token) {
  static char xml[65536];
  BYTE key[512], digest[20];
  char name[64], expected[128];
  ULONG n = token_key(token, key);
  if (n == 0 || token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) != 0)
    return 0;
  sha1(key, n, digest);
  base64(digest, sizeof digest, name);
  snprintf(expected, sizeof expected, "KeyName>%s</", name);
  return strstr(xml, expected) != NULL;
}

/* --- completions ----------------------------------------------------------------------------- */

/* What one WS_ASYNC_CONTEXT callback saw. */
typedef struct {
  event done;
  HRESULT hr;
  WS_CALLBACK_MODEL model;
  pthread_t thread;
  WS_ERROR* error;     /* the operation's error object, read inside the callback */
  HRESULT error_code;  /* its ORIGINAL_ERROR_CODE at callback time */
  ULONG error_strings; /* its STRING_COUNT at callback time */
  WS_CHANNEL* channel; /* when set, its state at callback time goes to `state` */
  WS_CHANNEL_STATE state;
  event* block_until; /* when set, the callback waits (up to 5 s) for this event */
  int unblocked;      /* whether that wait succeeded */
} completion;

CHECK_MAYBE_UNUSED static void completion_init(completion* c, WS_ERROR* error) {
  memset(c, 0, sizeof *c);
  event_init(&c->done);
  c->error = error;
  c->hr = (HRESULT)0x7FFFFFFF;
}

CHECK_MAYBE_UNUSED static void completion_destroy(completion* c) { event_destroy(&c->done); }

static void CALLBACK on_complete(HRESULT hr, WS_CALLBACK_MODEL model, void* state) {
  completion* c = (completion*)state;
  c->hr = hr;
  c->model = model;
  c->thread = pthread_self();
  if (c->error != NULL) {
    WsGetErrorProperty(c->error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &c->error_code,
                       sizeof c->error_code);
    WsGetErrorProperty(c->error, WS_ERROR_PROPERTY_STRING_COUNT, &c->error_strings,
                       sizeof c->error_strings);
  }
  if (c->channel != NULL) c->state = state_of(c->channel);
  if (c->block_until != NULL) c->unblocked = event_wait(c->block_until, 5000);
  event_set(&c->done);
}

CHECK_MAYBE_UNUSED static WS_ASYNC_CONTEXT async_of(completion* c) {
  WS_ASYNC_CONTEXT a;
  a.callback = on_complete;
  a.callbackState = c;
  return a;
}

/* The result of an operation started with async_of(c): `returned` if it completed
   synchronously, else what the single callback delivered (waiting up to 30 s). */
CHECK_MAYBE_UNUSED static HRESULT outcome(completion* c, HRESULT returned) {
  if (returned != WS_S_ASYNC) return returned;
  if (!event_wait(&c->done, 30000)) return (HRESULT)0x7FFFFFFE;
  return c->hr;
}

#endif
