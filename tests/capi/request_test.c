/* WsRequestSecurityToken against sample STS processes on loopback: every
 * WS_REQUEST_SECURITY_TOKEN_PROPERTY, both WS-Trust versions, every key type and entropy mode
 * (the proof key checked against the hash the STS put in the assertion), security context
 * tokens issued and renewed, SOAP 1.1 / WS-Addressing 2004 channels, an issued token
 * presented as a supporting token, and every argument error - synchronously and through
 * WS_ASYNC_CONTEXT with both callback models.
 *
 * Usage: capi_request_test <wst-sample-sts> <tests/sts/data>   (CTest passes both) */
#define _POSIX_C_SOURCE 200809L

#include "channel_fixture.h"

#define UNTOUCHED ((WS_SECURITY_TOKEN*)(uintptr_t)0x5A5A5A5Au)

static const char saml11_type[] =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1";
static const char saml20_type[] =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";
static const char saml11_ns[] = "urn:oasis:names:tc:SAML:1.0:assertion";
static const char saml20_ns[] = "urn:oasis:names:tc:SAML:2.0:assertion";
static const char sc2005_ns[] = "http://schemas.xmlsoap.org/ws/2005/02/sc";
static const char sc13_ns[] = "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512";

/* How a request is made: synchronously, or asynchronously on a channel whose callback model
   is short or long. Tests rotate through all three. */
typedef struct {
  WS_CHANNEL* sync;
  WS_CHANNEL* short_async;
  WS_CHANNEL* long_async;
} channels;

static WS_CHANNEL* channel_with_model(const char* url, WS_CALLBACK_MODEL model) {
  WS_CHANNEL_PROPERTY p;
  p.id = WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL;
  p.value = &model;
  p.valueSize = sizeof model;
  return open_channel(url, &p, 1, NULL);
}

static int channels_open(channels* c, const char* url) {
  c->sync = open_channel(url, NULL, 0, NULL);
  c->short_async = channel_with_model(url, WS_SHORT_CALLBACK);
  c->long_async = channel_with_model(url, WS_LONG_CALLBACK);
  return c->sync != NULL && c->short_async != NULL && c->long_async != NULL ? 0 : -1;
}

static void channels_close(channels* c) {
  close_and_free(c->sync);
  close_and_free(c->short_async);
  close_and_free(c->long_async);
}

/* Runs one request the way `mode` says (0 sync, 1 short, 2 long); returns the final HRESULT.
   Asynchronous runs check the callback model and that WS_ERROR was filled before it. */
static HRESULT run(channels* c, int mode, rst_properties* p, WS_SECURITY_TOKEN** token,
                   WS_ERROR* error) {
  completion done;
  WS_ASYNC_CONTEXT async;
  HRESULT hr;
  WS_CHANNEL* channel = mode == 0 ? c->sync : mode == 1 ? c->short_async : c->long_async;
  if (mode == 0) return WsRequestSecurityToken(channel, p->items, p->count, token, NULL, error);
  completion_init(&done, error);
  async = async_of(&done);
  hr = outcome(&done, WsRequestSecurityToken(channel, p->items, p->count, token, &async, error));
  if (done.done.set) {
    CHECK(done.model == (mode == 1 ? WS_SHORT_CALLBACK : WS_LONG_CALLBACK));
    if (error != NULL && hr != S_OK) CHECK(done.error_code == hr && done.error_strings >= 1);
  }
  completion_destroy(&done);
  return hr;
}

static int contains(const char* text, const char* needle) { return strstr(text, needle) != NULL; }

/* Copies the text of the first element whose name ends with `tag` (e.g. ":Identifier"). */
static int element_text(const char* xml, const char* tag, char* out, size_t size) {
  const char* p = xml;
  size_t n = strlen(tag);
  while ((p = strstr(p, tag)) != NULL) {
    const char* start;
    const char* end;
    p += n;
    if (*p != '>') continue;
    start = p + 1;
    end = strchr(start, '<');
    if (end == NULL || (size_t)(end - start) >= size) return -1;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 0;
  }
  return -1;
}

static char xml[65536];

/* --- argument errors ------------------------------------------------------------------------- */

/* One request that must fail synchronously with `expected` (a callback must not follow),
   leave *token alone and the channel open. */
