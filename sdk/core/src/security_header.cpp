#include "security_header.hpp"

#include <wst/core/datetime.hpp>
#include <wst/core/timestamp_signature.hpp>
#include <wst/xml/writer.hpp>

#include "namespaces.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace wst::detail::core {
namespace {

// Values N of every "_N" / '_N' (1..9 digits) quoted in `text`, appended to `used`.
void collect_underscore_ids(std::string_view text, std::vector<std::uint32_t>& used) {
  for (std::size_t at = text.find('_'); at != std::string_view::npos; at = text.find('_', at + 1)) {
    if (at == 0 || (text[at - 1] != '"' && text[at - 1] != '\'')) continue;
    std::uint32_t n = 0;
    std::size_t end = at + 1;
    while (end < text.size() && end - at <= 9 && text[end] >= '0' && text[end] <= '9')
      n = n * 10 + static_cast<std::uint32_t>(text[end++] - '0');
    if (end > at + 1 && end < text.size() && text[end] == text[at - 1]) used.push_back(n);
  }
}

// The Timestamp's wsu:Id: "_0" as WCF writes it, unless a presented token already uses that
// value in a quoted attribute; then the smallest "_N" none of them uses, so "#_N" names the
// Timestamp alone.
std::string timestamp_id(std::string_view a, std::string_view b) {
  std::vector<std::uint32_t> used;
  collect_underscore_ids(a, used);
  collect_underscore_ids(b, used);
  std::sort(used.begin(), used.end());
  std::uint32_t n = 0;
  for (std::uint32_t u : used) {
    if (u == n) ++n;
    if (u > n) break;
  }
  return "_" + std::to_string(n);
}

void write_key_reference(std::string& out, const presented_token& t) {
  switch (t.form) {
    case reference_form::supplied:
      out += t.reference;
      return;
    case reference_form::saml11_assertion_id:
    case reference_form::saml20_id: {
      const bool v2 = t.form == reference_form::saml20_id;
      out += "<o:SecurityTokenReference";
      if (v2) {
        out += " k:TokenType=\"";
        out += ns::saml_v20_token_type;
        out += "\" xmlns:k=\"";
        out += ns::wsse11;
        out += '"';
      }
      out += "><o:KeyIdentifier ValueType=\"";
      out += v2 ? ns::saml_id : ns::saml_assertion_id;
      out += "\">";
      xml::escape_text(out, t.id);
      out += "</o:KeyIdentifier></o:SecurityTokenReference>";
      return;
    }
    case reference_form::sct_local_id:
      out += "<o:SecurityTokenReference><o:Reference URI=\"#";
      xml::escape_attribute(out, t.id);
      out += "\" ValueType=\"";
      out += ns::sct_type(t.sc);
      out += "\"/></o:SecurityTokenReference>";
      return;
    case reference_form::sct_identifier:
      append_sct_reference(out, t.id, t.instance, t.sc, false);
      return;
    case reference_form::none:
      return;  // validation refuses a keyed token without a reference
  }
}

// A ds:Signature over the Timestamp (see timestamp_signature.hpp) keyed by `key`, KeyInfo
// referring to `token`.
void write_signature(std::string& out, const crypto::secure_bytes& key,
                     std::string_view timestamp_id, std::string_view canonical_timestamp,
                     const presented_token& token) {
  const timestamp_signature sig = sign_timestamp(key, canonical_timestamp, timestamp_id, "ds");
  out += "<ds:Signature xmlns:ds=\"";
  out += xmldsig_namespace;
  out += "\">";
  append_signed_info(out, "ds", timestamp_id, sig.digest_value, false);
  out += "<ds:SignatureValue>";
  out += sig.signature_value;
  out += "</ds:SignatureValue><ds:KeyInfo>";
  write_key_reference(out, token);
  out += "</ds:KeyInfo></ds:Signature>";
}

}  // namespace

bool needs_security_header(const request_description& d) noexcept {
  return d.username || d.supporting || d.action == request_action::renew_context;
}

void append_sct_reference(std::string& out, std::string_view uri, std::string_view instance,
                          secure_conversation_version sc, bool declare_wsse) {
  out += "<o:SecurityTokenReference";
  if (declare_wsse) {
    out += " xmlns:o=\"";
    out += ns::wsse;
    out += '"';
  }
  out += "><o:Reference URI=\"";
  xml::escape_attribute(out, uri);
  out += "\" ValueType=\"";
  out += ns::sct_type(sc);
  out += '"';
  if (!instance.empty()) {
    out += " c:Instance=\"";
    xml::escape_attribute(out, instance);
    out += "\" xmlns:c=\"";
    out += ns::sc(sc);
    out += '"';
  }
  out += "/></o:SecurityTokenReference>";
}

void write_security_header(std::string& out, const request_description& d,
                           const request_facts& facts, environment& env) {
  const bool renew = d.action == request_action::renew_context;
  const bool supporting = d.supporting.has_value();
  const bool sign_supporting = supporting && !d.supporting->proof_key.empty();

  const auto now = env.now();
  std::string created, expires;
  append_xsd_datetime_millis(created, now);
  append_xsd_datetime_millis(expires, now + std::chrono::minutes(5));
  const std::string id = renew || supporting
                             ? timestamp_id(renew ? facts.existing.xml : std::string_view(),
                                            supporting ? facts.supporting.xml : std::string_view())
                             : std::string();

  out += "<o:Security s:mustUnderstand=\"1\" xmlns:o=\"";
  out += ns::wsse;
  out += "\" xmlns:u=\"";
  out += ns::wsu;
  out += "\">";
  append_timestamp(out, "u", id, created, expires, false);
  if (d.username) {
    out += "<o:UsernameToken><o:Username>";
    xml::escape_text(out, d.username->username);
    out += "</o:Username><o:Password Type=\"";
    out += ns::password_text;
    out += "\">";
    const auto& pw = d.username->password;
    xml::escape_text(out, std::string_view(reinterpret_cast<const char*>(pw.data()), pw.size()));
    out += "</o:Password></o:UsernameToken>";
  }
  // Tokens before the signatures that refer to them (MS-LWSSP: declare before use).
  if (renew) out += facts.existing.xml;
  if (supporting) out += facts.supporting.xml;
  if (renew || sign_supporting) {
    std::string canonical;
    canonical.reserve(200 + id.size());
    append_timestamp(canonical, "u", id, created, expires, true);
    if (renew) write_signature(out, d.existing->proof_key, id, canonical, facts.existing);
    if (sign_supporting)
      write_signature(out, d.supporting->proof_key, id, canonical, facts.supporting);
  }
  out += "</o:Security>";
}

std::size_t security_header_size_estimate(const request_description& d) noexcept {
  if (!needs_security_header(d)) return 0;
  constexpr std::size_t signature = 1300;  // ds:Signature with a built reference
  std::size_t n = 400;
  if (d.username) n += 200 + d.username->username.size() + d.username->password.size();
  if (d.action == request_action::renew_context && d.existing)
    n += d.existing->xml.size() + d.existing->attached_reference.size() + signature;
  if (d.supporting) {
    n += d.supporting->xml.size();
    if (!d.supporting->proof_key.empty()) n += d.supporting->attached_reference.size() + signature;
  }
  return n;
}

}  // namespace wst::detail::core
