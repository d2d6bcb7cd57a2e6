#include <wst/core/errors.hpp>

#include <string>

namespace wst::detail::core {
namespace {

class core_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.core"; }

  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_description:
        return "invalid request description";
      case errc::invalid_existing_token:
        return "invalid existing token for this request action";
      case errc::invalid_key_size:
        return "invalid key size";
      case errc::invalid_entropy_mode:
        return "key entropy mode not allowed for this key type";
      case errc::invalid_parameters:
        return "request parameters are not well-formed XML";
      case errc::not_supported:
        return "not supported";
      case errc::invalid_state:
        return "negotiation call out of order";
      case errc::xml_limit_exceeded:
        return "reply exceeds an XML limit";
      case errc::malformed_xml:
        return "reply is not well-formed XML";
      case errc::not_soap_envelope:
        return "reply is not a SOAP envelope";
      case errc::soap_version_mismatch:
        return "reply uses another SOAP version";
      case errc::malformed_envelope:
        return "malformed SOAP envelope";
      case errc::header_not_understood:
        return "mustUnderstand header not understood";
      case errc::fault_received:
        return "SOAP fault received";
      case errc::addressing_version_mismatch:
        return "reply uses another WS-Addressing version";
      case errc::action_mismatch:
        return "reply action does not answer the request";
      case errc::relates_to_mismatch:
        return "reply relates to another message";
      case errc::trust_version_mismatch:
        return "reply uses another WS-Trust version";
      case errc::unexpected_body:
        return "reply body is not a token response";
      case errc::bad_collection_size:
        return "token response collection must hold exactly one response";
      case errc::token_outside_body:
        return "token response outside the SOAP body";
      case errc::challenge_not_supported:
        return "multi-leg (challenge) negotiation not supported";
      case errc::not_issuance_response:
        return "reply is not an issuance response";
      case errc::context_mismatch:
        return "response Context differs from the request's";
      case errc::missing_token:
        return "response holds no RequestedSecurityToken";
      case errc::multiple_tokens:
        return "response holds more than one token";
      case errc::empty_token:
        return "RequestedSecurityToken is empty";
      case errc::unexpected_token:
        return "issued token is not of the requested kind";
      case errc::duplicate_element:
        return "response element repeated";
      case errc::malformed_response:
        return "malformed token response";
      case errc::bad_lifetime:
        return "bad token lifetime";
      case errc::bad_reference:
        return "bad token reference";
      case errc::key_type_mismatch:
        return "issued key type differs from the request";
      case errc::missing_proof_token:
        return "proof token missing";
      case errc::malformed_proof_token:
        return "malformed proof token";
      case errc::unknown_computed_key_algorithm:
        return "unknown computed key algorithm";
      case errc::entropy_mode_mismatch:
        return "issuer used another key entropy mode";
      case errc::key_size_mismatch:
        return "key size mismatch";
      case errc::invalid_supporting_token:
        return "invalid supporting token";
    }
    return "unknown wst.core error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const core_category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

bool is_retryable(std::error_code ec) noexcept {
  if (ec.category() != category()) return false;
  return static_cast<errc>(ec.value()) == errc::relates_to_mismatch;
}

}  // namespace wst::detail::core
