#include <wst/http/errc.hpp>

#include <string>

namespace wst::detail::http {
namespace {

class category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.http"; }
  std::string message(int v) const override {
    switch (static_cast<errc>(v)) {
      case errc::malformed:
        return "malformed HTTP message";
      case errc::message_too_large:
        return "HTTP message exceeds the maximum message size";
      case errc::too_many_headers:
        return "too many HTTP header fields";
      case errc::header_too_large:
        return "HTTP header field too large";
      case errc::truncated:
        return "connection closed before the HTTP message was complete";
      case errc::unsupported:
        return "unsupported HTTP feature";
      case errc::redirect:
        return "HTTP redirect (not followed)";
      case errc::basic_auth_required:
        return "server requires HTTP Basic authentication";
      case errc::digest_auth_required:
        return "server requires HTTP Digest authentication";
      case errc::ntlm_auth_required:
        return "server requires NTLM authentication";
      case errc::negotiate_auth_required:
        return "server requires Negotiate authentication";
      case errc::auth_required:
        return "server requires HTTP authentication";
      case errc::proxy_auth_required:
        return "proxy requires authentication";
      case errc::endpoint_not_found:
        return "HTTP 404: endpoint not found";
      case errc::server_busy:
        return "HTTP 503: service unavailable";
      case errc::unexpected_status:
        return "unexpected HTTP status";
      case errc::invalid_request:
        return "invalid HTTP request field";
      case errc::wrong_content_type:
        return "the reply's content type is not that of a SOAP message";
      case errc::unsupported_charset:
        return "the reply's content type names a character set other than UTF-8";
    }
    return "unknown HTTP error";
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

}  // namespace wst::detail::http
