// wst::detail::failure and result<T>: how every internal layer reports an error.
//
// A failure pairs a std::error_code taken from the reporting layer's own error enum with
// the human-readable text that ends up in WS_ERROR (for example a SOAP fault's reason or an
// HTTP status line). Layers never throw across their boundary; they return result<T>.
#pragma once

#include <cassert>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace wst::detail {

struct failure {
  std::error_code code;
  std::string message;  // readable detail; empty means code.message() says it all

  failure() = default;
  failure(std::error_code c, std::string m = {}) : code(c), message(std::move(m)) {}
  template <class E, class = std::enable_if_t<std::is_error_code_enum<E>::value>>
  failure(E e, std::string m = {}) : code(make_error_code(e)), message(std::move(m)) {}

  // "<category message>: <detail>" or just the category message.
  std::string describe() const {
    std::string s = code.message();
    if (!message.empty()) {
      s += ": ";
      s += message;
    }
    return s;
  }
};

// Either a T or a failure. Accessing the wrong alternative is a programming error (asserted).
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(failure f) : v_(std::in_place_index<1>, std::move(f)) {}
  template <class E, class = std::enable_if_t<std::is_error_code_enum<E>::value>>
  result(E e, std::string m = {}) : v_(std::in_place_index<1>, failure(e, std::move(m))) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const failure& error() const& { assert(!has_value()); return std::get<1>(v_); }
  failure&& error() && { assert(!has_value()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, failure> v_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(failure f) : f_(std::move(f)), ok_(false) {}
  template <class E, class = std::enable_if_t<std::is_error_code_enum<E>::value>>
  result(E e, std::string m = {}) : f_(e, std::move(m)), ok_(false) {}

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const failure& error() const& { assert(!ok_); return f_; }
  failure&& error() && { assert(!ok_); return std::move(f_); }

 private:
  failure f_;
  bool ok_ = true;
};

}  // namespace wst::detail
