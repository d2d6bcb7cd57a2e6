/* WsCreateXmlSecurityToken, WsGetSecurityTokenProperty, WsFreeSecurityToken. */
#include "check.h"

static const char assertion[] =
    "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\" AssertionID=\"_a1\" "
    "MajorVersion=\"1\" MinorVersion=\"1\"><saml:Conditions NotBefore=\"2024-05-01T12:00:00Z\"/>"
    "</saml:Assertion>";
static const char attached[] =
    "<o:SecurityTokenReference xmlns:o=\"http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-wssecurity-secext-1.0.xsd\"><o:KeyIdentifier>_a1</o:KeyIdentifier>"
    "</o:SecurityTokenReference>";
static const char unattached[] =
    "<o:SecurityTokenReference xmlns:o=\"http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-wssecurity-secext-1.0.xsd\"><o:Reference URI=\"#_a1\"/>"
    "</o:SecurityTokenReference>";

/* 2024-05-01T12:00:00Z and one hour later, in 100 ns ticks since 0001-01-01. */
#define FROM_TICKS 638501616000000000ULL
#define TILL_TICKS (FROM_TICKS + 36000000000ULL)

static WS_XML_BUFFER* buffer_of(const char* text, WS_HEAP* heap, int fragment) {
  WS_XML_READER* reader = NULL;
  WS_XML_BUFFER* buffer = NULL;
  WS_XML_READER_PROPERTY prop;
  BOOL yes = TRUE;
  prop.id = WS_XML_READER_PROPERTY_ALLOW_FRAGMENT;
  prop.value = &yes;
  prop.valueSize = sizeof(yes);
  if (WsCreateReader(NULL, 0, &reader, NULL) != S_OK) return NULL;
  if (WsReadXmlBufferFromBytes(reader, NULL, &prop, fragment ? 1 : 0, text, (ULONG)strlen(text),
                               heap, &buffer, NULL) != S_OK)
    buffer = NULL;
  WsFreeReader(reader);
  return buffer;
}

/* True when `buffer` writes back as exactly `expected`. */
static int holds(WS_XML_BUFFER* buffer, WS_HEAP* heap, const char* expected) {
  WS_XML_WRITER* writer = NULL;
  void* bytes = NULL;
  ULONG size = 0;
  HRESULT hr;
  if (WsCreateWriter(NULL, 0, &writer, NULL) != S_OK) return 0;
  hr = WsWriteXmlBufferToBytes(writer, buffer, NULL, NULL, 0, heap, &bytes, &size, NULL);
  WsFreeWriter(writer);
  return hr == S_OK && size == strlen(expected) && memcmp(bytes, expected, size) == 0;
}

static WS_SECURITY_TOKEN* make_full_token(WS_ERROR* error) {
  WS_HEAP* heap = NULL;
  WS_SECURITY_TOKEN* token = NULL;
  WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE key;
  BYTE key_bytes[32];
  WS_XML_BUFFER* token_xml;
  WS_XML_BUFFER* attached_xml;
  WS_XML_BUFFER* unattached_xml;
  WS_DATETIME from, till;
  WS_XML_SECURITY_TOKEN_PROPERTY props[4];
  int i;

  for (i = 0; i < 32; ++i) key_bytes[i] = (BYTE)(0xA0 + i);
  if (WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error) != S_OK) return NULL;
  token_xml = buffer_of(assertion, heap, 0);
  attached_xml = buffer_of(attached, heap, 0);
  unattached_xml = buffer_of(unattached, heap, 0);
  key.keyHandle.keyHandleType = WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE_TYPE;
  key.rawKeyBytes.length = sizeof key_bytes;
  key.rawKeyBytes.bytes = key_bytes;
  from.ticks = FROM_TICKS;
  from.format = WS_DATETIME_FORMAT_UTC;
  till.ticks = TILL_TICKS;
  till.format = WS_DATETIME_FORMAT_LOCAL; /* ticks are UTC whatever the format says */
  props[0].id = WS_XML_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE;
  props[0].value = &attached_xml;
  props[0].valueSize = sizeof(attached_xml);
  props[1].id = WS_XML_SECURITY_TOKEN_PROPERTY_UNATTACHED_REFERENCE;
  props[1].value = &unattached_xml;
  props[1].valueSize = sizeof(unattached_xml);
  props[2].id = WS_XML_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME;
  props[2].value = &from;
  props[2].valueSize = sizeof(from);
  props[3].id = WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME;
  props[3].value = &till;
  props[3].valueSize = sizeof(till);
  CHECK_HR(WsCreateXmlSecurityToken(token_xml, &key.keyHandle, props, 4, &token, error), S_OK);
  /* the token copied everything: the inputs may go away now */
  memset(key_bytes, 0, sizeof key_bytes);
  WsFreeHeap(heap);
  return token;
}

