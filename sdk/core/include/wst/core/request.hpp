// What to ask the STS for: the core's form of WsRequestSecurityToken's properties plus the
// facts the channel contributes (SOAP and WS-Addressing versions, STS address, credentials).
//
// Property by property (WS_REQUEST_SECURITY_TOKEN_PROPERTY_*, see PROTOCOL.md):
//   APPLIES_TO 1                   -> applies_to (wsp:AppliesTo/wsa:EndpointReference/wsa:Address)
//   TRUST_VERSION 2                -> trust (default feb2005)
//   SECURE_CONVERSATION_VERSION 3  -> secure_conversation (default feb2005)
//   ISSUED_TOKEN_TYPE 4            -> issued_token_type (absent: no TokenType element)
//   REQUEST_ACTION 5               -> action (default issue)
//   EXISTING_TOKEN 6               -> existing (renew_context only; with the SCT's proof key)
//   ISSUED_TOKEN_KEY_TYPE 7        -> key (absent: no KeyType element)
//   ISSUED_TOKEN_KEY_SIZE 8        -> key_size_bits (absent: no KeySize element)
//   ISSUED_TOKEN_KEY_ENTROPY 9     -> entropy (default server_only)
//   LOCAL_REQUEST_PARAMETERS 10    -> local_parameters (copied verbatim into the RST)
//   SERVICE_REQUEST_PARAMETERS 11  -> service_parameters (1.3: inside SecondaryParameters)
//   MESSAGE_PROPERTIES 12          -> handled by the channel/HTTP layers, not the core
//   BEARER_KEY_TYPE_VERSION 13     -> bearer_version (1.3 only)
// Channel security binding:
//   WS_XML_TOKEN_MESSAGE_SECURITY_BINDING -> supporting (an issued token buying another token)
//   WS_USERNAME_MESSAGE_SECURITY_BINDING  -> username
// Enum values equal the webservices.h values so sdk/capi can convert with a static_cast.
#pragma once

#include <wst/base/result.hpp>
#include <wst/crypto/crypto.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wst::detail::core {

enum class trust_version { feb2005 = 1, v1_3 = 2 };
enum class secure_conversation_version { feb2005 = 1, v1_3 = 2 };
enum class request_action { issue = 1, new_context = 2, renew_context = 3 };
// none = a bearer token (no proof key); asymmetric is refused with errc::not_supported.
enum class key_type { none = 1, symmetric = 2, asymmetric = 3 };
// Who contributes the proof key: client_only = the client's entropy is the key; server_only =
// the STS sends the key; combined = P_SHA1(client entropy, server entropy).
enum class key_entropy { client_only = 1, server_only = 2, combined = 3 };
// The KeyType URI written for a WS-Trust 1.3 bearer request. Three spellings exist:
//   original_specification  http://docs.oasis-open.org/ws-sx/wstrust/200512/Bearer
//       (WS-Trust 1.3 OS prose, section 9.2 - the typo that errata 01 fixed)
//   original_schema         http://docs.oasis-open.org/wssx/wstrust/200512/Bearer
//       (KeyTypeEnum of ws-trust-1.3.xsd; see tests/vectors/xsd/ws-trust-1.3.xsd)
//   errata_01               http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer
//       (WS-Trust 1.3 errata 01; what ADFS and WIF emit and expect)
// MS-LWSSP 2.2.2 lists all three as acceptable KeyType values; the reader accepts all three
// (and Feb 2005's NoProofKey) whatever is configured. The default follows WWSAPI, whose
// enumeration starts at the original specification (see docs/core.md).
enum class bearer_key_type_version {
  original_specification = 1,
  original_schema = 2,
  errata_01 = 3
};

enum class soap_version { soap11, soap12 };
enum class addressing_version { v1_0, aug2004 };  // W3C 1.0 (2005/08), member submission 2004/08

// The SCT to renew (RENEW_CONTEXT); existing_token_from() (rstr_reader.hpp) makes it from
// the token that new_context returned.
//   xml                   the sc:SecurityContextToken as the issuing RSTR delivered it
//                         (issued_token::xml); copied verbatim into the wsse:Security header.
//   attached_reference    (issued_token::attached_reference) a wsse:SecurityTokenReference
//                         used verbatim as the signature's KeyInfo; empty: the core refers to
//                         the SCT by its wsu:Id ("#id", MS-LWSSP 2.2.1.5: message-specific), or
//                         by its Identifier (and sc:Instance) when it has no wsu:Id.
//   unattached_reference  (issued_token::unattached_reference) written verbatim into
//                         RenewTarget; empty: a wsse:Reference to the SCT's Identifier (and
//                         sc:Instance when the SCT has one).
//   proof_key             the SCT's key (issued_token::proof_key), 1..max_key_size_bits/8
//                         bytes, required: WS-SecureConversation makes the renew request prove
//                         possession, so the core signs the Timestamp with it (HMAC-SHA1).
struct existing_token {
  std::string xml;
  std::string attached_reference;
  std::string unattached_reference;
  crypto::secure_bytes proof_key{};
};

