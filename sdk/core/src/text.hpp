// Small text operations on XML character data shared by the writer and the reader.
#pragma once

#include <string>
#include <string_view>

namespace wst::detail::core {

// XML whitespace (space, tab, CR, LF) removed from both ends.
inline std::string_view trim(std::string_view s) noexcept {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

inline bool is_blank(std::string_view s) noexcept { return trim(s).empty(); }

// Overwrites a string that held secret text (base64 of a key, a password) before it is
// released; the volatile stores cannot be optimised away.
inline void wipe(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

}  // namespace wst::detail::core
