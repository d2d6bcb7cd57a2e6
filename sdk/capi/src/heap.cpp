// WS_HEAP and the Ws*Heap / WsAlloc entry points.
#include <wst/capi/call.hpp>
#include <wst/capi/heap.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include <strings.h>  // explicit_bzero

namespace wst::detail::capi {

void wipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) explicit_bzero(p, n);
}

failure quota_failure(const WS_HEAP& heap, std::size_t requested) {
  return failure(errc::quota_exceeded, "the heap's maximum size of " +
                                           std::to_string(heap.max_size) +
                                           " bytes does not "
                                           "allow " +
                                           std::to_string(requested) + " more bytes (" +
                                           std::to_string(heap.charged) + " in use)");
}

result<void> heap_charge(WS_HEAP& heap, std::size_t bytes) {
  if (bytes > heap.available()) return quota_failure(heap, bytes);
  heap.charged += bytes;
  return {};
}

result<void*> heap_allocate(WS_HEAP& heap, std::size_t size) {
  constexpr std::size_t align = _WS_HEAP::alignment;
  if (size > heap.available() || size > SIZE_MAX - align) return quota_failure(heap, size);
  // Size 0 still takes one aligned slot so every pointer handed out is distinct.
  const std::size_t rounded = size == 0 ? align : (size + align - 1) & ~(align - 1);
  if (rounded > heap.available()) return quota_failure(heap, rounded);

  if (heap.chunks.empty() || heap.chunks.back().size - heap.chunks.back().used < rounded) {
    // Reuse a kept chunk that fits, else grow: double the last step up to max_chunk_step.
    auto kept = std::find_if(heap.chunks.begin(), heap.chunks.end(),
                             [&](const auto& c) { return c.used == 0 && c.size >= rounded; });
    if (kept != heap.chunks.end()) {
      std::iter_swap(kept, heap.chunks.end() - 1);
    } else {
      const std::size_t last =
          heap.chunks.empty() ? _WS_HEAP::first_chunk / 2 : heap.chunks.back().size;
      const std::size_t step = std::min(last * 2, _WS_HEAP::max_chunk_step);
      _WS_HEAP::chunk c;
      c.size = std::max(step, rounded);
      c.memory.reset(new std::byte[c.size]);
      heap.chunks.push_back(std::move(c));
    }
  }
  auto& c = heap.chunks.back();
  void* p = c.memory.get() + c.used;
  c.used += rounded;
  heap.charged += rounded;
  return p;
}

void heap_reset(WS_HEAP& heap) noexcept {
  while (heap.objects != nullptr) {
    heap_object* o = heap.objects;
    heap.objects = o->next_on_heap;
    o->destroy(o);
  }
  // Wipe what was handed out; keep the largest chunks that fit in trim_size.
  for (auto& c : heap.chunks) {
    wipe(c.memory.get(), c.used);
    c.used = 0;
  }
  std::sort(heap.chunks.begin(), heap.chunks.end(),
            [](const auto& a, const auto& b) { return a.size > b.size; });
  std::size_t kept = 0;
  auto keep_end = std::remove_if(heap.chunks.begin(), heap.chunks.end(), [&](const auto& c) {
    if (kept + c.size > heap.trim_size) return true;
    kept += c.size;
    return false;
  });
  heap.chunks.erase(keep_end, heap.chunks.end());
  heap.charged = 0;
}

}  // namespace wst::detail::capi

_WS_HEAP::~_WS_HEAP() {
  wst::detail::capi::heap_reset(*this);
  wst::detail::capi::kill_magic(magic);
}

namespace capi = wst::detail::capi;
using capi::errc;

extern "C" {

HRESULT WINAPI WsCreateHeap(SIZE_T maxSize, SIZE_T trimSize, const WS_HEAP_PROPERTY* properties,
                            ULONG propertyCount, WS_HEAP** heap, WS_ERROR* error) {
  return capi::guard("WsCreateHeap", error, [&](capi::call& c) -> HRESULT {
    if (heap == nullptr) return c.fail(errc::invalid_argument, "heap is NULL");
    if (properties == nullptr && propertyCount != 0)
      return c.fail(errc::invalid_argument, "properties is NULL but propertyCount is not 0");
    if (propertyCount != 0)
      return c.fail(errc::invalid_argument,
                    "no WS_HEAP_PROPERTY may be given at creation (maxSize and trimSize are "
                    "arguments; REQUESTED_SIZE and ACTUAL_SIZE are read only)");
    if (trimSize > maxSize)
      return c.fail(errc::invalid_argument, "trimSize is larger than maxSize");
    *heap = new _WS_HEAP(maxSize, trimSize);
    return S_OK;
  });
}

HRESULT WINAPI WsAlloc(WS_HEAP* heap, SIZE_T size, void** ptr, WS_ERROR* error) {
  return capi::guard("WsAlloc", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(heap) == nullptr) return c.bad_handle("heap", "WS_HEAP");
    if (ptr == nullptr) return c.fail(errc::invalid_argument, "ptr is NULL");
    auto p = capi::heap_allocate(*heap, size);
    if (!p) return c.fail(p.error());
    *ptr = *p;
    return S_OK;
  });
}

HRESULT WINAPI WsResetHeap(WS_HEAP* heap, WS_ERROR* error) {
  return capi::guard("WsResetHeap", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(heap) == nullptr) return c.bad_handle("heap", "WS_HEAP");
    capi::heap_reset(*heap);
    return S_OK;
  });
}

void WINAPI WsFreeHeap(WS_HEAP* heap) {
  if (capi::live(heap) != nullptr) delete heap;
}

}  // extern "C"
