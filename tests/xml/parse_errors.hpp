// What the XML tests share: printable errc values and the error a parse gives.
#pragma once

#include <wst/xml/reader.hpp>

#include <ostream>
#include <string_view>
#include <system_error>

namespace wst::detail::xml {
inline std::ostream& operator<<(std::ostream& os, errc e) { return os << make_error_code(e).message(); }

// The error parse() gives, or a default error_code when it succeeds.
inline std::error_code error_of(std::string_view xml, const limits& lim = {}) {
  auto r = parse(xml, lim);
  return r ? std::error_code() : r.error().code;
}
}  // namespace wst::detail::xml
