// RSA keys, X.509 certificates, system_random and the error category.
//
// Certificates from tests/vectors/captured (origins in tests/vectors/README.md):
// - adfs-wst13-soap12-saml11-bearer-SIGVALID.xml: AzureAD/azure-activedirectory-library-for-
//   nodejs test/wstrust/common.rstr.xml (Apache-2.0), the ADFS signing certificate.
// - vsphere-sso-saml2-assertion-SIGVALID.xml: vmware/govmomi sts/internal/types_test.go
//   assertionFixture (Apache-2.0), two certificates; the expected subjects were read with
//   `openssl x509 -nameopt RFC2253`.
#include <wst/crypto/crypto.hpp>

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <thread>

namespace crypto = wst::detail::crypto;
using wst::test::read_file;
using wst::test::vectors_dir;

namespace {

// A P-256 key in PKCS#8 (made with `openssl genpkey -algorithm EC`): a valid key of the wrong
// algorithm.
constexpr const char* ec_pkcs8_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgUV2OsL9buaqxwVAf\n"
    "KkgS907DkGK8qLQnVYOM9nTu40KhRANCAARW8ryeIc04tjIc/pgHbgE1HKWjkheD\n"
    "ALvPOOCk8uxc+xxgTLW4znhVAi4VQv8vnEMkMvrAba+flLzNAieK5/eI\n"
    "-----END PRIVATE KEY-----\n";

// A deterministic random_source: SHA-256 in counter mode over a fixed seed. Not secure;
// it makes key generation repeatable.
class counter_source final : public crypto::random_source {
 public:
  explicit counter_source(std::uint8_t seed) : seed_(seed) {}
  void fill(std::uint8_t* out, std::size_t n) override {
    ++calls;
    while (n != 0) {
      const std::uint8_t block_input[9] = {seed_,
                                           std::uint8_t(counter_ >> 56),
                                           std::uint8_t(counter_ >> 48),
                                           std::uint8_t(counter_ >> 40),
                                           std::uint8_t(counter_ >> 32),
                                           std::uint8_t(counter_ >> 24),
                                           std::uint8_t(counter_ >> 16),
                                           std::uint8_t(counter_ >> 8),
                                           std::uint8_t(counter_)};
      ++counter_;
      const auto block = crypto::sha256(crypto::byte_view(block_input, sizeof block_input));
      const std::size_t take = std::min(n, block.size());
      std::copy_n(block.begin(), take, out);
      out += take;
      n -= take;
    }
  }
  int calls = 0;