// An issued token presented to the STS as a supporting token in the RST's wsse:Security header
// (WS_XML_TOKEN_MESSAGE_SECURITY_BINDING with WS_SUPPORTING_MESSAGE_SECURITY_USAGE): how a
// token from one STS buys a token from another (federation). supporting_token_from()
// (rstr_reader.hpp) makes it from an issued token.
//   xml                 one XML element (issued_token::xml; a BOM, XML declaration and
//                       surrounding whitespace are dropped), copied verbatim after the
//                       Timestamp. Any token type when it is a bearer token.
//   attached_reference  (issued_token::attached_reference) a wsse:SecurityTokenReference used
//                       verbatim as the signature's KeyInfo; empty: the core builds one for the
//                       token types it knows:
//                         SAML 1.1 Assertion  KeyIdentifier ValueType=...saml-token-profile-1.0
//                                             #SAMLAssertionID, value = AssertionID
//                         SAML 2.0 Assertion  wsse11:TokenType=...saml-token-profile-1.1
//                                             #SAMLV2.0, KeyIdentifier ValueType=...-1.1#SAMLID,
//                                             value = ID
//                         SecurityContextToken  Reference URI="#wsu:Id" (or URI=Identifier
//                                             when the SCT has no wsu:Id), ValueType = its sct
//                       Another token type with a proof key needs attached_reference.
//   proof_key           the token's symmetric key (issued_token::proof_key), at most
//                       max_key_size_bits/8 bytes; empty for a bearer token: then the header
//                       carries the Timestamp and the token only. With a key, the core adds an
//                       HMAC-SHA1 ds:Signature over the Timestamp, keyed by proof_key, KeyInfo
//                       referring to the token (MS-LWSSP 2.2.1.6/2.2.1.7).
struct supporting_token {
  std::string xml;
  std::string attached_reference;
  crypto::secure_bytes proof_key{};
};

// WS-Security UsernameToken with a #PasswordText password (MS-LWSSP 2.2.1.4), sent with a
// wsu:Timestamp (Created = now, Expires = now + 5 minutes) in a mustUnderstand wsse:Security
// header. The password is wiped from memory when the credential is destroyed.
struct username_credential {
  std::string username;
  crypto::secure_bytes password;  // UTF-8
};

struct request_description {
  // --- from the channel ---
  std::string sts_address;  // wsa:To; absolute URI (http/https/...), required
  soap_version soap = soap_version::soap12;
  addressing_version addressing = addressing_version::v1_0;
  std::optional<username_credential> username;  // UsernameToken in wsse:Security
  std::optional<supporting_token> supporting;   // issued token in wsse:Security (federation)

  // --- WS_REQUEST_SECURITY_TOKEN_PROPERTY_* ---
  std::optional<std::string> applies_to;  // endpoint address URL of the relying party
  trust_version trust = trust_version::feb2005;
  secure_conversation_version secure_conversation = secure_conversation_version::feb2005;
  std::optional<std::string> issued_token_type;  // SCT actions: absent or the SCT type URI
  request_action action = request_action::issue;
  std::optional<existing_token> existing;  // renew_context only (required there)
  std::optional<key_type> key;
  std::optional<std::uint32_t> key_size_bits;  // 8..max_key_size_bits, multiple of 8
  key_entropy entropy = key_entropy::server_only;
  std::string local_parameters;    // zero or more complete XML elements, or empty
  std::string service_parameters;  // zero or more complete XML elements, or empty
  bearer_key_type_version bearer_version = bearer_key_type_version::original_specification;
};

// Largest key size accepted in a request or from an STS (bits). Keeps a hostile KeySize from
// making P_SHA1 produce megabytes.
inline constexpr std::uint32_t max_key_size_bits = 4096;
// Client entropy size when no key size is asked (bits), and the combined key's default size.
inline constexpr std::uint32_t default_key_size_bits = 256;

// The wsse:Security header is written when a username, a supporting token or renew_context
// asks for it; see rst_writer.hpp for its layout.
//
// Checks a description before any byte is written. Errors (each with a message naming the
// field): invalid_description (empty or non-absolute sts_address or applies_to, characters
// not allowed in a URI, a token type contradicting an SCT action, empty username),
// invalid_existing_token (renew without a token or without its proof key, a proof key over
// max_key_size_bits, a token that is not a well-formed SCT of the configured
// WS-SecureConversation version, a token given for issue/new_context, an attached or
// unattached reference that is not one wsse:SecurityTokenReference),
// invalid_supporting_token (a supporting token that is not one well-formed element, a proof
// key over max_key_size_bits, an attached reference that is not one
// wsse:SecurityTokenReference, a SAML assertion without its AssertionID/ID or an SCT without
// a valid Identifier when the core must build the reference, a keyed token of another type
// without attached_reference), invalid_key_size (0,
// not a multiple of 8, above max_key_size_bits, or given with a bearer key type),
// invalid_entropy_mode (client_only/combined with a bearer key type), invalid_parameters
// (parameters that are not a sequence of well-formed elements), not_supported (asymmetric).
result<void> validate(const request_description& d);

// Short names for logs, docs and test descriptions ("1.3", "soap12", "new_context", ...).
std::string_view to_string(trust_version v) noexcept;
std::string_view to_string(secure_conversation_version v) noexcept;
std::string_view to_string(request_action a) noexcept;
std::string_view to_string(key_type k) noexcept;
std::string_view to_string(key_entropy e) noexcept;
std::string_view to_string(soap_version v) noexcept;
std::string_view to_string(addressing_version v) noexcept;

}  // namespace wst::detail::core
