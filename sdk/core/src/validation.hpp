// validate() with the by-products the RST writer needs, so each token is parsed once.
#pragma once

#include <wst/base/result.hpp>
#include <wst/core/request.hpp>

#include <string>
#include <string_view>

namespace wst::detail::core {

// What RenewTarget needs when no unattached reference was supplied.
struct renew_target {
  std::string identifier;  // sc:Identifier of the SCT to renew
  std::string instance;    // sc:Instance, empty when absent
  // The reference element inside existing_token::unattached_reference (without a BOM, XML
  // declaration or surrounding whitespace); empty when no reference was supplied.
  std::string_view reference;
};

// How a signature's KeyInfo refers to the token it is keyed by.
enum class reference_form {
  supplied,             // the caller's attached_reference element, verbatim
  saml11_assertion_id,  // KeyIdentifier #SAMLAssertionID = id
  saml20_id,            // wsse11:TokenType #SAMLV2.0, KeyIdentifier #SAMLID = id
  sct_local_id,         // Reference URI="#id" (the SCT's wsu:Id), ValueType sct
  sct_identifier,       // Reference URI="id" (the SCT's Identifier) [sc:Instance], ValueType sct
  none,                 // no reference can be made (a bearer token of another type)
};

// A token the Security header carries (the SCT being renewed or a supporting token).
struct presented_token {
  std::string_view xml;        // the token element, without BOM, declaration or whitespace
  std::string_view reference;  // the supplied reference element (form == supplied)
  reference_form form = reference_form::none;
  std::string id;        // AssertionID, ID, wsu:Id or Identifier, per form
  std::string instance;  // sct_identifier: sc:Instance, empty when absent
  secure_conversation_version sc = secure_conversation_version::feb2005;  // SCT forms
};

struct request_facts {
  renew_target renew;
  presented_token existing;    // renew_context
  presented_token supporting;  // when d.supporting is set
};

// validate(d); *facts (if given) receives the tokens' elements and ids. Views in *facts point
// into d's strings: d must outlive them.
result<void> validate_request(const request_description& d, request_facts* facts);

}  // namespace wst::detail::core
