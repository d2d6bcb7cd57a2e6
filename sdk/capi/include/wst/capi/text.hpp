// WCHAR strings (UTF-32 on Linux) from callers, as the UTF-8 the layers below speak.
#pragma once

#include <wst/base/result.hpp>

#include <webservices.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace wst::detail::capi {

// The UTF-8 form of `s`. errc::invalid_argument naming `what` for: chars NULL with a non-zero
// length, more than `max_chars` characters, a NUL, a surrogate or a value above U+10FFFF.
// An empty string is fine (callers decide whether they need one).
result<std::string> narrow(const WS_STRING& s, std::string_view what, std::size_t max_chars = 8192);

}  // namespace wst::detail::capi
