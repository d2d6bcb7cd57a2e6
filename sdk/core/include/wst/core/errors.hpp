// Errors of the sans-I/O WS-Trust core (wst::detail::core).
//
// Every function of the core reports failure as a wst::detail::failure whose code is one of
// these values and whose message names the offending element, value or limit. Each
// enumerator says what it means and whether trying again could help:
//   fatal     - the same request against the same STS fails the same way; fix the request,
//               the configuration or the STS;
//   retryable - a fresh negotiation (new message, possibly a new connection) may succeed.
// is_retryable() answers that question for any std::error_code (false for codes of other
// categories, which their own layers classify).
#pragma once

#include <system_error>

namespace wst::detail::core {

enum class errc {
  // --- the request description (caller errors; all fatal) ---------------------------------
  invalid_description = 1,  // fatal: a field is empty, not a URI, or contradicts another
  invalid_existing_token,   // fatal: renew without an SCT, token not an SCT, or a token given
                            //        for an action other than renew_context
  invalid_key_size,         // fatal: key size 0, not a multiple of 8, too large, or with bearer
  invalid_entropy_mode,     // fatal: client/combined entropy asked for a bearer (keyless) token
  invalid_parameters,       // fatal: local/service parameters are not well-formed XML elements
  not_supported,            // fatal: asked for something wst does not do (asymmetric keys)

  // --- the negotiation state machine -------------------------------------------------------
  invalid_state,  // fatal: on_reply before start, start or on_reply called twice

  // --- the reply as XML and SOAP -----------------------------------------------------------
  xml_limit_exceeded,     // fatal: reply larger/deeper/wider than the configured xml::limits
  malformed_xml,          // fatal: reply is not well-formed XML (truncated, garbage, DOCTYPE)
  not_soap_envelope,      // fatal: root element is not a SOAP 1.1 or 1.2 Envelope
  soap_version_mismatch,  // fatal: reply uses the other SOAP version than the request
  malformed_envelope,     // fatal: missing/duplicate Header or Body, or stray Envelope children
  header_not_understood,  // fatal: a mustUnderstand header the client cannot process
  fault_received,         // fatal: the STS answered with a SOAP fault (code/subcode/reason in
                          //        the message; a Receiver/Server fault may pass later)

  // --- WS-Addressing -------------------------------------------------------------------------
  addressing_version_mismatch,  // fatal: reply headers use the other WS-Addressing version
  action_mismatch,              // fatal: wsa:Action is not a reply to the request sent (other
                                //        trust version or other operation)
  relates_to_mismatch,          // retryable: wsa:RelatesTo names another message (a stray or
                                //        stale reply); a new exchange may be answered right

  // --- the WS-Trust response -----------------------------------------------------------------
  trust_version_mismatch,   // fatal: RSTR/RSTRC in the other WS-Trust namespace
  unexpected_body,          // fatal: Body empty, several children, or not an RSTR/RSTRC
  bad_collection_size,      // fatal: RSTRC holding more or fewer than one RSTR
  token_outside_body,       // fatal: an RSTR or RequestedSecurityToken outside the Body
  challenge_not_supported,  // fatal: multi-leg exchange (SignChallenge, BinaryExchange, ...)
  not_issuance_response,    // fatal: a cancel/validate/status reply, not an issued token
  context_mismatch,         // fatal: RSTR@Context differs from the RST's Context
  missing_token,            // fatal: no RequestedSecurityToken
  multiple_tokens,          // fatal: two RequestedSecurityToken, or two tokens inside one
  empty_token,              // fatal: RequestedSecurityToken without a token element
  unexpected_token,         // fatal: SCT asked but no SCT (of that WS-SC version) returned
  duplicate_element,        // fatal: an RSTR child that may appear once appears twice
  malformed_response,       // fatal: an RSTR child is malformed (empty TokenType, bad KeySize)
  bad_lifetime,             // fatal: Lifetime Created/Expires not strict xsd:dateTime or reversed
  bad_reference,            // fatal: Requested(Un)AttachedReference without one element child
  key_type_mismatch,        // fatal: KeyType/key material contradicts the key type asked
  missing_proof_token,      // fatal: a proof key is needed but RequestedProofToken is absent
  malformed_proof_token,    // fatal: proof token or server entropy unreadable (base64, Type,
                            //        encrypted key, empty secret, missing server entropy)
  unknown_computed_key_algorithm,  // fatal: ComputedKey other than CK/PSHA1
  entropy_mode_mismatch,           // fatal: STS chose another key derivation than the entropy mode
  key_size_mismatch,               // fatal: KeySize disagrees with the request or the key material

  // --- message security (a caller error; listed last to keep the values above stable) ---------
  invalid_supporting_token,  // fatal: the supporting token, its reference or its proof key is
                             //        unusable (not one element, no id to refer to, key too long)
};

const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

// True when the error is one a fresh negotiation may overcome (see the table above); false
// for every fatal core error and for codes of other categories.
bool is_retryable(std::error_code ec) noexcept;

}  // namespace wst::detail::core

namespace std {
template <>
struct is_error_code_enum<wst::detail::core::errc> : true_type {};
}  // namespace std