static void expect_refused(WS_CHANNEL* channel, rst_properties* p, HRESULT expected,
                           const wchar_t* needle, int line) {
  WS_ERROR* error = NULL;
  WS_SECURITY_TOKEN* token = UNTOUCHED;
  completion c;
  WS_ASYNC_CONTEXT async;
  int before = check_failed;
  WsCreateError(NULL, 0, &error);
  completion_init(&c, NULL);
  async = async_of(&c);
  CHECK_HR(WsRequestSecurityToken(channel, p->items, p->count, &token, &async, error), expected);
  CHECK(token == UNTOUCHED);
  if (needle != NULL) CHECK(error_string_contains(error, 0, needle));
  CHECK(state_of(channel) == WS_CHANNEL_STATE_OPEN);
  if (check_failed != before || getenv("WST_TEST_VERBOSE") != NULL) {
    WS_STRING s;
    if (WsGetErrorString(error, 0, &s) == S_OK)
      fprintf(stderr, "  (line %d) error: %.*ls\n", line, (int)s.length, s.chars);
  }
  sleep_ms(5);
  CHECK(c.done.set == 0);
  completion_destroy(&c);
  WsFreeError(error);
}

static void test_argument_errors(const char* url) {
  WS_CHANNEL* channel = open_channel(url, NULL, 0, NULL);
  rst_properties p;
  WS_SECURITY_TOKEN* token = NULL;
  WS_TRUST_VERSION trust = WS_TRUST_VERSION_1_3, bad_trust = (WS_TRUST_VERSION)3;
  WS_SECURE_CONVERSATION_VERSION bad_sc = (WS_SECURE_CONVERSATION_VERSION)0;
  WS_SECURITY_KEY_TYPE bearer = WS_SECURITY_KEY_TYPE_NONE,
                       asymmetric = WS_SECURITY_KEY_TYPE_ASYMMETRIC;
  WS_SECURITY_KEY_TYPE bad_key = (WS_SECURITY_KEY_TYPE)0;
  WS_SECURITY_KEY_ENTROPY_MODE client = WS_SECURITY_KEY_ENTROPY_MODE_CLIENT_ONLY;
  WS_SECURITY_KEY_ENTROPY_MODE bad_entropy = (WS_SECURITY_KEY_ENTROPY_MODE)4;
  WS_REQUEST_SECURITY_TOKEN_ACTION renew = WS_REQUEST_SECURITY_TOKEN_ACTION_RENEW_CONTEXT;
  WS_REQUEST_SECURITY_TOKEN_ACTION bad_action = (WS_REQUEST_SECURITY_TOKEN_ACTION)9;
  WS_SECURITY_BEARER_KEY_TYPE_VERSION bad_bearer = (WS_SECURITY_BEARER_KEY_TYPE_VERSION)4;
  ULONG odd_size = 7, size = 256;
  WS_ENDPOINT_ADDRESS address;
  WS_ENDPOINT_IDENTITY identity;
  WCHAR chars[64];
  WS_XML_STRING empty_type = {0, NULL, NULL, 0};
  WS_SECURITY_TOKEN* null_token = NULL;
  WS_XML_BUFFER* text_buffer = NULL;
  WS_XML_BUFFER* foreign = (WS_XML_BUFFER*)channel;
  WS_HEAP* heap = NULL;
  WS_XML_READER* reader = NULL;
  WS_XML_READER_PROPERTY allow_fragment;
  BOOL yes = TRUE;
  WS_MESSAGE_PROPERTY message_property;
  WS_MESSAGE_PROPERTIES message_properties;
  WS_XML_READER_PROPERTY reader_property;
  WS_XML_READER_PROPERTIES reader_properties;
  ULONG zero = 0;
  WS_CHARSET charset = WS_CHARSET_UTF8;
  if (channel == NULL) return;

  CHECK_HR(WsRequestSecurityToken(channel, NULL, 0, NULL, NULL, NULL), E_INVALIDARG);
  CHECK_HR(WsRequestSecurityToken(channel, NULL, 1, &token, NULL, NULL), E_INVALIDARG);
  CHECK(token == NULL);

#define ONE(id, value) \
  p.count = 0;         \
  rst_add(&p, id, &(value), sizeof(value))
  ONE((WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID)0, trust);
  expect_refused(channel, &p, E_INVALIDARG, L"WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID", __LINE__);
  ONE((WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID)14, trust);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, trust);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, sizeof trust);
  expect_refused(channel, &p, E_INVALIDARG, L"twice", __LINE__);
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, 2);
  expect_refused(channel, &p, E_INVALIDARG, L"TRUST_VERSION", __LINE__);
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, NULL, sizeof trust);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, bad_trust);
  expect_refused(channel, &p, E_INVALIDARG, L"unknown value", __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_SECURE_CONVERSATION_VERSION, bad_sc);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, bad_key);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, asymmetric);
  expect_refused(channel, &p, WS_E_NOT_SUPPORTED, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY, bad_entropy);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_REQUEST_ACTION, bad_action);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_BEARER_KEY_TYPE_VERSION, bad_bearer);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_SIZE, odd_size);
  expect_refused(channel, &p, E_INVALIDARG, L"multiple of 8", __LINE__);
  /* Combinations the core refuses. */
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, bearer);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_SIZE, &size, sizeof size);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, bearer);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY, &client, sizeof client);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_REQUEST_ACTION, renew);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__); /* renew without the token */
  /* Addresses and token types. */
  memset(&address, 0, sizeof address);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO, address);
  expect_refused(channel, &p, E_INVALIDARG, L"APPLIES_TO", __LINE__);
  address.url = wide("not a uri", chars);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  address.url = wide("https://rp.example/", chars);
  identity.identityType = WS_DNS_ENDPOINT_IDENTITY_TYPE;
  address.identity = &identity;
  expect_refused(channel, &p, WS_E_NOT_SUPPORTED, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE, empty_type);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_EXISTING_TOKEN, null_token);
  expect_refused(channel, &p, E_INVALIDARG, L"WS_SECURITY_TOKEN handle", __LINE__);
  /* Parameters must be elements. */
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, NULL), S_OK);
  CHECK_HR(WsCreateReader(NULL, 0, &reader, NULL), S_OK);
  allow_fragment.id = WS_XML_READER_PROPERTY_ALLOW_FRAGMENT;
  allow_fragment.value = &yes;
  allow_fragment.valueSize = sizeof yes;
  CHECK_HR(WsReadXmlBufferFromBytes(reader, NULL, &allow_fragment, 1, "just text", 9, heap,
                                    &text_buffer, NULL),
           S_OK);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS, text_buffer);
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_SERVICE_REQUEST_PARAMETERS, foreign);
  expect_refused(channel, &p, E_INVALIDARG, L"WS_XML_BUFFER handle", __LINE__);
  /* Message properties: reader limits only. */
  message_properties.properties = &message_property;
  message_properties.propertyCount = 1;
  message_property.id = WS_MESSAGE_PROPERTY_HEAP_PROPERTIES;
  message_property.value = &zero;
  message_property.valueSize = sizeof zero;
  ONE(WS_REQUEST_SECURITY_TOKEN_PROPERTY_MESSAGE_PROPERTIES, message_properties);
  expect_refused(channel, &p, WS_E_NOT_SUPPORTED, L"XML_READER_PROPERTIES", __LINE__);
  message_property.id = (WS_MESSAGE_PROPERTY_ID)99;
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  message_property.id = WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES;
  message_property.value = &reader_properties;
  message_property.valueSize = sizeof reader_properties;
  reader_properties.properties = &reader_property;
  reader_properties.propertyCount = 1;
  reader_property.id = WS_XML_READER_PROPERTY_MAX_DEPTH;
  reader_property.value = &zero;
  reader_property.valueSize = sizeof zero;
  expect_refused(channel, &p, E_INVALIDARG, NULL, __LINE__);
  reader_property.id = WS_XML_READER_PROPERTY_CHARSET;
  reader_property.value = &charset;
  reader_property.valueSize = sizeof charset;
  expect_refused(channel, &p, WS_E_NOT_SUPPORTED, NULL, __LINE__);
