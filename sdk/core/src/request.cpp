#include <wst/core/request.hpp>

#include <wst/core/errors.hpp>
#include <wst/xml/reader.hpp>

#include "namespaces.hpp"
#include "text.hpp"
#include "validation.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace wst::detail::core {
namespace {

constexpr std::uint64_t high_bits = 0x8080808080808080u;
constexpr std::uint64_t each_byte(unsigned char b) { return 0x0101010101010101u * b; }

std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

bool has_control_char(std::string_view s) noexcept {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return true;
  return false;
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): the RST is
// UTF-8 and every caller string lands in it.
bool is_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    // ASCII eight bytes at a time (no byte with the high bit set).
    while (s.size() - i >= 8 && (load8(s.data() + i) & high_bits) == 0) i += 8;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1, cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2, cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

// An absolute URI: scheme ":" rest, no whitespace or control characters. Non-ASCII is let
// through (IRIs); XML escaping happens when written.
bool is_absolute_uri(std::string_view s) noexcept {
  const auto colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == s.size()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(s[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = s[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  // No byte <= 0x20 or 0x7f. A word of bytes in 0x21..0x7e passes at once: none has the high
  // bit, none borrows when 0x21 is taken from it, none reaches 0x80 when 1 is added to it.
  for (std::size_t i = 0; i < s.size();) {
    if (s.size() - i >= 8) {
      const std::uint64_t w = load8(s.data() + i);
      if (((w | (w - each_byte(0x21)) | (w + each_byte(0x01))) & high_bits) == 0) {
        i += 8;
        continue;
      }
    }
    for (const std::size_t end = std::min(s.size(), i + 8); i < end; ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c <= 0x20 || c == 0x7f) return false;
    }
  }
  return true;
}

result<void> check_uri(std::string_view field, std::string_view value) {
  if (!is_utf8(value))
    return failure(errc::invalid_description, std::string(field) + " is not valid UTF-8");
  if (is_absolute_uri(value)) return {};
  std::string m(field);
  m += " must be an absolute URI without whitespace, got '";
  m.append(value.substr(0, 200));
  m += '\'';
  return failure(errc::invalid_description, std::move(m));
}

result<void> check_parameters(std::string_view field, const std::string& xml_text) {
  if (xml_text.empty()) return {};
  std::string wrapped;
  // xmlns="": in the RST no default namespace is in scope, so unprefixed elements of the
  // parameters are in no namespace.
  wrapped.reserve(xml_text.size() + 17);
  wrapped += "<p xmlns=\"\">";
  wrapped += xml_text;
  wrapped += "</p>";
  auto doc = xml::parse(wrapped);
  if (!doc) {
    return failure(errc::invalid_parameters, std::string(field) + ": " + doc.error().describe());
  }
  if (!is_blank(doc->root().text())) {
    return failure(errc::invalid_parameters,
                   std::string(field) + ": character data outside elements");
  }
  return {};
}

// The element itself inside `text`: without a BOM, XML declaration or surrounding whitespace.
std::string_view element_bytes(std::string_view text, const xml::element& root) {
  return text.substr(root.offset(), root.raw().size());
}

// A caller-supplied token reference: exactly one wsse:SecurityTokenReference element.
result<std::string_view> check_reference(errc code, std::string_view field, std::string_view text) {
  auto ref = xml::parse(text);
  if (!ref || !ref->root().is(ns::wsse, "SecurityTokenReference")) {
    return failure(code, std::string(field) + " must be one wsse:SecurityTokenReference element");
  }
  return element_bytes(text, ref->root());
}

result<void> check_proof_key(errc code, std::string_view field, const crypto::secure_bytes& key) {
  if (key.size() <= max_key_size_bits / 8) return {};
  return failure(code, std::string(field) + " is " + std::to_string(key.size()) +
                           " bytes long; at most " + std::to_string(max_key_size_bits / 8) +
                           " are accepted");
}

struct sct_ids {
  std::string identifier;
  std::string instance;  // empty when absent
  std::string local_id;  // wsu:Id, empty when absent
};

// The ids of an SCT element: exactly one Identifier and at most one Instance, both absolute
// URIs, and its wsu:Id if any. `what` names the token in messages.
result<sct_ids> read_sct_ids(const xml::element& sct, std::string_view scns, errc code,
                             const std::string& what) {
  if (sct.count_children(scns, "Identifier") != 1)
    return failure(code, what + " must have exactly one Identifier");
  sct_ids ids;
  const std::string id_text = sct.child(scns, "Identifier").text();
  ids.identifier = std::string(trim(id_text));
  if (ids.identifier.empty() || !is_absolute_uri(ids.identifier))
    return failure(code, what + " Identifier must be an absolute URI");
  if (sct.count_children(scns, "Instance") > 1)
    return failure(code, what + " has more than one Instance");
  if (auto inst = sct.child(scns, "Instance")) {
    const std::string t = inst.text();
    ids.instance = std::string(trim(t));
    if (!is_absolute_uri(ids.instance))
      return failure(code, what + " Instance must be an absolute URI");
  }
  if (auto local = sct.attribute(ns::wsu, "Id")) ids.local_id = std::string(trim(*local));
  return ids;
}

// KeyInfo refers to an SCT in the Security header by its wsu:Id (MS-LWSSP 2.2.1.5: references
// from within the Security header are message-specific); an SCT without one by its Identifier.
void refer_to_sct(presented_token& t, sct_ids&& ids, secure_conversation_version v) {
  t.sc = v;
  if (!ids.local_id.empty()) {
    t.form = reference_form::sct_local_id;
    t.id = std::move(ids.local_id);
  } else {
    t.form = reference_form::sct_identifier;
    t.id = std::move(ids.identifier);
    t.instance = std::move(ids.instance);
  }
}

result<void> check_existing(const request_description& d, request_facts* facts) {
  if (d.action != request_action::renew_context) {
    if (d.existing) {
      return failure(errc::invalid_existing_token,
                     "an existing token is only used with renew_context");
    }
    return {};
  }
  if (!d.existing || d.existing->xml.empty())
    return failure(errc::invalid_existing_token, "renew_context needs the SCT to renew");
  const existing_token& e = *d.existing;

  auto doc = xml::parse(e.xml);
  if (!doc) {
    return failure(errc::invalid_existing_token,
                   "existing token is not well-formed XML: " + doc.error().describe());
  }
  const xml::element sct = doc->root();
  const std::string_view scns = ns::sc(d.secure_conversation);
  if (!sct.is(scns, "SecurityContextToken")) {
    std::string m = "existing token must be a SecurityContextToken in ";
    m += scns;
    m += ", got {";
    m += sct.namespace_uri();
    m += '}';
    m += sct.local_name();
    return failure(errc::invalid_existing_token, std::move(m));
  }
  auto ids = read_sct_ids(sct, scns, errc::invalid_existing_token, "the SCT");
  if (!ids) return std::move(ids).error();

  if (e.proof_key.empty()) {
    return failure(errc::invalid_existing_token,
                   "renew_context needs the SCT's proof key: WS-SecureConversation requires the "
                   "renew request to prove possession of the SCT, so it is signed with that key");
  }
  if (auto r = check_proof_key(errc::invalid_existing_token, "the SCT's proof key", e.proof_key);
      !r)
    return r;

  std::string_view unattached, attached;
  if (!e.unattached_reference.empty()) {
    auto ref = check_reference(errc::invalid_existing_token, "unattached_reference",
                               e.unattached_reference);
    if (!ref) return std::move(ref).error();
    unattached = *ref;
  }
  if (!e.attached_reference.empty()) {
    auto ref =
        check_reference(errc::invalid_existing_token, "attached_reference", e.attached_reference);
    if (!ref) return std::move(ref).error();
    attached = *ref;
  }
  if (facts) {
    facts->renew.reference = unattached;
    facts->renew.identifier = ids->identifier;
    facts->renew.instance = ids->instance;
    presented_token& t = facts->existing;
    t.xml = element_bytes(e.xml, sct);
    if (!attached.empty()) {
      t.form = reference_form::supplied;
      t.reference = attached;
    } else {
      refer_to_sct(t, std::move(*ids), d.secure_conversation);
    }
  }
  return {};
}

result<void> check_supporting(const request_description& d, request_facts* facts) {
  if (!d.supporting) return {};
  const supporting_token& s = *d.supporting;
  constexpr errc code = errc::invalid_supporting_token;
  if (s.xml.empty()) return failure(code, "the supporting token's XML is empty");
  auto doc = xml::parse(s.xml);
  if (!doc) {
    return failure(code, "the supporting token is not well-formed XML: " + doc.error().describe());
  }
  if (auto r = check_proof_key(code, "the supporting token's proof key", s.proof_key); !r) return r;

  const xml::element root = doc->root();
  presented_token t;
  t.xml = element_bytes(s.xml, root);
  if (!s.attached_reference.empty()) {
    auto ref =
        check_reference(code, "the supporting token's attached_reference", s.attached_reference);
    if (!ref) return std::move(ref).error();
    t.form = reference_form::supplied;
    t.reference = *ref;
  } else if (root.is(ns::saml11, "Assertion") || root.is(ns::saml20, "Assertion")) {
    const bool v2 = root.namespace_uri() == ns::saml20;
    const auto id = root.attribute("", v2 ? "ID" : "AssertionID");
    if (id && !trim(*id).empty()) {
      t.form = v2 ? reference_form::saml20_id : reference_form::saml11_assertion_id;
      t.id = std::string(trim(*id));
    } else if (!s.proof_key.empty()) {
      return failure(code, std::string("the supporting SAML ") + (v2 ? "2.0" : "1.1") +
                               " assertion has no " + (v2 ? "ID" : "AssertionID") +
                               " for the signature to refer to");
    }
  } else {
    for (auto v : {secure_conversation_version::feb2005, secure_conversation_version::v1_3}) {
      if (!root.is(ns::sc(v), "SecurityContextToken")) continue;
      auto ids = read_sct_ids(root, ns::sc(v), code, "the supporting SCT");
      if (!ids) return std::move(ids).error();
      refer_to_sct(t, std::move(*ids), v);
    }
  }
  if (t.form == reference_form::none && !s.proof_key.empty()) {
    std::string m = "the core cannot build a reference to a {";
    m += root.namespace_uri();
    m += '}';
    m += root.local_name();
    m += " token for its signature; give its attached_reference";
    return failure(code, std::move(m));
  }
  if (facts) facts->supporting = std::move(t);
  return {};
}

}  // namespace

result<void> validate_request(const request_description& d, request_facts* facts) {
  if (auto r = check_uri("sts_address", d.sts_address); !r) return r;
  if (d.applies_to)
    if (auto r = check_uri("applies_to", *d.applies_to); !r) return r;
  if (d.issued_token_type)
    if (auto r = check_uri("issued_token_type", *d.issued_token_type); !r) return r;

  const bool sct_action = d.action != request_action::issue;
  if (sct_action && d.issued_token_type &&
      *d.issued_token_type != ns::sct_type(d.secure_conversation)) {
    return failure(errc::invalid_description,
                   "new_context/renew_context issue an SCT; issued_token_type must be absent "
                   "or " +
                       std::string(ns::sct_type(d.secure_conversation)));
  }

  if (d.key == key_type::asymmetric)
    return failure(errc::not_supported, "asymmetric proof keys (PublicKey) are not supported");
  const bool bearer = d.key == key_type::none;
  if (sct_action && bearer) {
    return failure(errc::invalid_description,
                   "a security context token always has a symmetric key; key type none "
                   "(bearer) cannot be used with new_context/renew_context");
  }
  if (d.key_size_bits) {
    const std::uint32_t bits = *d.key_size_bits;
    if (bits == 0) return failure(errc::invalid_key_size, "key size 0");
    if (bits % 8 != 0)
      return failure(errc::invalid_key_size,
                     "key size " + std::to_string(bits) + " is not a multiple of 8 bits");
    if (bits > max_key_size_bits)
      return failure(errc::invalid_key_size, "key size " + std::to_string(bits) + " exceeds " +
                                                 std::to_string(max_key_size_bits));
    if (bearer)
      return failure(errc::invalid_key_size, "a key size makes no sense for a bearer token");
  }
  if (bearer && d.entropy != key_entropy::server_only) {
    return failure(errc::invalid_entropy_mode,
                   std::string("entropy ") + std::string(to_string(d.entropy)) +
                       " needs a proof key, but the key type is none (bearer)");
  }

  if (d.username) {
    if (d.username->username.empty())
      return failure(errc::invalid_description, "username must not be empty");
    const std::string_view pw(reinterpret_cast<const char*>(d.username->password.data()),
                              d.username->password.size());
    if (has_control_char(d.username->username) || has_control_char(pw))
      return failure(errc::invalid_description,
                     "username and password must not contain control characters");
    if (!is_utf8(d.username->username) || !is_utf8(pw))
      return failure(errc::invalid_description, "username and password must be UTF-8");
  }

  if (auto r = check_existing(d, facts); !r) return r;
  if (auto r = check_supporting(d, facts); !r) return r;
  if (auto r = check_parameters("local_parameters", d.local_parameters); !r) return r;
  if (auto r = check_parameters("service_parameters", d.service_parameters); !r) return r;
  return {};
}

result<void> validate(const request_description& d) { return validate_request(d, nullptr); }

std::string_view to_string(trust_version v) noexcept {
  return v == trust_version::feb2005 ? "feb2005" : "1.3";
}
std::string_view to_string(secure_conversation_version v) noexcept {
  return v == secure_conversation_version::feb2005 ? "feb2005" : "1.3";
}
std::string_view to_string(request_action a) noexcept {
  switch (a) {
    case request_action::issue:
      return "issue";
    case request_action::new_context:
      return "new_context";
    case request_action::renew_context:
      return "renew_context";
  }
  return "?";
}
std::string_view to_string(key_type k) noexcept {
  switch (k) {
    case key_type::none:
      return "bearer";
    case key_type::symmetric:
      return "symmetric";
    case key_type::asymmetric:
      return "asymmetric";
  }
  return "?";
}
std::string_view to_string(key_entropy e) noexcept {
  switch (e) {
    case key_entropy::client_only:
      return "client_only";
    case key_entropy::server_only:
      return "server_only";
    case key_entropy::combined:
      return "combined";
  }
  return "?";
}
std::string_view to_string(soap_version v) noexcept {
  return v == soap_version::soap11 ? "soap11" : "soap12";
}
std::string_view to_string(addressing_version v) noexcept {
  return v == addressing_version::v1_0 ? "wsa10" : "wsa2004";
}

}  // namespace wst::detail::core
