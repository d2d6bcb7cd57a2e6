// SAML 1.1 and 2.0 assertions, signed with an enveloped XML signature (RSA-SHA256, exclusive
// c14n, the signing certificate in KeyInfo).
#pragma once

#include <wst/base/result.hpp>
#include <wst/sts/issuer.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace wst::detail::sts {

struct assertion_fields {
  saml_version version = saml_version::v20;
  std::string id;  // xsd:ID, becomes AssertionID / ID and the Reference URI
  std::string issuer;
  std::string subject;                  // NameIdentifier / NameID
  bool password_authenticated = false;  // authentication method / context class
  std::chrono::system_clock::time_point issued, expires;
  std::optional<std::string> audience;
  // Holder-of-key: the ds:KeyName the subject confirmation carries (base64 SHA-1 of the proof
  // key). nullopt: bearer confirmation.
  std::optional<std::string> proof_key_name;
};

// The signing material, prepared once: the certificate's base64 DER for KeyInfo.
struct signer {
  const signing_identity& identity;
  std::string certificate_b64;
};

// The complete signed assertion. Fails (errc::request_failed) only if the assertion cannot be
// canonicalized or signed.
result<std::string> write_signed_assertion(const assertion_fields& f, const signer& s);

}  // namespace wst::detail::sts