#undef ONE
  WsFreeReader(reader);
  WsFreeHeap(heap);
  close_and_free(channel);
}

/* --- key types, entropy modes, trust versions ---------------------------------------------------
 */

static void check_lifetime(WS_SECURITY_TOKEN* token) {
  WS_DATETIME from, till;
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME, &from,
                                      sizeof from, NULL, NULL),
           S_OK);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME, &till,
                                      sizeof till, NULL, NULL),
           S_OK);
  CHECK(from.ticks > 0 &&
        till.ticks - from.ticks == 3600ULL * 10000000ULL); /* the STS's default lifetime */
}

static void test_keys(channels* server_key, channels* client_key) {
  static const WS_TRUST_VERSION trusts[] = {WS_TRUST_VERSION_FEBRUARY_2005, WS_TRUST_VERSION_1_3};
  static const WS_SECURITY_KEY_ENTROPY_MODE modes[] = {WS_SECURITY_KEY_ENTROPY_MODE_SERVER_ONLY,
                                                       WS_SECURITY_KEY_ENTROPY_MODE_COMBINED,
                                                       WS_SECURITY_KEY_ENTROPY_MODE_CLIENT_ONLY};
  static const ULONG sizes[] = {0, 128, 512};
  int run_mode = 0;
  size_t t, m, z;
  WS_HEAP* heap = NULL;
  CHECK_HR(WsCreateHeap(4096, 0, NULL, 0, &heap, NULL), S_OK);
  for (t = 0; t < WsCountOf(trusts); ++t) {
    WS_TRUST_VERSION trust = trusts[t];
    WS_SECURITY_KEY_TYPE bearer = WS_SECURITY_KEY_TYPE_NONE,
                         symmetric = WS_SECURITY_KEY_TYPE_SYMMETRIC;
    rst_properties p;
    WS_SECURITY_TOKEN* token = NULL;
    WS_BYTES key;
    BYTE key_bytes[512];

    /* No KeyType: the STS issues a symmetric proof key from its own entropy. */
    p.count = 0;
    rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, sizeof trust);
    CHECK_HR(run(server_key, run_mode++ % 3, &p, &token, NULL), S_OK);
    if (token != NULL) {
      CHECK(key_type_of(token) == WS_SECURITY_KEY_TYPE_SYMMETRIC);
      CHECK(token_key(token, key_bytes) == 32);
      CHECK(key_name_matches(token));
      check_lifetime(token);
      WsFreeSecurityToken(token);
      token = NULL;
    }

    /* Bearer: no key at all. */
    rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, &bearer, sizeof bearer);
    CHECK_HR(run(server_key, run_mode++ % 3, &p, &token, NULL), S_OK);
    if (token != NULL) {
      CHECK(key_type_of(token) == WS_SECURITY_KEY_TYPE_NONE);
      CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY, &key,
                                          sizeof key, heap, NULL),
               WS_E_INVALID_OPERATION);
      CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
      CHECK(contains(xml, "bearer"));
      WsFreeSecurityToken(token);
      token = NULL;
    }

    /* Symmetric, every entropy mode and a few sizes. CLIENT_ONLY goes to an STS that uses the
       client's entropy as the key (--client-entropy key). */
    for (m = 0; m < WsCountOf(modes); ++m) {
      for (z = 0; z < WsCountOf(sizes); ++z) {
        WS_SECURITY_KEY_ENTROPY_MODE mode = modes[m];
        ULONG bits = sizes[z];
        channels* target =
            mode == WS_SECURITY_KEY_ENTROPY_MODE_CLIENT_ONLY ? client_key : server_key;
        int before = check_failed;
        p.count = 0;
        rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, sizeof trust);
        rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, &symmetric,
                sizeof symmetric);
        rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY, &mode,
                sizeof mode);
        if (bits != 0)
          rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_SIZE, &bits, sizeof bits);
        CHECK_HR(run(target, run_mode++ % 3, &p, &token, NULL), S_OK);
        if (token != NULL) {
          CHECK(key_type_of(token) == WS_SECURITY_KEY_TYPE_SYMMETRIC);
          CHECK(token_key(token, key_bytes) == (bits != 0 ? bits / 8 : 32));
          CHECK(key_name_matches(token)); /* wst's key is the one the STS certified */
          WsFreeSecurityToken(token);
          token = NULL;
        }
        if (check_failed != before)
          fprintf(stderr, "  trust %d, entropy mode %d, key size %u\n", (int)trust, (int)mode,
                  (unsigned)bits);
      }
    }
  }
  WsFreeHeap(heap);
}

