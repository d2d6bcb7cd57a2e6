#include <wst/transport/url.hpp>

#include <arpa/inet.h>

namespace wst::detail::transport {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

failure bad(std::string_view url, const char* why) {
  std::string m(why);
  m += " in '";
  m.append(url.substr(0, 256));
  m += '\'';
  return failure(transport_errc::invalid_url, std::move(m));
}

bool is_dns_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

}  // namespace

result<endpoint> parse_url(std::string_view url, const scheme_registry& schemes) {
  if (url.size() > 8192) return bad(url.substr(0, 64), "URL longer than 8192 characters");
  for (char c : url) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return bad(url, "space, control or non-ASCII character");
  }
  endpoint e;
  std::size_t colon = url.find(':');
  if (colon == std::string_view::npos || !valid_scheme(url.substr(0, colon)))
    return bad(url, "missing or malformed scheme");
  e.scheme.assign(url.substr(0, colon));
  for (char& c : e.scheme)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  std::shared_ptr<wst::transport> t = schemes.find(e.scheme);
  if (!t) return bad(url, ("no transport registered for scheme '" + e.scheme + "'").c_str());
  const bool web = e.scheme == "http" || e.scheme == "https";

  std::string_view rest = url.substr(colon + 1);
  if (rest.substr(0, 2) != "//") return bad(url, "missing '//' after the scheme");
  rest.remove_prefix(2);
  std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (authority.find('@') != std::string_view::npos)
    return bad(url, "user information in the URL (credentials never go in URLs)");

  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad(url, "unterminated IPv6 literal");
    std::string literal(authority.substr(1, close - 1));
    unsigned char buf[16];
    if (literal.find('%') != std::string::npos || inet_pton(AF_INET6, literal.c_str(), buf) != 1)
      return bad(url, "invalid IPv6 literal");
    e.host = std::move(literal);
    e.ipv6_literal = true;
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad(url, "unexpected text after the IPv6 literal");
      port_text = after.substr(1);
    }
  } else {
    std::size_t pc = authority.find(':');
    std::string_view raw = authority.substr(0, pc);
    if (pc != std::string_view::npos) port_text = authority.substr(pc + 1);
    e.host.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%') {
        const bool room = i + 2 < raw.size();
        int hi = room ? hex_value(raw[i + 1]) : -1;
        int lo = room ? hex_value(raw[i + 2]) : -1;
        if (hi < 0 || lo < 0) return bad(url, "malformed percent-encoding in the host");
        char c = static_cast<char>(hi * 16 + lo);
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
          return bad(url, "control character in the host");
        e.host += c;
        i += 2;
      } else {
        e.host += raw[i];
      }
    }
    if (web) {
      if (e.host.empty()) return bad(url, "empty host");
      for (char& c : e.host) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        if (!is_dns_char(c)) return bad(url, "invalid character in the host name");
      }
    }
  }

  if (!port_text.empty()) {
    unsigned long v = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return bad(url, "port is not a number");
      v = v * 10 + static_cast<unsigned long>(c - '0');
      if (v > 65535) return bad(url, "port out of range");
    }
    if (v == 0) return bad(url, "port 0");
    e.port = static_cast<std::uint16_t>(v);
    e.explicit_port = true;
  } else {
    e.port = t->default_port();
  }

  std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  if (rest.empty() || rest[0] == '?') e.target = "/";
  e.target.append(rest);
  for (std::size_t i = 0; i < e.target.size(); ++i)
    if (e.target[i] == '%' && (i + 2 >= e.target.size() || hex_value(e.target[i + 1]) < 0 ||
                               hex_value(e.target[i + 2]) < 0))
      return bad(url, "malformed percent-encoding in the path");
  return e;
}

}  // namespace wst::detail::transport
