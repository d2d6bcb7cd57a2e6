// The firewall around every Ws* entry point.
//
//   HRESULT WINAPI WsAlloc(WS_HEAP* heap, SIZE_T size, void** ptr, WS_ERROR* error) {
//     return capi::guard("WsAlloc", error, [&](capi::call& c) -> HRESULT { ... });
//   }
//
// guard() refuses a non-NULL `error` that is not a live WS_ERROR (E_INVALIDARG, nothing
// recorded), runs the body, and turns any escaping exception into an HRESULT recorded in
// `error` (std::bad_alloc -> E_OUTOFMEMORY, anything else -> E_FAIL). Inside the body,
// c.fail(...) records "<function>: <description>" and returns the matching HRESULT.
#pragma once

#include <wst/base/result.hpp>
#include <wst/capi/error_object.hpp>
#include <wst/capi/errors.hpp>

#include <webservices.h>

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace wst::detail::capi {

class call {
 public:
  call(const char* function, WS_ERROR* error) noexcept : function_(function), error_(error) {}

  const char* function() const noexcept { return function_; }
  WS_ERROR* error() const noexcept { return error_; }

  // Records the failure (mapped with hresult_of) and returns its HRESULT.
  HRESULT fail(const failure& f) const noexcept;
  HRESULT fail(errc e, std::string_view message) const noexcept;
  // Records "<function>: <what>[: <detail>]" with `hr` and returns `hr`.
  HRESULT report(HRESULT hr, std::string_view what, std::string_view detail = {}) const noexcept;
  // E_INVALIDARG: "`argument` is not a valid <type> handle (NULL, freed or another type)".
  HRESULT bad_handle(std::string_view argument, std::string_view type) const noexcept;

  // The output rule of the Ws*Get*Property functions: `value` non-NULL and `valueSize`
  // exactly sizeof(v), then v is copied there (S_OK); otherwise E_INVALIDARG.
  template <class T>
  HRESULT write_value(void* value, ULONG valueSize, const T& v) const {
    if (value == nullptr || valueSize != sizeof(v))
      return fail(errc::invalid_argument,
                  "value is NULL or valueSize is not " + std::to_string(sizeof(v)));
    std::memcpy(value, &v, sizeof(v));
    return S_OK;
  }

 private:
  const char* function_;
  WS_ERROR* error_;
};

template <class Body>
HRESULT guard(const char* function, WS_ERROR* error, Body&& body) noexcept {
  if (error != nullptr && live(error) == nullptr) return E_INVALIDARG;
  call c(function, error);
  try {
    return std::forward<Body>(body)(c);
  } catch (const std::bad_alloc&) {
    return c.report(E_OUTOFMEMORY, "out of memory");
  } catch (const std::exception& e) {
    return c.report(E_FAIL, "internal error", e.what());
  } catch (...) {
    return c.report(E_FAIL, "internal error");
  }
}

}  // namespace wst::detail::capi
