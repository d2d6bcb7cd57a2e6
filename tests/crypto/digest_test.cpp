// SHA-1 / SHA-256 (FIPS 180-4 examples), HMAC-SHA1 (RFC 2202 section 3) and HMAC-SHA256
// (RFC 4231 section 4) known answers, constant_time_equal and hex_encode.
#include <wst/crypto/crypto.hpp>

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

namespace crypto = wst::detail::crypto;
using wst::test::from_hex;

namespace {

template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& a) {
  return crypto::hex_encode(crypto::byte_view(a.data(), a.size()));
}

std::vector<std::uint8_t> repeat(std::uint8_t b, std::size_t n) {
  return std::vector<std::uint8_t>(n, b);
}

struct mac_case {
  const char* name;
  std::vector<std::uint8_t> key;
  std::vector<std::uint8_t> data;
  std::string expected_hex;
};

std::vector<std::uint8_t> text(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(digest)

BOOST_AUTO_TEST_CASE(sha1_known_answers) {
  BOOST_TEST(hex(crypto::sha1(std::string_view("abc"))) ==
             "a9993e364706816aba3e25717850c26c9cd0d89d");
  BOOST_TEST(hex(crypto::sha1(std::string_view(""))) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  BOOST_TEST(hex(crypto::sha1(
                 std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
             "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

BOOST_AUTO_TEST_CASE(sha256_known_answers) {
  BOOST_TEST(hex(crypto::sha256(std::string_view("abc"))) ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(hex(crypto::sha256(std::string_view(""))) ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(hex(crypto::sha256(
                 std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

BOOST_AUTO_TEST_CASE(hmac_sha1_rfc2202) {
  const mac_case cases[] = {
      {"1", repeat(0x0b, 20), text("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"},
      {"2", text("Jefe"), text("what do ya want for nothing?"),
       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {"3", repeat(0xaa, 20), repeat(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {"4", from_hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeat(0xcd, 50),
       "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
      {"5", repeat(0x0c, 20), text("Test With Truncation"),
       "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
      {"6", repeat(0xaa, 80), text("Test Using Larger Than Block-Size Key - Hash Key First"),
       "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {"7", repeat(0xaa, 80),
       text("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  };
  for (const auto& c : cases) {
    BOOST_TEST(hex(crypto::hmac_sha1(c.key, c.data)) == c.expected_hex, "case " << c.name);
  }
}

BOOST_AUTO_TEST_CASE(hmac_sha256_rfc4231) {
  const mac_case cases[] = {
      {"1", repeat(0x0b, 20), text("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"2", text("Jefe"), text("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"3", repeat(0xaa, 20), repeat(0xdd, 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"4", from_hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeat(0xcd, 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      // Case 5 publishes only the first 128 bits.
      {"5", repeat(0x0c, 20), text("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"},
      {"6", repeat(0xaa, 131), text("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"7", repeat(0xaa, 131),
       text("This is a test using a larger than block-size key and a larger than block-size "
            "data. The key needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const auto& c : cases) {
    BOOST_TEST(
        hex(crypto::hmac_sha256(c.key, c.data)).substr(0, c.expected_hex.size()) == c.expected_hex,
        "case " << c.name);
  }
}

BOOST_AUTO_TEST_CASE(hmac_edge_keys) {
  // Empty key and message (values computed with Python's hmac module).
  BOOST_TEST(hex(crypto::hmac_sha1(crypto::byte_view(), crypto::byte_view())) ==
             "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  BOOST_TEST(hex(crypto::hmac_sha256(crypto::byte_view(), crypto::byte_view())) ==
             "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  // A key over Botan's 4096-byte HMAC key limit behaves as its hash, as RFC 2104 says.
  const auto big = repeat(0x42, 10000);
  const auto msg = text("message");
  const auto h1 = crypto::sha1(big);
  const auto h256 = crypto::sha256(big);
  BOOST_TEST(hex(crypto::hmac_sha1(big, msg)) ==
             hex(crypto::hmac_sha1(crypto::byte_view(h1.data(), h1.size()), msg)));
  BOOST_TEST(hex(crypto::hmac_sha256(big, msg)) ==
             hex(crypto::hmac_sha256(crypto::byte_view(h256.data(), h256.size()), msg)));
  // A 64-byte key (exactly one block) is used as it is, not hashed.
  const auto block = repeat(0x42, 64);
  const auto hb = crypto::sha1(block);
  BOOST_TEST(hex(crypto::hmac_sha1(block, msg)) !=
             hex(crypto::hmac_sha1(crypto::byte_view(hb.data(), hb.size()), msg)));
}

BOOST_AUTO_TEST_CASE(constant_time_equal) {
  const auto a = text("proof key bytes"), b = text("proof key bytes"), c = text("proof key bytez");
  BOOST_TEST(crypto::constant_time_equal(a, b));
  BOOST_TEST(!crypto::constant_time_equal(a, c));
  BOOST_TEST(!crypto::constant_time_equal(a, text("proof key byte")));
  BOOST_TEST(!crypto::constant_time_equal(a, crypto::byte_view()));
  BOOST_TEST(crypto::constant_time_equal(crypto::byte_view(), crypto::byte_view()));
  // Differences in the first and in the last byte are both seen.
  auto first = a, last = a;
  first.front() ^= 1;
  last.back() ^= 0x80;
  BOOST_TEST(!crypto::constant_time_equal(a, first));
  BOOST_TEST(!crypto::constant_time_equal(a, last));
}

BOOST_AUTO_TEST_CASE(hex_encode) {
  BOOST_TEST(crypto::hex_encode(crypto::byte_view()) == "");
  BOOST_TEST(crypto::hex_encode(from_hex("00017f80abcdeffe")) == "00017f80abcdeffe");
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  BOOST_TEST(crypto::hex_encode(all) == wst::test::to_hex(all.data(), all.size()));
}

BOOST_AUTO_TEST_SUITE_END()
