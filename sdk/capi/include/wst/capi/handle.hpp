// Handle validation for the opaque WS_* objects.
//
// Every object behind a WS_* pointer carries `magic`: its type's live_magic while alive and
// dead_magic once freed. live() accepts a pointer only when the magic matches, so NULL, a
// pointer to another object type, and (in practice) a freed object are refused with
// E_INVALIDARG instead of being dereferenced further. Objects are created by `new`; reading
// the magic of a random pointer is still undefined behaviour, as in any C API.
#pragma once

#include <cstdint>
#include <cstring>

namespace wst::detail::capi {

inline constexpr std::uint32_t dead_magic = 0xDEADDEADu;

// T must have `std::uint32_t magic` and `static constexpr std::uint32_t live_magic`.
template <class T>
T* live(T* handle) noexcept {
  return handle != nullptr && handle->magic == T::live_magic ? handle : nullptr;
}

// Marks an object as freed; the volatile store survives the object's deletion.
inline void kill_magic(std::uint32_t& magic) noexcept {
  *static_cast<volatile std::uint32_t*>(&magic) = dead_magic;
}

// The integer a C caller stored in an enum-typed object. C allows any int there, but in C++
// loading a value outside the enumerators' range is undefined, so every enum that comes from
// the caller (ids, types, formats) is read through this before it is compared.
template <class E>
int raw(const E& e) noexcept {
  static_assert(sizeof(E) == sizeof(int), "WWSAPI enums are int-sized");
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

}  // namespace wst::detail::capi
