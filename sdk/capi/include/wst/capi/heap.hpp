// WS_HEAP: an arena whose allocations and objects all go away at once (WsResetHeap,
// WsFreeHeap), within a fixed quota (maxSize).
//
// Quota: every allocation is charged its size rounded up to `alignment`; every object created
// on the heap (XML buffers) is charged what it holds (heap_make's `charge`). A request that
// would take the total past max_size fails with errc::quota_exceeded and changes nothing.
// Memory comes from chunks that grow geometrically; one larger than the growth step gets a
// chunk of its own. Reset destroys the objects (newest first), overwrites every byte handed
// out with zeros and keeps chunks totalling at most trim_size for reuse.
// Not thread-safe (like WWSAPI's heap): one thread at a time.
#pragma once

#include <wst/base/result.hpp>
#include <wst/capi/handle.hpp>

#include <webservices.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace wst::detail::capi {

// Base of the objects a heap owns and destroys on reset. Not polymorphic on purpose: handle
// checks read `magic` through a pointer that may not point to an object at all, which is only
// harmless for a type without a vtable.
struct heap_object {
  heap_object* next_on_heap = nullptr;
  void (*destroy)(heap_object*) noexcept = nullptr;  // deletes the complete object
};

}  // namespace wst::detail::capi

struct _WS_HEAP {
  static constexpr std::uint32_t live_magic = 0x50454857u;  // "WHEP"
  static constexpr std::size_t alignment = alignof(std::max_align_t);
  static constexpr std::size_t first_chunk = 1024;
  static constexpr std::size_t max_chunk_step = 1024 * 1024;  // growth stops doubling here

  struct chunk {
    std::unique_ptr<std::byte[]> memory;
    std::size_t size = 0;
    std::size_t used = 0;
  };

  std::uint32_t magic = live_magic;
  std::size_t max_size;
  std::size_t trim_size;
  std::size_t charged = 0;                            // bytes counted against max_size
  std::vector<chunk> chunks;                          // allocations come from the last one
  wst::detail::capi::heap_object* objects = nullptr;  // newest first

  _WS_HEAP(std::size_t max, std::size_t trim) : max_size(max), trim_size(trim) {}
  _WS_HEAP(const _WS_HEAP&) = delete;
  _WS_HEAP& operator=(const _WS_HEAP&) = delete;
  ~_WS_HEAP();

  std::size_t available() const noexcept { return max_size - charged; }
};

namespace wst::detail::capi {

// `size` bytes aligned to _WS_HEAP::alignment (size 0: a distinct valid pointer).
// errc::quota_exceeded when the quota does not allow it; std::bad_alloc may escape.
result<void*> heap_allocate(WS_HEAP& heap, std::size_t size);

// Counts `bytes` against the quota without allocating (objects that hold their own memory).
result<void> heap_charge(WS_HEAP& heap, std::size_t bytes);

// errc::quota_exceeded naming the quota, what is in use and what was asked.
failure quota_failure(const WS_HEAP& heap, std::size_t requested);

// Destroys the objects, wipes and releases the memory (keeping up to trim_size), and clears
// the counters. Never fails.
void heap_reset(WS_HEAP& heap) noexcept;

// Creates a T (derived from heap_object) owned by `heap`, charging sizeof(T) + `charge`.
template <class T, class... Args>
result<T*> heap_make(WS_HEAP& heap, std::size_t charge, Args&&... args) {
  if (charge > SIZE_MAX - sizeof(T)) return quota_failure(heap, SIZE_MAX);
  if (auto r = heap_charge(heap, sizeof(T) + charge); !r) return std::move(r).error();
  T* object = nullptr;
  try {
    object = new T(std::forward<Args>(args)...);
  } catch (...) {
    heap.charged -= sizeof(T) + charge;
    throw;
  }
  object->destroy = [](heap_object* o) noexcept { delete static_cast<T*>(o); };
  object->next_on_heap = heap.objects;
  heap.objects = object;
  return object;
}

// Overwrites memory with zeros in a way the compiler cannot drop.
void wipe(void* p, std::size_t n) noexcept;

}  // namespace wst::detail::capi
