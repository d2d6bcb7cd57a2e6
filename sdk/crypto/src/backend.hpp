// What the crypto layer's source files share about Botan. Private to sdk/crypto/src: this is
// the only place besides the .cpp files where Botan types meet wst types.
#pragma once

#include <wst/crypto/crypto.hpp>

#include <botan/rng.h>
#include <botan/rsa.h>

#include <string_view>

namespace wst::detail::crypto {

struct rsa_private_key::impl {
  Botan::RSA_PrivateKey key;
};

// A Botan view of `source`: Botan::system_rng() itself for system_random(), otherwise an
// adapter that forwards randomize() to source.fill() (valid while `source` lives).
class botan_rng final : public Botan::RandomNumberGenerator {
 public:
  explicit botan_rng(random_source& source) noexcept;
  void randomize(std::uint8_t out[], std::size_t len) override;
  bool accepts_input() const override { return false; }
  void add_entropy(const std::uint8_t[], std::size_t) override {}
  std::string name() const override { return "wst::random_source"; }
  void clear() override {}
  bool is_seeded() const override { return true; }

  // The generator to hand to Botan: *this, or the system RNG when that is the source.
  Botan::RandomNumberGenerator& get() noexcept;

 private:
  random_source& source_;
};

// Botan's name for RSASSA-PKCS1-v1_5 with `hash`.
inline const char* emsa_name(signature_hash hash) noexcept {
  return hash == signature_hash::sha256 ? "EMSA3(SHA-256)" : "EMSA3(SHA-1)";
}

// Turns the exception being handled into a failure; call only inside a catch block.
// std::bad_alloc and Botan's internal errors become errc::backend_failure; any other
// exception becomes `parse_code` (errc::bad_key where input was being decoded,
// errc::backend_failure elsewhere). The message is "<context>: <exception text>".
failure current_failure(errc parse_code, std::string_view context) noexcept;

}  // namespace wst::detail::crypto
