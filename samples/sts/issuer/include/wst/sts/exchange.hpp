// One HTTP exchange as the sample STS sees it, without any I/O: the request fields it reads
// and the response it produces. The server (samples/sts/main) fills http_request from its
// HTTP parser and sends serialize(response); tests call the engine directly.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wst::detail::sts {

// Views into the caller's buffers; they only need to live for the duration of the call.
struct http_request {
  std::string_view method = "POST";
  std::string_view target = "/";
  std::string_view content_type;   // Content-Type value; SOAP 1.2 may carry action="..."
  std::string_view soap_action;    // SOAPAction value (quoted or not); empty when absent
  std::string_view authorization;  // Authorization value (HTTP Basic); empty when absent
  std::string_view body;
};

struct http_response {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::string body;
  // Further header fields (for example WWW-Authenticate on 401, Allow on 405).
  std::vector<std::pair<std::string, std::string>> headers;
};

// The standard reason phrase for `status` ("OK", "Internal Server Error", ...).
std::string_view reason_phrase(int status) noexcept;

// The response on the wire: status line, Content-Type (when set), Content-Length, the extra
// headers, "Connection: close" when !keep_alive, a blank line and the body.
std::string serialize(const http_response& r, bool keep_alive);

}  // namespace wst::detail::sts