/* --- token types, applies-to, parameters, bearer versions, message properties -------------------
 */

static void test_token_content(channels* c) {
  WS_TRUST_VERSION trust13 = WS_TRUST_VERSION_1_3, trust2005 = WS_TRUST_VERSION_FEBRUARY_2005;
  WS_XML_STRING saml11 = WS_XML_STRING_VALUE(saml11_type);
  WS_XML_STRING saml20 = WS_XML_STRING_VALUE(saml20_type);
  WS_ENDPOINT_ADDRESS rp;
  WCHAR rp_chars[64];
  rst_properties p;
  WS_SECURITY_TOKEN* token = NULL;
  char reference[4096];
  int mode = 0;

  /* ISSUED_TOKEN_TYPE, in both trust versions; the references come back too. */
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust2005, sizeof trust2005);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE, &saml11, sizeof saml11);
  CHECK_HR(run(c, mode++ % 3, &p, &token, NULL), S_OK);
  if (token != NULL) {
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
    CHECK(contains(xml, saml11_ns));
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE_XML, reference,
                     sizeof reference) == 0);
    CHECK(contains(reference, "SecurityTokenReference") && contains(reference, "SAMLAssertionID"));
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_UNATTACHED_REFERENCE_XML, reference,
                     sizeof reference) == 0);
    CHECK(contains(reference, "SecurityTokenReference"));
    WsFreeSecurityToken(token);
    token = NULL;
  }
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust13, sizeof trust13);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE, &saml20, sizeof saml20);
  CHECK_HR(run(c, mode++ % 3, &p, &token, NULL), S_OK);
  if (token != NULL) {
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
    CHECK(contains(xml, saml20_ns));
    WsFreeSecurityToken(token);
    token = NULL;
  }

  /* APPLIES_TO: the relying party becomes the assertion's audience. */
  memset(&rp, 0, sizeof rp);
  rp.url = wide("https://rp.example/service", rp_chars);
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO, &rp, sizeof rp);
  CHECK_HR(run(c, mode++ % 3, &p, &token, NULL), S_OK);
  if (token != NULL) {
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
    CHECK(contains(xml, "Audience>https://rp.example/service</"));
    WsFreeSecurityToken(token);
    token = NULL;
  }
  /* Without it, no audience restriction. */
  p.count = 0;
  CHECK_HR(run(c, mode++ % 3, &p, &token, NULL), S_OK);
  if (token != NULL) {
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
    CHECK(!contains(xml, "Audience>"));
    WsFreeSecurityToken(token);
    token = NULL;
  }
}

