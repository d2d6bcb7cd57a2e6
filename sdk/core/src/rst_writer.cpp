#include <wst/core/rst_writer.hpp>

#include <wst/core/errors.hpp>
#include <wst/xml/writer.hpp>

#include "namespaces.hpp"
#include "security_header.hpp"
#include "validation.hpp"

namespace wst::detail::core {
namespace {

// Base64 (RFC 4648, padded) appended straight into the message, so the client entropy never
// sits in a temporary string that outlives the call.
void append_base64(std::string& out, const std::uint8_t* p, std::size_t n) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (n - i == 1) {
    const std::uint32_t v = std::uint32_t{p[i]} << 16;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (n - i == 2) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8);
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
}

// <prefix:local>escaped text</prefix:local>, with the qualified name given whole.
void text_element(std::string& out, std::string_view qname, std::string_view text) {
  out += '<';
  out += qname;
  out += '>';
  xml::escape_text(out, text);
  out += "</";
  out += qname;
  out += '>';
}

std::string_view bearer_uri(const request_description& d) noexcept {
  if (d.trust == trust_version::feb2005) return ns::no_proof_key;
  switch (d.bearer_version) {
    case bearer_key_type_version::original_specification:
      return ns::bearer_spec;
    case bearer_key_type_version::original_schema:
      return ns::bearer_schema;
    case bearer_key_type_version::errata_01:
      return ns::bearer_errata;
  }
  return ns::bearer_errata;
}

void write_renew_target(std::string& out, const request_description& d,
                        const renew_target& target) {
  out += "<t:RenewTarget>";
  if (!target.reference.empty()) {
    out += target.reference;
  } else {
    // A direct reference to the SCT by its Identifier (MS-LWSSP 2.2.1.5 and example 4.10).
    append_sct_reference(out, target.identifier, target.instance, d.secure_conversation, true);
  }
  out += "</t:RenewTarget>";
}

std::size_t size_estimate(const request_description& d, std::size_t entropy_bytes) {
  std::size_t n = 1400 + d.sts_address.size() + d.local_parameters.size() +
                  d.service_parameters.size() + (entropy_bytes + 2) / 3 * 4;
  if (d.applies_to) n += d.applies_to->size() + 200;
  if (d.issued_token_type) n += d.issued_token_type->size();
  if (d.existing) n += d.existing->unattached_reference.size() + 300;
  return n + security_header_size_estimate(d);
}

}  // namespace

std::string_view rst_action(const request_description& d) noexcept {
  const ns::trust_uris& u = ns::uris(d.trust);
  switch (d.action) {
    case request_action::issue:
      return u.rst_issue;
    case request_action::new_context:
      return u.rst_sct;
    case request_action::renew_context:
      return u.rst_sct_renew;
  }
  return u.rst_issue;
}

result<written_rst> write_rst(const request_description& d, environment& env) {
  request_facts facts;
  if (auto valid = validate_request(d, &facts); !valid) return std::move(valid).error();

  written_rst w;
  w.message.action = rst_action(d);
  w.message.soap = d.soap;
  w.pending.message_id = env.message_id();
  w.pending.context = env.message_id();

  const bool wants_entropy =
      d.entropy == key_entropy::client_only || d.entropy == key_entropy::combined;
  if (wants_entropy) {
    w.pending.client_entropy =
        crypto::secure_bytes(d.key_size_bits.value_or(default_key_size_bits) / 8);
    env.fill_random(w.pending.client_entropy.data(), w.pending.client_entropy.size());
  }

  const ns::trust_uris& uris = ns::uris(d.trust);
  const std::string_view wsa = ns::addressing(d.addressing);
  std::string& out = w.message.bytes;
  out.reserve(size_estimate(d, w.pending.client_entropy.size()));

  out += "<s:Envelope xmlns:s=\"";
  out += ns::soap(d.soap);
  out += "\" xmlns:a=\"";
  out += wsa;
  out += "\"><s:Header><a:Action s:mustUnderstand=\"1\">";
  out += w.message.action;
  out += "</a:Action>";
  text_element(out, "a:MessageID", w.pending.message_id);
  if (d.addressing == addressing_version::aug2004) {
    out += "<a:ReplyTo><a:Address>";
    out += ns::anonymous(d.addressing);
    out += "</a:Address></a:ReplyTo>";
  }
  out += "<a:To s:mustUnderstand=\"1\">";
  xml::escape_text(out, d.sts_address);
  out += "</a:To>";
  if (needs_security_header(d)) write_security_header(out, d, facts, env);
  out += "</s:Header><s:Body><t:RequestSecurityToken Context=\"";
  xml::escape_attribute(out, w.pending.context);
  out += "\" xmlns:t=\"";
  out += ns::trust(d.trust);
  out += "\">";

  if (d.action != request_action::issue) {
    text_element(out, "t:TokenType", ns::sct_type(d.secure_conversation));
  } else if (d.issued_token_type) {
    text_element(out, "t:TokenType", *d.issued_token_type);
  }
  text_element(out, "t:RequestType",
               d.action == request_action::renew_context ? uris.renew : uris.issue);
  if (d.applies_to) {
    out += "<wsp:AppliesTo xmlns:wsp=\"";
    out += ns::wsp;
    out += "\"><a:EndpointReference>";
    text_element(out, "a:Address", *d.applies_to);
    out += "</a:EndpointReference></wsp:AppliesTo>";
  }
  if (d.key) {
    text_element(out, "t:KeyType", *d.key == key_type::none ? bearer_uri(d) : uris.symmetric_key);
  }
  if (d.key_size_bits) text_element(out, "t:KeySize", std::to_string(*d.key_size_bits));
  if (wants_entropy) {
    out += "<t:Entropy><t:BinarySecret Type=\"";
    out += uris.nonce;
    out += "\">";
    append_base64(out, w.pending.client_entropy.data(), w.pending.client_entropy.size());
    out += "</t:BinarySecret></t:Entropy>";
  }
  if (d.action == request_action::renew_context) write_renew_target(out, d, facts.renew);
  out += d.local_parameters;
  if (!d.service_parameters.empty()) {
    if (d.trust == trust_version::v1_3) {
      out += "<t:SecondaryParameters>";
      out += d.service_parameters;
      out += "</t:SecondaryParameters>";
    } else {
      out += d.service_parameters;
    }
  }
  out += "</t:RequestSecurityToken></s:Body></s:Envelope>";
  return w;
}

}  // namespace wst::detail::core
