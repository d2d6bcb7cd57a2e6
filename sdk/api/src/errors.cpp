#include "conversion.hpp"

#include <wst/actors/errors.hpp>
#include <wst/core/errors.hpp>
#include <wst/http/errc.hpp>
#include <wst/tls/context.hpp>
#include <wst/transport.hpp>
#include <wst/xml/reader.hpp>

namespace wst {
namespace {

class wst_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_options: return "invalid request options";
      case errc::not_supported: return "not supported";
      case errc::invalid_url: return "invalid STS URL";
      case errc::tls_configuration: return "TLS configuration cannot be loaded";
      case errc::host_not_found: return "STS host not found";
      case errc::connection_failed: return "connection to the STS failed";
      case errc::timed_out: return "timed out";
      case errc::tls_verification_failed: return "the STS certificate did not verify";
      case errc::tls_failed: return "TLS handshake failed";
      case errc::busy: return "too many requests in flight, or the STS is busy";
      case errc::channel_unavailable: return "the channel to the STS is unavailable";
      case errc::http_error: return "the STS answered with an HTTP error";
      case errc::access_denied: return "the STS denied access";
      case errc::quota_exceeded: return "the reply exceeds a configured limit";
      case errc::invalid_response: return "the reply is not a valid WS-Trust response";
      case errc::unexpected_reply: return "the reply answers another message";
      case errc::fault_received: return "the STS returned a SOAP fault";
      case errc::server_fault: return "the STS reported an internal fault";
      case errc::token_expired: return "the issued token is expired";
      case errc::aborted: return "the request was aborted";
      case errc::shutting_down: return "the client is shutting down";
      case errc::internal_error: return "internal error";
    }
    return "unknown wst error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const wst_category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

bool is_retryable(std::error_code ec) noexcept {
  if (ec.category() != category()) return false;
  switch (static_cast<errc>(ec.value())) {
    case errc::host_not_found:
    case errc::connection_failed:
    case errc::timed_out:
    case errc::busy:
    case errc::channel_unavailable:
    case errc::unexpected_reply:
    case errc::server_fault:
    case errc::token_expired:
      return true;
    default:
      return false;
  }
}

std::string error::describe() const {
  std::string s = code.message();
  if (!message.empty()) {
    s += ": ";
    s += message;
  }
  return s;
}

namespace detail::api {
namespace {

errc from_actors(actors::errc e) {
  switch (e) {
    case actors::errc::invalid_state:
    case actors::errc::channel_faulted: return errc::channel_unavailable;
    case actors::errc::aborted: return errc::aborted;
    case actors::errc::timed_out: return errc::timed_out;
    case actors::errc::server_fault: return errc::server_fault;
    case actors::errc::token_expired: return errc::token_expired;
    case actors::errc::shutting_down: return errc::shutting_down;
    case actors::errc::actor_down:
    case actors::errc::runtime_failure: return errc::internal_error;
  }
  return errc::internal_error;
}

errc from_core(core::errc e) {
  switch (e) {
    case core::errc::invalid_description:
    case core::errc::invalid_existing_token:
    case core::errc::invalid_key_size:
    case core::errc::invalid_entropy_mode:
    case core::errc::invalid_parameters: return errc::invalid_options;
    case core::errc::not_supported: return errc::not_supported;
    case core::errc::invalid_state: return errc::internal_error;
    case core::errc::xml_limit_exceeded: return errc::quota_exceeded;
    case core::errc::fault_received: return errc::fault_received;
    case core::errc::relates_to_mismatch: return errc::unexpected_reply;
    default: return errc::invalid_response;
  }
}

errc from_transport(transport_errc e) {
  switch (e) {
    case transport_errc::eof:
    case transport_errc::connection_refused:
    case transport_errc::connection_reset:
    case transport_errc::io_error: return errc::connection_failed;
    case transport_errc::host_not_found: return errc::host_not_found;
    case transport_errc::timed_out: return errc::timed_out;
    case transport_errc::aborted: return errc::aborted;
    case transport_errc::tls_verification_failed: return errc::tls_verification_failed;
    case transport_errc::tls_handshake_failed:
    case transport_errc::tls_protocol_error: return errc::tls_failed;
    case transport_errc::message_too_large: return errc::quota_exceeded;
    case transport_errc::queue_full: return errc::busy;
    case transport_errc::invalid_url: return errc::invalid_url;
    case transport_errc::shutting_down: return errc::channel_unavailable;
    case transport_errc::scheme_registered: return errc::internal_error;
  }
  return errc::internal_error;
}

errc from_http(http::errc e) {
  switch (e) {
    case http::errc::malformed:
    case http::errc::truncated:
    case http::errc::unsupported:
    case http::errc::wrong_content_type:
    case http::errc::unsupported_charset: return errc::invalid_response;
    case http::errc::message_too_large:
    case http::errc::too_many_headers:
    case http::errc::header_too_large: return errc::quota_exceeded;
    case http::errc::redirect:
    case http::errc::endpoint_not_found:
    case http::errc::unexpected_status: return errc::http_error;
    case http::errc::basic_auth_required:
    case http::errc::digest_auth_required:
    case http::errc::ntlm_auth_required:
    case http::errc::negotiate_auth_required:
    case http::errc::auth_required:
    case http::errc::proxy_auth_required: return errc::access_denied;
    case http::errc::server_busy: return errc::busy;
    case http::errc::invalid_request: return errc::invalid_options;
  }
  return errc::internal_error;
}

}  // namespace

wst::errc public_code(std::error_code c) noexcept {
  const auto& cat = c.category();
  if (cat == wst::category()) return static_cast<errc>(c.value());
  if (cat == actors::category()) return from_actors(static_cast<actors::errc>(c.value()));
  if (cat == core::category()) return from_core(static_cast<core::errc>(c.value()));
  if (cat == transport_category()) return from_transport(static_cast<transport_errc>(c.value()));
  if (cat == http::category()) return from_http(static_cast<http::errc>(c.value()));
  if (cat == tls::category()) return errc::tls_configuration;
  if (cat == xml::category()) return errc::invalid_response;
  return errc::internal_error;
}

wst::error to_public(const failure& f) {
  wst::error e;
  e.code = make_error_code(public_code(f.code));
  e.cause = f.code;
  // The cause's own words first when they add something ("connection refused: connecting to
  // 'http://...'"), so nothing the layer said is lost.
  e.message = f.code.category() == wst::category() ? f.message : f.describe();
  return e;
}

}  // namespace detail::api
}  // namespace wst
