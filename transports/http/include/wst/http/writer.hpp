// Serializers: the SOAP POST a client sends and the response a (test or sample) server sends.
#pragma once

#include <wst/base/result.hpp>
#include <wst/http/message.hpp>

#include <string>
#include <string_view>

namespace wst::detail::http {

// HTTP Basic credentials (RFC 7617). Both fields are wiped when the object dies.
struct basic_credentials {
  std::string user;      // must not contain ':' or control characters
  std::string password;  // must not contain control characters
  basic_credentials() = default;
  basic_credentials(std::string u, std::string p) : user(std::move(u)), password(std::move(p)) {}
  basic_credentials(const basic_credentials&) = default;
  basic_credentials& operator=(const basic_credentials&) = default;
  ~basic_credentials() {
    wipe(user);
    wipe(password);
  }
};

struct soap_request {
  std::string_view target = "/";  // request-target: path and query
  std::string_view host;          // Host header value (host[:port])
  std::string_view action;        // SOAP action URI; empty sends SOAPAction: "" / no action param
  std::string_view body;          // the envelope
  soap_version version = soap_version::soap12;
  const basic_credentials* credentials = nullptr;  // adds Authorization: Basic when set
  bool keep_alive = true;                          // false adds Connection: close
};

// The complete request: request line, Host, Content-Type (+ SOAPAction for 1.1),
// Content-Length, Connection, optional Authorization, blank line, body. Fields that would
// break the framing (CR, LF, NUL, a '"' in the action, a ':' in the user name) are
// errc::invalid_request. When credentials are given the returned buffer holds them: send it
// with byte_stream::write_sensitive and wipe() any copy. No intermediate copy of the
// credentials survives this call.
result<std::string> write_soap_request(const soap_request& r);

// A response for servers (the sample STS, tests, benchmarks): status line, Content-Type when
// not empty, Content-Length, Connection: close when !keep_alive, blank line, body.
std::string write_response(int status, std::string_view reason, std::string_view content_type,
                           std::string_view body, bool keep_alive = true);

}  // namespace wst::detail::http
