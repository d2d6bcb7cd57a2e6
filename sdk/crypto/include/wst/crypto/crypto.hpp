// Cryptographic primitives wst needs, with Botan kept behind this header (never included
// here). Key material travels in secure_bytes, whose memory is zeroed when released.
//
// Failure model: functions that can fail on their input return result<T>; no Botan exception
// leaves this layer (each is turned into errc::bad_key or errc::backend_failure carrying
// Botan's text). Functions returning plain values cannot fail on any input; the only
// exception they may let through is std::bad_alloc.
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
  bad_text,           // a name is not UTF-8 or holds control characters
};
const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

using bytes = std::vector<std::uint8_t>;

// Wipes its contents on destruction, clear() and reassignment. Copyable (each copy wiped).
// The bytes are scrubbed with Botan::secure_scrub_memory (not optimised away) before their
// memory goes back to the heap. A moved-from secure_bytes is empty. Not locked into RAM.
// secure_bytes(n) holds n zero bytes.
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
  byte_view(const std::string& s) : byte_view(std::string_view(s)) {}
};

// Largest output p_sha1 produces: 1 MiB (a WS-Trust proof key is 16..64 bytes).
inline constexpr std::size_t p_sha1_max_length = std::size_t{1} << 20;

// P_SHA1 (RFC 2246 section 5 with HMAC-SHA1 and no label), as WS-Trust's CK/PSHA1 uses it:
// key = P_SHA1(secret = requestor entropy, seed = issuer entropy), `length` bytes:
//   A(0) = seed, A(i) = HMAC-SHA1(secret, A(i-1)),
//   output = HMAC-SHA1(secret, A(1) + seed) + HMAC-SHA1(secret, A(2) + seed) + ...
// truncated to `length` (the TLS 1.2 PRF with SHA-1 and an empty label). Any secret and seed
// size is accepted (a secret over 64 bytes is hashed first, as HMAC does); length 0 gives an
// empty result.
// Precondition: length <= p_sha1_max_length. Breaking it is a programming error that aborts
// the process (never a truncated or empty key); a length read from a peer's message goes
// through p_sha1_checked instead.
secure_bytes p_sha1(byte_view secret, byte_view seed, std::size_t length);
// p_sha1 for untrusted lengths: errc::bad_length when length > p_sha1_max_length.
result<secure_bytes> p_sha1_checked(byte_view secret, byte_view seed, std::size_t length);

std::array<std::uint8_t, 20> sha1(byte_view data);
std::array<std::uint8_t, 32> sha256(byte_view data);
std::array<std::uint8_t, 20> hmac_sha1(byte_view key, byte_view data);
std::array<std::uint8_t, 32> hmac_sha256(byte_view key, byte_view data);
// True when a and b hold the same bytes. The time taken depends only on the sizes (which are
// not treated as secret: different sizes return false at once), never on the contents.
bool constant_time_equal(byte_view a, byte_view b);

// RFC 4648 section 4 base64 with '=' padding, no line breaks.
std::string base64_encode(byte_view data);
// Strict alphabet and padding; ASCII whitespace anywhere is skipped (captures wrap lines).
// ASCII whitespace: space, \t, \n, \v, \f, \r. Rules (errc::bad_base64, the message names the
// offending offset in `text`): only A-Z a-z 0-9 + / and '='; the non-whitespace characters
// come in groups of 4; '=' only as the last one or two characters of the last group
// ("xx==", "xxx="); bits that padding drops must be zero; nothing but whitespace after '='.
// Empty (or all-whitespace) text decodes to no bytes.
result<bytes> base64_decode(std::string_view text);
// base64_decode straight into wiped memory: no copy of the key is left on the heap.
result<secure_bytes> base64_decode_secret(std::string_view text);  // for key material
// Lowercase hex, two digits per byte.
std::string hex_encode(byte_view data);

// Randomness. Production code uses system_random(); tests inject a fixed source.
class random_source {
 public:
  virtual ~random_source() = default;
  // Fills out[0..n) with random bytes. May throw; callers in this layer turn that into a
  // failure.
  virtual void fill(std::uint8_t* out, std::size_t n) = 0;
};
// Thread-safe CSPRNG: the kernel's generator (getrandom) through Botan::system_rng(), shared
// by all threads, nothing to seed. If the kernel ever refuses randomness, fill() aborts the
// process rather than hand out predictable bytes.
random_source& system_random();

// Hash used inside an RSASSA-PKCS1-v1_5 signature.
enum class signature_hash { sha1, sha256 };

// RSA keys and X.509 certificates, for the sample STS's signatures and for tests.
// Methods are const and safe to call from several threads at once. A moved-from object is
// empty: its accessors return empty output and sign() fails with errc::bad_key.
class rsa_private_key {
 public:
  static constexpr std::size_t min_bits = 1024;
  static constexpr std::size_t max_bits = 8192;
  static constexpr std::size_t max_pem_size = 64 * 1024;