/* Reads `text` into a fragment buffer on `heap`. */
static WS_XML_BUFFER* fragment(const char* text, WS_HEAP* heap) {
  WS_XML_READER* reader = NULL;
  WS_XML_BUFFER* buffer = NULL;
  WS_XML_READER_PROPERTY prop;
  BOOL yes = TRUE;
  prop.id = WS_XML_READER_PROPERTY_ALLOW_FRAGMENT;
  prop.value = &yes;
  prop.valueSize = sizeof yes;
  if (WsCreateReader(NULL, 0, &reader, NULL) != S_OK) return NULL;
  if (WsReadXmlBufferFromBytes(reader, NULL, &prop, 1, text, (ULONG)strlen(text), heap, &buffer,
                               NULL) != S_OK)
    buffer = NULL;
  WsFreeReader(reader);
  return buffer;
}

static void test_parameters(channels* c) {
  /* The STS issues SAML 2.0 unless the RST's TokenType (or, in 1.3, SecondaryParameters' one)
     asks otherwise: a TokenType sent as a parameter shows that the parameter arrived. */
  static const char token_type13[] =
      "<t:TokenType xmlns:t=\"http://docs.oasis-open.org/ws-sx/ws-trust/200512\">"
      "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1</t:TokenType>";
  static const char token_type2005[] =
      "<t:TokenType xmlns:t=\"http://schemas.xmlsoap.org/ws/2005/02/trust\">"
      "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1</t:TokenType>";
  WS_TRUST_VERSION trust13 = WS_TRUST_VERSION_1_3, trust2005 = WS_TRUST_VERSION_FEBRUARY_2005;
  WS_HEAP* heap = NULL;
  WS_XML_BUFFER* params13;
  WS_XML_BUFFER* params2005;
  WS_XML_BUFFER* extra;
  rst_properties p;
  WS_SECURITY_TOKEN* token = NULL;
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, NULL), S_OK);
  params13 = fragment(token_type13, heap);
  params2005 = fragment(token_type2005, heap);
  extra = fragment(
      "<x:Hint xmlns:x=\"urn:example\">a</x:Hint><x:Hint xmlns:x=\"urn:example\">b</x:Hint>", heap);
  CHECK(params13 != NULL && params2005 != NULL && extra != NULL);

  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust13, sizeof trust13);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS, &params13,
          sizeof params13);
  CHECK_HR(run(c, 0, &p, &token, NULL), S_OK);
  if (token != NULL) {
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
    CHECK(contains(xml, saml11_ns));
    WsFreeSecurityToken(token);
    token = NULL;
  }
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust13, sizeof trust13);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_SERVICE_REQUEST_PARAMETERS, &params13,
          sizeof params13);
  CHECK_HR(run(c, 1, &p, &token, NULL), S_OK);
  if (token != NULL) {
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
    CHECK(contains(xml, saml11_ns)); /* read from SecondaryParameters */
    WsFreeSecurityToken(token);
    token = NULL;
  }
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust2005, sizeof trust2005);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS, &params2005,
          sizeof params2005);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_SERVICE_REQUEST_PARAMETERS, &extra, sizeof extra);
  CHECK_HR(run(c, 2, &p, &token, NULL), S_OK);
  if (token != NULL) {
    CHECK(token_text(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
    CHECK(contains(xml, saml11_ns));
    WsFreeSecurityToken(token);
    token = NULL;
  }
  /* The same TokenType twice in the RST: the STS refuses it with a fault whose reason
     reaches WS_ERROR; the channel stays open. */
  {
    WS_XML_STRING saml11 = WS_XML_STRING_VALUE(saml11_type);
    WS_ERROR* error = NULL;
    WsCreateError(NULL, 0, &error);
    p.count = 0;
    rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust13, sizeof trust13);
    rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE, &saml11, sizeof saml11);
    rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS, &params13,
            sizeof params13);
    token = UNTOUCHED;
    CHECK_HR(run(c, 1, &p, &token, error), WS_E_ENDPOINT_FAULT_RECEIVED);
    CHECK(token == UNTOUCHED);
    CHECK(error_string_contains(error, 0, L"TokenType"));
    CHECK(state_of(c->short_async) == WS_CHANNEL_STATE_OPEN);
    WsFreeError(error);
  }
  WsFreeHeap(heap);
}

