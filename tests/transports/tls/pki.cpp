// Generates the test PKI with Botan. Certificates are built with X509_CA::make_cert so the
// tests choose every extension, including a subjectAltName with an IPv6 address (Botan 2's
// AlternativeName can only write IPv4 ones).
#include "pki.hpp"

#include <botan/auto_rng.h>
#include <botan/der_enc.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/x509_ca.h>
#include <botan/x509_crl.h>
#include <botan/x509_ext.h>

#include <arpa/inet.h>

#include <chrono>
#include <memory>

namespace wst::test::tls {

namespace {

using clock = std::chrono::system_clock;
using std::chrono::hours;

// subjectAltName with DNS names and IP addresses given as raw 4- or 16-byte strings.
class alt_names final : public Botan::Certificate_Extension {
 public:
  alt_names(std::vector<std::string> dns, std::vector<std::string> ips) : dns_(std::move(dns)), ips_(std::move(ips)) {}
  Botan::OID oid_of() const override { return Botan::OID("2.5.29.17"); }
  std::string oid_name() const override { return "X509v3.SubjectAlternativeName"; }
  Certificate_Extension* copy() const override { return new alt_names(dns_, ips_); }
  void contents_to(Botan::Data_Store&, Botan::Data_Store&) const override {}

 private:
  std::vector<uint8_t> encode_inner() const override {
    std::vector<uint8_t> out;
    Botan::DER_Encoder der(out);
    der.start_cons(Botan::SEQUENCE);
    for (const auto& d : dns_) der.add_object(Botan::ASN1_Tag(2), Botan::CONTEXT_SPECIFIC, d);
    for (const auto& ip : ips_)
      der.add_object(Botan::ASN1_Tag(7), Botan::CONTEXT_SPECIFIC, reinterpret_cast<const uint8_t*>(ip.data()),
                     ip.size());
    der.end_cons();
    return out;
  }
  void decode_inner(const std::vector<uint8_t>&) override {}

