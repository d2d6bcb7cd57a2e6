#include <wst/capi/errors.hpp>

#include <wst/core/errors.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/xml/reader.hpp>

#include <string>

namespace wst::detail::capi {
namespace {

class capi_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.capi"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_argument:
        return "invalid argument";
      case errc::out_of_memory:
        return "out of memory";
      case errc::quota_exceeded:
        return "quota exceeded";
      case errc::invalid_format:
        return "invalid format";
      case errc::invalid_operation:
        return "invalid operation";
      case errc::not_supported:
        return "not supported";
    }
    return "unknown wst.capi error";
  }
};

HRESULT from_capi(errc e) noexcept {
  switch (e) {
    case errc::invalid_argument:
      return E_INVALIDARG;
    case errc::out_of_memory:
      return E_OUTOFMEMORY;
    case errc::quota_exceeded:
      return WS_E_QUOTA_EXCEEDED;
    case errc::invalid_format:
      return WS_E_INVALID_FORMAT;
    case errc::invalid_operation:
      return WS_E_INVALID_OPERATION;
    case errc::not_supported:
      return WS_E_NOT_SUPPORTED;
  }
  return E_FAIL;
}

HRESULT from_xml(xml::errc e) noexcept {
  switch (e) {
    case xml::errc::too_large:
    case xml::errc::too_deep:
    case xml::errc::too_many_attributes:
    case xml::errc::too_many_namespaces:
    case xml::errc::too_many_nodes:
      return WS_E_QUOTA_EXCEEDED;
    default:
      return WS_E_INVALID_FORMAT;
  }
}

HRESULT from_core(core::errc e) noexcept {
  using core::errc;
  switch (e) {
    case errc::invalid_description:
    case errc::invalid_existing_token:
    case errc::invalid_key_size:
    case errc::invalid_entropy_mode:
    case errc::invalid_parameters:
      return E_INVALIDARG;
    case errc::not_supported:
      return WS_E_NOT_SUPPORTED;
    case errc::invalid_state:
      return WS_E_INVALID_OPERATION;
    case errc::xml_limit_exceeded:
      return WS_E_QUOTA_EXCEEDED;
    case errc::fault_received:
      return WS_E_ENDPOINT_FAULT_RECEIVED;
    default:
      return WS_E_INVALID_FORMAT;  // every other code describes a reply that does not fit
  }
}

HRESULT from_crypto(crypto::errc e) noexcept {
  using crypto::errc;
  switch (e) {
    case errc::bad_base64:
      return WS_E_INVALID_FORMAT;
    case errc::bad_key:
    case errc::bad_length:
    case errc::bad_text:
      return E_INVALIDARG;
    case errc::signature_invalid:
      return WS_E_SECURITY_VERIFICATION_FAILURE;
    case errc::backend_failure:
      return WS_E_SECURITY_SYSTEM_FAILURE;
  }
  return E_FAIL;
}

}  // namespace

const std::error_category& category() noexcept {
  static const capi_category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

HRESULT hresult_of(const std::error_code& ec) noexcept {
  if (!ec) return S_OK;
  const auto& cat = ec.category();
  if (cat == category()) return from_capi(static_cast<errc>(ec.value()));
  if (cat == xml::category()) return from_xml(static_cast<xml::errc>(ec.value()));
  if (cat == core::category()) return from_core(static_cast<core::errc>(ec.value()));
  if (cat == crypto::category()) return from_crypto(static_cast<crypto::errc>(ec.value()));
  if (ec == std::errc::not_enough_memory) return E_OUTOFMEMORY;
  return E_FAIL;
}

}  // namespace wst::detail::capi