static void test_bearer_versions_and_limits(channels* c) {
  WS_TRUST_VERSION trust13 = WS_TRUST_VERSION_1_3;
  WS_SECURITY_KEY_TYPE bearer = WS_SECURITY_KEY_TYPE_NONE;
  WS_SECURITY_BEARER_KEY_TYPE_VERSION v;
  rst_properties p;
  WS_SECURITY_TOKEN* token = NULL;
  WS_MESSAGE_PROPERTY message_property;
  WS_MESSAGE_PROPERTIES message_properties;
  WS_XML_READER_PROPERTY reader_props[3];
  WS_XML_READER_PROPERTIES reader_properties;
  ULONG depth = 64, attributes = 128, namespaces = 64;
  WS_ERROR* error = NULL;

  for (v = WS_SECURITY_BEARER_KEY_TYPE_VERSION_1_3_ORIGINAL_SPECIFICATION;
       v <= WS_SECURITY_BEARER_KEY_TYPE_VERSION_1_3_ERRATA_01;
       v = (WS_SECURITY_BEARER_KEY_TYPE_VERSION)(v + 1)) {
    p.count = 0;
    rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust13, sizeof trust13);
    rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, &bearer, sizeof bearer);
    rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_BEARER_KEY_TYPE_VERSION, &v, sizeof v);
    CHECK_HR(run(c, (int)v % 3, &p, &token, NULL), S_OK);
    if (token != NULL) {
      CHECK(key_type_of(token) == WS_SECURITY_KEY_TYPE_NONE);
      WsFreeSecurityToken(token);
      token = NULL;
    }
  }

  /* MESSAGE_PROPERTIES: reader limits for the reply. Generous ones pass; a depth the reply
     exceeds is a quota error (the channel stays open). */
  reader_props[0].id = WS_XML_READER_PROPERTY_MAX_DEPTH;
  reader_props[0].value = &depth;
  reader_props[0].valueSize = sizeof depth;
  reader_props[1].id = WS_XML_READER_PROPERTY_MAX_ATTRIBUTES;
  reader_props[1].value = &attributes;
  reader_props[1].valueSize = sizeof attributes;
  reader_props[2].id = WS_XML_READER_PROPERTY_MAX_NAMESPACES;
  reader_props[2].value = &namespaces;
  reader_props[2].valueSize = sizeof namespaces;
  reader_properties.properties = reader_props;
  reader_properties.propertyCount = 3;
  message_property.id = WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES;
  message_property.value = &reader_properties;
  message_property.valueSize = sizeof reader_properties;
  message_properties.properties = &message_property;
  message_properties.propertyCount = 1;
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_MESSAGE_PROPERTIES, &message_properties,
          sizeof message_properties);
  CHECK_HR(run(c, 0, &p, &token, NULL), S_OK);
  WsFreeSecurityToken(token);
  token = UNTOUCHED;
  depth = 4;
  WsCreateError(NULL, 0, &error);
  CHECK_HR(run(c, 2, &p, &token, error), WS_E_QUOTA_EXCEEDED);
  CHECK(token == UNTOUCHED);
  CHECK(state_of(c->long_async) == WS_CHANNEL_STATE_OPEN);
  depth = 64;
  attributes = 1;
  CHECK_HR(run(c, 1, &p, &token, error), WS_E_QUOTA_EXCEEDED);
  CHECK(token == UNTOUCHED);
  WsFreeError(error);
}

/* --- security context tokens: issue and renew
 * ------------------------------------------------------ */

