// Shared pieces of the sample STS tests: a fixed clock, deterministic randomness, one signing
// identity per test program, and RequestSecurityToken envelopes written by hand (independent
// of both the STS's writer and sdk/core).
#pragma once

#include <wst/crypto/crypto.hpp>
#include <wst/sts/clock.hpp>
#include <wst/sts/exchange.hpp>
#include <wst/sts/issuer.hpp>
#include <wst/xml/reader.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace wst::test::sts {

namespace s = wst::detail::sts;
namespace crypto = wst::detail::crypto;
namespace xml = wst::detail::xml;

inline constexpr const char* soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr const char* soap12 = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr const char* wsa10 = "http://www.w3.org/2005/08/addressing";
inline constexpr const char* wsa04 = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
inline constexpr const char* trust05 = "http://schemas.xmlsoap.org/ws/2005/02/trust";
inline constexpr const char* trust13 = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
inline constexpr const char* sc05 = "http://schemas.xmlsoap.org/ws/2005/02/sc";
inline constexpr const char* sc13 = "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512";
inline constexpr const char* wsse =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
inline constexpr const char* wsse11 =
    "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd";
inline constexpr const char* wsu =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
inline constexpr const char* saml1 = "urn:oasis:names:tc:SAML:1.0:assertion";
inline constexpr const char* saml2 = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr const char* dsig = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* token_saml11 =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1";
inline constexpr const char* token_saml20 =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";
inline constexpr const char* bearer13 = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer";
inline constexpr const char* bearer05 = "http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey";

// 2024-05-01T12:00:00Z.
class fixed_clock final : public s::clock {
 public:
  time_point t = time_point(std::chrono::seconds(1714564800));
  time_point now() const override { return t; }
};

// Deterministic bytes: queued chunks first (for known-answer cases), then a xorshift stream.
class fixed_random final : public crypto::random_source {
 public:
  explicit fixed_random(std::uint64_t seed = 0x9e3779b97f4a7c15ULL) : x_(seed) {}
  std::deque<std::vector<std::uint8_t>> queued;
  void fill(std::uint8_t* out, std::size_t n) override {
    if (!queued.empty() && queued.front().size() == n) {
      std::copy(queued.front().begin(), queued.front().end(), out);
      queued.pop_front();
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      x_ ^= x_ << 13;
      x_ ^= x_ >> 7;
      x_ ^= x_ << 17;
      out[i] = static_cast<std::uint8_t>(x_ >> 24);
    }
  }

 private:
  std::uint64_t x_;
};

// One RSA-2048 identity for the whole test program (generation is slow); copies its PEM.
struct identity_pem {
  std::string key, cert;
};
const identity_pem& test_identity();
s::signing_identity load_identity();

enum class soap { v11, v12 };
enum class wsa { none, aug2004, v10 };
enum class trust { feb2005, v13 };

// A RequestSecurityToken request. Optional fields left empty are not written.
struct rst_spec {
  soap soap_version = soap::v12;
  wsa addressing = wsa::v10;
  trust trust_version = trust::v13;
  std::string action;        // default: <trust>/RST/Issue
  std::string request_type;  // default: <trust>/Issue
  std::optional<std::string> token_type;
  std::optional<std::string> key_type;
  std::optional<std::string> key_size;
  std::optional<std::string> entropy_b64;
  std::optional<std::string> applies_to = std::string("https://rp.example/service");
  std::optional<std::string> computed_key_algorithm;
  std::optional<std::string> context;
  std::optional<std::pair<std::string, std::string>> username;  // UsernameToken PasswordText
  std::string message_id = "urn:uuid:6a5f1e2c-1111-4a4a-8b8b-0123456789ab";
  std::string extra_headers;  // raw XML appended inside the Header
  std::string extra_body;     // raw XML appended inside the RST
  std::string envelope_ns;    // overrides the SOAP namespace (for version mismatch)
  std::string trust_ns;       // overrides the RST namespace
  std::string authorization;  // HTTP Authorization header
};

std::string trust_uri(trust t);
std::string build_rst(const rst_spec& spec);

// An HTTP request as the server would pass it, owning its strings.
struct owned_request {
  std::string content_type, soap_action, authorization, body;
  s::http_request view() const;
};
owned_request make_request(const rst_spec& spec);

// A parsed reply with the common navigation.
struct reply {
  int status = 0;
  std::string body;
  xml::document doc;
  xml::element envelope, header, body_child;  // body_child: first element in the Body
  explicit reply(xml::document d) : doc(std::move(d)) {}
};
// Parses r's body (fails the test if it does not parse).
std::unique_ptr<reply> parse_reply(const s::http_response& r);

// The RSTR element (inside the collection in 1.3).
xml::element rstr_of(const reply& r, trust t);

// The fault's code (SOAP 1.2 Code/Value or SOAP 1.1 faultcode) and subcode, resolved to
// "{ns}local" through the in-scope namespace declarations.
struct fault_codes {
  std::string code;
  std::string subcode;
  std::string reason;
};
fault_codes fault_of(const reply& r);

std::string resolve_qname(const xml::element& at, std::string_view qname);

}  // namespace wst::test::sts
