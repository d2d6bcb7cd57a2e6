// Writing the sample STS's replies: the RSTR envelope and SOAP faults.
#pragma once

#include "request.hpp"

#include <wst/base/result.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/sts/exchange.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace wst::detail::sts {

// A wsse:SecurityTokenReference as RequestedAttached/UnattachedReference carries it.
struct token_reference {
  enum class form {
    key_identifier,  // KeyIdentifier (SAML assertion ID) with wsse11:TokenType
    reference,       // Reference URI + ValueType (security context token)
  } how = form::key_identifier;
  std::string value;            // the assertion ID, or the Reference URI
  std::string_view value_type;  // KeyIdentifier / Reference ValueType
  std::string_view token_type;  // wsse11:TokenType (key_identifier form only)
};

enum class proof_form {
  none,           // bearer, or client entropy used as the key: no RequestedProofToken
  binary_secret,  // RequestedProofToken/BinarySecret = the key (server entropy only)
  computed_key,   // RequestedProofToken/ComputedKey CK/PSHA1 + Entropy (combined)
};

struct rstr {
  std::string action;   // reply wsa:Action
  std::string context;  // echoed RST@Context (empty: none)
  std::string token_type_uri;
  std::string token_xml;  // inside RequestedSecurityToken, verbatim
  token_reference attached, unattached;
  std::optional<std::string> applies_to;
  std::chrono::system_clock::time_point created, expires;
  proof_form proof = proof_form::none;
  const crypto::secure_bytes* proof_key = nullptr;       // binary_secret
  const crypto::secure_bytes* server_entropy = nullptr;  // computed_key
  std::optional<std::size_t> key_bits;
  std::string key_type_uri;  // echoed when the request named one
};

// 200 with the RSTR (1.3: inside a RequestSecurityTokenResponseCollection).
http_response write_rstr(const reply_context& ctx, const rstr& r, const std::string& message_id);

// The fault for `f` (its errc picks the code, its message is the reason): 500, or 401 with
// WWW-Authenticate when ctx.basic_challenge.
http_response write_fault(const reply_context& ctx, const failure& f,
                          const std::string& message_id);

// "text/xml; charset=utf-8" or "application/soap+xml; charset=utf-8".
std::string_view soap_content_type(soap_version v) noexcept;

}  // namespace wst::detail::sts
