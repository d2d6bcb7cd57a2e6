// HTTP/1.1 messages as wst's codec produces and consumes them, and the limits that bound them.
#pragma once

#include <wst/base/result.hpp>
#include <wst/http/errc.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wst::detail::http {

// Bounds applied while a message is read; exceeding one is a precise error, never a crash.
struct limits {
  // Whole message on the wire: start line, header block, body and chunk framing (interim 1xx
  // responses included). WWSAPI's default maximum buffered message size.
  std::size_t max_message_size = 65536;
  std::size_t max_headers = 64;        // header fields per message (trailers included)
  std::size_t max_header_size = 8192;  // one field's name + value, or the start line
};

// The SOAP version of a request, and so the media type its reply must have.
enum class soap_version {
  soap11,  // Content-Type: text/xml; charset=utf-8 + SOAPAction: "<action>"
  soap12,  // Content-Type: application/soap+xml; charset=utf-8; action="<action>"
};

struct header {
  std::string name;   // as received (compare case-insensitively)
  std::string value;  // leading/trailing whitespace removed
};

class header_list {
 public:
  // The first field named `name` (ASCII case-insensitive), or nullptr.
  const std::string* find(std::string_view name) const;
  void add(std::string name, std::string value) {
    v_.push_back({std::move(name), std::move(value)});
  }
  void clear() { v_.clear(); }
  std::size_t size() const { return v_.size(); }
  bool empty() const { return v_.empty(); }
  auto begin() const { return v_.begin(); }
  auto end() const { return v_.end(); }
  const header& operator[](std::size_t i) const { return v_[i]; }

 private:
  std::vector<header> v_;
};

struct response {
  int status = 0;
  std::string reason;
  header_list headers;      // trailers of a chunked body are appended after the header fields
  std::string body;         // de-chunked
  bool keep_alive = false;  // the connection may carry another request afterwards
};

struct request {
  std::string method;  // e.g. "POST"
  std::string target;  // e.g. "/sts/trust"
  header_list headers;
  std::string body;
  bool keep_alive = false;
};

// Whether a final response carries a reply the SOAP layer should read (2xx, or a 400/500
// that may hold a SOAP fault). Otherwise the error that names the cause: 3xx -> redirect
// (with the Location), 401 -> the WWW-Authenticate scheme's own error (the first scheme
// offered that wst recognises), 407, 404, 503, anything else -> unexpected_status.
result<void> check_status(const response& r);

// Whether a final response is a SOAP reply to a request of `version`, in this order:
//   1. check_status: a status that carries no SOAP reply is its own error whatever its
//      Content-Type (a 401 stays an authentication error, a 3xx a redirect);
//   2. a 400 or 500 passes whatever its Content-Type: the SOAP layer reads the body, and a
//      body that is no SOAP envelope is reported with the status ("HTTP 500 ... without a
//      SOAP reply");
//   3. a 2xx must carry the media type of `version` - application/soap+xml for SOAP 1.2,
//      text/xml for SOAP 1.1, compared case-insensitively, parameters (action, charset, ...)
//      allowed - else errc::wrong_content_type (missing, another type, or a value that is not
//      a valid media type); a charset parameter other than UTF-8 is errc::unsupported_charset.
// The failure's message names the status, the Content-Type received and the one expected.
result<void> check_soap_reply(const response& r, soap_version version);

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

// Overwrites every byte `s` has allocated, then empties it. For buffers that held a secret.
void wipe(std::string& s) noexcept;

}  // namespace wst::detail::http
