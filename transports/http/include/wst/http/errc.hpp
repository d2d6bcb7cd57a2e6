// Errors of the sans-I/O HTTP/1.1 codec (wst::detail::http).
#pragma once

#include <system_error>

namespace wst::detail::http {

enum class errc {
  malformed = 1,            // the bytes are not valid HTTP/1.1 (the message has llhttp's reason)
  message_too_large,        // the message exceeds the maximum message size (default 65,536)
  too_many_headers,         // more header fields than the configured maximum
  header_too_large,         // a start line or header field exceeds the configured maximum
  truncated,                // the connection ended before the message was complete
  unsupported,              // valid HTTP that wst does not speak (upgrade, CONNECT, 101)
  redirect,                 // 3xx status: redirects are not followed; the message names Location
  basic_auth_required,      // 401 whose WWW-Authenticate asks for Basic
  digest_auth_required,     // 401 whose WWW-Authenticate asks for Digest
  ntlm_auth_required,       // 401 whose WWW-Authenticate asks for NTLM
  negotiate_auth_required,  // 401 whose WWW-Authenticate asks for Negotiate (Kerberos/SPNEGO)
  auth_required,            // 401 without a recognised WWW-Authenticate scheme
  proxy_auth_required,      // 407 from a proxy
  endpoint_not_found,       // 404: nothing at that path
  server_busy,              // 503: the service is unavailable or overloaded (retryable later)
  unexpected_status,        // any other status that carries no SOAP reply
  invalid_request,          // a request to write has a field that cannot go on the wire
  wrong_content_type,       // a 2xx reply whose Content-Type is missing or not the SOAP media
                            // type of the request's version (application/soap+xml, text/xml)
  unsupported_charset,      // a 2xx reply whose Content-Type names a charset other than UTF-8
};

const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

}  // namespace wst::detail::http

namespace std {
template <>
struct is_error_code_enum<wst::detail::http::errc> : true_type {};
}  // namespace std
