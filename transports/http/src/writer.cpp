#include <wst/http/writer.hpp>

namespace wst::detail::http {
namespace {

bool has_control(std::string_view s) {
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

bool valid_target(std::string_view s) {
  if (s.empty() || has_control(s)) return false;
  for (char c : s)
    if (c == ' ') return false;
  return true;
}

// Appends base64(a ":" b) to out without any intermediate buffer.
void append_basic_token(std::string& out, std::string_view a, std::string_view b) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::size_t n = a.size() + 1 + b.size();
  auto at = [&](std::size_t i) -> unsigned {
    if (i < a.size()) return static_cast<unsigned char>(a[i]);
    if (i == a.size()) return ':';
    return static_cast<unsigned char>(b[i - a.size() - 1]);
  };
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    unsigned v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (n - i == 1) {
    unsigned v = at(i) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (n - i == 2) {
    unsigned v = (at(i) << 16) | (at(i + 1) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
}

}  // namespace

result<std::string> write_soap_request(const soap_request& r) {
  if (!valid_target(r.target))
    return failure(errc::invalid_request,
                   "request target is empty or has spaces/control characters");
  if (r.host.empty() || !valid_target(r.host))
    return failure(errc::invalid_request, "Host is empty or has spaces/control characters");
  if (has_control(r.action) || r.action.find('"') != std::string_view::npos)
    return failure(errc::invalid_request, "SOAP action has a control character or a quote");
  if (r.credentials) {
    if (has_control(r.credentials->user) || r.credentials->user.find(':') != std::string::npos)
      return failure(errc::invalid_request, "Basic user name has ':' or a control character");
    if (has_control(r.credentials->password))
      return failure(errc::invalid_request, "Basic password has a control character");
  }

  std::string out;
  // Reserve everything up front: a reallocation would free a buffer holding the credentials
  // without wiping it. The fixed text is under 256 bytes.
  std::size_t creds = 0;
  if (r.credentials)
    creds = 4 * ((r.credentials->user.size() + r.credentials->password.size() + 3) / 3);
  out.reserve(r.target.size() + r.host.size() + r.action.size() + r.body.size() + creds + 256);
  out += "POST ";
  out += r.target;
  out += " HTTP/1.1\r\nHost: ";
  out += r.host;
  if (r.version == soap_version::soap11) {
    out += "\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"";
    out += r.action;
    out += '"';
  } else {
    out += "\r\nContent-Type: application/soap+xml; charset=utf-8";
    if (!r.action.empty()) {
      out += "; action=\"";
      out += r.action;
      out += '"';
    }
  }
  out += "\r\nContent-Length: ";
  out += std::to_string(r.body.size());
  out += r.keep_alive ? "\r\nConnection: keep-alive" : "\r\nConnection: close";
  if (r.credentials) {
    out += "\r\nAuthorization: Basic ";
    append_basic_token(out, r.credentials->user, r.credentials->password);
  }
  out += "\r\n\r\n";
  out += r.body;
  return out;
}

std::string write_response(int status, std::string_view reason, std::string_view content_type,
                           std::string_view body, bool keep_alive) {
  std::string out;
  out.reserve(reason.size() + content_type.size() + body.size() + 96);
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason;
  if (!content_type.empty()) {
    out += "\r\nContent-Type: ";
    out += content_type;
  }
  out += "\r\nContent-Length: ";
  out += std::to_string(body.size());
  if (!keep_alive) out += "\r\nConnection: close";
  out += "\r\n\r\n";
  out += body;
  return out;
}

}  // namespace wst::detail::http