static void test_full_token(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_HEAP* tiny = NULL;
  WS_SECURITY_TOKEN* token;
  WS_SECURITY_KEY_TYPE key_type = (WS_SECURITY_KEY_TYPE)0;
  WS_DATETIME t;
  WS_XML_BUFFER* xml = NULL;
  WS_BYTES key;
  int i, key_ok = 1;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  token = make_full_token(error);
  CHECK(token != NULL);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);

  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &key_type,
                                      sizeof(key_type), NULL, error),
           S_OK);
  CHECK(key_type == WS_SECURITY_KEY_TYPE_SYMMETRIC);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME, &t,
                                      sizeof(t), NULL, error),
           S_OK);
  CHECK(t.ticks == FROM_TICKS && t.format == WS_DATETIME_FORMAT_UTC);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME, &t,
                                      sizeof(t), heap, error),
           S_OK);
  CHECK(t.ticks == TILL_TICKS && t.format == WS_DATETIME_FORMAT_UTC);

  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, &xml,
                                      sizeof(xml), heap, error),
           S_OK);
  CHECK(xml != NULL && holds(xml, heap, assertion));
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE_XML,
                                      &xml, sizeof(xml), heap, error),
           S_OK);
  CHECK(xml != NULL && holds(xml, heap, attached));
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_UNATTACHED_REFERENCE_XML,
                                      &xml, sizeof(xml), heap, error),
           S_OK);
  CHECK(xml != NULL && holds(xml, heap, unattached));

  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY, &key,
                                      sizeof(key), heap, error),
           S_OK);
  CHECK(key.length == 32 && key.bytes != NULL);
  for (i = 0; i < 32 && key.bytes != NULL; ++i) key_ok &= key.bytes[i] == (BYTE)(0xA0 + i);
  CHECK(key_ok);
  CHECK(error_string_count(error) == 0);

  /* heap-returned properties need a heap with room */
  key.length = 7;
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY, &key,
                                      sizeof(key), NULL, error),
           E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"heap is NULL"));
  CHECK_HR(WsCreateHeap(16, 0, NULL, 0, &tiny, error), S_OK);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY, &key,
                                      sizeof(key), tiny, error),
           WS_E_QUOTA_EXCEEDED); /* 32 bytes do not fit in 16 */
  WsFreeHeap(tiny);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, &xml,
                                      sizeof(xml), NULL, error),
           E_INVALIDARG);
  CHECK(key.length == 7);

  /* sizes and ids */
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &key_type, 8,
                                      NULL, error),
           E_INVALIDARG);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME, NULL,
                                      sizeof(t), NULL, error),
           E_INVALIDARG);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, &xml, 4,
                                      heap, error),
           E_INVALIDARG);
  CHECK_HR(WsGetSecurityTokenProperty(token, (WS_SECURITY_TOKEN_PROPERTY_ID)0, &key_type,
                                      sizeof(key_type), NULL, error),
           E_INVALIDARG);
  CHECK_HR(WsGetSecurityTokenProperty(token, (WS_SECURITY_TOKEN_PROPERTY_ID)8, &key_type,
                                      sizeof(key_type), NULL, error),
           E_INVALIDARG);

  WsFreeSecurityToken(token);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_bearer_token(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_SECURITY_TOKEN* token = NULL;
  WS_SECURITY_KEY_TYPE key_type = (WS_SECURITY_KEY_TYPE)0;
  WS_DATETIME t;
  WS_XML_BUFFER* xml = (WS_XML_BUFFER*)&t;
  WS_BYTES key;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  /* a single element read as a fragment is a valid token too */
  CHECK_HR(WsCreateXmlSecurityToken(buffer_of(assertion, heap, 1), NULL, NULL, 0, &token, error),
           S_OK);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &key_type,
                                      sizeof(key_type), NULL, error),
           S_OK);
  CHECK(key_type == WS_SECURITY_KEY_TYPE_NONE);
  /* no lifetime: ticks 0 */
  t.ticks = 5;
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME, &t,
                                      sizeof(t), NULL, error),
           S_OK);
  CHECK(t.ticks == 0);
  t.ticks = 5;
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME, &t,
                                      sizeof(t), NULL, error),
           S_OK);
  CHECK(t.ticks == 0);
  /* no references: NULL buffers */
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE_XML,
                                      &xml, sizeof(xml), heap, error),
           S_OK);
  CHECK(xml == NULL);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, &xml,
                                      sizeof(xml), heap, error),
           S_OK);
  CHECK(xml != NULL && holds(xml, heap, assertion));
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY, &key,
                                      sizeof(key), heap, error),
           WS_E_INVALID_OPERATION);
  CHECK(error_string_contains(error, 0, L"no symmetric proof key"));
  WsFreeSecurityToken(token);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_creation_errors(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_SECURITY_TOKEN* token = (WS_SECURITY_TOKEN*)&heap; /* must stay untouched */
  WS_SECURITY_TOKEN* const untouched = token;
  WS_XML_BUFFER* good;
  WS_XML_BUFFER* two;
  WS_XML_BUFFER* empty = NULL;
  WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE key;
  BYTE key_bytes[513];
  WS_SECURITY_KEY_HANDLE other_key;
  WS_XML_SECURITY_TOKEN_PROPERTY props[2];
  WS_DATETIME from, till;
  long long fake_storage[16] = {0};

  memset(key_bytes, 7, sizeof key_bytes);
  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  good = buffer_of(assertion, heap, 0);
  two = buffer_of("<a/><b/>", heap, 1);
  CHECK(good != NULL && two != NULL);
  CHECK_HR(WsCreateXmlBuffer(heap, NULL, 0, &empty, error), S_OK);

  /* the token XML: one element */
  CHECK_HR(WsCreateXmlSecurityToken(two, NULL, NULL, 0, &token, error), E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"exactly one element"));
  CHECK_HR(WsCreateXmlSecurityToken(empty, NULL, NULL, 0, &token, error), E_INVALIDARG);
  CHECK_HR(WsCreateXmlSecurityToken(NULL, NULL, NULL, 0, &token, error), E_INVALIDARG);
  CHECK_HR(WsCreateXmlSecurityToken((WS_XML_BUFFER*)fake_storage, NULL, NULL, 0, &token, error),
           E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"tokenXml is not a valid WS_XML_BUFFER handle"));
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, NULL, 0, NULL, error), E_INVALIDARG);
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, NULL, 1, &token, error), E_INVALIDARG);

  /* keys */
  key.keyHandle.keyHandleType = WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE_TYPE;
  key.rawKeyBytes.bytes = key_bytes;
  key.rawKeyBytes.length = 0;
  CHECK_HR(WsCreateXmlSecurityToken(good, &key.keyHandle, NULL, 0, &token, error), E_INVALIDARG);
  key.rawKeyBytes.length = 513;
  CHECK_HR(WsCreateXmlSecurityToken(good, &key.keyHandle, NULL, 0, &token, error), E_INVALIDARG);
  key.rawKeyBytes.length = 16;
  key.rawKeyBytes.bytes = NULL;
  CHECK_HR(WsCreateXmlSecurityToken(good, &key.keyHandle, NULL, 0, &token, error), E_INVALIDARG);
  other_key.keyHandleType = WS_NCRYPT_ASYMMETRIC_SECURITY_KEY_HANDLE_TYPE;
  CHECK_HR(WsCreateXmlSecurityToken(good, &other_key, NULL, 0, &token, error), WS_E_NOT_SUPPORTED);
  other_key.keyHandleType = WS_CAPI_ASYMMETRIC_SECURITY_KEY_HANDLE_TYPE;
  CHECK_HR(WsCreateXmlSecurityToken(good, &other_key, NULL, 0, &token, error), WS_E_NOT_SUPPORTED);
  other_key.keyHandleType = (WS_SECURITY_KEY_HANDLE_TYPE)9;
  CHECK_HR(WsCreateXmlSecurityToken(good, &other_key, NULL, 0, &token, error), E_INVALIDARG);

  /* properties */
  from.ticks = TILL_TICKS;
  from.format = WS_DATETIME_FORMAT_UTC;
  till.ticks = FROM_TICKS;
  till.format = WS_DATETIME_FORMAT_UTC;
  props[0].id = WS_XML_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME;
  props[0].value = &from;
  props[0].valueSize = sizeof(from);
  props[1].id = WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME;
  props[1].value = &till;
  props[1].valueSize = sizeof(till);
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 2, &token, error), E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"before VALID_FROM_TIME"));
  props[1] = props[0];
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 2, &token, error), E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"given twice"));
  from.ticks = 3155378976000000000ULL; /* one tick past 9999-12-31T23:59:59.9999999Z */
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 1, &token, error), E_INVALIDARG);
  from.ticks = FROM_TICKS;
  from.format = (WS_DATETIME_FORMAT)7;
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 1, &token, error), E_INVALIDARG);
  from.format = WS_DATETIME_FORMAT_NONE;
  props[0].valueSize = 8;
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 1, &token, error), E_INVALIDARG);
  props[0].id = (WS_XML_SECURITY_TOKEN_PROPERTY_ID)5;
  props[0].valueSize = sizeof(from);
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 1, &token, error), E_INVALIDARG);
  props[0].id = WS_XML_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE;
  props[0].value = &two;
  props[0].valueSize = sizeof(two);
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 1, &token, error), E_INVALIDARG);
  props[0].value = &fake_storage;
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 1, &token, error), E_INVALIDARG);
  props[0].value = NULL;
  CHECK_HR(WsCreateXmlSecurityToken(good, NULL, props, 1, &token, error), E_INVALIDARG);
  CHECK(token == untouched);

  /* the limits of what is valid are accepted */
  key.rawKeyBytes.bytes = key_bytes;
  key.rawKeyBytes.length = 512;
  props[0].id = WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME;
  props[0].value = &till;
  props[0].valueSize = sizeof(till);
  till.ticks = 3155378975999999999ULL;
  CHECK_HR(WsCreateXmlSecurityToken(good, &key.keyHandle, props, 1, &token, error), S_OK);
  CHECK(token != untouched);
  WsFreeSecurityToken(token);

  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_bad_handles(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_SECURITY_TOKEN* token = NULL;
  WS_SECURITY_KEY_TYPE key_type;
  long long fake_storage[16] = {0};
  WS_XML_BUFFER* xml = NULL;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsGetSecurityTokenProperty((WS_SECURITY_TOKEN*)fake_storage,
                                      WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &key_type,
                                      sizeof(key_type), NULL, error),
           E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"securityToken is not a valid WS_SECURITY_TOKEN handle"));
  CHECK_HR(WsGetSecurityTokenProperty(NULL, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &key_type,
                                      sizeof(key_type), NULL, error),
           E_INVALIDARG);
  CHECK_HR(WsGetSecurityTokenProperty((WS_SECURITY_TOKEN*)heap, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE,
                                      &key_type, sizeof(key_type), NULL, error),
           E_INVALIDARG);
  CHECK_HR(WsCreateXmlSecurityToken(buffer_of(assertion, heap, 0), NULL, NULL, 0, &token, error),
           S_OK);
  CHECK_HR(WsGetSecurityTokenProperty(token, WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML, &xml,
                                      sizeof(xml), (WS_HEAP*)token, error),
           E_INVALIDARG);
  CHECK(xml == NULL);
  WsFreeSecurityToken(NULL);
  WsFreeSecurityToken((WS_SECURITY_TOKEN*)fake_storage);
  CHECK(fake_storage[0] == 0);
  WsFreeSecurityToken(token);
  WsFreeHeap(heap);
  WsFreeError(error);
}

int main(void) {
  test_full_token();
  test_bearer_token();
  test_creation_errors();
  test_bad_handles();
  return finish();
}
