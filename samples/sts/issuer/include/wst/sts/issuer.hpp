// The sample STS's issuing engine, sans-I/O: one SOAP request in, one HTTP response out.
//
// What it serves (docs/sts.md has the full description):
// - WS-Trust February 2005 and 1.3 over SOAP 1.1 and 1.2, WS-Addressing 1.0 and August 2004
//   (or none); the reply uses the request's versions, RelatesTo = the request's MessageID,
//   and in 1.3 wraps the RSTR in a RequestSecurityTokenResponseCollection.
// - Issue of SAML 1.1 and SAML 2.0 assertions signed RSA-SHA256 with exclusive c14n
//   (enveloped signature, the signing certificate in KeyInfo), audience from AppliesTo,
//   bearer or holder-of-key subject confirmation, attached and unattached references.
// - Symmetric proof keys from client, server or combined (CK/PSHA1) entropy, KeySize honoured.
// - Security context tokens (WS-SecureConversation February 2005 and 1.3): issue (RST/SCT)
//   and renew (RST/SCT/Renew) against an in-memory table of issued contexts.
// - Authentication by wsse:UsernameToken (PasswordText) or HTTP Basic against a user_table;
//   without one every caller is served.
// - A SOAP fault with the matching code for every refused request.
// Time and randomness come from the injected clock and random_source only, so a fixed clock
// and a fixed source give byte-identical responses.
#pragma once

#include <wst/base/result.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/sts/clock.hpp>
#include <wst/sts/responder.hpp>
#include <wst/sts/users.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wst::detail::sts {

// The key assertions are signed with and the certificate that names it (sent in KeyInfo).
// wst-sample-sts also serves TLS with them.
struct signing_identity {
  crypto::rsa_private_key key;
  crypto::certificate cert;
  // The CA that issued `cert` when the identity was made by generate_with_ca(): what clients
  // trust (wst's TLS client, like Botan's, never trusts a self-signed server certificate).
  std::optional<crypto::certificate> ca;

  // A fresh RSA key of `bits` bits and a self-signed certificate for CN=`common_name`, valid
  // for ten years. `rng` supplies the key's randomness.
  static result<signing_identity> generate(std::string_view common_name, std::size_t bits = 2048,
                                           crypto::random_source& rng = crypto::system_random());
  // A fresh CA ("CN=wst sample STS CA", its key discarded once it has signed) and a fresh key
  // with a server certificate it issued, valid for ten years: CN = the first DNS name (or
  // address), subjectAltName = `dns_names` and `ipv4_addresses`.
  static result<signing_identity> generate_with_ca(
      const std::vector<std::string>& dns_names, const std::vector<std::string>& ipv4_addresses,
      std::size_t bits = 2048, crypto::random_source& rng = crypto::system_random());
  // A PKCS#8 key and a certificate, checked to belong together (a test signature made with
  // the key must verify with the certificate); errc::bad_key_material otherwise.
  static result<signing_identity> from_pem(std::string_view key_pem, std::string_view cert_pem);
};

// What the STS does with client entropy when the request does not name a computed-key
// algorithm (WWSAPI's CLIENT_ONLY and COMBINED modes both send just Entropy).
enum class client_entropy_policy {
  combine,     // add server entropy; key = P_SHA1(client, server), reply ComputedKey PSHA1
  use_as_key,  // the client's entropy is the key; no proof token in the reply
};

enum class saml_version { v11, v20 };

struct issuer_options {
  std::string issuer_name = "urn:wst:sample-sts";  // SAML Issuer
  std::chrono::seconds lifetime{3600};             // of every issued token and context
  std::size_t max_request_bytes = 65536;           // larger bodies: errc::request_too_large
  std::size_t xml_max_depth = 32;                  // reader limits for the request
  std::size_t xml_max_attributes = 128;
  std::size_t default_key_bits = 256;  // proof key size when KeySize is absent
  std::size_t min_key_bits = 128;      // KeySize outside [min, max] is refused
  std::size_t max_key_bits = 1024;
  client_entropy_policy client_entropy = client_entropy_policy::combine;
  saml_version default_saml = saml_version::v20;  // for RST/Issue without a TokenType
  std::size_t max_contexts = 100000;              // issued security contexts kept for renew
};

// Counts since construction (monotonic; read with relaxed ordering).
struct issuer_counters {
  std::uint64_t requests = 0;  // SOAP requests handled
  std::uint64_t issued = 0;    // tokens issued (SAML assertions and new contexts)
  std::uint64_t renewed = 0;   // contexts renewed
  std::uint64_t faults = 0;    // requests answered with a SOAP fault
};

class issuer final : public responder {
 public:
  // `users`: null serves everyone; otherwise issuing needs valid credentials. The clock and
  // the random source must outlive the issuer and be thread-safe if respond() is called from
  // several threads.
  issuer(issuer_options opts, signing_identity identity, std::unique_ptr<user_table> users,
         const clock& clk, crypto::random_source& rng);
  ~issuer() override;
  issuer(const issuer&) = delete;
  issuer& operator=(const issuer&) = delete;

  // Thread-safe. POST bodies only (the service routes other methods). Status 200 with the
  // RSTR, 500 with a SOAP fault, 401 (plus WWW-Authenticate: Basic and a FailedAuthentication
  // fault) when credentials are required and missing or HTTP Basic ones are wrong.
  http_response respond(const http_request& req) override;

  issuer_counters counters() const;
  const signing_identity& identity() const;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace wst::detail::sts
