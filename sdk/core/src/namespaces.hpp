// Namespace URIs and fixed URIs of the protocols the core speaks (PROTOCOL.md).
#pragma once

#include <wst/core/request.hpp>

#include <string_view>

namespace wst::detail::core::ns {

inline constexpr std::string_view soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view soap12 = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr std::string_view wsa10 = "http://www.w3.org/2005/08/addressing";
inline constexpr std::string_view wsa2004 = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
inline constexpr std::string_view wsp = "http://schemas.xmlsoap.org/ws/2004/09/policy";
inline constexpr std::string_view wsse =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
inline constexpr std::string_view wsu =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
inline constexpr std::string_view trust2005 = "http://schemas.xmlsoap.org/ws/2005/02/trust";
inline constexpr std::string_view trust13 = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
inline constexpr std::string_view sc2005 = "http://schemas.xmlsoap.org/ws/2005/02/sc";
inline constexpr std::string_view sc13 =
    "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512";
inline constexpr std::string_view saml11 = "urn:oasis:names:tc:SAML:1.0:assertion";
inline constexpr std::string_view saml20 = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr std::string_view xenc = "http://www.w3.org/2001/04/xmlenc#";
inline constexpr std::string_view wsse11 =
    "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd";

// WSS SAML Token Profile 1.1: key identifiers and token types (section 3.4).
inline constexpr std::string_view saml_assertion_id =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID";
inline constexpr std::string_view saml_id =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID";
inline constexpr std::string_view saml_v20_token_type =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";

inline constexpr std::string_view password_text =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordText";
inline constexpr std::string_view no_proof_key =
    "http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey";
inline constexpr std::string_view bearer_spec =
    "http://docs.oasis-open.org/ws-sx/wstrust/200512/Bearer";
inline constexpr std::string_view bearer_schema =
    "http://docs.oasis-open.org/wssx/wstrust/200512/Bearer";
inline constexpr std::string_view bearer_errata =
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer";

constexpr std::string_view soap(soap_version v) noexcept {
  return v == soap_version::soap11 ? soap11 : soap12;
}
constexpr std::string_view addressing(addressing_version v) noexcept {
  return v == addressing_version::v1_0 ? wsa10 : wsa2004;
}
constexpr std::string_view other_addressing(addressing_version v) noexcept {
  return v == addressing_version::v1_0 ? wsa2004 : wsa10;
}
constexpr std::string_view trust(trust_version v) noexcept {
  return v == trust_version::feb2005 ? trust2005 : trust13;
}
constexpr std::string_view other_trust(trust_version v) noexcept {
  return v == trust_version::feb2005 ? trust13 : trust2005;
}
constexpr std::string_view sc(secure_conversation_version v) noexcept {
  return v == secure_conversation_version::feb2005 ? sc2005 : sc13;
}

// Full URIs that depend on a version, as static strings (the writer appends them and
// rst_action() hands them out). Empty: the version defines no such URI.
struct trust_uris {
  std::string_view rst_issue, rst_sct, rst_sct_renew;
  std::string_view rstr_issue, rstrc_issue_final, rstr_sct, rstr_sct_renew, rstr_renew_final;
  std::string_view rstr_sct_cancel, rstr_cancel, rstr_cancel_final;
  std::string_view issue, renew;
  std::string_view nonce, symmetric_key, public_key;
  std::string_view ck_psha1;
};

inline constexpr trust_uris trust2005_uris{
    "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/SCT",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/SCT/Renew",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/Issue",
    "",  // not defined in Feb 2005
    "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/SCT",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/SCT/Renew",
    "",  // not defined in Feb 2005
    "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/SCT/Cancel",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/Cancel",
    "",  // not defined in Feb 2005
    "http://schemas.xmlsoap.org/ws/2005/02/trust/Issue",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/Renew",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/Nonce",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/SymmetricKey",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/PublicKey",
    "http://schemas.xmlsoap.org/ws/2005/02/trust/CK/PSHA1",
};

inline constexpr trust_uris trust13_uris{
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/SCT",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/SCT/Renew",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/Issue",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTRC/IssueFinal",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/SCT",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/SCT/Renew",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/RenewFinal",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/SCT/Cancel",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/Cancel",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/CancelFinal",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Renew",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Nonce",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/SymmetricKey",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey",
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/CK/PSHA1",
};

constexpr const trust_uris& uris(trust_version v) noexcept {
  return v == trust_version::feb2005 ? trust2005_uris : trust13_uris;
}

inline constexpr std::string_view sct_type_2005 = "http://schemas.xmlsoap.org/ws/2005/02/sc/sct";
inline constexpr std::string_view sct_type_13 =
    "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512/sct";
constexpr std::string_view sct_type(secure_conversation_version v) noexcept {
  return v == secure_conversation_version::feb2005 ? sct_type_2005 : sct_type_13;
}

constexpr std::string_view anonymous(addressing_version v) noexcept {
  return v == addressing_version::v1_0
             ? std::string_view("http://www.w3.org/2005/08/addressing/anonymous")
             : std::string_view("http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous");
}

}  // namespace wst::detail::core::ns
