#include <wst/capi/errors.hpp>
#include <wst/capi/heap.hpp>
#include <wst/capi/text.hpp>

namespace wst::detail::capi {

result<std::string> narrow(const WS_STRING& s, std::string_view what, std::size_t max_chars) {
  std::string out;  // may be a password: wiped when abandoned
  auto bad = [&](const std::string& why) {
    wipe(out.data(), out.size());
    return failure(errc::invalid_argument, std::string(what) + ": " + why);
  };
  if (s.length == 0) return std::string();
  if (s.chars == nullptr) return bad("chars is NULL but length is not 0");
  if (s.length > max_chars) return bad("longer than " + std::to_string(max_chars) + " characters");
  out.reserve(std::size_t{s.length} * 4);  // never reallocates, so no unwiped copy is left
  for (ULONG i = 0; i < s.length; ++i) {
    const auto cp = static_cast<std::uint32_t>(s.chars[i]);
    if (cp == 0) return bad("contains a NUL character");
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return bad("contains a value that is not a Unicode character (WCHAR holds UTF-32 on Linux)");
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

}  // namespace wst::detail::capi