  std::vector<std::string> dns_;
  std::vector<std::string> ips_;
};

std::string ip(const char* text) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, text, buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
  inet_pton(AF_INET6, text, buf);
  return std::string(reinterpret_cast<char*>(buf), 16);
}

struct authority {
  std::unique_ptr<Botan::Private_Key> key;
  Botan::X509_Certificate cert;
};

Botan::X509_DN dn(const std::string& cn) {
  Botan::X509_DN d;
  d.add_attribute("X520.Organization", "wst tests");
  d.add_attribute("X520.CommonName", cn);
  return d;
}

std::unique_ptr<Botan::Private_Key> ecdsa_key(Botan::RandomNumberGenerator& rng) {
  return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
}

// Signs a certificate for `subject_key` with `issuer` (or self-signed when issuer is null).
Botan::X509_Certificate make(Botan::RandomNumberGenerator& rng, const authority* issuer,
                             const Botan::Private_Key& subject_key, const Botan::X509_DN& subject, bool is_ca,
                             Botan::Extensions ext, clock::time_point from, clock::time_point to) {
  const Botan::Private_Key& signing_key = issuer ? *issuer->key : subject_key;
  const Botan::X509_DN issuer_dn = issuer ? issuer->cert.subject_dn() : subject;
  ext.add(new Botan::Cert_Extension::Basic_Constraints(is_ca, is_ca ? 1 : 0), true);
  ext.add(new Botan::Cert_Extension::Subject_Key_ID(subject_key.public_key_bits(), "SHA-256"));
  if (issuer) ext.add(new Botan::Cert_Extension::Authority_Key_ID(issuer->cert.subject_key_id()));
  Botan::AlgorithmIdentifier sig_algo;
  std::unique_ptr<Botan::PK_Signer> signer(Botan::choose_sig_format(signing_key, rng, "SHA-256", sig_algo));
  return Botan::X509_CA::make_cert(signer.get(), rng, sig_algo, subject_key.subject_public_key(),
                                   Botan::X509_Time(from), Botan::X509_Time(to), issuer_dn, subject, ext);
}

authority make_ca(Botan::RandomNumberGenerator& rng, const std::string& name) {
  authority a;
  a.key = ecdsa_key(rng);
  Botan::Extensions ext;
  ext.add(new Botan::Cert_Extension::Key_Usage(Botan::Key_Constraints(Botan::KEY_CERT_SIGN | Botan::CRL_SIGN)), true);
  const auto now = clock::now();
  a.cert = make(rng, nullptr, *a.key, dn(name), true, std::move(ext), now - hours(72), now + hours(24 * 365));
  return a;
}

enum class role { server, client };

struct leaf {
  std::unique_ptr<Botan::Private_Key> key;
  Botan::X509_Certificate cert;
};

leaf make_leaf(Botan::RandomNumberGenerator& rng, const authority& ca, role r, const std::string& cn,
               std::vector<std::string> dns, std::vector<std::string> ips, clock::time_point from,
               clock::time_point to, bool rsa = false) {
  leaf l;
  if (rsa)
    l.key = std::make_unique<Botan::RSA_PrivateKey>(rng, 2048);
  else
    l.key = ecdsa_key(rng);
  Botan::Extensions ext;
  ext.add(new Botan::Cert_Extension::Key_Usage(
              rsa ? Botan::Key_Constraints(Botan::DIGITAL_SIGNATURE | Botan::KEY_ENCIPHERMENT) : Botan::DIGITAL_SIGNATURE),
          true);
  ext.add(new Botan::Cert_Extension::Extended_Key_Usage(
      {Botan::OID::from_string(r == role::server ? "PKIX.ServerAuth" : "PKIX.ClientAuth")}));
  if (!dns.empty() || !ips.empty()) ext.add(new alt_names(std::move(dns), std::move(ips)));
  l.cert = make(rng, &ca, *l.key, dn(cn), false, std::move(ext), from, to);
  return l;
}

identity pem_of(const leaf& l) { return {l.cert.PEM_encode(), Botan::PKCS8::PEM_encode(*l.key)}; }

pki generate() {
  Botan::AutoSeeded_RNG rng;
  const auto now = clock::now();
  const auto from = now - hours(1);
  const auto to = now + hours(48);
  const authority ca = make_ca(rng, "wst test CA");
  const authority unknown = make_ca(rng, "wst unknown CA");
  const std::vector<std::string> local_dns{"localhost"};
  const std::vector<std::string> local_ips{ip("127.0.0.1"), ip("::1")};

  pki p;
  p.ca_pem = ca.cert.PEM_encode();
  p.unknown_ca_pem = unknown.cert.PEM_encode();
  const leaf server = make_leaf(rng, ca, role::server, "localhost", local_dns, local_ips, from, to);
  p.server = pem_of(server);
  p.server_rsa = pem_of(make_leaf(rng, ca, role::server, "localhost", local_dns, local_ips, from, to, true));
  p.server_expired =
      pem_of(make_leaf(rng, ca, role::server, "localhost", local_dns, local_ips, now - hours(48), now - hours(24)));
  p.server_wrong_host = pem_of(make_leaf(rng, ca, role::server, "other.example", {"other.example"}, {}, from, to));
  p.server_unknown_ca = pem_of(make_leaf(rng, unknown, role::server, "localhost", local_dns, local_ips, from, to));
  const leaf client = make_leaf(rng, ca, role::client, "wst test client", {}, {}, from, to);
  p.client = pem_of(client);
  p.client_unknown_ca = pem_of(make_leaf(rng, unknown, role::client, "wst stranger", {}, {}, from, to));
  p.encrypted_client_key_pem =
      Botan::PKCS8::PEM_encode_encrypted_pbkdf_iter(*client.key, rng, "s3cret", 2000, "AES-256/CBC", "SHA-256");

  const Botan::X509_CA signer(ca.cert, *ca.key, "SHA-256", rng);
  const Botan::X509_CRL empty = signer.new_crl(rng, now - hours(1), std::chrono::hours(24));
  p.crl_empty_pem = empty.PEM_encode();
  p.crl_revoking_server_pem =
      signer.update_crl(empty, {Botan::CRL_Entry(server.cert, Botan::KEY_COMPROMISE)}, rng, now - hours(1),
                        std::chrono::hours(24))
          .PEM_encode();
  return p;
}

}  // namespace

const pki& test_pki() {
  static const pki p = generate();
  return p;
}

}  // namespace wst::test::tls
