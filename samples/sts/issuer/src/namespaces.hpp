// Namespace and URI constants the sample STS reads and writes.
#pragma once

#include <string_view>

namespace wst::detail::sts::ns {

inline constexpr std::string_view soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view soap12 = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr std::string_view wsa10 = "http://www.w3.org/2005/08/addressing";
inline constexpr std::string_view wsa04 = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
inline constexpr std::string_view trust05 = "http://schemas.xmlsoap.org/ws/2005/02/trust";
inline constexpr std::string_view trust13 = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
inline constexpr std::string_view sc05 = "http://schemas.xmlsoap.org/ws/2005/02/sc";
inline constexpr std::string_view sc13 =
    "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512";
inline constexpr std::string_view wsp = "http://schemas.xmlsoap.org/ws/2004/09/policy";
inline constexpr std::string_view wsse =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
inline constexpr std::string_view wsse11 =
    "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd";
inline constexpr std::string_view wsu =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
inline constexpr std::string_view saml1 = "urn:oasis:names:tc:SAML:1.0:assertion";
inline constexpr std::string_view saml2 = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr std::string_view ds = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr std::string_view xsi = "http://www.w3.org/2001/XMLSchema-instance";

// wsse:Password@Type
inline constexpr std::string_view password_text =
    "http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-username-token-profile-1.0#PasswordText";

// Token types.
inline constexpr std::string_view token_saml11 =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1";
inline constexpr std::string_view token_saml20 =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";
// KeyIdentifier value types for references to assertions.
inline constexpr std::string_view saml11_assertion_id =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID";
inline constexpr std::string_view saml20_id =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID";

// Bearer key types: WS-Trust February 2005 (via the identity namespace) and the 1.3 variants.
inline constexpr std::string_view bearer_2005 =
    "http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey";
inline constexpr std::string_view bearer_13[] = {
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer",
    "http://docs.oasis-open.org/ws-sx/wstrust/200512/Bearer",
    "http://docs.oasis-open.org/wssx/wstrust/200512/Bearer",
};

// XML Signature algorithms.
inline constexpr std::string_view exc_c14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr std::string_view rsa_sha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr std::string_view sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr std::string_view enveloped =
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

// WS-Addressing fault actions and the anonymous address of August 2004.
inline constexpr std::string_view wsa10_fault_action =
    "http://www.w3.org/2005/08/addressing/soap/fault";
inline constexpr std::string_view wsa04_fault_action =
    "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault";
inline constexpr std::string_view wsa04_anonymous =
    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";

}  // namespace wst::detail::sts::ns
