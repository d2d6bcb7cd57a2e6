// Reads the STS's reply to an RST: a SOAP envelope holding a RequestSecurityTokenResponse
// (RSTR) - wrapped in a RequestSecurityTokenResponseCollection (RSTRC) with exactly one RSTR
// in WS-Trust 1.3 - or a SOAP fault. The result is the issued token, kept byte for byte.
//
// Checks, in order (the first failure wins; see errors.hpp for each code):
//  1. XML within xml::limits (default 64 KiB, depth 32 like WWSAPI), well-formed, no DOCTYPE.
//  2. Root soap:Envelope; optional Header first, exactly one Body; SOAP 1.2 allows nothing
//     else. A Fault as the Body's child becomes fault_received (either SOAP version), then
//     the envelope's SOAP version must equal the request's.
//  3. Headers: nothing WS-Trust-like outside the Body (token_outside_body); every
//     mustUnderstand header is one the client processes: WS-Addressing of the version sent,
//     and wsse:Security (contents not verified: wst relies on TLS, like MS-LWSSP's transport
//     security; a signed reply still parses); WS-Addressing headers only in the other
//     version -> addressing_version_mismatch.
//  4. wsa:Action, when present, is a reply action for the request: issue -> RSTR/Issue (1.3
//     also RSTRC/IssueFinal, which ADFS sends), new_context -> RSTR/SCT (1.3 also
//     RSTRC/IssueFinal), renew_context -> RSTR/SCT/Renew (1.3 also RSTR/RenewFinal), all in
//     the trust namespace sent; cancel actions -> not_issuance_response; anything else ->
//     action_mismatch. An absent Action is accepted: the Body's namespace still pins the trust
//     version, and HTTP request/reply already ties the reply to this exchange.
//  5. wsa:RelatesTo (reply relationship), when present, equals the wsa:MessageID sent.
//     Absent is accepted: over HTTP the reply arrives on the request's own exchange, and ADFS
//     omits RelatesTo in its replies (tests/vectors/captured/adfs-*).
//  6. Body: exactly one element: an RSTR, or an RSTRC holding exactly one RSTR (accepted in
//     both versions; MS-LWSSP requires the RSTRC in 1.3 and real 2005 servers send a bare
//     RSTR), in the trust namespace sent.
//  7. RSTR: Context (if present) equals the RST's; no challenge elements; not a cancel reply;
//     exactly one RequestedSecurityToken holding exactly one element; singletons unique;
//     strict Lifetime; references each hold one element; SCT actions return an SCT of the
//     configured WS-SecureConversation version with an Identifier.
//  8. Key: the key type and proof material must match what was asked (see issued_token).
#pragma once

#include <wst/base/result.hpp>
#include <wst/core/datetime.hpp>
#include <wst/core/request.hpp>
#include <wst/core/rst_writer.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/xml/reader.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace wst::detail::core {

// The token and everything WWSAPI exposes about it (WS_SECURITY_TOKEN_PROPERTY_*).
struct issued_token {
  // The token element exactly as received, plus the namespace declarations it uses from its
  // ancestors (xml::element::lift()), so signatures over it keep verifying.
  std::string xml;
  // RSTR TokenType; else the type that was asked; else derived from the token element
  // (SCT -> its sc/sct URI, saml:Assertion -> the SAML namespace URI); else empty.
  std::string token_type;
  // The wsse:SecurityTokenReference inside RequestedAttachedReference /
  // RequestedUnattachedReference, lifted like `xml`; empty when absent.
  std::string attached_reference;
  std::string unattached_reference;
  // Lifetime/wsu:Created and wsu:Expires; nullopt = unbounded (WS_DATETIME ticks 0).
  std::optional<datetime> valid_from;
  std::optional<datetime> valid_till;
  // none: a bearer token, proof_key empty. symmetric: proof_key holds the key:
  //   client_only  the client entropy sent in the RST;
  //   server_only  RequestedProofToken/BinarySecret;
  //   combined     P_SHA1(client entropy, server Entropy/BinarySecret) with ComputedKey
  //                TRUST/CK/PSHA1, KeySize bits long (RSTR KeySize, else the size asked,
  //                else 256).
  key_type key = key_type::none;
  crypto::secure_bytes proof_key;
  std::uint32_t key_size_bits = 0;  // proof_key.size() * 8; 0 for bearer tokens
  // For SecurityContextTokens: sc:Identifier and sc:Instance (empty when absent).
  std::string context_id;
  std::string context_instance;
};

// The token, its references and its proof key as a later request presents them: the SCT to
// renew (renew_context) or a supporting token (federation). Copies; the proof key stays
// wiped-on-release.
existing_token existing_token_from(const issued_token& t);
supporting_token supporting_token_from(const issued_token& t);

// A SOAP fault, either version. QName-valued codes are kept as written ("s:Sender") and
// resolved against the in-scope namespaces.
struct soap_fault {
  soap_version version = soap_version::soap12;
  std::string code;               // 1.2 Code/Value, 1.1 faultcode
  std::string code_namespace;     // resolved namespace URI of `code` ("" if unresolvable)
  std::string subcode;            // 1.2 Code/Subcode/Value chain joined with " / "; 1.1: empty
  std::string subcode_namespace;  // namespace URI of the innermost subcode
  std::string reason;             // 1.2 Reason/Text (first English one, else first), 1.1
                                  // faultstring; whitespace trimmed
  std::string detail;             // lifted Detail/detail element, empty if none

  // True for a Receiver (1.2) / Server (1.1) fault: the STS's own trouble, which may pass.
  bool receiver_fault() const;
  // "CODE / SUBCODE: REASON" (parts that are empty are left out) - the failure message.
  std::string summary() const;
};

// Parses `reply` as the answer to the RST described by `d` and `sent`. On fault_received,
// *fault (when given) receives the parsed fault. Never returns a partial token.
result<issued_token> read_rstr(std::string_view reply, const request_description& d,
                               const pending_request& sent, const xml::limits& limits = {},
                               soap_fault* fault = nullptr);

}  // namespace wst::detail::core
