/* WS_ERROR: creation, properties, strings, reset, limits, bad handles. */
#include "check.h"

#include <WebServices.h> /* the Windows spelling forwards to webservices.h */

#include <stdlib.h>

static void test_create_and_properties(void) {
  WS_ERROR* error = NULL;
  ULONG count = 99;
  LANGID langid = 0;
  HRESULT original = 1;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK(error != NULL);
  CHECK_HR(WsGetErrorProperty(error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count)), S_OK);
  CHECK(count == 0);
  CHECK_HR(WsGetErrorProperty(error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid)), S_OK);
  CHECK(langid == 0x0409);
  CHECK_HR(
      WsGetErrorProperty(error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &original, sizeof(original)),
      S_OK);
  CHECK(original == 0);

  /* wrong sizes, NULL buffer, unknown id */
  CHECK_HR(WsGetErrorProperty(error, WS_ERROR_PROPERTY_STRING_COUNT, &count, 2), E_INVALIDARG);
  CHECK_HR(WsGetErrorProperty(error, WS_ERROR_PROPERTY_LANGID, &langid, 4), E_INVALIDARG);
  CHECK_HR(WsGetErrorProperty(error, WS_ERROR_PROPERTY_STRING_COUNT, NULL, sizeof(ULONG)),
           E_INVALIDARG);
  CHECK_HR(WsGetErrorProperty(error, (WS_ERROR_PROPERTY_ID)77, &count, sizeof(count)),
           E_INVALIDARG);
  WsFreeError(error);
}

static void test_create_with_properties(void) {
  WS_ERROR* error = NULL;
  LANGID german = 0x0407;
  HRESULT code = E_FAIL;
  ULONG count = 0;
  LANGID langid = 0;
  HRESULT original = 0;
  WS_ERROR_PROPERTY props[2];

  props[0].id = WS_ERROR_PROPERTY_LANGID;
  props[0].value = &german;
  props[0].valueSize = sizeof(german);
  props[1].id = WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE;
  props[1].value = &code;
  props[1].valueSize = sizeof(code);
  CHECK_HR(WsCreateError(props, 2, &error), S_OK);
  CHECK_HR(WsGetErrorProperty(error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid)), S_OK);
  CHECK(langid == 0x0407);
  CHECK_HR(
      WsGetErrorProperty(error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &original, sizeof(original)),
      S_OK);
  CHECK(original == E_FAIL);
  WsFreeError(error);

  /* refused properties leave *error untouched */
  error = (WS_ERROR*)&count;
  props[0].id = WS_ERROR_PROPERTY_STRING_COUNT;
  props[0].value = &count;
  props[0].valueSize = sizeof(count);
  CHECK_HR(WsCreateError(props, 1, &error), E_INVALIDARG);
  CHECK(error == (WS_ERROR*)&count);
  props[0].id = WS_ERROR_PROPERTY_LANGID;
  props[0].valueSize = 4; /* LANGID is 2 bytes */
  CHECK_HR(WsCreateError(props, 1, &error), E_INVALIDARG);
  props[0].value = NULL;
  props[0].valueSize = sizeof(LANGID);
  CHECK_HR(WsCreateError(props, 1, &error), E_INVALIDARG);
  props[0].id = (WS_ERROR_PROPERTY_ID)42;
  CHECK_HR(WsCreateError(props, 1, &error), E_INVALIDARG);
  CHECK_HR(WsCreateError(NULL, 1, &error), E_INVALIDARG);
  CHECK(error == (WS_ERROR*)&count);
  CHECK_HR(WsCreateError(NULL, 0, NULL), E_INVALIDARG);
}

static void test_strings(void) {
  WS_ERROR* error = NULL;
  WS_STRING first = WS_STRING_VALUE(L"first");
  WS_STRING second = WS_STRING_VALUE(L"second \x00e9\x4e2d"); /* non-ASCII survives */
  WS_STRING out;
  HRESULT original = 0;
  LANGID german = 0x0407, langid = 0;
  WS_ERROR_PROPERTY prop;

  prop.id = WS_ERROR_PROPERTY_LANGID;
  prop.value = &german;
  prop.valueSize = sizeof(german);
  CHECK_HR(WsCreateError(&prop, 1, &error), S_OK);
  CHECK_HR(WsAddErrorString(error, &first), S_OK);
  CHECK_HR(WsAddErrorString(error, &second), S_OK);
  CHECK(error_string_count(error) == 2);
  /* index 0 is the most recently added string */
  CHECK_HR(WsGetErrorString(error, 0, &out), S_OK);
  CHECK(out.length == 9 && wmemcmp(out.chars, L"second \x00e9\x4e2d", 9) == 0);
  CHECK_HR(WsGetErrorString(error, 1, &out), S_OK);
  CHECK(out.length == 5 && wmemcmp(out.chars, L"first", 5) == 0);
  out.length = 77;
  CHECK_HR(WsGetErrorString(error, 2, &out), E_INVALIDARG);
  CHECK(out.length == 77);
  CHECK_HR(WsGetErrorString(error, 0, NULL), E_INVALIDARG);
  CHECK_HR(WsAddErrorString(error, NULL), E_INVALIDARG);
  out.chars = NULL;
  out.length = 3;
  CHECK_HR(WsAddErrorString(error, &out), E_INVALIDARG);
  out.length = 0; /* an empty string is a string */
  CHECK_HR(WsAddErrorString(error, &out), S_OK);

  /* reset: strings and code go, the language stays */
  CHECK_HR(WsResetError(error), S_OK);
  CHECK(error_string_count(error) == 0);
  CHECK_HR(
      WsGetErrorProperty(error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &original, sizeof(original)),
      S_OK);
  CHECK(original == 0);
  CHECK_HR(WsGetErrorProperty(error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid)), S_OK);
  CHECK(langid == 0x0407);
  WsFreeError(error);
}

