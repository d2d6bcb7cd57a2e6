#include <wst/capi/errors.hpp>

#include <wst/actors/errors.hpp>
#include <wst/core/errors.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/http/errc.hpp>
#include <wst/tls/context.hpp>
#include <wst/transport.hpp>
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
    case errc::invalid_supporting_token:
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

HRESULT from_actors(actors::errc e) noexcept {
  using actors::errc;
  switch (e) {
    case errc::invalid_state:
      return WS_E_INVALID_OPERATION;
    case errc::channel_faulted:
      return WS_E_OBJECT_FAULTED;
    case errc::aborted:
    case errc::shutting_down:
    case errc::actor_down:
      return WS_E_OPERATION_ABORTED;
    case errc::timed_out:
      return WS_E_OPERATION_TIMED_OUT;
    case errc::server_fault:
      return WS_E_ENDPOINT_FAULT_RECEIVED;
    case errc::token_expired:
      return WS_E_SECURITY_TOKEN_EXPIRED;
    case errc::runtime_failure:
      return WS_E_OTHER;
  }
  return E_FAIL;
}

HRESULT from_transport(transport_errc e) noexcept {
  switch (e) {
    case transport_errc::eof:
    case transport_errc::connection_reset:
      return WS_E_ENDPOINT_DISCONNECTED;
    case transport_errc::connection_refused:
      return WS_E_ENDPOINT_UNREACHABLE;
    case transport_errc::host_not_found:
      return WS_E_ENDPOINT_NOT_FOUND;
    case transport_errc::timed_out:
      return WS_E_OPERATION_TIMED_OUT;
    case transport_errc::aborted:
    case transport_errc::shutting_down:
      return WS_E_OPERATION_ABORTED;
    case transport_errc::tls_verification_failed:
    case transport_errc::tls_handshake_failed:
      return WS_E_SECURITY_VERIFICATION_FAILURE;
    case transport_errc::tls_protocol_error:
      return WS_E_INVALID_FORMAT;
    case transport_errc::message_too_large:
    case transport_errc::queue_full:
      return WS_E_QUOTA_EXCEEDED;
    case transport_errc::invalid_url:
      return WS_E_INVALID_ENDPOINT_URL;
    case transport_errc::io_error:
      return WS_E_OTHER;
    case transport_errc::scheme_registered:
      return E_INVALIDARG;
  }
  return E_FAIL;
}

HRESULT from_http(http::errc e) noexcept {
  using http::errc;
  switch (e) {
    case errc::malformed:
    case errc::wrong_content_type:
    case errc::unsupported_charset:
      return WS_E_INVALID_FORMAT;
    case errc::message_too_large:
    case errc::too_many_headers:
    case errc::header_too_large:
      return WS_E_QUOTA_EXCEEDED;
    case errc::truncated:
      return WS_E_ENDPOINT_DISCONNECTED;
    case errc::unsupported:
      return WS_E_NOT_SUPPORTED;
    case errc::redirect:
    case errc::endpoint_not_found:
      return WS_E_ENDPOINT_NOT_FOUND;
    case errc::basic_auth_required:
      return WS_E_SERVER_REQUIRES_BASIC_AUTH;
    case errc::digest_auth_required:
      return WS_E_SERVER_REQUIRES_DIGEST_AUTH;
    case errc::ntlm_auth_required:
      return WS_E_SERVER_REQUIRES_NTLM_AUTH;
    case errc::negotiate_auth_required:
      return WS_E_SERVER_REQUIRES_NEGOTIATE_AUTH;
    case errc::auth_required:
      return WS_E_ENDPOINT_ACCESS_DENIED;
    case errc::proxy_auth_required:
      return WS_E_PROXY_ACCESS_DENIED;
    case errc::server_busy:
      return WS_E_ENDPOINT_TOO_BUSY;
    case errc::unexpected_status:
      return WS_E_ENDPOINT_FAILURE;
    case errc::invalid_request:
      return E_INVALIDARG;
  }
  return E_FAIL;
}

HRESULT from_tls(tls::errc e) noexcept {
  using tls::errc;
  switch (e) {
    case errc::file_unreadable:
    case errc::invalid_certificate:
    case errc::invalid_private_key:
    case errc::invalid_crl:
    case errc::missing_credentials:
      return E_INVALIDARG;  // the channel's TLS configuration names something unusable
    case errc::trust_store_unavailable:
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
  if (cat == actors::category()) return from_actors(static_cast<actors::errc>(ec.value()));
  if (cat == transport_category()) return from_transport(static_cast<transport_errc>(ec.value()));
  if (cat == http::category()) return from_http(static_cast<http::errc>(ec.value()));
  if (cat == tls::category()) return from_tls(static_cast<tls::errc>(ec.value()));
  if (ec == std::errc::not_enough_memory) return E_OUTOFMEMORY;
  return E_FAIL;
}

}  // namespace wst::detail::capi
