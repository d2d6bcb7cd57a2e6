/* WS_HEAP: allocation, alignment, quota, reset (wipe, trim), objects, bad handles. */
#include "check.h"

#include <stdint.h>

static void test_alloc_and_quota(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  void* p = NULL;
  void* q = NULL;
  void* sentinel = &p;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1024, 0, NULL, 0, &heap, error), S_OK);
  CHECK(heap != NULL);
  CHECK_HR(WsAlloc(heap, 100, &p, error), S_OK);
  CHECK(p != NULL);
  CHECK(((uintptr_t)p & 15u) == 0); /* aligned for any type */
  memset(p, 0xAB, 100);

  /* 100 bytes took 112 of the 1024: 913 more do not fit */
  q = sentinel;
  CHECK_HR(WsAlloc(heap, 913, &q, error), WS_E_QUOTA_EXCEEDED);
  CHECK(q == sentinel);
  CHECK(error_string_contains(error, 0, L"maximum size of 1024 bytes"));
  CHECK_HR(WsAlloc(heap, 912, &q, error), S_OK);
  CHECK(q != NULL && q != p);
  CHECK_HR(WsAlloc(heap, 1, &q, error), WS_E_QUOTA_EXCEEDED);
  CHECK_HR(WsAlloc(heap, (SIZE_T)-1, &q, error), WS_E_QUOTA_EXCEEDED);

  /* reset gives the whole quota back */
  CHECK_HR(WsResetHeap(heap, error), S_OK);
  CHECK_HR(WsAlloc(heap, 1024, &q, error), S_OK);
  CHECK_HR(WsAlloc(heap, 0, &q, error), WS_E_QUOTA_EXCEEDED);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_sizes_near_the_limit(void) {
  WS_HEAP* heap = NULL;
  void* p = NULL;

  /* an unlimited heap: rounding a size up must not wrap around */
  CHECK_HR(WsCreateHeap((SIZE_T)-1, 0, NULL, 0, &heap, NULL), S_OK);
  CHECK_HR(WsAlloc(heap, (SIZE_T)-1, &p, NULL), WS_E_QUOTA_EXCEEDED);
  CHECK_HR(WsAlloc(heap, (SIZE_T)-1 - 3, &p, NULL), WS_E_QUOTA_EXCEEDED);
  CHECK(p == NULL);
  CHECK_HR(WsAlloc(heap, 10, &p, NULL), S_OK);
  WsFreeHeap(heap);
}

static void test_zero_size_and_many(void) {
  WS_HEAP* heap = NULL;
  void* a = NULL;
  void* b = NULL;
  unsigned char* blocks[1000];
  int i, j, intact = 1, distinct = 1;

  CHECK_HR(WsCreateHeap(1 << 20, 0, NULL, 0, &heap, NULL), S_OK);
  CHECK_HR(WsAlloc(heap, 0, &a, NULL), S_OK);
  CHECK_HR(WsAlloc(heap, 0, &b, NULL), S_OK);
  CHECK(a != NULL && b != NULL && a != b);

  /* across several chunks: every block keeps its own bytes */
  for (i = 0; i < 1000; ++i) {
    void* p = NULL;
    if (WsAlloc(heap, 100 + (SIZE_T)(i % 7), &p, NULL) != S_OK) distinct = 0;
    blocks[i] = (unsigned char*)p;
    if (p != NULL) memset(p, i & 0xFF, 100);
  }
  for (i = 0; i < 1000 && blocks[i] != NULL; ++i)
    for (j = 0; j < 100; ++j) intact &= blocks[i][j] == (unsigned char)(i & 0xFF);
  CHECK(distinct);
  CHECK(intact);
  WsFreeHeap(heap);
}

static void test_reset_wipes_kept_memory(void) {
  WS_HEAP* heap = NULL;
  void* vp = NULL;
  void* vq = NULL;
  unsigned char* q;
  int i, zero = 1;

  /* trimSize keeps the chunk, so the next allocation reuses its (wiped) bytes */
  CHECK_HR(WsCreateHeap(4096, 4096, NULL, 0, &heap, NULL), S_OK);
  CHECK_HR(WsAlloc(heap, 64, &vp, NULL), S_OK);
  memset(vp, 0x5A, 64);
  CHECK_HR(WsResetHeap(heap, NULL), S_OK);
  CHECK_HR(WsAlloc(heap, 64, &vq, NULL), S_OK);
  CHECK(vq == vp);
  q = (unsigned char*)vq;
  for (i = 0; i < 64; ++i) zero &= q[i] == 0;
  CHECK(zero);
  WsFreeHeap(heap);
}

static void test_objects_count_against_the_quota(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_XML_BUFFER* buffer = NULL;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsCreateXmlBuffer(heap, NULL, 0, &buffer, error), WS_E_QUOTA_EXCEEDED);
  CHECK(buffer == NULL);
  WsFreeHeap(heap);

  /* buffers die with their heap (and with every reset) */
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsCreateXmlBuffer(heap, NULL, 0, &buffer, error), S_OK);
  CHECK_HR(WsResetHeap(heap, error), S_OK);
  CHECK_HR(WsCreateXmlBuffer(heap, NULL, 0, &buffer, error), S_OK);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_argument_errors(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_HEAP_PROPERTY prop;
  SIZE_T size = 10;
  long long fake_storage[16] = {0};
  WS_HEAP* fake = (WS_HEAP*)fake_storage;
  void* p = NULL;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(100, 200, NULL, 0, &heap, error), E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"trimSize"));
  prop.id = WS_HEAP_PROPERTY_MAX_SIZE;
  prop.value = &size;
  prop.valueSize = sizeof(size);
  CHECK_HR(WsCreateHeap(100, 0, &prop, 1, &heap, error), E_INVALIDARG);
  CHECK_HR(WsCreateHeap(100, 0, NULL, 1, &heap, error), E_INVALIDARG);
  CHECK_HR(WsCreateHeap(100, 0, NULL, 0, NULL, error), E_INVALIDARG);
  CHECK(heap == NULL);

  CHECK_HR(WsAlloc(fake, 8, &p, error), E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"not a valid WS_HEAP handle"));
  CHECK_HR(WsAlloc(NULL, 8, &p, error), E_INVALIDARG);
  CHECK_HR(WsResetHeap(fake, error), E_INVALIDARG);
  CHECK_HR(WsResetHeap(NULL, NULL), E_INVALIDARG);
  CHECK(p == NULL);
  WsFreeHeap(NULL);
  WsFreeHeap(fake);
  CHECK(fake_storage[0] == 0);

  CHECK_HR(WsCreateHeap(100, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsAlloc(heap, 8, NULL, error), E_INVALIDARG);
  /* an error handle of the wrong type is refused before anything happens */
  CHECK_HR(WsAlloc(heap, 8, &p, (WS_ERROR*)heap), E_INVALIDARG);
  CHECK(p == NULL);
  WsFreeHeap(heap);
  WsFreeError(error);
}

int main(void) {
  test_alloc_and_quota();
  test_sizes_near_the_limit();
  test_zero_size_and_many();
  test_reset_wipes_kept_memory();
  test_objects_count_against_the_quota();
  test_argument_errors();
  return finish();
}
