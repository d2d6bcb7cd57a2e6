// Cryptographic primitives wst needs, with Botan kept behind this header (never included
// here). Key material travels in secure_bytes, whose memory is zeroed when released.
#pragma once

#include <wst/base/result.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace wst::detail::crypto {

enum class errc {
  bad_base64 = 1,     // not base64 (whitespace between groups is allowed)
  bad_key,            // a key or certificate could not be decoded / has the wrong type
  bad_length,         // a requested key or output length is out of range
  signature_invalid,  // a signature did not verify
  backend_failure,    // the crypto library reported an unexpected error
};
const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

using bytes = std::vector<std::uint8_t>;

// Wipes its contents on destruction, clear() and reassignment. Copyable (each copy wiped).
class secure_bytes {
 public:
  secure_bytes() = default;
  explicit secure_bytes(std::size_t n);
  secure_bytes(const std::uint8_t* p, std::size_t n);
  secure_bytes(const secure_bytes&);
  secure_bytes(secure_bytes&&) noexcept;
  secure_bytes& operator=(const secure_bytes&);
  secure_bytes& operator=(secure_bytes&&) noexcept;
  ~secure_bytes();

  std::uint8_t* data() noexcept { return v_.data(); }
  const std::uint8_t* data() const noexcept { return v_.data(); }
  std::size_t size() const noexcept { return v_.size(); }
  bool empty() const noexcept { return v_.empty(); }
  void clear() noexcept;
  bool operator==(const secure_bytes& o) const noexcept;  // constant time for equal sizes

 private:
  std::vector<std::uint8_t> v_;
};

struct byte_view {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  byte_view() = default;
  byte_view(const std::uint8_t* d, std::size_t n) : data(d), size(n) {}
  byte_view(const bytes& b) : data(b.data()), size(b.size()) {}
  byte_view(const secure_bytes& b) : data(b.data()), size(b.size()) {}
  byte_view(std::string_view s)
      : data(reinterpret_cast<const std::uint8_t*>(s.data())), size(s.size()) {}
};

// P_SHA1 (RFC 2246 section 5 with HMAC-SHA1 and no label), as WS-Trust's CK/PSHA1 uses it:
// key = P_SHA1(secret = requestor entropy, seed = issuer entropy), `length` bytes.
secure_bytes p_sha1(byte_view secret, byte_view seed, std::size_t length);

std::array<std::uint8_t, 20> sha1(byte_view data);
std::array<std::uint8_t, 32> sha256(byte_view data);
std::array<std::uint8_t, 20> hmac_sha1(byte_view key, byte_view data);
std::array<std::uint8_t, 32> hmac_sha256(byte_view key, byte_view data);
bool constant_time_equal(byte_view a, byte_view b);

std::string base64_encode(byte_view data);
// Strict alphabet and padding; ASCII whitespace anywhere is skipped (captures wrap lines).
result<bytes> base64_decode(std::string_view text);
result<secure_bytes> base64_decode_secret(std::string_view text);  // for key material
std::string hex_encode(byte_view data);

// Randomness. Production code uses system_random(); tests inject a fixed source.
class random_source {
 public:
  virtual ~random_source() = default;
  virtual void fill(std::uint8_t* out, std::size_t n) = 0;
};
random_source& system_random();  // thread-safe CSPRNG

// RSA keys and X.509 certificates, for the sample STS's signatures and for tests.
class rsa_private_key {
 public:
  static result<rsa_private_key> generate(std::size_t bits, random_source& rng = system_random());
  static result<rsa_private_key> from_pem(std::string_view pem);  // PKCS#8, unencrypted
  rsa_private_key(rsa_private_key&&) noexcept;
  rsa_private_key& operator=(rsa_private_key&&) noexcept;
  ~rsa_private_key();

  std::string to_pem() const;
  bytes sign_sha256(byte_view data) const;  // RSASSA-PKCS1-v1_5 with SHA-256
  bytes sign_sha1(byte_view data) const;    // RSASSA-PKCS1-v1_5 with SHA-1
  bytes modulus() const;                    // big-endian, for ds:RSAKeyValue
  bytes public_exponent() const;

 private:
  struct impl;
  explicit rsa_private_key(std::unique_ptr<impl>);
  std::unique_ptr<impl> p_;
  friend class certificate;
};

class certificate {
 public:
  // A self-signed certificate for `common_name`, valid from now - 1 h for `days` days.
  static result<certificate> self_signed(const rsa_private_key& key, std::string_view common_name,
                                         unsigned days = 365);
  static result<certificate> from_pem(std::string_view pem);
  static result<certificate> from_der(byte_view der);
  certificate(const certificate&);
  certificate& operator=(const certificate&);
  certificate(certificate&&) noexcept;
  certificate& operator=(certificate&&) noexcept;
  ~certificate();

  bytes der() const;
  std::string to_pem() const;
  std::string subject() const;
  // Verifies an RSASSA-PKCS1-v1_5 signature made by this certificate's key.
  bool verify_sha256(byte_view data, byte_view signature) const;
  bool verify_sha1(byte_view data, byte_view signature) const;

 private:
  struct impl;
  explicit certificate(std::unique_ptr<impl>);
  std::unique_ptr<impl> p_;
};

}  // namespace wst::detail::crypto

namespace std {
template <>
struct is_error_code_enum<wst::detail::crypto::errc> : true_type {};
}  // namespace std
