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

}  // namespace

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
