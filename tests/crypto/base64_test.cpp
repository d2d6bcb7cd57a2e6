// Base64: RFC 4648 section 10 test vectors, whitespace handling and every rejected shape.
#include <wst/crypto/crypto.hpp>

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

namespace crypto = wst::detail::crypto;

namespace {

std::string as_text(const crypto::bytes& b) { return {b.begin(), b.end()}; }
std::string as_text(const crypto::secure_bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Decodes with both entry points and checks they agree.
std::string decode_ok(std::string_view in) {
  auto plain = crypto::base64_decode(in);
  auto secret = crypto::base64_decode_secret(in);
  BOOST_REQUIRE_MESSAGE(plain.has_value(), (plain ? "" : "rejected: " + plain.error().describe()));
  BOOST_REQUIRE(secret.has_value());
  BOOST_TEST(as_text(*plain) == as_text(*secret));
  return as_text(*plain);
}

// Both entry points reject `in` with bad_base64, naming `offset` and containing `what`.
void expect_bad(std::string_view in, std::size_t offset, std::string_view what) {
  BOOST_TEST_CONTEXT("input \"" << std::string(in) << "\"") {
    auto plain = crypto::base64_decode(in);
    auto secret = crypto::base64_decode_secret(in);
    BOOST_REQUIRE(!plain.has_value());
    BOOST_REQUIRE(!secret.has_value());
    BOOST_TEST(plain.error().code == make_error_code(crypto::errc::bad_base64));
    BOOST_TEST(secret.error().code == make_error_code(crypto::errc::bad_base64));
    BOOST_TEST(plain.error().message == secret.error().message);
    const std::string& m = plain.error().message;
    BOOST_TEST(m.find("at offset " + std::to_string(offset)) != std::string::npos, m);
    BOOST_TEST(m.find(what) != std::string::npos, m);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(rfc4648_vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    BOOST_TEST(crypto::base64_encode(std::string_view(plain)) == encoded);
    BOOST_TEST(decode_ok(encoded) == plain);
  }
}

BOOST_AUTO_TEST_CASE(round_trip_every_byte_and_length) {
  std::vector<std::uint8_t> data;
  for (int i = 0; i < 300; ++i) {
    const std::string enc = crypto::base64_encode(data);
    BOOST_REQUIRE_EQUAL(enc.size(), (data.size() + 2) / 3 * 4);
    auto back = crypto::base64_decode(enc);
    BOOST_REQUIRE(back.has_value());
    BOOST_REQUIRE(*back == data);
    data.push_back(static_cast<std::uint8_t>(i * 37 + 11));
  }
  // The encoder uses the whole alphabet: '+' and '/' included.
  BOOST_TEST(crypto::base64_encode(wst::test::from_hex("fbff")) == "+/8=");
}

BOOST_AUTO_TEST_CASE(whitespace_is_skipped_anywhere) {
  BOOST_TEST(decode_ok("\tZm9v\nYmFy\r\n") == "foobar");
  BOOST_TEST(decode_ok(" Z m 9 v Y g = = ") == "foob");
  BOOST_TEST(decode_ok("Zg=\r\n=") == "f");
  BOOST_TEST(decode_ok("Zm8=\v\f ") == "fo");
  BOOST_TEST(decode_ok(" \t\r\n\v\f") == "");
  // A line break at every offset of a padded value.
  wst::test::for_each_split("Zm9vYmE=", [](std::string_view a, std::string_view b) {
    BOOST_TEST(decode_ok(std::string(a) + "\r\n" + std::string(b)) == "fooba");
  });
}

BOOST_AUTO_TEST_CASE(invalid_characters) {
  expect_bad("Zm9v!mFy", 4, "'!'");
  expect_bad("Zm9v-_8=", 4, "'-'");  // base64url is a different alphabet
  expect_bad("Zm9vYm_=", 6, "'_'");
  expect_bad("Zm9v\xc3\xa9", 4, "0xc3");
  expect_bad(std::string_view("Zg\0=", 4), 2, "0x00");
  expect_bad("Zm9v.", 4, "'.'");
}

BOOST_AUTO_TEST_CASE(bad_padding) {
  expect_bad("=Zg=", 0, "'=' in place of data");
  expect_bad("====", 0, "'=' in place of data");
  expect_bad("Z===", 1, "'=' in place of data");
  expect_bad("Zm9vZ===", 5, "'=' in place of data");
  // Bits the padding drops must be zero (RFC 4648 section 3.5).
  expect_bad("Zh==", 1, "non-zero bits");
  expect_bad("Zm9=", 2, "non-zero bits");
}

BOOST_AUTO_TEST_CASE(wrong_length) {
  expect_bad("Z", 1, "1 base64 characters, not a multiple of 4");
  expect_bad("Zm9", 3, "missing data or padding");
  expect_bad("Zm9vY", 5, "5 base64 characters");
  expect_bad("Zg", 2, "missing data or padding");
  expect_bad("Zg=", 3, "missing padding");
  expect_bad(" Zg \n", 5, "2 base64 characters");
}

BOOST_AUTO_TEST_CASE(data_after_padding) {
  expect_bad("Zg=a", 3, "data after padding");
  expect_bad("Zg==Zg==", 4, "data after padding");
  expect_bad("Zm8=Zm8=", 4, "data after padding");
  expect_bad("Zm8= \nZ", 6, "data after padding");
  expect_bad("Zg===", 4, "data after padding");
}

BOOST_AUTO_TEST_CASE(error_text_is_readable) {
  auto r = crypto::base64_decode("ab!d");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().describe() == "invalid base64: invalid character '!' (0x21) at offset 2");
}

BOOST_AUTO_TEST_SUITE_END()
