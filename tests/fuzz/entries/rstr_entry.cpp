// Fuzz entry for sdk/core: a started negotiation fed an arbitrary reply (see entries.hpp).
#include "entries.hpp"

#include <wst/core/datetime.hpp>
#include <wst/core/environment.hpp>
#include <wst/core/errors.hpp>
#include <wst/core/negotiation.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/xml/reader.hpp>

#include <optional>
#include <string>

namespace wst::fuzz {

namespace {

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;
namespace x = wst::detail::xml;

constexpr const char* entry = "rstr";

void check(bool ok, const std::string& what) {
  if (!ok) violated(entry, what);
}

// What the high nibble of the shape byte asks for: the operation and the key.
struct key_profile {
  core::request_action action;
  std::optional<core::key_type> key;  // nullopt: no KeyType element
  core::key_entropy entropy;
  std::optional<std::uint32_t> key_size_bits;
  bool ask_token_type;  // ask for a SAML token type (issue only)
};

using A = core::request_action;
using K = core::key_type;
using E = core::key_entropy;

// Every (action, key, entropy, key size) combination the transcripts of tests/data use, so
// each seed reply has a shape it answers (tests/fuzz/make_corpus.py maps them).
constexpr key_profile profiles[16] = {
    {A::issue, K::none, E::server_only, std::nullopt, false},             // 0 bearer
    {A::issue, std::nullopt, E::server_only, std::nullopt, true},         // 1 key absent
    {A::issue, K::symmetric, E::server_only, std::nullopt, true},         // 2
    {A::issue, K::symmetric, E::server_only, 128, true},                  // 3
    {A::issue, K::symmetric, E::client_only, std::nullopt, false},        // 4
    {A::issue, K::symmetric, E::client_only, 192, false},                 // 5
    {A::issue, K::symmetric, E::combined, std::nullopt, false},           // 6
    {A::issue, K::symmetric, E::combined, 512, false},                    // 7
    {A::issue, std::nullopt, E::client_only, std::nullopt, false},        // 8
    {A::issue, std::nullopt, E::combined, 256, false},                    // 9
    {A::new_context, K::symmetric, E::client_only, 128, false},           // 10
    {A::new_context, std::nullopt, E::combined, std::nullopt, false},     // 11
    {A::new_context, K::symmetric, E::server_only, 256, false},           // 12
    {A::renew_context, K::symmetric, E::client_only, 256, false},         // 13
    {A::renew_context, std::nullopt, E::combined, std::nullopt, false},   // 14
    {A::renew_context, K::symmetric, E::server_only, std::nullopt, false} // 15
};

const char* sc_namespace(core::secure_conversation_version v) {
  return v == core::secure_conversation_version::v1_3
             ? "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512"
             : "http://schemas.xmlsoap.org/ws/2005/02/sc";
}

// Low nibble: bit 0 WS-Trust 1.3 (else Feb 2005), bit 1 SOAP 1.1 (else 1.2), bit 2
// WS-Addressing 2004/08 (else 1.0), bit 3 WS-SecureConversation 1.3 (else Feb 2005).
// High nibble: profiles[]. Every byte value is a valid description.
core::request_description shape(std::uint8_t b) {
  core::request_description d;
  d.sts_address = "https://sts.contoso.test/adfs/services/trust/13/usernamemixed";
  d.applies_to = "https://app.contoso.test/";
  d.trust = (b & 1) ? core::trust_version::v1_3 : core::trust_version::feb2005;
  d.soap = (b & 2) ? core::soap_version::soap11 : core::soap_version::soap12;
  d.addressing = (b & 4) ? core::addressing_version::aug2004 : core::addressing_version::v1_0;
  d.secure_conversation = (b & 8) ? core::secure_conversation_version::v1_3
                                  : core::secure_conversation_version::feb2005;
  const key_profile& p = profiles[b >> 4];
  d.action = p.action;
  d.key = p.key;
  d.entropy = p.entropy;
  d.key_size_bits = p.key_size_bits;
  if (p.ask_token_type) {
    d.issued_token_type = d.trust == core::trust_version::v1_3
                              ? "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1"
                              : "urn:oasis:names:tc:SAML:1.0:assertion";
  }
  if (d.action == A::renew_context) {
    // The SCT of tests/data/t13-sct-renew-* and t2005-sct-renew-*, in the chosen version.
    d.existing.emplace();
    d.existing->xml = std::string("<c:SecurityContextToken xmlns:c=\"") +
                      sc_namespace(d.secure_conversation) +
                      "\"><c:Identifier>urn:uuid:5f1c8e2a-9b3d-4c7e-8a10-000000000013"
                      "</c:Identifier></c:SecurityContextToken>";
    const std::uint8_t sct_key[32] = {0x5a};  // the renew request proves possession with it
    d.existing->proof_key = crypto::secure_bytes(sct_key, sizeof sct_key);
  }
  return d;
}

void check_time(const std::optional<core::datetime>& t, const char* what) {
  if (!t) return;
  auto again = core::parse_xsd_datetime(t->to_string());
  check(again && *again == *t, std::string(what) + " " + t->to_string() +
                                   " does not round-trip through parse_xsd_datetime");
}

void check_fragment(const std::string& xml, const char* what) {
  if (xml.empty()) return;
  x::limits l;
  l.max_bytes = xml.size();
  l.max_attributes += l.max_namespaces;
  auto doc = x::parse(xml, l);
  if (!doc) violated(entry, std::string(what) + " does not parse: " + doc.error().describe());
}

void check_token(const core::issued_token& t, const core::request_description& d) {
  check(!t.xml.empty(), "empty token");
  check_fragment(t.xml, "token");
  check_fragment(t.attached_reference, "attached reference");
  check_fragment(t.unattached_reference, "unattached reference");
  check_time(t.valid_from, "valid_from");
  check_time(t.valid_till, "valid_till");
  if (t.valid_from && t.valid_till) check(*t.valid_from < *t.valid_till, "lifetime not ordered");
  if (t.key == core::key_type::none) {
    check(t.proof_key.empty() && t.key_size_bits == 0, "bearer token with a proof key");
    check(d.key != core::key_type::symmetric, "bearer token for a symmetric request");
  } else {
    check(t.key == core::key_type::symmetric, "token with a key type other than none/symmetric");
    check(!t.proof_key.empty(), "symmetric token without a proof key");
    check(t.key_size_bits == t.proof_key.size() * 8, "key_size_bits is not the proof key size");
    check(t.key_size_bits <= core::max_key_size_bits, "proof key above max_key_size_bits");
    if (d.key_size_bits) check(t.key_size_bits == *d.key_size_bits, "proof key size differs from the size asked");
    check(d.key != core::key_type::none, "proof key for a bearer request");
  }
  if (d.action != A::issue) check(!t.context_id.empty(), "SCT action without a context id");
}

}  // namespace

std::string describe_rstr_shape(std::uint8_t b) {
  const auto d = shape(b);
  std::string s = "trust=" + std::string(core::to_string(d.trust)) +
                  " secure_conversation=" + std::string(core::to_string(d.secure_conversation)) +
                  " soap=" + std::string(core::to_string(d.soap)) +
                  " addressing=" + std::string(core::to_string(d.addressing)) +
                  " action=" + std::string(core::to_string(d.action)) +
                  " key=" + (d.key ? std::string(core::to_string(*d.key)) : "absent") +
                  " entropy=" + std::string(core::to_string(d.entropy));
  if (d.key_size_bits) s += " key_size=" + std::to_string(*d.key_size_bits);
  if (d.issued_token_type) s += " token_type=" + *d.issued_token_type;
  return s;
}

bool rstr(std::string_view input) {
  if (input.empty()) return false;
  const auto b = static_cast<std::uint8_t>(input[0]);
  core::fixed_environment env;
  core::negotiation n(shape(b), env);
  auto rst = n.start();
  if (!rst) violated(entry, "start() refused shape " + describe_rstr_shape(b) + ": " + rst.error().describe());

  auto tok = n.on_reply(input.substr(1));
  check(!n.holds_client_entropy(), "client entropy kept after on_reply()");
  if (tok) {
    check(n.current_state() == core::negotiation::state::done, "token returned but state is not done");
    check(!n.fault(), "token returned together with a fault");
    check_token(*tok, n.description());
  } else {
    const auto& f = tok.error();
    check(n.current_state() == core::negotiation::state::failed, "error returned but state is not failed");
    check(f.code.category() == core::category(), "on_reply failed with a foreign error code: " + f.describe());
    check(f.code != core::errc::invalid_state, "a started negotiation reported invalid_state");
    check(!f.message.empty(), "failure without a message: " + f.describe());
    const bool fault = f.code == core::errc::fault_received;
    check(fault == n.fault().has_value(), "fault() disagrees with fault_received");
  }
  const auto before = n.current_state();
  auto second = n.on_reply(input.substr(1));
  check(!second && second.error().code == core::errc::invalid_state && n.current_state() == before,
        "a second on_reply() was not refused with invalid_state");
  return bool(tok);
}

}  // namespace wst::fuzz
