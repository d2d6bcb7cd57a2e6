// Reading one SOAP request into what the issuer needs: the envelope's versions, the
// credentials and the RequestSecurityToken's parameters. Independent of sdk/core on purpose
// (the sample STS and the client check each other).
#pragma once

#include <wst/base/result.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/sts/exchange.hpp>
#include <wst/sts/issuer.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wst::detail::sts {

enum class soap_version { v11, v12 };
enum class addressing { none, aug2004, v10 };
enum class trust_version { feb2005, v13 };
enum class sc_version { feb2005, v13 };

// The shape of the reply, learnt while reading. Filled as far as the request got before it was
// refused, so that a fault still answers in the caller's versions.
struct reply_context {
  soap_version soap = soap_version::v11;
  addressing wsa = addressing::none;
  std::optional<trust_version> trust;  // unknown: faults use the 1.3 namespace
  std::string message_id;              // becomes RelatesTo
  // For a must_understand fault: the header block that was not understood.
  std::string not_understood_ns, not_understood_local;
  // The fault is an HTTP 401 challenge (credentials required but none, or bad HTTP Basic).
  bool basic_challenge = false;
};

enum class rst_action { issue, sct_issue, sct_renew };
enum class token_kind { saml11, saml20, sct };
enum class key_kind { bearer, symmetric };

struct credentials {
  std::string user;
  std::string password;
  credentials() = default;
  credentials(std::string u, std::string p) : user(std::move(u)), password(std::move(p)) {}
  credentials(credentials&&) = default;
  credentials& operator=(credentials&&) = default;
  ~credentials();
};

struct rst {
  trust_version trust = trust_version::v13;
  rst_action action = rst_action::issue;
  std::string reply_action;  // the RSTR's wsa:Action, twin of the request's
  std::string context;       // RequestSecurityToken@Context, echoed
  token_kind token = token_kind::saml20;
  sc_version sc = sc_version::v13;  // for token_kind::sct
  std::string token_type_uri;       // as requested; empty when the RST named none
  std::optional<std::string> applies_to;
  key_kind key = key_kind::symmetric;
  std::string key_type_uri;  // as requested; empty when the RST named none
  std::optional<std::size_t> key_bits;
  std::optional<crypto::secure_bytes> client_entropy;
  bool computed_key_requested = false;  // ComputedKeyAlgorithm CK/PSHA1 present
  std::string renew_target;             // the context identifier to renew (sct_renew)
  std::optional<credentials> username_token;
  std::optional<credentials> basic;  // from the Authorization header
};

// Reads `req`. Failures carry an errc (the fault code) and the reason text for the fault.
result<rst> read_request(const http_request& req, const issuer_options& opts, reply_context& ctx);

// Namespace URIs per version.
std::string_view trust_ns(trust_version v) noexcept;
std::string_view sc_ns(sc_version v) noexcept;
std::string_view soap_ns(soap_version v) noexcept;
std::string_view wsa_ns(addressing v) noexcept;  // empty for addressing::none

}  // namespace wst::detail::sts
