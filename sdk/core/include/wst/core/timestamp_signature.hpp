// The WS-Security signature the RST writer puts in its wsse:Security header when a token with a
// symmetric proof key is presented (a supporting issued token, or the SCT being renewed).
//
// MS-LWSSP 2.2.1.7 fixes what is signed: with a symmetric key the wsu:Timestamp and nothing
// else (wsa:To "MUST NOT be signed" with a symmetric key; "other elements MUST NOT be
// signed"), so the Body is not signed either: TLS protects the message, the signature proves
// possession of the token's key and binds it to a 5-minute window. The algorithms are those
// of WCF and WWSAPI, and of tests/vectors/captured/wcf-sct-*-hmacsha1-SIGVALID.xml:
//
//   <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
//     <ds:SignedInfo>
//       <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
//       <ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1"/>
//       <ds:Reference URI="#TIMESTAMP-ID">
//         <ds:Transforms><ds:Transform Algorithm="...xml-exc-c14n#"/></ds:Transforms>
//         <ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>
//         <ds:DigestValue>base64 SHA-1 of the Timestamp's exc-c14n form</ds:DigestValue>
//       </ds:Reference>
//     </ds:SignedInfo>
//     <ds:SignatureValue>base64 HMAC-SHA1(proof key, exc-c14n of SignedInfo)</ds:SignatureValue>
//     <ds:KeyInfo>(wsse:SecurityTokenReference to the token)</ds:KeyInfo>
//   </ds:Signature>
//
// Both signed elements are made by the writer from its own values, so their exclusive
// canonical form (https://www.w3.org/TR/xml-exc-c14n/) is written directly rather than by
// parsing the message back: the canonical form of an element written by these functions
// differs from the in-message form only by the namespace declaration of its prefix, which
// exc-c14n renders on the apex element (the prefix is visibly used there and no output
// ancestor renders it). Start/end tag pairs, attribute order (namespace declaration first,
// then the single attribute), and c14n escaping are used in both forms. tests/core checks
// this equivalence with xml::exclusive_c14n on written envelopes, recomputes the captured WCF
// signatures with these functions, and has xmlsec1 verify the envelopes.
#pragma once

#include <wst/crypto/crypto.hpp>

#include <string>
#include <string_view>

namespace wst::detail::core {

inline constexpr std::string_view xmldsig_namespace = "http://www.w3.org/2000/09/xmldsig#";

// Appends <P:Timestamp[ xmlns:P="wsu"][ P:Id="ID"]><P:Created>CREATED</P:Created>
// <P:Expires>EXPIRES</P:Expires></P:Timestamp> (P = wsu_prefix, not empty). An empty `id`
// leaves out the Id attribute. With declare_namespace the result is the element's exc-c14n
// form in any context; without, it is the form to write where P is already bound to the
// WS-Security utility namespace. Values are escaped as c14n escapes them.
void append_timestamp(std::string& out, std::string_view wsu_prefix, std::string_view id,
                      std::string_view created, std::string_view expires, bool declare_namespace);

// Appends the SignedInfo shown above with prefix P (ds_prefix; empty = the default namespace),
// referring to "#reference_id" with the given base64 digest. With declare_namespace the result
// is its exc-c14n form (what the signature value is computed over); without, it is the form to
// write inside a Signature that binds P to xmldsig_namespace.
void append_signed_info(std::string& out, std::string_view ds_prefix, std::string_view reference_id,
                        std::string_view digest_value, bool declare_namespace);

// The two base64 values of a Timestamp signature.
struct timestamp_signature {
  std::string digest_value;     // SHA-1 of canonical_timestamp
  std::string signature_value;  // HMAC-SHA1(key, canonical SignedInfo)
};

// Signs a Timestamp whose exc-c14n form is `canonical_timestamp` and whose Id is
// `reference_id`, with a SignedInfo in prefix `ds_prefix` (see append_signed_info). `key` is
// the proof key (any length; HMAC hashes keys over 64 bytes).
timestamp_signature sign_timestamp(crypto::byte_view key, std::string_view canonical_timestamp,
                                   std::string_view reference_id,
                                   std::string_view ds_prefix = "ds");

}  // namespace wst::detail::core
