// WS_SECURITY_TOKEN and WsCreateXmlSecurityToken / WsGetSecurityTokenProperty /
// WsFreeSecurityToken.
#include <wst/capi/call.hpp>
#include <wst/capi/security_token.hpp>
#include <wst/capi/xml_buffer.hpp>
#include <wst/core/datetime.hpp>

#include <cstring>
#include <optional>
#include <string>

namespace wst::detail::capi {

std::unique_ptr<WS_SECURITY_TOKEN> make_security_token(
    std::shared_ptr<const core::issued_token> t) {
  return std::make_unique<_WS_SECURITY_TOKEN>(std::move(t));
}

std::shared_ptr<const core::issued_token> token_of(WS_SECURITY_TOKEN* handle) {
  return live(handle) != nullptr ? handle->token : nullptr;
}

}  // namespace wst::detail::capi

namespace capi = wst::detail::capi;
namespace core = wst::detail::core;
using capi::errc;
using wst::detail::failure;
using wst::detail::result;

namespace {

// The largest symmetric key accepted (4096 bits, core::max_key_size_bits).
constexpr ULONG max_key_bytes = core::max_key_size_bits / 8;

result<std::optional<core::datetime>> datetime_of(const void* value, ULONG size, const char* what) {
  if (value == nullptr || size != sizeof(WS_DATETIME))
    return failure(errc::invalid_argument,
                   std::string(what) + ": value is NULL or valueSize is not sizeof(WS_DATETIME)");
  WS_DATETIME t;
  std::memcpy(&t, value, sizeof t);
  const int format = capi::raw(t.format);
  if (format != WS_DATETIME_FORMAT_UTC && format != WS_DATETIME_FORMAT_LOCAL &&
      format != WS_DATETIME_FORMAT_NONE)
    return failure(errc::invalid_argument, std::string(what) + ": unknown WS_DATETIME_FORMAT");
  if (t.ticks > static_cast<ULONGLONG>(core::datetime::max_ticks))
    return failure(errc::invalid_argument,
                   std::string(what) + ": ticks beyond 9999-12-31T23:59:59.9999999Z");
  if (t.ticks == 0) return std::optional<core::datetime>();  // 0 = no bound, as reported back
  return std::optional<core::datetime>(core::datetime{static_cast<std::int64_t>(t.ticks)});
}

// The element of a buffer given as a token property (a WS_XML_BUFFER* value).
result<std::string> element_of(const void* value, ULONG size, const char* what) {
  if (value == nullptr || size != sizeof(WS_XML_BUFFER*))
    return failure(
        errc::invalid_argument,
        std::string(what) + ": value is NULL or valueSize is not sizeof(WS_XML_BUFFER*)");
  WS_XML_BUFFER* buffer;
  std::memcpy(&buffer, value, sizeof buffer);
  if (capi::live(buffer) == nullptr)
    return failure(errc::invalid_argument, std::string(what) +
                                               ": not a valid WS_XML_BUFFER handle (NULL, freed or "
                                               "another type)");
  if (!buffer->single_element)
    return failure(errc::invalid_argument,
                   std::string(what) + ": the buffer must hold exactly one element");
  return std::string(buffer->element());
}

WS_DATETIME to_ws(const std::optional<core::datetime>& t) {
  WS_DATETIME out;
  out.ticks = t ? static_cast<ULONGLONG>(t->ticks) : 0;
  out.format = WS_DATETIME_FORMAT_UTC;
  return out;
}

}  // namespace