static void test_limits(void) {
  WS_ERROR* error = NULL;
  WS_STRING s = WS_STRING_VALUE(L"x");
  WS_STRING big;
  int i;
  int all_ok = 1;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  for (i = 0; i < 64; ++i) all_ok &= WsAddErrorString(error, &s) == S_OK;
  CHECK(all_ok);
  CHECK_HR(WsAddErrorString(error, &s), WS_E_QUOTA_EXCEEDED);
  CHECK(error_string_count(error) == 64); /* the refusal replaced the oldest string */
  CHECK(error_string_contains(error, 0, L"64 strings"));
  WsResetError(error);

  big.length = 65537;
  big.chars = (WCHAR*)calloc(big.length, sizeof(WCHAR));
  CHECK(big.chars != NULL);
  CHECK_HR(WsAddErrorString(error, &big), WS_E_QUOTA_EXCEEDED);
  big.length = 65536;
  CHECK_HR(WsAddErrorString(error, &big), S_OK);
  free(big.chars);
  WsFreeError(error);
}

static void test_failures_are_recorded(void) {
  WS_ERROR* error = NULL;
  void* p = NULL;
  HRESULT original = 0;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsAlloc(NULL, 16, &p, error), E_INVALIDARG);
  CHECK(p == NULL);
  CHECK(error_string_count(error) == 1);
  CHECK(error_string_contains(error, 0, L"WsAlloc"));
  CHECK(error_string_contains(error, 0, L"heap is not a valid WS_HEAP handle"));
  CHECK_HR(
      WsGetErrorProperty(error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &original, sizeof(original)),
      S_OK);
  CHECK(original == E_INVALIDARG);
  /* strings accumulate until reset: the newest first */
  CHECK_HR(WsCreateHeap(16, 32, NULL, 0, NULL, error), E_INVALIDARG);
  CHECK(error_string_count(error) == 2);
  CHECK(error_string_contains(error, 0, L"WsCreateHeap"));
  CHECK(error_string_contains(error, 1, L"WsAlloc"));
  WsFreeError(error);
}

static void test_bad_handles(void) {
  /* zeroed memory that is not an error object, a NULL handle */
  long long fake_storage[16] = {0};
  WS_ERROR* fake = (WS_ERROR*)fake_storage;
  WS_STRING s = WS_STRING_VALUE(L"x");
  WS_STRING out;
  ULONG count = 0;
  WS_HEAP* heap = (WS_HEAP*)&count;

  CHECK_HR(WsAddErrorString(fake, &s), E_INVALIDARG);
  CHECK_HR(WsAddErrorString(NULL, &s), E_INVALIDARG);
  CHECK_HR(WsGetErrorString(fake, 0, &out), E_INVALIDARG);
  CHECK_HR(WsGetErrorProperty(fake, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count)),
           E_INVALIDARG);
  CHECK_HR(WsGetErrorProperty(NULL, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count)),
           E_INVALIDARG);
  CHECK_HR(WsResetError(fake), E_INVALIDARG);
  CHECK_HR(WsResetError(NULL), E_INVALIDARG);
  WsFreeError(NULL);
  WsFreeError(fake);
  CHECK(fake_storage[0] == 0 && fake_storage[15] == 0); /* nothing written to foreign memory */

  /* a bad error handle given to another function: E_INVALIDARG, nothing else happens */
  CHECK_HR(WsCreateHeap(1024, 0, NULL, 0, &heap, fake), E_INVALIDARG);
  CHECK(heap == (WS_HEAP*)&count);
}

int main(void) {
  test_create_and_properties();
  test_create_with_properties();
  test_strings();
  test_limits();
  test_failures_are_recorded();
  test_bad_handles();
  return finish();
}
