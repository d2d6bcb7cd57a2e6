// WS_ERROR and the Ws*Error entry points.
#include <wst/capi/call.hpp>
#include <wst/capi/error_object.hpp>

#include <cstring>
#include <memory>
#include <string>

namespace wst::detail::capi {

std::wstring widen(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  constexpr wchar_t replacement = 0xFFFD;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      out.push_back(static_cast<wchar_t>(b0));
      ++i;
      continue;
    }
    std::size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
    char32_t cp = len == 4 ? b0 & 0x07u : len == 3 ? b0 & 0x0Fu : b0 & 0x1Fu;
    bool ok = len != 0 && b0 <= 0xF4 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are malformed too.
    if (ok) {
      const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      ok = cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (ok) {
      out.push_back(static_cast<wchar_t>(cp));
      i += len;
    } else {
      out.push_back(replacement);
      ++i;  // resynchronise on the next byte
    }
  }
  return out;
}

HRESULT record(WS_ERROR* error, HRESULT hr, std::string_view utf8) noexcept {
  if (live(error) == nullptr) return hr;
  error->original_error_code = hr;
  try {
    std::wstring text = widen(utf8.substr(0, _WS_ERROR::max_string_chars * 4));
    if (text.size() > _WS_ERROR::max_string_chars) text.resize(_WS_ERROR::max_string_chars);
    if (error->strings.size() == _WS_ERROR::max_strings)
      error->strings.erase(error->strings.begin());
    error->strings.push_back(std::move(text));
  } catch (...) {
    // Out of memory while describing a failure: the HRESULT still says what happened.
  }
  return hr;
}

HRESULT call::report(HRESULT hr, std::string_view what, std::string_view detail) const noexcept {
  if (error_ == nullptr) return hr;
  try {
    std::string text(function_);
    text += ": ";
    text += what;
    if (!detail.empty()) {
      text += ": ";
      text += detail;
    }
    return record(error_, hr, text);
  } catch (...) {
    return record(error_, hr, what);
  }
}

HRESULT call::fail(const failure& f) const noexcept {
  const HRESULT hr = hresult_of(f.code);
  try {
    return report(hr, f.code.message(), f.message);
  } catch (...) {
    return report(hr, f.message);
  }
}

HRESULT call::fail(errc e, std::string_view message) const noexcept {
  const HRESULT hr = hresult_of(e);
  try {
    return report(hr, make_error_code(e).message(), message);
  } catch (...) {
    return report(hr, message);
  }
}

HRESULT call::bad_handle(std::string_view argument, std::string_view type) const noexcept {
  try {
    std::string text(argument);
    text += " is not a valid ";
    text += type;
    text += " handle (NULL, freed or another type)";
    return fail(errc::invalid_argument, text);
  } catch (...) {
    return report(E_INVALIDARG, "invalid handle");
  }
}

}  // namespace wst::detail::capi

namespace capi = wst::detail::capi;
using capi::errc;

namespace {

// Reads a property value of exactly type T (valueSize must be sizeof(T)).
template <class T>
bool read_value(const void* value, ULONG size, T& out) {
  if (value == nullptr || size != sizeof(T)) return false;
  std::memcpy(&out, value, sizeof(T));
  return true;
}

}  // namespace

extern "C" {

HRESULT WINAPI WsCreateError(const WS_ERROR_PROPERTY* properties, ULONG propertyCount,
                             WS_ERROR** error) {
  return capi::guard("WsCreateError", nullptr, [&](capi::call& c) -> HRESULT {
    if (error == nullptr) return c.fail(errc::invalid_argument, "error is NULL");
    if (properties == nullptr && propertyCount != 0)
      return c.fail(errc::invalid_argument, "properties is NULL but propertyCount is not 0");
    auto object = std::make_unique<_WS_ERROR>();
    for (ULONG i = 0; i < propertyCount; ++i) {
      const auto& p = properties[i];
      switch (capi::raw(p.id)) {
        case WS_ERROR_PROPERTY_LANGID:
          if (!read_value(p.value, p.valueSize, object->langid)) return E_INVALIDARG;
          break;
        case WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE:
          if (!read_value(p.value, p.valueSize, object->original_error_code)) return E_INVALIDARG;
          break;
        default:  // STRING_COUNT is read only; anything else is not an error property
          return E_INVALIDARG;
      }
    }
    *error = object.release();
    return S_OK;
  });
}

HRESULT WINAPI WsAddErrorString(WS_ERROR* error, const WS_STRING* string) {
  if (capi::live(error) == nullptr) return E_INVALIDARG;
  return capi::guard("WsAddErrorString", error, [&](capi::call& c) -> HRESULT {
    if (string == nullptr) return c.fail(errc::invalid_argument, "string is NULL");
    if (string->chars == nullptr && string->length != 0)
      return c.fail(errc::invalid_argument, "string->chars is NULL but its length is not 0");
    if (string->length > _WS_ERROR::max_string_chars)
      return c.fail(errc::quota_exceeded, "strings are limited to 65536 WCHARs");
    if (error->strings.size() == _WS_ERROR::max_strings)
      return c.fail(errc::quota_exceeded, "an error object holds at most 64 strings");
    error->strings.emplace_back(string->chars, string->length);
    return S_OK;
  });
}

HRESULT WINAPI WsGetErrorProperty(WS_ERROR* error, WS_ERROR_PROPERTY_ID id, void* buffer,
                                  ULONG bufferSize) {
  if (capi::live(error) == nullptr) return E_INVALIDARG;
  return capi::guard("WsGetErrorProperty", error, [&](capi::call& c) -> HRESULT {
    auto write = [&](const auto& v) -> HRESULT {
      if (buffer == nullptr || bufferSize != sizeof(v))
        return c.fail(errc::invalid_argument,
                      "buffer is NULL or bufferSize is not the size of "
                      "the property's type");
      std::memcpy(buffer, &v, sizeof(v));
      return S_OK;
    };
    switch (capi::raw(id)) {
      case WS_ERROR_PROPERTY_STRING_COUNT:
        return write(static_cast<ULONG>(error->strings.size()));
      case WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE:
        return write(error->original_error_code);
      case WS_ERROR_PROPERTY_LANGID:
        return write(error->langid);
    }
    return c.fail(errc::invalid_argument, "unknown WS_ERROR_PROPERTY_ID");
  });
}

HRESULT WINAPI WsGetErrorString(WS_ERROR* error, ULONG index, WS_STRING* string) {
  if (capi::live(error) == nullptr) return E_INVALIDARG;
  return capi::guard("WsGetErrorString", error, [&](capi::call& c) -> HRESULT {
    if (string == nullptr) return c.fail(errc::invalid_argument, "string is NULL");
    // Looking up a string must not add one: report only through the HRESULT.
    if (index >= error->strings.size()) return E_INVALIDARG;
    auto& s = error->strings[error->strings.size() - 1 - index];
    string->length = static_cast<ULONG>(s.size());
    string->chars = s.data();
    (void)c;
    return S_OK;
  });
}

HRESULT WINAPI WsResetError(WS_ERROR* error) {
  if (capi::live(error) == nullptr) return E_INVALIDARG;
  error->strings.clear();
  error->original_error_code = 0;
  return S_OK;
}

void WINAPI WsFreeError(WS_ERROR* error) {
  if (capi::live(error) != nullptr) delete error;
}

}  // extern "C"
