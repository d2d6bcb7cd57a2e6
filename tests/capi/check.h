/* Minimal test harness for the C tests of webservices.h (C99, no dependencies).
 * CHECK(cond) and CHECK_HR(call, expected) count passes and failures and print every failure
 * with its location; finish() prints "N passed, N failed" and gives the exit status. */
#ifndef WST_TESTS_CAPI_CHECK_H
#define WST_TESTS_CAPI_CHECK_H

#include <webservices.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#if defined(__GNUC__)
#define CHECK_MAYBE_UNUSED __attribute__((unused))
#else
#define CHECK_MAYBE_UNUSED
#endif

static int check_passed = 0;
static int check_failed = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++check_passed;                                                          \
    } else {                                                                   \
      ++check_failed;                                                          \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_HR(call, expected)                                                                 \
  do {                                                                                           \
    HRESULT check_hr_ = (call);                                                                  \
    if (check_hr_ == (HRESULT)(expected)) {                                                      \
      ++check_passed;                                                                            \
    } else {                                                                                     \
      ++check_failed;                                                                            \
      fprintf(stderr, "%s:%d: %s returned 0x%08X, expected 0x%08X\n", __FILE__, __LINE__, #call, \
              (unsigned)check_hr_, (unsigned)(expected));                                        \
    }                                                                                            \
  } while (0)

/* True when error string `index` of `error` contains `needle`. */
CHECK_MAYBE_UNUSED static int error_string_contains(WS_ERROR* error, ULONG index,
                                                    const wchar_t* needle) {
  WS_STRING s;
  wchar_t text[1024];
  size_t n;
  if (WsGetErrorString(error, index, &s) != S_OK) return 0;
  n = s.length < 1023 ? s.length : 1023;
  memcpy(text, s.chars, n * sizeof(wchar_t));
  text[n] = L'\0';
  return wcsstr(text, needle) != NULL;
}

CHECK_MAYBE_UNUSED static ULONG error_string_count(WS_ERROR* error) {
  ULONG count = 0xFFFFFFFFu;
  if (WsGetErrorProperty(error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count)) != S_OK)
    return 0xFFFFFFFFu;
  return count;
}

CHECK_MAYBE_UNUSED static int finish(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed == 0 ? 0 : 1;
}

#endif
