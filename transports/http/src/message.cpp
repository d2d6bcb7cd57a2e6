#include <wst/http/message.hpp>

#include <string.h>

namespace wst::detail::http {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

void wipe(std::string& s) noexcept {
  s.resize(s.capacity());
  explicit_bzero(s.data(), s.size());
  s.clear();
}

const std::string* header_list::find(std::string_view name) const {
  for (const auto& h : v_)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

namespace {

// The auth-scheme tokens of one WWW-Authenticate value: the first token, and each token that
// follows a comma and is not followed by '=' (an auth-param has name=value).
template <class Fn>
void for_each_scheme(std::string_view v, Fn&& fn) {
  std::size_t i = 0;
  bool expect_scheme = true;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i < v.size() && v[i] == '"') {  // skip a quoted string (may contain commas)
      for (++i; i < v.size() && v[i] != '"'; ++i)
        if (v[i] == '\\') ++i;
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < v.size() && v[i] != ' ' && v[i] != '\t' && v[i] != ',' && v[i] != '=' && v[i] != '"')
      ++i;
    std::string_view token = v.substr(start, i - start);
    std::size_t j = i;
    while (j < v.size() && (v[j] == ' ' || v[j] == '\t')) ++j;
    bool is_param = j < v.size() && v[j] == '=' && !(j + 1 < v.size() && v[j + 1] == '=');
    if (!token.empty() && expect_scheme && !is_param) {
      if (fn(token)) return;
      expect_scheme = false;
    }
    if (is_param) {  // skip the value: token68 padding '=' or a parameter value
      i = j + 1;
      while (i < v.size() && v[i] == '=') ++i;
      continue;
    }
    if (i < v.size() && v[i] == ',') {
      expect_scheme = true;
      ++i;
    } else if (i == start) {
      ++i;
    }
  }
}

std::string status_line(const response& r) {
  std::string s = "HTTP " + std::to_string(r.status);
  if (!r.reason.empty()) s += " " + r.reason;
  return s;
}

bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

// RFC 9110 tchar.
bool is_tchar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// A Content-Type value taken apart (RFC 9110 section 8.3.1).
struct media_type {
  std::string_view essence;  // "type/subtype" as received
  std::string charset;       // the first charset parameter other than UTF-8 (unquoted), if any
  bool foreign_charset = false;
};

// media-type = type "/" subtype parameters; parameters = *( OWS ";" OWS [ name "=" value ] ),
// value = token / quoted-string (an unquoted value may also hold the ':' and '/' of a URI).
// False when `v` does not follow it.
bool parse_media_type(std::string_view v, media_type& out) {
  std::size_t i = 0;
  auto token = [&]() {
    const std::size_t start = i;
    while (i < v.size() && is_tchar(v[i])) ++i;
    return v.substr(start, i - start);
  };
  auto skip_ows = [&]() {
    while (i < v.size() && is_ows(v[i])) ++i;
  };
  skip_ows();
  const std::size_t start = i;
  if (token().empty() || i == v.size() || v[i] != '/') return false;
  ++i;
  if (token().empty()) return false;
  out.essence = v.substr(start, i - start);
  for (;;) {
    skip_ows();
    if (i == v.size()) return true;
    if (v[i] != ';') return false;
    ++i;
    skip_ows();
    if (i == v.size() || v[i] == ';') continue;  // an empty parameter
    const std::string_view name = token();
    if (name.empty() || i == v.size() || v[i] != '=') return false;
    ++i;
    const bool charset = iequals(name, "charset");
    std::string value;
    if (i < v.size() && v[i] == '"') {
      for (++i;; ++i) {
        if (i == v.size()) return false;  // unterminated quoted-string
        if (v[i] == '"') break;
        if (v[i] == '\\' && ++i == v.size()) return false;
        if (charset) value += v[i];
      }
      ++i;
    } else {
      // Leniently any visible run up to the next ';': servers send unquoted URIs in action=.
      const std::size_t from = i;
      while (i < v.size() && v[i] != ';' && !is_ows(v[i]) && v[i] != '"' &&
             static_cast<unsigned char>(v[i]) > 0x20 && v[i] != 0x7f)
        ++i;
      if (i == from) return false;
      if (charset) value.assign(v.substr(from, i - from));
    }
    if (charset && !out.foreign_charset && !iequals(value, "utf-8")) {
      out.foreign_charset = true;
      out.charset = std::move(value);
    }
  }
}

// A received value for a message: at most 128 bytes, quoted.
std::string shown(std::string_view v) {
  constexpr std::size_t max = 128;
  std::string s = "'";
  s.append(v.substr(0, max));
  if (v.size() > max) s += "...";
  s += '\'';
  return s;
}

}  // namespace

result<void> check_soap_reply(const response& r, soap_version version) {
  if (auto status = check_status(r); !status) return status;
  if (r.status < 200 || r.status >= 300) return {};  // 400/500: the body decides
  const std::string_view expected =
      version == soap_version::soap12 ? "application/soap+xml" : "text/xml";
  const auto wanted = [&] {
    return std::string(version == soap_version::soap12 ? "; a SOAP 1.2 reply is "
                                                       : "; a SOAP 1.1 reply is ") +
           std::string(expected);
  };
  const std::string* ct = r.headers.find("Content-Type");
  if (!ct)
    return failure(errc::wrong_content_type, status_line(r) + " has no Content-Type" + wanted());
  media_type m;
  if (!parse_media_type(*ct, m))
    return failure(errc::wrong_content_type, status_line(r) + " has Content-Type " + shown(*ct) +
                                                 ", which is not a valid media type" + wanted());
  if (!iequals(m.essence, expected))
    return failure(errc::wrong_content_type,
                   status_line(r) + " has Content-Type " + shown(*ct) + wanted());
  if (m.foreign_charset)
    return failure(errc::unsupported_charset, status_line(r) + " has Content-Type " + shown(*ct) +
                                                  ": charset " + shown(m.charset) +
                                                  " is not UTF-8, the only one wst reads");
  return {};
}

result<void> check_status(const response& r) {
  if ((r.status >= 200 && r.status < 300) || r.status == 400 || r.status == 500) return {};
  if (r.status >= 300 && r.status < 400) {
    const std::string* loc = r.headers.find("Location");
    return failure(errc::redirect,
                   status_line(r) + " to " + (loc ? *loc : std::string("(no Location)")));
  }
  if (r.status == 401) {
    errc found = errc::auth_required;
    std::string offered;
    for (const auto& h : r.headers) {
      if (!iequals(h.name, "WWW-Authenticate")) continue;
      for_each_scheme(h.value, [&](std::string_view s) {
        if (!offered.empty()) offered += ", ";
        offered += s;
        if (found != errc::auth_required) return false;
        if (iequals(s, "Basic"))
          found = errc::basic_auth_required;
        else if (iequals(s, "Digest"))
          found = errc::digest_auth_required;
        else if (iequals(s, "NTLM"))
          found = errc::ntlm_auth_required;
        else if (iequals(s, "Negotiate"))
          found = errc::negotiate_auth_required;
        return false;
      });
    }
    return failure(found,
                   status_line(r) + "; schemes offered: " + (offered.empty() ? "none" : offered));
  }
  if (r.status == 407) return failure(errc::proxy_auth_required, status_line(r));
  if (r.status == 404) return failure(errc::endpoint_not_found, status_line(r));
  if (r.status == 503) return failure(errc::server_busy, status_line(r));
  return failure(errc::unexpected_status, status_line(r));
}

}  // namespace wst::detail::http
