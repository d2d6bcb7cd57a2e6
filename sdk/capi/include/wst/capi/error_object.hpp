// WS_ERROR: the strings and codes that describe why a call failed.
//
// Strings are kept oldest first; WsGetErrorString's index 0 is the newest (Windows' order).
// Other capi code adds strings through record(), which never throws and never fails: when
// memory or the limits below run out, the oldest strings give way or the text is truncated.
#pragma once

#include <wst/capi/handle.hpp>

#include <webservices.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct _WS_ERROR {
  static constexpr std::uint32_t live_magic = 0x52525257u;  // "WRRR"
  static constexpr std::size_t max_strings = 64;
  static constexpr std::size_t max_string_chars = 65536;
  static constexpr LANGID default_langid = 0x0409;  // en-US: wst's messages are English

  std::uint32_t magic = live_magic;
  LANGID langid = default_langid;
  HRESULT original_error_code = 0;
  std::vector<std::wstring> strings;  // oldest first

  _WS_ERROR() = default;
  _WS_ERROR(const _WS_ERROR&) = delete;
  _WS_ERROR& operator=(const _WS_ERROR&) = delete;
  ~_WS_ERROR() { wst::detail::capi::kill_magic(magic); }
};

namespace wst::detail::capi {

// Adds `utf8` (invalid sequences become U+FFFD, text beyond max_string_chars is cut) as the
// newest string of `error` and sets its ORIGINAL_ERROR_CODE to `hr`. Does nothing when
// `error` is not a live WS_ERROR. Returns `hr`, so `return record(error, hr, "...")` reads well.
HRESULT record(WS_ERROR* error, HRESULT hr, std::string_view utf8) noexcept;

// UTF-8 -> wchar_t (UTF-32); malformed or overlong sequences and surrogates become U+FFFD.
std::wstring widen(std::string_view utf8);

}  // namespace wst::detail::capi