static void test_security_context(channels* c) {
  static const WS_TRUST_VERSION trusts[] = {WS_TRUST_VERSION_FEBRUARY_2005, WS_TRUST_VERSION_1_3};
  static const WS_SECURE_CONVERSATION_VERSION scs[] = {WS_SECURE_CONVERSATION_VERSION_FEBRUARY_2005,
                                                       WS_SECURE_CONVERSATION_VERSION_1_3};
  size_t t, v;
  int mode = 0;
  for (t = 0; t < WsCountOf(trusts); ++t) {
    for (v = 0; v < WsCountOf(scs); ++v) {
      WS_TRUST_VERSION trust = trusts[t];
      WS_SECURE_CONVERSATION_VERSION sc = scs[v];
      WS_REQUEST_SECURITY_TOKEN_ACTION issue = WS_REQUEST_SECURITY_TOKEN_ACTION_NEW_CONTEXT;
      WS_REQUEST_SECURITY_TOKEN_ACTION renew = WS_REQUEST_SECURITY_TOKEN_ACTION_RENEW_CONTEXT;
      WS_SECURITY_KEY_ENTROPY_MODE combined = WS_SECURITY_KEY_ENTROPY_MODE_COMBINED;
      rst_properties p;
      WS_SECURITY_TOKEN* sct = NULL;
      WS_SECURITY_TOKEN* renewed = NULL;
      char id1[256], id2[256];
      BYTE key1[512], key2[512];
      ULONG n1 = 0, n2 = 0;
      int before = check_failed;

      p.count = 0;
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, sizeof trust);
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_SECURE_CONVERSATION_VERSION, &sc, sizeof sc);
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_REQUEST_ACTION, &issue, sizeof issue);
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY, &combined,
              sizeof combined);
      CHECK_HR(run(c, mode++ % 3, &p, &sct, NULL), S_OK);
      if (sct == NULL) continue;
      CHECK(token_text(sct, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
      CHECK(contains(xml, "SecurityContextToken"));
      CHECK(contains(xml, sc == WS_SECURE_CONVERSATION_VERSION_1_3 ? sc13_ns : sc2005_ns));
      CHECK(element_text(xml, ":Identifier", id1, sizeof id1) == 0);
      n1 = token_key(sct, key1);
      CHECK(n1 == 32);

      /* Renew it: same context, new key. */
      p.count = 0;
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, sizeof trust);
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_SECURE_CONVERSATION_VERSION, &sc, sizeof sc);
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_REQUEST_ACTION, &renew, sizeof renew);
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_EXISTING_TOKEN, &sct, sizeof sct);
      CHECK_HR(run(c, mode++ % 3, &p, &renewed, NULL), S_OK);
      if (renewed != NULL) {
        CHECK(token_text(renewed, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, xml, sizeof xml) == 0);
        CHECK(element_text(xml, ":Identifier", id2, sizeof id2) == 0);
        CHECK(strcmp(id1, id2) == 0);
        if (sc == WS_SECURE_CONVERSATION_VERSION_1_3) CHECK(contains(xml, ":Instance>"));
        n2 = token_key(renewed, key2);
        CHECK(n2 > 0 && (n1 != n2 || memcmp(key1, key2, n1) != 0));
        WsFreeSecurityToken(renewed);
      }
      /* EXISTING_TOKEN with ISSUE is a contradiction. */
      p.count = 0;
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, sizeof trust);
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_EXISTING_TOKEN, &sct, sizeof sct);
      renewed = UNTOUCHED;
      CHECK_HR(run(c, 0, &p, &renewed, NULL), E_INVALIDARG);
      CHECK(renewed == UNTOUCHED);
      WsFreeSecurityToken(sct);
      if (check_failed != before) fprintf(stderr, "  trust %d, sc %d\n", (int)trust, (int)sc);
    }
  }
}

/* --- SOAP 1.1 and WS-Addressing August 2004 -----------------------------------------------------
 */

static void test_envelope_versions(const char* url) {
  static const WS_ENVELOPE_VERSION envelopes[] = {WS_ENVELOPE_VERSION_SOAP_1_1,
                                                  WS_ENVELOPE_VERSION_SOAP_1_2};
  static const WS_ADDRESSING_VERSION addressings[] = {WS_ADDRESSING_VERSION_0_9,
                                                      WS_ADDRESSING_VERSION_1_0};
  size_t e, a;
  for (e = 0; e < WsCountOf(envelopes); ++e) {
    for (a = 0; a < WsCountOf(addressings); ++a) {
      WS_ENVELOPE_VERSION envelope = envelopes[e];
      WS_ADDRESSING_VERSION addressing = addressings[a];
      WS_TRUST_VERSION trust = a == 0 ? WS_TRUST_VERSION_FEBRUARY_2005 : WS_TRUST_VERSION_1_3;
      WS_CHANNEL_PROPERTY props[2];
      WS_CHANNEL* channel;
      WS_SECURITY_TOKEN* token = NULL;
      rst_properties p;
      props[0].id = WS_CHANNEL_PROPERTY_ENVELOPE_VERSION;
      props[0].value = &envelope;
      props[0].valueSize = sizeof envelope;
      props[1].id = WS_CHANNEL_PROPERTY_ADDRESSING_VERSION;
      props[1].value = &addressing;
      props[1].valueSize = sizeof addressing;
      channel = open_channel(url, props, 2, NULL);
      if (channel == NULL) {
        CHECK(!"channel");
        continue;
      }
      p.count = 0;
      rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, sizeof trust);
      CHECK_HR(WsRequestSecurityToken(channel, p.items, p.count, &token, NULL, NULL), S_OK);
      CHECK(token != NULL && key_name_matches(token));
      WsFreeSecurityToken(token);
      close_and_free(channel);
    }
  }
}

/* --- an issued token as a supporting token (WS_XML_TOKEN_MESSAGE_SECURITY_BINDING)
 * ------------------- */

