// A set of bytes with a constant-time membership test, for the scanning loops of sdk/xml
// (std::string_view::find_first_of calls memchr once per input byte).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wst::detail::xml::detail_impl {

class byte_set {
 public:
  constexpr explicit byte_set(const char* members) {
    for (; *members; ++members) has_[static_cast<unsigned char>(*members)] = true;
  }
  constexpr bool contains(char c) const { return has_[static_cast<unsigned char>(c)]; }

  // Index of the first byte of s at or after `from` that is in the set, or npos. Eight bytes
  // per test while none of them is a member (one branch instead of eight).
  std::size_t find(std::string_view s, std::size_t from = 0) const {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = from;
    for (; i < n && n - i >= 8; i += 8)
      if (has_[p[i]] | has_[p[i + 1]] | has_[p[i + 2]] | has_[p[i + 3]] | has_[p[i + 4]] |
          has_[p[i + 5]] | has_[p[i + 6]] | has_[p[i + 7]])
        break;
    for (; i < n; ++i)
      if (has_[p[i]]) return i;
    return std::string_view::npos;
  }

 private:
  bool has_[256] = {};
};

// Appends s with every byte of `specials` replaced by its entity or character reference
// (&amp; &lt; &gt; &quot; &#x9; &#xA; &#xD;). The writer and c14n differ only in the set.
inline void append_escaped(std::string& out, std::string_view s, const byte_set& specials) {
  std::size_t i = 0;
  for (;;) {
    std::size_t j = specials.find(s, i);
    out.append(s.data() + i, (j == std::string_view::npos ? s.size() : j) - i);
    if (j == std::string_view::npos) return;
    switch (s[j]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\t': out += "&#x9;"; break;
      case '\n': out += "&#xA;"; break;
      case '\r': out += "&#xD;"; break;
    }
    i = j + 1;
  }
}

}  // namespace wst::detail::xml::detail_impl
