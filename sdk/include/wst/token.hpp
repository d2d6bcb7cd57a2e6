// wst — an issued security token, and the outcome of a token request.
//
// A token is what the STS returned in RequestedSecurityToken (a SAML assertion, a
// SecurityContextToken, ...), kept byte for byte with the namespace declarations it inherits
// carried onto it, so signatures over it keep verifying; plus what WWSAPI exposes about it
// (WS_SECURITY_TOKEN_PROPERTY_*): references, lifetime, key type and proof key.
//
// Tokens are immutable and cheap to copy (copies share one read-only body); any thread may
// read them. The proof key is secret: its memory is overwritten when the last copy of the
// token goes away. Never log it.
#pragma once

#include <wst/errors.hpp>
#include <wst/version.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace wst {

// WS_SECURITY_KEY_TYPE values: bearer is WS_SECURITY_KEY_TYPE_NONE.
enum class key_type { bearer = 1, symmetric = 2, asymmetric = 3 };

namespace detail {
struct token_access;
}

class token {
 public:
  // An empty token (what a failed request leaves behind). Every accessor works on it and
  // returns empty values.
  WST_API token();

  bool empty() const noexcept { return !d_; }

  // The token element (SERIALIZED_XML).
  WST_API const std::string& xml() const noexcept;
  // The RSTR's TokenType, else the type asked for, else derived from the token element
  // (SAML namespace, SCT type); empty when unknown.
  WST_API const std::string& token_type() const noexcept;
  // The wsse:SecurityTokenReference elements of RequestedAttachedReference and
  // RequestedUnattachedReference (ATTACHED_/UNATTACHED_REFERENCE_XML); empty when absent.
  WST_API const std::string& attached_reference() const noexcept;
  WST_API const std::string& unattached_reference() const noexcept;
  // Lifetime/Created and Lifetime/Expires (VALID_FROM_TIME, VALID_TILL_TIME); nullopt when the
  // STS sent none (unbounded). Times beyond the range of system_clock (after 2262 with
  // libstdc++) are clamped to its maximum.
  WST_API std::optional<std::chrono::system_clock::time_point> valid_from() const noexcept;
  WST_API std::optional<std::chrono::system_clock::time_point> valid_till() const noexcept;
  // The same instants as xsd:dateTime text in UTC ("2024-05-01T12:00:00Z"), exact over the
  // whole range; empty when absent.
  WST_API std::string valid_from_text() const;
  WST_API std::string valid_till_text() const;
  // bearer: no proof key. symmetric: proof_key() holds the key (SYMMETRIC_KEY).
  WST_API key_type key() const noexcept;
  WST_API const std::vector<std::uint8_t>& proof_key() const noexcept;
  WST_API std::uint32_t key_size_bits() const noexcept;
  // For SecurityContextTokens: sc:Identifier and sc:Instance (empty otherwise).
  WST_API const std::string& context_id() const noexcept;
  WST_API const std::string& context_instance() const noexcept;

 private:
  friend struct detail::token_access;
  struct data;
  std::shared_ptr<const data> d_;
};

// A token or the error that prevented it.
class token_result {
 public:
  token_result(token t) : v_(std::in_place_index<0>, std::move(t)) {}
  token_result(error e) : v_(std::in_place_index<1>, std::move(e)) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // Precondition: ok().
  const token& value() const& { return std::get<0>(v_); }
  token&& value() && { return std::get<0>(std::move(v_)); }
  // Precondition: !ok().
  const error& failure() const& { return std::get<1>(v_); }

 private:
  std::variant<token, error> v_;
};

}  // namespace wst