static void test_supporting_token(const char* https_url) {
  WS_TRUST_VERSION trust = WS_TRUST_VERSION_1_3;
  WS_SECURITY_KEY_TYPE bearer = WS_SECURITY_KEY_TYPE_NONE;
  rst_properties p;
  security s;
  WS_CHANNEL* channel;
  WS_SECURITY_TOKEN* first = NULL;
  WS_SECURITY_TOKEN* bearer_token = NULL;
  WS_SECURITY_TOKEN* second = NULL;
  WS_SECURITY_TOKEN* custom = NULL;
  WS_HEAP* heap = NULL;
  WS_XML_BUFFER* custom_xml;
  WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE key;
  BYTE key_bytes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  WS_ERROR* error = NULL;

  security_init(&s);
  add_ssl(&s, ca_file);
  channel = open_channel(https_url, NULL, 0, &s.description);
  if (channel == NULL) {
    CHECK(!"channel");
    return;
  }
  p.count = 0;
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust, sizeof trust);
  CHECK_HR(WsRequestSecurityToken(channel, p.items, p.count, &first, NULL, NULL), S_OK);
  rst_add(&p, WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, &bearer, sizeof bearer);
  CHECK_HR(WsRequestSecurityToken(channel, p.items, p.count, &bearer_token, NULL, NULL), S_OK);
  close_and_free(channel);
  if (first == NULL || bearer_token == NULL) return;

  /* A holder-of-key token (signed with its proof key) and a bearer token; the channel keeps
     what it needs, so the token may be freed once the channel exists. */
  security_init(&s);
  add_ssl(&s, ca_file);
  add_xml_token(&s, first);
  channel = open_channel(https_url, NULL, 0, &s.description);
  WsFreeSecurityToken(first);
  if (channel != NULL) {
    p.count = 1;
    CHECK_HR(WsRequestSecurityToken(channel, p.items, p.count, &second, NULL, NULL), S_OK);
    CHECK(second != NULL && key_name_matches(second));
    WsFreeSecurityToken(second);
    second = NULL;
    close_and_free(channel);
  }
  security_init(&s);
  add_ssl(&s, ca_file);
  add_xml_token(&s, bearer_token);
  add_username(&s, "carol", "anything"); /* both in one header */
  channel = open_channel(https_url, NULL, 0, &s.description);
  WsFreeSecurityToken(bearer_token);
  if (channel != NULL) {
    CHECK_HR(WsRequestSecurityToken(channel, p.items, p.count, &second, NULL, NULL), S_OK);
    CHECK(second != NULL);
    WsFreeSecurityToken(second);
    second = NULL;
    close_and_free(channel);
  }

  /* A keyed token of a type the core cannot refer to, without an attached reference: refused
     before anything is sent. */
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, NULL), S_OK);
  custom_xml = fragment("<x:Ticket xmlns:x=\"urn:example\">42</x:Ticket>", heap);
  key.keyHandle.keyHandleType = WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE_TYPE;
  key.rawKeyBytes.length = sizeof key_bytes;
  key.rawKeyBytes.bytes = key_bytes;
  CHECK_HR(WsCreateXmlSecurityToken(custom_xml, &key.keyHandle, NULL, 0, &custom, NULL), S_OK);
  WsFreeHeap(heap);
  if (custom != NULL) {
    security_init(&s);
    add_ssl(&s, ca_file);
    add_xml_token(&s, custom);
    channel = open_channel(https_url, NULL, 0, &s.description);
    WsFreeSecurityToken(custom);
    if (channel != NULL) {
      WsCreateError(NULL, 0, &error);
      second = UNTOUCHED;
      CHECK_HR(WsRequestSecurityToken(channel, p.items, p.count, &second, NULL, error),
               E_INVALIDARG);
      CHECK(second == UNTOUCHED);
      CHECK(error_string_contains(error, 0, L"attached"));
      CHECK(state_of(channel) == WS_CHANNEL_STATE_OPEN);
      WsFreeError(error);
      close_and_free(channel);
    }
  }
}

int main(int argc, char** argv) {
  sts_process plain, client_entropy, https;
  const char* key_args[] = {"--client-entropy", "key", NULL};
  channels server_key, client_key;
  if (fixture_init(argc, argv) != 0) return 2;
  CHECK(start_sts(&plain, 0, NULL) == 0);
  CHECK(start_sts(&client_entropy, 0, key_args) == 0);
  CHECK(start_sts(&https, 1, NULL) == 0);
  if (plain.pid > 0 && client_entropy.pid > 0 && https.pid > 0 &&
      channels_open(&server_key, plain.url) == 0 &&
      channels_open(&client_key, client_entropy.url) == 0) {
    test_argument_errors(plain.url);
    test_keys(&server_key, &client_key);
    test_token_content(&server_key);
    test_parameters(&server_key);
    test_bearer_versions_and_limits(&server_key);
    test_security_context(&server_key);
    test_envelope_versions(plain.url);
    test_supporting_token(https.url);
    channels_close(&server_key);
    channels_close(&client_key);
  }
  CHECK(sts_stop(&https) == 0);
  CHECK(sts_stop(&client_entropy) == 0);
  CHECK(sts_stop(&plain) == 0);
  return finish();
}
