// Writes the complete SOAP envelope carrying a RequestSecurityToken (RST).
//
// Shape (prefixes fixed: s = SOAP, a = WS-Addressing, o = wsse, u = wsu, t = WS-Trust,
// wsp = WS-Policy; no whitespace between elements):
//
//   <s:Envelope xmlns:s=".." xmlns:a="..">
//     <s:Header>
//       <a:Action s:mustUnderstand="1">ACTION</a:Action>
//       <a:MessageID>urn:uuid:..</a:MessageID>
//       <a:ReplyTo><a:Address>ANONYMOUS</a:Address></a:ReplyTo>   WS-Addressing 2004/08 only:
//                                      it requires ReplyTo when a reply is expected; 1.0
//                                      defaults ReplyTo to anonymous, so it is left out
//       <a:To s:mustUnderstand="1">STS ADDRESS</a:To>
//       <o:Security s:mustUnderstand="1" xmlns:o xmlns:u>    with a username, a supporting
//                                                             token, or for renew_context:
//         <u:Timestamp u:Id="_0"><u:Created>now</u:Created>  Id only when a token follows
//           <u:Expires>now+5min</u:Expires></u:Timestamp>    ("_N" if a token uses "_0")
//         <o:UsernameToken><o:Username>..</o:Username>        username
//           <o:Password Type="..#PasswordText">..</o:Password></o:UsernameToken>
//         SCT                                                 renew_context: existing.xml
//         SUPPORTING TOKEN                                    supporting.xml, verbatim
//         <ds:Signature xmlns:ds>..</ds:Signature>            renew_context: keyed by the
//                                                             SCT's proof key
//         <ds:Signature xmlns:ds>..</ds:Signature>            supporting token with a key
//       </o:Security>
//     Each signature is HMAC-SHA1 over the Timestamp alone, exc-c14n, KeyInfo = a
//     wsse:SecurityTokenReference to its token (timestamp_signature.hpp has the layout and
//     why nothing else is signed).
//     </s:Header>
//     <s:Body>
//       <t:RequestSecurityToken Context="urn:uuid:.." xmlns:t="TRUST">
//         <t:TokenType>..</t:TokenType>                 issued_token_type; SCT type for SCT
//         <t:RequestType>TRUST/Issue | TRUST/Renew</t:RequestType>
//         <wsp:AppliesTo xmlns:wsp><a:EndpointReference><a:Address>..</a:Address>
//           </a:EndpointReference></wsp:AppliesTo>      applies_to
//         <t:KeyType>..</t:KeyType>                     key (bearer URI per trust version)
//         <t:KeySize>N</t:KeySize>                      key_size_bits
//         <t:Entropy><t:BinarySecret Type="TRUST/Nonce">b64</t:BinarySecret></t:Entropy>
//                                                       client_only / combined entropy
//         <t:RenewTarget><o:SecurityTokenReference ../></t:RenewTarget>     renew_context
//         LOCAL PARAMETERS
//         SERVICE PARAMETERS | <t:SecondaryParameters>SERVICE PARAMETERS</t:SecondaryParameters>
//       </t:RequestSecurityToken>                       (2005)  |  (1.3)
//     </s:Body>
//   </s:Envelope>
//
// Actions: issue TRUST/RST/Issue, new_context TRUST/RST/SCT, renew_context TRUST/RST/SCT/Renew.
// The client entropy is key_size_bits/8 random bytes (32 when no size is asked).
#pragma once

#include <wst/base/result.hpp>
#include <wst/core/environment.hpp>
#include <wst/core/request.hpp>
#include <wst/crypto/crypto.hpp>

#include <string>
#include <string_view>

namespace wst::detail::core {

// The bytes to send and how to send them. `action` goes into the HTTP layer's SOAPAction
// header (SOAP 1.1, quoted) or the content type's action parameter (SOAP 1.2); it points to
// static storage.
struct outgoing_message {
  std::string bytes;
  std::string_view action;
  soap_version soap = soap_version::soap12;
};

// What the RSTR reader must know about the RST it answers. client_entropy holds key material:
// it is wiped when destroyed; keep it no longer than the exchange.
struct pending_request {
  std::string message_id;               // wsa:MessageID, for wsa:RelatesTo
  std::string context;                  // RequestSecurityToken@Context
  crypto::secure_bytes client_entropy;  // empty unless entropy is client_only / combined
};

struct written_rst {
  outgoing_message message;
  pending_request pending;
};

// Validates `d` (see validate()) and writes the envelope: one std::string, reserved once.
// Draws from `env`: one message id for wsa:MessageID, one for Context (in that order), the
// client entropy, and now() when a Security header is written.
result<written_rst> write_rst(const request_description& d, environment& env);

// The wsa:Action an RST for `d` carries (static storage).
std::string_view rst_action(const request_description& d) noexcept;

}  // namespace wst::detail::core