  // A new key with public exponent 65537; errc::bad_length unless min_bits <= bits <=
  // max_bits. `rng` supplies every random bit of the primes (a fixed source gives a fixed key).
  static result<rsa_private_key> generate(std::size_t bits, random_source& rng = system_random());
  // PKCS#8, unencrypted: the first PEM block of `pem` (text around it is ignored) must be
  // "-----BEGIN PRIVATE KEY-----" holding an RSA key. errc::bad_key for anything else (an
  // encrypted or PKCS#1 "RSA PRIVATE KEY" block, another algorithm, a key failing Botan's
  // consistency check, text over max_pem_size).
  static result<rsa_private_key> from_pem(std::string_view pem);  // PKCS#8, unencrypted
  rsa_private_key(rsa_private_key&&) noexcept;
  rsa_private_key& operator=(rsa_private_key&&) noexcept;
  ~rsa_private_key();

  // PKCS#8 PEM, unencrypted (the caller protects the text); empty for an empty key.
  std::string to_pem() const;
  // RSASSA-PKCS1-v1_5 signature over `data` with `hash`, as long as the modulus. Fails with
  // errc::backend_failure if Botan's post-signing fault check trips.
  result<bytes> sign(signature_hash hash, byte_view data) const;
  // sign() without the error: empty only when sign() would fail.
  bytes sign_sha256(byte_view data) const;  // RSASSA-PKCS1-v1_5 with SHA-256
  bytes sign_sha1(byte_view data) const;    // RSASSA-PKCS1-v1_5 with SHA-1
  bytes modulus() const;                    // big-endian, for ds:RSAKeyValue
  bytes public_exponent() const;
  std::size_t bits() const;  // modulus size in bits; 0 when empty

 private:
  struct impl;
  explicit rsa_private_key(std::unique_ptr<impl>);
  std::unique_ptr<impl> p_;
  friend class certificate;
};

// An X.509 certificate (immutable; copies share the parsed data and are thread-safe).
class certificate {
 public:
  static constexpr std::size_t max_encoded_size = 64 * 1024;  // PEM text or DER bytes
  static constexpr unsigned max_days = 36500;

  // A self-signed certificate for `common_name`, valid from now - 1 h for `days` days.
  // Signed sha256WithRSAEncryption, random serial, subject = issuer = "CN=<common_name>".
  // errc::bad_length unless 1 <= common_name.size() <= 64 bytes (X.520 ub-common-name) and
  // 1 <= days <= max_days; errc::bad_text unless common_name is UTF-8 free of control
  // characters; errc::bad_key for an empty key.
  static result<certificate> self_signed(const rsa_private_key& key, std::string_view common_name,
                                         unsigned days = 365);
  // A self-signed CA certificate (basicConstraints CA:TRUE, keyUsage keyCertSign and cRLSign)
  // for issue(); otherwise as self_signed(), with the same rules and errors.
  static result<certificate> self_signed_ca(const rsa_private_key& key,
                                            std::string_view common_name, unsigned days = 365);
  // A TLS server certificate for `subject_key` issued by the CA `ca` (whose key is `ca_key`):
  // subject "CN=<common_name>", subjectAltName with `dns_names` and `ipv4_addresses` (dotted
  // quads: Botan 2 encodes IPv4 entries only), keyUsage digitalSignature + keyEncipherment,
  // extendedKeyUsage serverAuth, sha256WithRSAEncryption, random serial, valid from now - 1 h
  // for `days` days. For test and sample servers (wst's TLS client, like Botan's, never trusts
  // a self-signed server certificate). Errors as self_signed(), plus errc::bad_key when `ca`
  // is not a CA certificate or `ca_key` is not its key, errc::bad_text for a DNS name (1..253
  // bytes) or an address that cannot be encoded.
  static result<certificate> issue(const rsa_private_key& ca_key, const certificate& ca,
                                   const rsa_private_key& subject_key, std::string_view common_name,
                                   const std::vector<std::string>& dns_names,
                                   const std::vector<std::string>& ipv4_addresses,
                                   unsigned days = 365);
  // The first "-----BEGIN CERTIFICATE-----" block of `pem`; errc::bad_key if there is none or
  // it does not parse, or the text exceeds max_encoded_size.
  static result<certificate> from_pem(std::string_view pem);
  // Exactly one DER certificate (trailing bytes are errc::bad_key).
  static result<certificate> from_der(byte_view der);
  certificate(const certificate&);
  certificate& operator=(const certificate&);
  certificate(certificate&&) noexcept;
  certificate& operator=(certificate&&) noexcept;
  ~certificate();

  bytes der() const;
  std::string to_pem() const;
  // The subject distinguished name in RFC 4514 string form: attributes in reverse encoding
  // order, ", " between them ("CN=sts.example, O=Contoso, C=US" for a C, O, CN encoding);
  // types without an RFC 4514 short name appear as dotted OIDs; the characters RFC 4514
  // reserves are backslash-escaped. Empty for an empty (moved-from) certificate.
  std::string subject() const;
  // Verifies an RSASSA-PKCS1-v1_5 signature made by this certificate's key. False for a wrong
  // signature, a non-RSA key or an empty (moved-from) certificate.
  bool verify(signature_hash hash, byte_view data, byte_view signature) const;
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