 private:
  std::uint8_t seed_;
  std::uint64_t counter_ = 0;
};

class failing_source final : public crypto::random_source {
 public:
  void fill(std::uint8_t*, std::size_t) override { throw std::runtime_error("entropy exhausted"); }
};

// One 1024-bit key for the whole program (generation is the slow part).
const crypto::rsa_private_key& test_key() {
  static const crypto::rsa_private_key key = [] {
    auto k = crypto::rsa_private_key::generate(1024);
    if (!k) throw std::runtime_error(k.error().describe());
    return std::move(k).value();
  }();
  return key;
}

const crypto::rsa_private_key& other_key() {
  static const crypto::rsa_private_key key = [] {
    counter_source rng(7);
    auto k = crypto::rsa_private_key::generate(1024, rng);
    if (!k) throw std::runtime_error(k.error().describe());
    return std::move(k).value();
  }();
  return key;
}

crypto::certificate self_signed(const crypto::rsa_private_key& key, std::string_view cn) {
  auto c = crypto::certificate::self_signed(key, cn);
  BOOST_REQUIRE_MESSAGE(c.has_value(), (c.has_value() ? "" : c.error().describe()));
  return std::move(c).value();
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// Every <...X509Certificate>base64</...X509Certificate> text of a capture.
std::vector<std::string> embedded_certificates(const std::string& xml) {
  std::vector<std::string> out;
  for (auto at = xml.find("X509Certificate>"); at != std::string::npos;
       at = xml.find("X509Certificate>", at + 1)) {
    const auto end = xml.find('<', at);
    if (end == std::string::npos) break;
    std::string text = xml.substr(at + 16, end - at - 16);
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(text);
    at = end;
  }
  return out;
}

template <class T>
void expect_failure(const wst::detail::result<T>& r, crypto::errc code, std::string_view what) {
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == make_error_code(code));
  BOOST_TEST(r.error().message.find(what) != std::string::npos, r.error().message);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rsa)

BOOST_AUTO_TEST_CASE(sign_and_verify_both_hashes) {
  const auto& key = test_key();
  const auto cert = self_signed(key, "signer");
  const std::string msg = "<SignedInfo>wst</SignedInfo>";
  const auto sig256 = key.sign_sha256(msg);
  const auto sig1 = key.sign_sha1(msg);
  BOOST_TEST(sig256.size() == 128u);
  BOOST_TEST(sig1.size() == 128u);
  BOOST_TEST(sig256 != sig1);
  BOOST_TEST(cert.verify_sha256(msg, sig256));
  BOOST_TEST(cert.verify_sha1(msg, sig1));
  // PKCS#1 v1.5 is deterministic: sign() gives the same bytes.
  auto again = key.sign(crypto::signature_hash::sha256, msg);
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(*again == sig256);

  // A changed message, a changed signature, the other hash or another key all fail.
  std::string tampered = msg;
  tampered[5] ^= 1;
  BOOST_TEST(!cert.verify_sha256(tampered, sig256));
  BOOST_TEST(!cert.verify_sha1(tampered, sig1));
  auto bad_sig = sig256;
  bad_sig.back() ^= 1;
  BOOST_TEST(!cert.verify_sha256(msg, bad_sig));
  BOOST_TEST(!cert.verify_sha1(msg, sig256));
  BOOST_TEST(!cert.verify_sha256(msg, sig1));
  BOOST_TEST(!cert.verify_sha256(msg, crypto::byte_view()));
  BOOST_TEST(!cert.verify_sha256(msg, crypto::bytes(sig256.begin(), sig256.end() - 1)));
  BOOST_TEST(!self_signed(other_key(), "other").verify_sha256(msg, sig256));
}

BOOST_AUTO_TEST_CASE(public_parts) {
  const auto& key = test_key();
  BOOST_TEST(key.bits() == 1024u);
  const auto n = key.modulus();
  BOOST_REQUIRE_EQUAL(n.size(), 128u);
  BOOST_TEST((n.front() & 0x80) != 0);  // big-endian, no leading zero byte
  BOOST_TEST((n.back() & 1) == 1);      // odd
  BOOST_TEST(key.public_exponent() == (crypto::bytes{0x01, 0x00, 0x01}));
}

BOOST_AUTO_TEST_CASE(pem_round_trip) {
  const auto& key = test_key();
  const std::string pem = key.to_pem();
  BOOST_TEST(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
  BOOST_TEST(pem.find("-----END PRIVATE KEY-----") != std::string::npos);
  auto loaded = crypto::rsa_private_key::from_pem(pem);
  BOOST_REQUIRE_MESSAGE(loaded.has_value(), (loaded.has_value() ? "" : loaded.error().describe()));
  BOOST_TEST(loaded->modulus() == key.modulus());
  BOOST_TEST(loaded->to_pem() == pem);
  BOOST_TEST(loaded->sign_sha256(std::string_view("x")) == key.sign_sha256(std::string_view("x")));
  // Text around the block is ignored.
  auto wrapped = crypto::rsa_private_key::from_pem("key follows\n" + pem + "trailer\n");
  BOOST_REQUIRE(wrapped.has_value());
  BOOST_TEST(wrapped->modulus() == key.modulus());
}

BOOST_AUTO_TEST_CASE(bad_pem_is_bad_key) {
  const std::string pem = test_key().to_pem();
  expect_failure(crypto::rsa_private_key::from_pem(""), crypto::errc::bad_key, "private key PEM");
  expect_failure(crypto::rsa_private_key::from_pem("garbage, not a key"), crypto::errc::bad_key,
                 "private key PEM");
  expect_failure(
      crypto::rsa_private_key::from_pem(replace_all(pem, "PRIVATE KEY", "RSA PRIVATE KEY")),
      crypto::errc::bad_key, "RSA PRIVATE KEY");
  expect_failure(
      crypto::rsa_private_key::from_pem(replace_all(pem, "PRIVATE KEY", "ENCRYPTED PRIVATE KEY")),
      crypto::errc::bad_key, "ENCRYPTED PRIVATE KEY");
  expect_failure(crypto::rsa_private_key::from_pem(pem.substr(0, pem.size() / 2)),
                 crypto::errc::bad_key, "private key PEM");
  // Damage inside the DER: a changed byte in the middle of the base64 body.
  std::string damaged = pem;
  const auto mid = damaged.size() / 2;
  damaged[mid] = damaged[mid] == 'A' ? 'B' : 'A';
  BOOST_TEST(!crypto::rsa_private_key::from_pem(damaged).has_value());
  expect_failure(crypto::rsa_private_key::from_pem(ec_pkcs8_pem), crypto::errc::bad_key, "not RSA");
  expect_failure(crypto::rsa_private_key::from_pem(
                     std::string(crypto::rsa_private_key::max_pem_size + 1, 'A')),
                 crypto::errc::bad_key, "exceeds the limit");
}

BOOST_AUTO_TEST_CASE(generate_limits_and_rng) {
  expect_failure(crypto::rsa_private_key::generate(512), crypto::errc::bad_length, "512 bits");
  expect_failure(crypto::rsa_private_key::generate(crypto::rsa_private_key::max_bits + 1),
                 crypto::errc::bad_length, "allowed 1024..8192");
  // The injected source supplies the randomness: the same source state, the same key.
  counter_source rng(7);
  auto key = crypto::rsa_private_key::generate(1024, rng);
  BOOST_REQUIRE(key.has_value());
  BOOST_TEST(rng.calls > 0);
  BOOST_TEST(key->modulus() == other_key().modulus());
  BOOST_TEST(key->modulus() != test_key().modulus());
  failing_source broken;
  expect_failure(crypto::rsa_private_key::generate(1024, broken), crypto::errc::backend_failure,
                 "entropy exhausted");
}

BOOST_AUTO_TEST_CASE(moved_from_key_is_empty) {
  counter_source rng(9);
  auto made = crypto::rsa_private_key::generate(1024, rng);
  BOOST_REQUIRE(made.has_value());
  crypto::rsa_private_key key = std::move(made).value();
  crypto::rsa_private_key taken = std::move(key);
  BOOST_TEST(taken.bits() == 1024u);
  BOOST_TEST(key.bits() == 0u);  // NOLINT(bugprone-use-after-move): documented state
  BOOST_TEST(key.to_pem().empty());
  BOOST_TEST(key.modulus().empty());
  BOOST_TEST(key.sign_sha256(std::string_view("x")).empty());
  expect_failure(key.sign(crypto::signature_hash::sha1, std::string_view("x")),
                 crypto::errc::bad_key, "empty");
  expect_failure(crypto::certificate::self_signed(key, "x"), crypto::errc::bad_key, "empty key");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(x509)

BOOST_AUTO_TEST_CASE(self_signed_subject_and_encodings) {
  const auto cert = self_signed(test_key(), "wst test STS");
  BOOST_TEST(cert.subject() == "CN=wst test STS");
  const auto der = cert.der();
  BOOST_REQUIRE(!der.empty());
  BOOST_TEST(der.front() == 0x30);
  auto from_der = crypto::certificate::from_der(der);
  BOOST_REQUIRE(from_der.has_value());
  BOOST_TEST(from_der->der() == der);
  BOOST_TEST(from_der->subject() == "CN=wst test STS");

  const std::string pem = cert.to_pem();
  BOOST_TEST(pem.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
  auto from_pem = crypto::certificate::from_pem(pem);
  BOOST_REQUIRE(from_pem.has_value());
  BOOST_TEST(from_pem->der() == der);
  // The DER inside the PEM is base64 of der().
  auto body =
      crypto::base64_decode(pem.substr(pem.find('\n'), pem.find("-----END") - pem.find('\n')));
  BOOST_REQUIRE(body.has_value());
  BOOST_TEST(*body == der);

  // Copies (and copies of copies) verify like the original.
  const std::string msg = "payload";
  const auto sig = test_key().sign_sha256(msg);
  crypto::certificate copy = *from_pem;
  crypto::certificate assigned = cert;
  assigned = copy;
  BOOST_TEST(copy.verify_sha256(msg, sig));
  BOOST_TEST(assigned.verify(crypto::signature_hash::sha256, msg, sig));
  crypto::certificate moved = std::move(copy);
  BOOST_TEST(moved.verify_sha256(msg, sig));
  BOOST_TEST(!copy.verify_sha256(msg, sig));  // NOLINT(bugprone-use-after-move)
  BOOST_TEST(copy.der().empty());
  BOOST_TEST(copy.subject().empty());
}

BOOST_AUTO_TEST_CASE(subject_escaping) {
  BOOST_TEST(self_signed(test_key(), "a,b+c;d").subject() == "CN=a\\,b\\+c\\;d");
  BOOST_TEST(self_signed(test_key(), "#lead \"q\" <x> trail ").subject() ==
             "CN=\\#lead \\\"q\\\" \\<x\\> trail\\ ");
  BOOST_TEST(self_signed(test_key(), " back\\slash").subject() == "CN=\\ back\\\\slash");
}

// A foreign certificate may carry control characters in its names: they come out as RFC 4514
// hex pairs. (The bytes are changed after signing; parsing does not check the signature.)
BOOST_AUTO_TEST_CASE(subject_control_characters_are_hex_escaped) {
  auto der = self_signed(test_key(), "ctl-X-Y").der();
  std::size_t replaced = 0;
  for (std::size_t i = 0; i + 4 < der.size(); ++i) {
    if (der[i] == 'X' && der[i + 1] == '-' && der[i + 2] == 'Y') {
      der[i] = 0x01;
      der[i + 2] = 0x7f;
      ++replaced;
    }
  }
  BOOST_REQUIRE_EQUAL(replaced, 2u);  // subject and issuer
  auto cert = crypto::certificate::from_der(der);
  BOOST_REQUIRE(cert.has_value());
  BOOST_TEST(cert->subject() == "CN=ctl-\\01-\\7f");
}

BOOST_AUTO_TEST_CASE(self_signed_limits) {
  const auto& key = test_key();
  expect_failure(crypto::certificate::self_signed(key, ""), crypto::errc::bad_length,
                 "common name");
  expect_failure(crypto::certificate::self_signed(key, std::string(65, 'a')),
                 crypto::errc::bad_length, "65 bytes");
  BOOST_TEST(crypto::certificate::self_signed(key, std::string(64, 'a')).has_value());
  expect_failure(crypto::certificate::self_signed(key, "cn", 0), crypto::errc::bad_length,
                 "0 days");
  expect_failure(crypto::certificate::self_signed(key, "cn", crypto::certificate::max_days + 1),
                 crypto::errc::bad_length, "days");
  BOOST_TEST(
      crypto::certificate::self_signed(key, "cn", crypto::certificate::max_days).has_value());
  expect_failure(crypto::certificate::self_signed(key, "\xff\xfe"), crypto::errc::bad_text,
                 "byte 0");
  expect_failure(crypto::certificate::self_signed(key, std::string("a\0b", 3)),
                 crypto::errc::bad_text, "byte 1");
  expect_failure(crypto::certificate::self_signed(key, "tab\there"), crypto::errc::bad_text,
                 "byte 3");
  expect_failure(crypto::certificate::self_signed(key, "over\xc0\xaflong"), crypto::errc::bad_text,
                 "byte 4");
  expect_failure(crypto::certificate::self_signed(key, "cut \xe2\x82"), crypto::errc::bad_text,
                 "byte 4");
  expect_failure(crypto::certificate::self_signed(key, "\xed\xa0\x80"), crypto::errc::bad_text,
                 "byte 0");  // a UTF-16 surrogate
  // Non-ASCII UTF-8 is kept as it is.
  BOOST_TEST(self_signed(key, "Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x94\x91").subject() ==
             "CN=Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x94\x91");
}

BOOST_AUTO_TEST_CASE(captured_certificates) {
  struct expected {
    const char* file;
    std::vector<std::string> subjects;
  };
  const expected files[] = {
      {"adfs-wst13-soap12-saml11-bearer-SIGVALID.xml", {"CN=ADFS Signing - fs.naturalcauses.com"}},
      {"vsphere-sso-saml2-assertion-SIGVALID.xml",
       {"CN=ssoserverSign",
        "OU=VMware Engineering, O=office1-sfo2-dhcp221.eng.vmware.com, ST=California, C=US, "
        "DC=local, DC=vsphere, CN=CA"}},
  };
  for (const auto& f : files) {
    const auto texts = embedded_certificates(read_file(vectors_dir() + "/captured/" + f.file));
    BOOST_REQUIRE_EQUAL(texts.size(), f.subjects.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
      auto der = crypto::base64_decode(texts[i]);  // line breaks inside are skipped
      BOOST_REQUIRE(der.has_value());
      auto cert = crypto::certificate::from_der(*der);
      BOOST_REQUIRE_MESSAGE(cert.has_value(), (cert.has_value() ? "" : cert.error().describe()));
      BOOST_TEST(cert->subject() == f.subjects[i]);
      BOOST_TEST(cert->der() == *der);
      // A signature of ours does not verify under their keys.
      BOOST_TEST(!cert->verify_sha256(std::string_view("m"),
                                      test_key().sign_sha256(std::string_view("m"))));
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_certificates_are_bad_key) {
  const auto der = self_signed(test_key(), "t").der();
  expect_failure(crypto::certificate::from_der(crypto::byte_view()), crypto::errc::bad_key,
                 "SEQUENCE");
  expect_failure(crypto::certificate::from_der(std::string_view("garbage")), crypto::errc::bad_key,
                 "SEQUENCE");
  auto trailing = der;
  trailing.push_back(0);
  expect_failure(crypto::certificate::from_der(trailing), crypto::errc::bad_key,
                 "followed by 1 more");
  expect_failure(
      crypto::certificate::from_der(crypto::bytes(der.begin(), der.begin() + der.size() / 2)),
      crypto::errc::bad_key, "DER certificate");
  expect_failure(crypto::certificate::from_der(crypto::bytes{0x30, 0x03, 0x02, 0x01, 0x01}),
                 crypto::errc::bad_key, "DER certificate");
  expect_failure(crypto::certificate::from_pem("no certificate here"), crypto::errc::bad_key,
                 "certificate PEM");
  expect_failure(crypto::certificate::from_pem(test_key().to_pem()), crypto::errc::bad_key,
                 "certificate PEM");
  expect_failure(
      crypto::certificate::from_der(crypto::bytes(crypto::certificate::max_encoded_size + 1, 0x30)),
      crypto::errc::bad_key, "exceeds the limit");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(randomness)

BOOST_AUTO_TEST_CASE(system_random_from_many_threads) {
  constexpr int threads = 4, draws = 200;
  std::vector<std::vector<std::array<std::uint8_t, 16>>> results(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&results, t] {
      auto& rng = crypto::system_random();
      for (int i = 0; i < draws; ++i) {
        std::array<std::uint8_t, 16> a{};
        rng.fill(a.data(), a.size());
        results[t].push_back(a);
      }
    });
  }
  for (auto& th : pool) th.join();
  std::set<std::array<std::uint8_t, 16>> distinct;
  for (const auto& r : results) distinct.insert(r.begin(), r.end());
  BOOST_TEST(distinct.size() == std::size_t(threads * draws));  // 128-bit draws never repeat
  BOOST_TEST(&crypto::system_random() == &crypto::system_random());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(error_category) {
  BOOST_TEST(crypto::category().name() == std::string("wst.crypto"));
  const std::error_code ec = crypto::errc::bad_key;
  BOOST_TEST((ec.category() == crypto::category()));
  BOOST_TEST(ec.message() == "invalid key or certificate");
  for (auto e :
       {crypto::errc::bad_base64, crypto::errc::bad_key, crypto::errc::bad_length,
        crypto::errc::signature_invalid, crypto::errc::backend_failure, crypto::errc::bad_text}) {
    BOOST_TEST(!make_error_code(e).message().empty());
    BOOST_TEST(make_error_code(e).message().find("unknown") == std::string::npos);
  }
}
