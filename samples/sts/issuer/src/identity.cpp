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
  return signing_identity{std::move(*key), std::move(*cert), std::nullopt};
}

result<signing_identity> signing_identity::generate_with_ca(
    const std::vector<std::string>& dns_names, const std::vector<std::string>& ipv4_addresses,
    std::size_t bits, crypto::random_source& rng) {
  constexpr unsigned days = 3650;
  const std::string common_name = !dns_names.empty()        ? dns_names.front()
                                  : !ipv4_addresses.empty() ? ipv4_addresses.front()
                                                            : std::string("localhost");
  auto ca_key = crypto::rsa_private_key::generate(bits, rng);
  if (!ca_key)
    return failure(errc::bad_key_material, "CA key generation: " + ca_key.error().describe());
  auto ca = crypto::certificate::self_signed_ca(*ca_key, "wst sample STS CA", days);
  if (!ca) return failure(errc::bad_key_material, "CA certificate: " + ca.error().describe());
  auto key = crypto::rsa_private_key::generate(bits, rng);
  if (!key) return failure(errc::bad_key_material, "RSA key generation: " + key.error().describe());
  auto cert =
      crypto::certificate::issue(*ca_key, *ca, *key, common_name, dns_names, ipv4_addresses, days);
  if (!cert)
    return failure(errc::bad_key_material, "server certificate: " + cert.error().describe());
  return signing_identity{std::move(*key), std::move(*cert), std::move(*ca)};
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
  return signing_identity{std::move(*key), std::move(*cert), std::nullopt};
}

}  // namespace wst::detail::sts
