#include <wst/sts/issuer.hpp>

#include <wst/sts/errc.hpp>

namespace wst::detail::sts {

result<signing_identity> signing_identity::generate(std::string_view common_name, std::size_t bits,
                                                    crypto::random_source& rng) {
  auto key = crypto::rsa_private_key::generate(bits, rng);
  if (!key) return failure(errc::bad_key_material, "RSA key generation: " + key.error().describe());
  auto cert = crypto::certificate::self_signed(*key, common_name, 3650);
  if (!cert)
    return failure(errc::bad_key_material, "self-signed certificate: " + cert.error().describe());
  return signing_identity{std::move(*key), std::move(*cert)};
}

result<signing_identity> signing_identity::from_pem(std::string_view key_pem,
                                                    std::string_view cert_pem) {
  auto key = crypto::rsa_private_key::from_pem(key_pem);
  if (!key) return failure(errc::bad_key_material, "private key: " + key.error().describe());
  auto cert = crypto::certificate::from_pem(cert_pem);
  if (!cert) return failure(errc::bad_key_material, "certificate: " + cert.error().describe());
  static constexpr std::string_view probe = "wst sample STS key/certificate match";
  auto sig = key->sign(crypto::signature_hash::sha256, probe);
  if (!sig || !cert->verify(crypto::signature_hash::sha256, probe, *sig))
    return failure(errc::bad_key_material, "the certificate does not belong to the private key");
  return signing_identity{std::move(*key), std::move(*cert)};
}

}  // namespace wst::detail::sts
