// rsa_private_key: RSA key generation, PKCS#8 PEM, RSASSA-PKCS1-v1_5 signatures.
#include "backend.hpp"

#include <botan/bigint.h>
#include <botan/data_src.h>
#include <botan/exceptn.h>
#include <botan/pem.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>

namespace wst::detail::crypto {
rsa_private_key::rsa_private_key(std::unique_ptr<impl> p) : p_(std::move(p)) {}
rsa_private_key::rsa_private_key(rsa_private_key&&) noexcept = default;
rsa_private_key& rsa_private_key::operator=(rsa_private_key&&) noexcept = default;
rsa_private_key::~rsa_private_key() = default;

result<rsa_private_key> rsa_private_key::generate(std::size_t bits, random_source& rng) {
  if (bits < min_bits || bits > max_bits) {
    return failure(errc::bad_length, "RSA key of " + std::to_string(bits) +
                                         " bits requested; allowed " + std::to_string(min_bits) +
                                         ".." + std::to_string(max_bits));
  }
  try {
    botan_rng source(rng);
    return rsa_private_key(
        std::unique_ptr<impl>(new impl{Botan::RSA_PrivateKey(source.get(), bits)}));
  } catch (...) {
    return current_failure(errc::backend_failure, "RSA key generation");
  }
}

result<rsa_private_key> rsa_private_key::from_pem(std::string_view pem) {
  if (pem.size() > max_pem_size) {
    return failure(errc::bad_key, "private key PEM of " + std::to_string(pem.size()) +
                                      " bytes exceeds the limit of " +
                                      std::to_string(max_pem_size));
  }
  try {
    Botan::DataSource_Memory text(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size());
    const Botan::secure_vector<std::uint8_t> ber =
        Botan::PEM_Code::decode_check_label(text, "PRIVATE KEY");
    Botan::DataSource_Memory ber_source(ber);
    std::unique_ptr<Botan::Private_Key> key = Botan::PKCS8::load_key(ber_source);
    const auto* rsa = dynamic_cast<const Botan::RSA_PrivateKey*>(key.get());
    if (rsa == nullptr) {
      return failure(errc::bad_key, "PKCS#8 key is " + key->algo_name() + ", not RSA");
    }
    if (!rsa->check_key(Botan::system_rng(), false)) {
      return failure(errc::bad_key, "RSA key fails the consistency check");
    }
    return rsa_private_key(std::unique_ptr<impl>(new impl{*rsa}));
  } catch (...) {
    return current_failure(errc::bad_key, "private key PEM");
  }
}

std::string rsa_private_key::to_pem() const {
  if (!p_) return {};
  try {
    return Botan::PKCS8::PEM_encode(p_->key);
  } catch (const Botan::Exception&) {
    return {};
  }
}

result<bytes> rsa_private_key::sign(signature_hash hash, byte_view data) const {
  if (!p_) return failure(errc::bad_key, "RSA signature with an empty (moved-from) key");
  try {
    Botan::PK_Signer signer(p_->key, Botan::system_rng(), emsa_name(hash));
    return signer.sign_message(data.data, data.size, Botan::system_rng());
  } catch (...) {
    return current_failure(errc::backend_failure, "RSA signature");
  }
}

bytes rsa_private_key::sign_sha256(byte_view data) const {
  auto sig = sign(signature_hash::sha256, data);
  return sig ? std::move(*sig) : bytes();
}

bytes rsa_private_key::sign_sha1(byte_view data) const {
  auto sig = sign(signature_hash::sha1, data);
  return sig ? std::move(*sig) : bytes();
}

bytes rsa_private_key::modulus() const {
  return p_ ? Botan::BigInt::encode(p_->key.get_n()) : bytes();
}

bytes rsa_private_key::public_exponent() const {
  return p_ ? Botan::BigInt::encode(p_->key.get_e()) : bytes();
}

std::size_t rsa_private_key::bits() const { return p_ ? p_->key.key_length() : 0; }

}  // namespace wst::detail::crypto
