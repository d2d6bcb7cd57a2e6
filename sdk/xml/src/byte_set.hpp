// A set of bytes with a constant-time membership test, for the scanning loops of sdk/xml
// (std::string_view::find_first_of calls memchr once per input byte).
#pragma once

#include <cstddef>
#include <string_view>

namespace wst::detail::xml::detail_impl {

class byte_set {
 public:
  constexpr explicit byte_set(const char* members) {
    for (; *members; ++members) has_[static_cast<unsigned char>(*members)] = true;
  }
  constexpr bool contains(char c) const { return has_[static_cast<unsigned char>(c)]; }

  // Index of the first byte of s at or after `from` that is in the set, or npos.
  std::size_t find(std::string_view s, std::size_t from = 0) const {
    for (std::size_t i = from; i < s.size(); ++i)
      if (has_[static_cast<unsigned char>(s[i])]) return i;
    return std::string_view::npos;
  }

 private:
  bool has_[256] = {};
};

}  // namespace wst::detail::xml::detail_impl
