#include <wst/transport.hpp>

namespace wst {
namespace {

class transport_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.transport"; }
  std::string message(int v) const override {
    switch (static_cast<transport_errc>(v)) {
      case transport_errc::eof:
        return "the peer closed the connection";
      case transport_errc::connection_refused:
        return "connection refused";
      case transport_errc::connection_reset:
        return "connection reset by the peer";
      case transport_errc::host_not_found:
        return "host not found";
      case transport_errc::timed_out:
        return "operation timed out";
      case transport_errc::aborted:
        return "operation aborted";
      case transport_errc::tls_verification_failed:
        return "TLS peer verification failed";
      case transport_errc::tls_handshake_failed:
        return "TLS handshake failed";
      case transport_errc::tls_protocol_error:
        return "TLS protocol error";
      case transport_errc::message_too_large:
        return "message exceeds the maximum size";
      case transport_errc::queue_full:
        return "every connection is busy and the wait queue is full";
      case transport_errc::invalid_url:
        return "invalid endpoint URL";
      case transport_errc::io_error:
        return "I/O error";
      case transport_errc::scheme_registered:
        return "a transport is already registered for this scheme";
      case transport_errc::shutting_down:
        return "the transport is shutting down";
    }
    return "unknown transport error";
  }
};

}  // namespace

const std::error_category& transport_category() noexcept {
  static const transport_category_impl instance;
  return instance;
}

std::error_code make_error_code(transport_errc e) noexcept {
  return {static_cast<int>(e), transport_category()};
}

std::string endpoint::authority() const {
  std::string s;
  s.reserve(host.size() + 8);
  if (ipv6_literal) s += '[';
  s += host;
  if (ipv6_literal) s += ']';
  if (explicit_port) {
    s += ':';
    s += std::to_string(port);
  }
  return s;
}

}  // namespace wst
