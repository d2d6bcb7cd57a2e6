#include <wst/core/rstr_reader.hpp>

#include <wst/core/errors.hpp>

#include "namespaces.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>

namespace wst::detail::core {
namespace {

constexpr std::string_view xml_ns = "http://www.w3.org/XML/1998/namespace";

std::string qualified(const xml::element& e) {
  std::string s = "{";
  s += e.namespace_uri();
  s += '}';
  s += e.local_name();
  return s;
}

bool is_trust_ns(std::string_view uri) { return uri == ns::trust2005 || uri == ns::trust13; }

// An RSTR, RSTRC or RequestedSecurityToken (either trust version) at or below `e`.
bool contains_trust_response(const xml::element& e) {
  if (is_trust_ns(e.namespace_uri())) {
    const auto l = e.local_name();
    if (l == "RequestSecurityTokenResponse" || l == "RequestSecurityTokenResponseCollection" ||
        l == "RequestedSecurityToken")
      return true;
  }
  for (auto c = e.first_child(); c; c = c.next_sibling())
    if (contains_trust_response(c)) return true;
  return false;
}

failure from_xml_failure(const failure& f) {
  using xe = xml::errc;
  const bool limit = f.code == xe::too_large || f.code == xe::too_deep ||
                     f.code == xe::too_many_attributes || f.code == xe::too_many_namespaces ||
                     f.code == xe::too_many_nodes;
  return failure(limit ? errc::xml_limit_exceeded : errc::malformed_xml, f.describe());
}

// ---- SOAP faults ------------------------------------------------------------------------

struct qname_text {
  std::string text;
  std::string namespace_uri;
  std::string_view local;
};

qname_text read_qname(const xml::element& e) {
  qname_text q;
  const std::string raw = e.text();
  q.text = std::string(trim(raw));
  const auto colon = q.text.find(':');
  const std::string prefix = colon == std::string::npos ? std::string() : q.text.substr(0, colon);
  if (auto uri = e.lookup_namespace(prefix)) q.namespace_uri = std::string(*uri);
  return q;
}

std::string_view local_part(std::string_view qname) {
  const auto colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// A child by local name, unqualified or in `qualified_ns` (SOAP 1.1 fault children are
// unqualified, but some servers qualify them).
xml::element child_either(const xml::element& parent, std::string_view qualified_ns,
                          std::string_view local) {
  if (auto c = parent.child("", local)) return c;
  return parent.child(qualified_ns, local);
}

soap_fault read_fault(const xml::element& fault, soap_version v) {
  soap_fault f;
  f.version = v;
  if (v == soap_version::soap12) {
    const auto code = fault.child(ns::soap12, "Code");
    if (auto value = code.child(ns::soap12, "Value")) {
      auto q = read_qname(value);
      f.code = std::move(q.text);
      f.code_namespace = std::move(q.namespace_uri);
    }
    for (auto sub = code.child(ns::soap12, "Subcode"); sub;
         sub = sub.child(ns::soap12, "Subcode")) {
      const auto value = sub.child(ns::soap12, "Value");
      if (!value) break;
      auto q = read_qname(value);
      if (!f.subcode.empty()) f.subcode += " / ";
      f.subcode += q.text;
      f.subcode_namespace = std::move(q.namespace_uri);
    }
    xml::element chosen;
    const auto reason = fault.child(ns::soap12, "Reason");
    for (auto t = reason.child(ns::soap12, "Text"); t; t = t.next_sibling(ns::soap12, "Text")) {
      if (!chosen) chosen = t;
      const auto lang = t.attribute(xml_ns, "lang");
      if (lang && (lang->rfind("en", 0) == 0)) {
        chosen = t;
        break;
      }
    }
    if (chosen) f.reason = std::string(trim(chosen.text()));
    if (auto detail = fault.child(ns::soap12, "Detail")) f.detail = detail.lift();
  } else {
    if (auto code = child_either(fault, ns::soap11, "faultcode")) {
      auto q = read_qname(code);
      f.code = std::move(q.text);
      f.code_namespace = std::move(q.namespace_uri);
    }
    if (auto s = child_either(fault, ns::soap11, "faultstring"))
      f.reason = std::string(trim(s.text()));
    if (auto detail = child_either(fault, ns::soap11, "detail")) f.detail = detail.lift();
  }
  return f;
}

// ---- WS-Addressing headers ----------------------------------------------------------------

bool must_understand(const xml::element& h, soap_version v) {
  const auto a = h.attribute(ns::soap(v), "mustUnderstand");
  if (!a) return false;
  const auto t = trim(*a);
  return t == "1" || (v == soap_version::soap12 && t == "true");
}

bool is_reply_relationship(const xml::element& relates_to, addressing_version v) {
  const auto type = relates_to.attribute("", "RelationshipType");
  if (!type) return true;
  const auto t = trim(*type);
  if (v == addressing_version::v1_0) return t == "http://www.w3.org/2005/08/addressing/reply";
  const auto colon = t.find(':');
  if (colon == std::string_view::npos) return false;
  const auto uri = relates_to.lookup_namespace(t.substr(0, colon));
  return uri && *uri == ns::wsa2004 && t.substr(colon + 1) == "Reply";
}

struct header_facts {
  std::string action;  // trimmed; empty when absent
  bool has_action = false;
};

result<header_facts> read_headers(const xml::element& header, const request_description& d,
                                  const pending_request& sent) {
  header_facts facts;
  if (!header) return facts;
  const std::string_view wsa = ns::addressing(d.addressing);
  const std::string_view other_wsa = ns::other_addressing(d.addressing);
  std::string storage;
  for (auto h = header.first_child(); h; h = h.next_sibling()) {
    if (contains_trust_response(h)) {
      return failure(errc::token_outside_body,
                     "SOAP header " + qualified(h) + " carries a WS-Trust response");
    }
    const auto uri = h.namespace_uri();
    if (uri == other_wsa) {
      return failure(errc::addressing_version_mismatch,
                     "reply header " + qualified(h) + " uses WS-Addressing " +
                         std::string(other_wsa) + ", the request used " + std::string(wsa));
    }
    if (uri == wsa) {
      const auto l = h.local_name();
      if (l == "Action") {
        if (facts.has_action) return failure(errc::malformed_envelope, "two wsa:Action headers");
        facts.has_action = true;
        facts.action = std::string(trim(h.text_view(storage)));
      } else if (l == "RelatesTo" && is_reply_relationship(h, d.addressing)) {
        const auto id = trim(h.text_view(storage));
        if (id != sent.message_id) {
          return failure(errc::relates_to_mismatch,
                         "wsa:RelatesTo '" + std::string(id.substr(0, 200)) +
                             "' but the request's MessageID is '" + sent.message_id + "'");
        }
      }
      continue;
    }
    if (h.is(ns::wsse, "Security")) continue;
    if (must_understand(h, d.soap)) {
      return failure(errc::header_not_understood,
                     "mustUnderstand header " + qualified(h) + " is not processed by wst");
    }
  }
  return facts;
}

result<void> check_action(const header_facts& h, const request_description& d) {
  if (!h.has_action) return {};
  const ns::trust_uris& u = ns::uris(d.trust);
  const std::string_view a = h.action;
  std::array<std::string_view, 2> accepted{};
  switch (d.action) {
    case request_action::issue:
      accepted = {u.rstr_issue, u.rstrc_issue_final};
      break;
    case request_action::new_context:
      accepted = {u.rstr_sct, u.rstrc_issue_final};
      break;
    case request_action::renew_context:
      accepted = {u.rstr_sct_renew, u.rstr_renew_final};
      break;
  }
  for (auto ok : accepted)
    if (!ok.empty() && a == ok) return {};
  for (const ns::trust_uris* t : {&ns::trust2005_uris, &ns::trust13_uris}) {
    for (auto cancel : {t->rstr_sct_cancel, t->rstr_cancel, t->rstr_cancel_final}) {
      if (!cancel.empty() && a == cancel) {
        return failure(errc::not_issuance_response,
                       "reply action " + std::string(a) + " answers a cancel request");
      }
    }
  }
  std::string m = "reply action '" + std::string(a.substr(0, 200)) + "' does not answer " +
                  std::string(rst_action(d));
  const std::string_view other = ns::other_trust(d.trust);
  if (a.substr(0, other.size()) == other) {
    m += " (it belongs to WS-Trust ";
    m += d.trust == trust_version::feb2005 ? "1.3" : "February 2005";
    m += ')';
  }
  return failure(errc::action_mismatch, std::move(m));
}

// ---- the RSTR ----------------------------------------------------------------------------

enum class key_type_uri { absent, bearer, symmetric, public_key, unknown };

key_type_uri classify_key_type(std::string_view uri) {
  if (uri == ns::no_proof_key || uri == ns::bearer_spec || uri == ns::bearer_schema ||
      uri == ns::bearer_errata)
    return key_type_uri::bearer;
  if (uri == ns::trust2005_uris.symmetric_key || uri == ns::trust13_uris.symmetric_key)
    return key_type_uri::symmetric;
  if (uri == ns::trust2005_uris.public_key || uri == ns::trust13_uris.public_key)
    return key_type_uri::public_key;
  return key_type_uri::unknown;
}

struct rstr_parts {
  xml::element token_type, requested_token, attached, unattached, proof, entropy, lifetime,
      key_size, key_type;
};

constexpr std::array<std::string_view, 5> challenge_elements = {
    "SignChallenge", "SignChallengeResponse", "BinaryExchange", "KeyExchangeToken", "RequestKET"};

result<rstr_parts> collect_parts(const xml::element& rstr, std::string_view tns) {
  rstr_parts p;
  struct slot {
    std::string_view name;
    xml::element rstr_parts::*member;
  };
  static constexpr slot slots[] = {
      {"TokenType", &rstr_parts::token_type},
      {"RequestedSecurityToken", &rstr_parts::requested_token},
      {"RequestedAttachedReference", &rstr_parts::attached},
      {"RequestedUnattachedReference", &rstr_parts::unattached},
      {"RequestedProofToken", &rstr_parts::proof},
      {"Entropy", &rstr_parts::entropy},
      {"Lifetime", &rstr_parts::lifetime},
      {"KeySize", &rstr_parts::key_size},
      {"KeyType", &rstr_parts::key_type},
  };
  bool cancelled = false;
  std::string_view status_or_challenge;
  for (auto c = rstr.first_child(); c; c = c.next_sibling()) {
    if (c.namespace_uri() != tns) continue;
    const auto l = c.local_name();
    if (l == "RequestedTokenCancelled") {
      cancelled = true;
      continue;
    }
    if (std::find(challenge_elements.begin(), challenge_elements.end(), l) !=
        challenge_elements.end()) {
      return failure(errc::challenge_not_supported,
                     "the RSTR carries t:" + std::string(l) +
                         ": the STS wants a multi-leg (challenge) exchange, which MS-LWSSP "
                         "excludes");
    }
    if (l == "Status") status_or_challenge = l;
    for (const auto& s : slots) {
      if (l != s.name) continue;
      if (p.*s.member) {
        if (s.member == &rstr_parts::requested_token)
          return failure(errc::multiple_tokens, "two RequestedSecurityToken elements");
        return failure(errc::duplicate_element, "t:" + std::string(l) + " appears twice");
      }
      p.*s.member = c;
    }
  }
  if (cancelled) {
    return failure(errc::not_issuance_response,
                   "the RSTR holds RequestedTokenCancelled: it answers a cancel request");
  }
  if (!p.requested_token) {
    if (!status_or_challenge.empty()) {
      return failure(errc::not_issuance_response,
                     "the RSTR holds a validation Status, not an issued token");
    }
    return failure(errc::missing_token, "the RSTR holds no RequestedSecurityToken");
  }
  return p;
}

// The first element child and how many there are.
struct only_element {
  xml::element first;
  std::size_t count = 0;
};
only_element element_children(const xml::element& parent) {
  only_element o;
  o.first = parent.first_child();
  for (auto c = o.first; c; c = c.next_sibling()) ++o.count;
  return o;
}

result<std::string> single_element_child(const xml::element& parent, errc code,
                                         std::string_view what) {
  const only_element kids = element_children(parent);
  if (kids.count != 1) {
    return failure(code, std::string(what) + " must hold exactly one element, it holds " +
                             std::to_string(kids.count));
  }
  return kids.first.lift();
}

result<std::optional<datetime>> read_lifetime_time(const xml::element& lifetime,
                                                   std::string_view local) {
  if (lifetime.count_children(ns::wsu, local) > 1)
    return failure(errc::bad_lifetime, "Lifetime has two wsu:" + std::string(local));
  const auto e = lifetime.child(ns::wsu, local);
  if (!e) return std::optional<datetime>();
  if (e.has_element_children())
    return failure(errc::bad_lifetime, "wsu:" + std::string(local) + " holds elements");
  std::string storage;
  auto t = parse_xsd_datetime(trim(e.text_view(storage)));
  if (!t) {
    return failure(errc::bad_lifetime,
                   "wsu:" + std::string(local) + ": " + std::move(t).error().message);
  }
  return std::optional<datetime>(*t);
}

result<void> read_lifetime(const xml::element& lifetime, issued_token& tok) {
  for (auto c = lifetime.first_child(); c; c = c.next_sibling()) {
    if (!(c.is(ns::wsu, "Created") || c.is(ns::wsu, "Expires")))
      return failure(errc::bad_lifetime, "unexpected " + qualified(c) + " in Lifetime");
  }
  auto created = read_lifetime_time(lifetime, "Created");
  if (!created) return std::move(created).error();
  auto expires = read_lifetime_time(lifetime, "Expires");
  if (!expires) return std::move(expires).error();
  if (*created && *expires && !(**created < **expires)) {
    return failure(errc::bad_lifetime, "Expires " + (*expires)->to_string() +
                                           " is not after Created " + (*created)->to_string());
  }
  tok.valid_from = *created;
  tok.valid_till = *expires;
  return {};
}

result<std::uint32_t> read_key_size(const xml::element& e) {
  std::string storage;
  const auto t = trim(e.text_view(storage));
  if (t.empty() || t.size() > 9 || e.has_element_children() ||
      !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return failure(errc::malformed_response,
                   "KeySize '" + std::string(t.substr(0, 40)) + "' is not a decimal number");
  }
  const auto bits = static_cast<std::uint32_t>(std::stoul(std::string(t)));
  if (bits == 0 || bits % 8 != 0 || bits > max_key_size_bits) {
    return failure(errc::key_size_mismatch,
                   "KeySize " + std::to_string(bits) + " is not a usable key size");
  }
  return bits;
}

// Decodes a BinarySecret's base64 text into key material; the text copy is wiped.
result<crypto::secure_bytes> decode_secret(const xml::element& secret, std::string_view what) {
  if (secret.has_element_children())
    return failure(errc::malformed_proof_token, std::string(what) + " holds elements");
  std::string storage;  // holds the text only when it needed decoding
  auto bytes = crypto::base64_decode_secret(secret.text_view(storage));
  wipe(storage);
  if (!bytes) {
    return failure(errc::malformed_proof_token,
                   std::string(what) + " is not base64: " + bytes.error().describe());
  }
  if (bytes->empty()) return failure(errc::malformed_proof_token, std::string(what) + " is empty");
  return std::move(bytes).value();
}

// The one element inside RequestedProofToken or Entropy.
result<xml::element> only_child(const xml::element& parent, std::string_view what) {
  const only_element kids = element_children(parent);
  if (kids.count != 1) {
    return failure(errc::malformed_proof_token, std::string(what) +
                                                    " must hold exactly one element, it holds " +
                                                    std::to_string(kids.count));
  }
  if (kids.first.is(ns::xenc, "EncryptedKey")) {
    return failure(errc::malformed_proof_token,
                   std::string(what) +
                       " holds an xenc:EncryptedKey; encrypted keys are not "
                       "supported (use transport security)");
  }
  return kids.first;
}

result<crypto::secure_bytes> read_server_entropy(const xml::element& entropy,
                                                 std::string_view tns) {
  auto secret = only_child(entropy, "issuer Entropy");
  if (!secret) return std::move(secret).error();
  if (!secret->is(tns, "BinarySecret"))
    return failure(errc::malformed_proof_token,
                   "issuer Entropy holds " + qualified(*secret) + ", not t:BinarySecret");
  if (const auto type = secret->attribute("", "Type")) {
    if (*type != ns::trust2005_uris.nonce && *type != ns::trust13_uris.nonce)
      return failure(errc::malformed_proof_token,
                     "issuer Entropy BinarySecret has Type '" + *type + "', expected Nonce");
  }
  return decode_secret(*secret, "issuer Entropy BinarySecret");
}

struct key_inputs {
  const request_description& d;
  const pending_request& sent;
  const rstr_parts& parts;
  std::optional<std::uint32_t> returned_bits;  // RSTR KeySize
};

result<crypto::secure_bytes> derive_proof_key(const key_inputs& in) {
  const std::string_view tns = ns::trust(in.d.trust);
  const ns::trust_uris& uris = ns::uris(in.d.trust);
  const auto& p = in.parts;
  const std::optional<std::uint32_t> expected_bits =
      in.returned_bits ? in.returned_bits : in.d.key_size_bits;

  auto check_size = [&](std::size_t key_bytes) -> result<void> {
    if (expected_bits && key_bytes * 8 != *expected_bits) {
      return failure(errc::key_size_mismatch, "proof key has " + std::to_string(key_bytes * 8) +
                                                  " bits, expected " +
                                                  std::to_string(*expected_bits));
    }
    if (key_bytes * 8 > max_key_size_bits)
      return failure(errc::key_size_mismatch,
                     "proof key longer than " + std::to_string(max_key_size_bits) + " bits");
    return {};
  };

  switch (in.d.entropy) {
    case key_entropy::client_only: {
      if (p.proof || p.entropy) {
        return failure(errc::entropy_mode_mismatch,
                       "the issuer returned key material although the client supplied the "
                       "whole key (entropy client_only)");
      }
      if (auto r = check_size(in.sent.client_entropy.size()); !r) return std::move(r).error();
      return in.sent.client_entropy;
    }
    case key_entropy::server_only: {
      if (!p.proof)
        return failure(errc::missing_proof_token,
                       "entropy server_only needs RequestedProofToken/BinarySecret");
      auto inner = only_child(p.proof, "RequestedProofToken");
      if (!inner) return std::move(inner).error();
      if (inner->is(tns, "ComputedKey")) {
        return failure(errc::entropy_mode_mismatch,
                       "the issuer sent a ComputedKey, but the client sent no entropy "
                       "(entropy server_only)");
      }
      if (!inner->is(tns, "BinarySecret")) {
        return failure(errc::malformed_proof_token,
                       "RequestedProofToken holds " + qualified(*inner));
      }
      if (const auto type = inner->attribute("", "Type")) {
        if (*type != ns::trust2005_uris.symmetric_key && *type != ns::trust13_uris.symmetric_key)
          return failure(errc::malformed_proof_token,
                         "proof BinarySecret has Type '" + *type + "', expected SymmetricKey");
      }
      auto key = decode_secret(*inner, "proof BinarySecret");
      if (!key) return key;
      if (auto r = check_size(key->size()); !r) return std::move(r).error();
      return key;
    }
    case key_entropy::combined: {
      if (!p.proof)
        return failure(errc::missing_proof_token,
                       "entropy combined needs RequestedProofToken/ComputedKey");
      auto inner = only_child(p.proof, "RequestedProofToken");
      if (!inner) return std::move(inner).error();
      if (inner->is(tns, "BinarySecret")) {
        return failure(errc::entropy_mode_mismatch,
                       "the issuer sent its own key instead of combining entropies (entropy "
                       "combined)");
      }
      if (!inner->is(tns, "ComputedKey")) {
        return failure(errc::malformed_proof_token,
                       "RequestedProofToken holds " + qualified(*inner));
      }
      std::string storage;
      const auto algorithm = trim(inner->text_view(storage));
      if (algorithm != uris.ck_psha1) {
        return failure(errc::unknown_computed_key_algorithm,
                       "ComputedKey '" + std::string(algorithm.substr(0, 200)) + "'; only " +
                           std::string(uris.ck_psha1) + " is known");
      }
      if (!p.entropy) {
        return failure(errc::malformed_proof_token,
                       "ComputedKey without the issuer's Entropy/BinarySecret");
      }
      auto server = read_server_entropy(p.entropy, tns);
      if (!server) return std::move(server).error();
      const std::uint32_t bits = expected_bits.value_or(default_key_size_bits);
      return crypto::p_sha1(in.sent.client_entropy, *server, bits / 8);
    }
  }
  return failure(errc::invalid_description, "unknown entropy mode");
}

// Fills tok.key / proof_key / key_size_bits.
result<void> read_key(const request_description& d, const pending_request& sent,
                      const rstr_parts& p, issued_token& tok) {
  key_type_uri kt = key_type_uri::absent;
  std::string kt_text;
  if (p.key_type) {
    std::string storage;
    kt_text = std::string(trim(p.key_type.text_view(storage)));
    kt = classify_key_type(kt_text);
  }
  std::optional<std::uint32_t> returned_bits;
  if (p.key_size) {
    auto bits = read_key_size(p.key_size);
    if (!bits) return std::move(bits).error();
    returned_bits = *bits;
  }
  const bool key_material = p.proof || p.entropy;

  if (kt == key_type_uri::unknown)
    return failure(errc::key_type_mismatch, "unknown KeyType '" + kt_text.substr(0, 200) + "'");
  if (kt == key_type_uri::public_key)
    return failure(errc::key_type_mismatch,
                   "the issuer returned an asymmetric (PublicKey) "
                   "token; asymmetric proof keys are not supported");

  bool symmetric = false;
  if (d.key == key_type::none) {
    if (kt == key_type_uri::symmetric || key_material) {
      return failure(errc::key_type_mismatch,
                     "a bearer token was asked, but the issuer returned a proof key");
    }
  } else if (kt == key_type_uri::bearer) {
    if (d.key == key_type::symmetric) {
      return failure(errc::key_type_mismatch, "KeyType '" + kt_text +
                                                  "' (no proof key) where a symmetric proof key "
                                                  "was asked");
    }
    if (key_material) {
      return failure(errc::key_type_mismatch,
                     "KeyType '" + kt_text + "' (no proof key) but the RSTR carries key material");
    }
  } else {
    symmetric = d.key == key_type::symmetric || kt == key_type_uri::symmetric || key_material ||
                d.entropy != key_entropy::server_only;
  }
  if (!symmetric) {
    tok.key = key_type::none;
    return {};
  }
  if (d.key_size_bits && returned_bits && *d.key_size_bits != *returned_bits) {
    return failure(errc::key_size_mismatch, "KeySize " + std::to_string(*returned_bits) + " but " +
                                                std::to_string(*d.key_size_bits) +
                                                " bits were asked");
  }
  auto key = derive_proof_key(key_inputs{d, sent, p, returned_bits});
  if (!key) return std::move(key).error();
  tok.key = key_type::symmetric;
  tok.key_size_bits = static_cast<std::uint32_t>(key->size() * 8);
  tok.proof_key = std::move(key).value();
  return {};
}

std::string derived_token_type(const xml::element& token) {
  if (token.is(ns::sc2005, "SecurityContextToken")) return std::string(ns::sct_type_2005);
  if (token.is(ns::sc13, "SecurityContextToken")) return std::string(ns::sct_type_13);
  if (token.is(ns::saml11, "Assertion")) return std::string(ns::saml11);
  if (token.is(ns::saml20, "Assertion")) return std::string(ns::saml20);
  return {};
}

result<void> read_sct_ids(const xml::element& sct, std::string_view scns, issued_token& tok) {
  if (sct.count_children(scns, "Identifier") != 1)
    return failure(errc::unexpected_token, "the SCT must hold exactly one Identifier");
  std::string storage;
  tok.context_id = std::string(trim(sct.child(scns, "Identifier").text_view(storage)));
  if (tok.context_id.empty()) return failure(errc::unexpected_token, "the SCT Identifier is empty");
  if (sct.count_children(scns, "Instance") > 1)
    return failure(errc::unexpected_token, "the SCT holds two Instance elements");
  if (auto inst = sct.child(scns, "Instance"))
    tok.context_instance = std::string(trim(inst.text_view(storage)));
  return {};
}

result<issued_token> read_rstr_element(const xml::element& rstr, const request_description& d,
                                       const pending_request& sent) {
  if (const auto ctx = rstr.attribute("", "Context"); ctx && *ctx != sent.context) {
    return failure(errc::context_mismatch, "RSTR Context '" + ctx->substr(0, 200) +
                                               "' but the RST's is '" + sent.context + "'");
  }
  const std::string_view tns = ns::trust(d.trust);
  auto parts = collect_parts(rstr, tns);
  if (!parts) return std::move(parts).error();
  const rstr_parts& p = *parts;

  const only_element tokens = element_children(p.requested_token);
  if (tokens.count == 0) {
    return failure(errc::empty_token, "RequestedSecurityToken holds no token element");
  }
  if (tokens.count > 1) {
    return failure(errc::multiple_tokens,
                   "RequestedSecurityToken holds " + std::to_string(tokens.count) + " elements");
  }
  if (!p.requested_token.text_is_blank()) {
    return failure(errc::malformed_response, "RequestedSecurityToken holds character data");
  }
  const xml::element token = tokens.first;

  issued_token tok;
  if (d.action != request_action::issue) {
    const std::string_view scns = ns::sc(d.secure_conversation);
    if (!token.is(scns, "SecurityContextToken")) {
      return failure(
          errc::unexpected_token,
          "an SCT in " + std::string(scns) + " was asked, the issuer returned " + qualified(token));
    }
    if (auto r = read_sct_ids(token, scns, tok); !r) return std::move(r).error();
  } else if (token.is(ns::sc2005, "SecurityContextToken") ||
             token.is(ns::sc13, "SecurityContextToken")) {
    if (auto r = read_sct_ids(token, token.namespace_uri(), tok); !r) return std::move(r).error();
  }

  if (p.token_type) {
    std::string storage;
    tok.token_type = std::string(trim(p.token_type.text_view(storage)));
    if (tok.token_type.empty()) return failure(errc::malformed_response, "empty TokenType");
  } else if (d.action != request_action::issue) {
    tok.token_type = std::string(ns::sct_type(d.secure_conversation));
  } else if (d.issued_token_type) {
    tok.token_type = *d.issued_token_type;
  } else {
    tok.token_type = derived_token_type(token);
  }

  if (p.attached) {
    auto ref = single_element_child(p.attached, errc::bad_reference, "RequestedAttachedReference");
    if (!ref) return std::move(ref).error();
    tok.attached_reference = std::move(ref).value();
  }
  if (p.unattached) {
    auto ref =
        single_element_child(p.unattached, errc::bad_reference, "RequestedUnattachedReference");
    if (!ref) return std::move(ref).error();
    tok.unattached_reference = std::move(ref).value();
  }
  if (p.lifetime)
    if (auto r = read_lifetime(p.lifetime, tok); !r) return std::move(r).error();
  if (auto r = read_key(d, sent, p, tok); !r) return std::move(r).error();

  tok.xml = token.lift();
  return tok;
}

}  // namespace

bool soap_fault::receiver_fault() const {
  const auto local = local_part(code);
  if (version == soap_version::soap12) return code_namespace == ns::soap12 && local == "Receiver";
  return code_namespace == ns::soap11 && (local == "Server" || local.rfind("Server.", 0) == 0);
}

std::string soap_fault::summary() const {
  std::string s = code.empty() ? std::string("(no fault code)") : code;
  if (!subcode.empty()) {
    s += " / ";
    s += subcode;
  }
  if (!reason.empty()) {
    s += ": ";
    s += reason;
  }
  return s;
}

result<issued_token> read_rstr(std::string_view reply, const request_description& d,
                               const pending_request& sent, const xml::limits& limits,
                               soap_fault* fault_out) {
  auto doc = xml::parse(reply, limits);
  if (!doc) return from_xml_failure(doc.error());
  const xml::element envelope = doc->root();

  soap_version version;
  if (envelope.is(ns::soap12, "Envelope")) {
    version = soap_version::soap12;
  } else if (envelope.is(ns::soap11, "Envelope")) {
    version = soap_version::soap11;
  } else {
    return failure(errc::not_soap_envelope, "root element is " + qualified(envelope));
  }
  const std::string_view sns = ns::soap(version);

  xml::element header, body;
  for (auto c = envelope.first_child(); c; c = c.next_sibling()) {
    if (c.is(sns, "Header")) {
      if (header || body)
        return failure(errc::malformed_envelope, "Header must come once, before the Body");
      header = c;
    } else if (c.is(sns, "Body")) {
      if (body) return failure(errc::malformed_envelope, "two SOAP Body elements");
      body = c;
    } else if (contains_trust_response(c)) {
      return failure(errc::token_outside_body,
                     "Envelope child " + qualified(c) + " carries a WS-Trust response");
    } else if (version == soap_version::soap12 || !body) {
      return failure(errc::malformed_envelope, "unexpected Envelope child " + qualified(c));
    }
  }
  if (!body) return failure(errc::malformed_envelope, "no SOAP Body");
  if (!envelope.text_is_blank())
    return failure(errc::malformed_envelope, "character data in the Envelope");

  const only_element body_children = element_children(body);
  for (auto c = body_children.first; c; c = c.next_sibling()) {
    if (c.is(sns, "Fault")) {
      soap_fault f = read_fault(c, version);
      std::string summary = f.summary();
      if (fault_out) *fault_out = std::move(f);
      return failure(errc::fault_received, std::move(summary));
    }
  }
  if (version != d.soap) {
    return failure(errc::soap_version_mismatch,
                   std::string("reply is ") + std::string(to_string(version)) +
                       ", the request was " + std::string(to_string(d.soap)));
  }

  auto headers = read_headers(header, d, sent);
  if (!headers) return std::move(headers).error();
  if (auto r = check_action(*headers, d); !r) return std::move(r).error();

  if (body_children.count != 1) {
    return failure(errc::unexpected_body, "the Body holds " + std::to_string(body_children.count) +
                                              " elements, expected one RSTR or RSTRC");
  }
  if (!body.text_is_blank()) return failure(errc::unexpected_body, "character data in the Body");
  const xml::element top = body_children.first;
  const std::string_view tns = ns::trust(d.trust);
  const auto top_local = top.local_name();
  const bool response_name = top_local == "RequestSecurityTokenResponse" ||
                             top_local == "RequestSecurityTokenResponseCollection";
  if (response_name && top.namespace_uri() == ns::other_trust(d.trust)) {
    return failure(errc::trust_version_mismatch,
                   "the Body holds " + qualified(top) + ", the request used " + std::string(tns));
  }
  if (!response_name || top.namespace_uri() != tns)
    return failure(errc::unexpected_body, "the Body holds " + qualified(top));

  xml::element rstr = top;
  if (top_local == "RequestSecurityTokenResponseCollection") {
    const only_element members = element_children(top);
    std::size_t responses = 0;
    for (auto m = members.first; m; m = m.next_sibling()) {
      if (!m.is(tns, "RequestSecurityTokenResponse")) {
        return failure(errc::unexpected_body,
                       "the RSTRC holds " + qualified(m) + ", not only RSTRs");
      }
      ++responses;
    }
    if (responses != 1) {
      return failure(errc::bad_collection_size,
                     "the RSTRC holds " + std::to_string(responses) + " RSTRs, expected 1");
    }
    rstr = members.first;
  }
  return read_rstr_element(rstr, d, sent);
}

existing_token existing_token_from(const issued_token& t) {
  return existing_token{t.xml, t.attached_reference, t.unattached_reference, t.proof_key};
}

supporting_token supporting_token_from(const issued_token& t) {
  return supporting_token{t.xml, t.attached_reference, t.proof_key};
}

}  // namespace wst::detail::core