extern "C" {

HRESULT WINAPI WsCreateXmlSecurityToken(WS_XML_BUFFER* tokenXml, WS_SECURITY_KEY_HANDLE* tokenKey,
                                        const WS_XML_SECURITY_TOKEN_PROPERTY* properties,
                                        ULONG propertyCount, WS_SECURITY_TOKEN** token,
                                        WS_ERROR* error) {
  return capi::guard("WsCreateXmlSecurityToken", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(tokenXml) == nullptr) return c.bad_handle("tokenXml", "WS_XML_BUFFER");
    if (token == nullptr) return c.fail(errc::invalid_argument, "token is NULL");
    if (properties == nullptr && propertyCount != 0)
      return c.fail(errc::invalid_argument, "properties is NULL but propertyCount is not 0");
    if (!tokenXml->single_element)
      return c.fail(errc::invalid_argument, "tokenXml must hold exactly one element (it holds " +
                                                std::to_string(tokenXml->element_count) +
                                                ", or text beside it)");

    auto t = std::make_shared<core::issued_token>();
    t->xml.assign(tokenXml->element());
    if (tokenKey != nullptr) {
      switch (capi::raw(tokenKey->keyHandleType)) {
        case WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE_TYPE: {
          const auto* raw = reinterpret_cast<const WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE*>(tokenKey);
          const WS_BYTES& key = raw->rawKeyBytes;
          if (key.length == 0 || key.bytes == nullptr || key.length > max_key_bytes)
            return c.fail(errc::invalid_argument, "the symmetric key must hold 1.." +
                                                      std::to_string(max_key_bytes) + " bytes");
          t->key = core::key_type::symmetric;
          t->proof_key = wst::detail::crypto::secure_bytes(key.bytes, key.length);
          t->key_size_bits = key.length * 8;
          break;
        }
        case WS_NCRYPT_ASYMMETRIC_SECURITY_KEY_HANDLE_TYPE:
        case WS_CAPI_ASYMMETRIC_SECURITY_KEY_HANDLE_TYPE:
          return c.fail(errc::not_supported, "NCrypt and CAPI key handles (Windows only)");
        default:
          return c.fail(errc::invalid_argument, "unknown WS_SECURITY_KEY_HANDLE_TYPE");
      }
    }

    bool seen[5] = {};
    for (ULONG i = 0; i < propertyCount; ++i) {
      const auto& p = properties[i];
      const int id = capi::raw(p.id);
      if (id < WS_XML_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE ||
          id > WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME)
        return c.fail(errc::invalid_argument,
                      "unknown WS_XML_SECURITY_TOKEN_PROPERTY_ID " + std::to_string(id));
      if (seen[id])
        return c.fail(errc::invalid_argument, "property " + std::to_string(id) + " given twice");
      seen[id] = true;
      switch (id) {
        case WS_XML_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE:
        case WS_XML_SECURITY_TOKEN_PROPERTY_UNATTACHED_REFERENCE: {
          const bool attached = id == WS_XML_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE;
          auto e = element_of(p.value, p.valueSize,
                              attached ? "WS_XML_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE"
                                       : "WS_XML_SECURITY_TOKEN_PROPERTY_UNATTACHED_REFERENCE");
          if (!e) return c.fail(e.error());
          (attached ? t->attached_reference : t->unattached_reference) = std::move(*e);
          break;
        }
        case WS_XML_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME:
        case WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME: {
          const bool from = id == WS_XML_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME;
          auto d = datetime_of(p.value, p.valueSize,
                               from ? "WS_XML_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME"
                                    : "WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME");
          if (!d) return c.fail(d.error());
          (from ? t->valid_from : t->valid_till) = *d;
          break;
        }
      }
    }
    if (t->valid_from && t->valid_till && t->valid_till->ticks < t->valid_from->ticks)
      return c.fail(errc::invalid_argument, "VALID_TILL_TIME lies before VALID_FROM_TIME");

    *token = capi::make_security_token(std::move(t)).release();
    return S_OK;
  });
}

HRESULT WINAPI WsGetSecurityTokenProperty(WS_SECURITY_TOKEN* securityToken,
                                          WS_SECURITY_TOKEN_PROPERTY_ID id, void* value,
                                          ULONG valueSize, WS_HEAP* heap, WS_ERROR* error) {
  return capi::guard("WsGetSecurityTokenProperty", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(securityToken) == nullptr)
      return c.bad_handle("securityToken", "WS_SECURITY_TOKEN");
    if (heap != nullptr && capi::live(heap) == nullptr) return c.bad_handle("heap", "WS_HEAP");
    const core::issued_token& t = *securityToken->token;

    auto write = [&](const auto& v) { return c.write_value(value, valueSize, v); };
    auto need_heap = [&]() -> HRESULT {
      if (heap == nullptr)
        return c.fail(errc::invalid_argument, "this property is returned on a heap: heap is NULL");
      if (value == nullptr) return c.fail(errc::invalid_argument, "value is NULL");
      return S_OK;
    };
    auto write_xml = [&](const std::string& element) -> HRESULT {
      if (HRESULT hr = need_heap(); FAILED(hr)) return hr;
      if (valueSize != sizeof(WS_XML_BUFFER*))
        return c.fail(errc::invalid_argument, "valueSize is not sizeof(WS_XML_BUFFER*)");
      WS_XML_BUFFER* buffer = nullptr;
      if (!element.empty()) {
        auto b = capi::make_element_buffer(*heap, element);
        if (!b) return c.fail(b.error());
        buffer = *b;
      }
      std::memcpy(value, &buffer, sizeof buffer);
      return S_OK;
    };

    switch (capi::raw(id)) {
      case WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE:
        return write(static_cast<WS_SECURITY_KEY_TYPE>(t.key));
      case WS_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME:
        return write(to_ws(t.valid_from));
      case WS_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME:
        return write(to_ws(t.valid_till));
      case WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML:
        return write_xml(t.xml);
      case WS_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE_XML:
        return write_xml(t.attached_reference);
      case WS_SECURITY_TOKEN_PROPERTY_UNATTACHED_REFERENCE_XML:
        return write_xml(t.unattached_reference);
      case WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY: {
        if (HRESULT hr = need_heap(); FAILED(hr)) return hr;
        if (valueSize != sizeof(WS_BYTES))
          return c.fail(errc::invalid_argument, "valueSize is not sizeof(WS_BYTES)");
        if (t.key != core::key_type::symmetric || t.proof_key.empty())
          return c.fail(errc::invalid_operation, "the token has no symmetric proof key");
        auto p = capi::heap_allocate(*heap, t.proof_key.size());
        if (!p) return c.fail(p.error());
        std::memcpy(*p, t.proof_key.data(), t.proof_key.size());
        WS_BYTES out;
        out.length = static_cast<ULONG>(t.proof_key.size());
        out.bytes = static_cast<BYTE*>(*p);
        std::memcpy(value, &out, sizeof out);
        return S_OK;
      }
    }
    return c.fail(errc::invalid_argument,
                  "unknown WS_SECURITY_TOKEN_PROPERTY_ID " + std::to_string(capi::raw(id)));
  });
}

void WINAPI WsFreeSecurityToken(WS_SECURITY_TOKEN* token) {
  if (capi::live(token) != nullptr) delete token;
}

}  // extern "C"
