// Request description validation and RST writer details not pinned by the transcripts.
#include "test_support.hpp"

#include <wst/core/datetime.hpp>
#include <wst/core/errors.hpp>
#include <wst/core/rst_writer.hpp>
#include <wst/xml/reader.hpp>

#include <boost/test/unit_test.hpp>

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;
using core::errc;

namespace {

core::request_description minimal() {
  core::request_description d;
  d.sts_address = "https://sts.contoso.test/trust";
  return d;
}

const std::string sct2005 =
    "<c:SecurityContextToken xmlns:c=\"http://schemas.xmlsoap.org/ws/2005/02/sc\">"
    "<c:Identifier>urn:uuid:ctx</c:Identifier></c:SecurityContextToken>";

core::request_description renew(std::string sct = sct2005) {
  auto d = minimal();
  d.action = core::request_action::renew_context;
  d.existing.emplace();
  d.existing->xml = std::move(sct);
  d.existing->proof_key = crypto::secure_bytes(32);
  return d;
}

void expect(const core::request_description& d, errc code, const char* fragment = nullptr) {
  auto r = core::validate(d);
  BOOST_REQUIRE_MESSAGE(!r, "expected " << core::make_error_code(code).message());
  BOOST_CHECK_MESSAGE(r.error().code == code, r.error().describe());
  if (fragment)
    BOOST_CHECK_MESSAGE(r.error().message.find(fragment) != std::string::npos,
                        r.error().message << " lacks '" << fragment << "'");
  // The writer refuses the same description with the same error.
  core::fixed_environment env;
  auto w = core::write_rst(d, env);
  BOOST_REQUIRE(!w);
  BOOST_CHECK(w.error().code == code);
}

std::string write(const core::request_description& d, core::fixed_environment& env) {
  auto w = core::write_rst(d, env);
  BOOST_REQUIRE_MESSAGE(w, (w ? "" : w.error().describe()));
  BOOST_REQUIRE_MESSAGE(wst::detail::xml::parse(w->message.bytes), "not well-formed");
  return w->message.bytes;
}

std::string write(const core::request_description& d) {
  core::fixed_environment env;
  return write(d, env);
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_validation)

BOOST_AUTO_TEST_CASE(addresses_and_uris) {
  BOOST_CHECK(core::validate(minimal()));
  auto d = minimal();
  d.sts_address = "";
  expect(d, errc::invalid_description, "sts_address");
  d.sts_address = "sts.contoso.test/trust";
  expect(d, errc::invalid_description, "sts_address");
  d.sts_address = "https://sts.contoso.test/a b";
  expect(d, errc::invalid_description, "sts_address");
  d.sts_address = "1https://x";
  expect(d, errc::invalid_description);
  d = minimal();
  d.applies_to = "relative/path";
  expect(d, errc::invalid_description, "applies_to");
  d.applies_to = "";
  expect(d, errc::invalid_description, "applies_to");
  d = minimal();
  d.issued_token_type = "not a uri";
  expect(d, errc::invalid_description, "issued_token_type");
  // IRIs are fine; bytes that are not UTF-8 are not.
  d = minimal();
  d.applies_to = "urn:caf\xC3\xA9:\xF0\x9F\x94\x91";
  BOOST_CHECK(core::validate(d));
  for (const char* bad : {"urn:x\xC3", "urn:\xED\xA0\x80", "urn:\xC0\xAF", "urn:\xF4\x90\x80\x80",
                          "urn:\xE0\x80\xAF", "urn:\xFF"}) {
    d.applies_to = bad;
    expect(d, errc::invalid_description, "UTF-8");
  }
}

// The URI checks pass printable ASCII eight bytes at a time: a bad byte, or a good multi-byte
// character, at every offset of URIs long enough to cross several words.
BOOST_AUTO_TEST_CASE(uri_bytes_at_every_offset) {
  auto uri = [](std::size_t len, std::size_t at, std::string_view piece) {
    std::string s = "urn:";
    for (std::size_t i = 0; i < len; ++i) s += static_cast<char>(i % 2 ? '~' : '!' + i % 90);
    s.insert(4 + at, piece);
    return s;
  };
  auto d = minimal();
  for (std::size_t len = 1; len <= 20; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      for (std::string_view good : {"", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x94\x91", "%20"}) {
        d.applies_to = uri(len, at, good);
        BOOST_CHECK_MESSAGE(core::validate(d), *d.applies_to);
      }
      const std::string_view controls[] = {" ", "\t", "\n", {"\0", 1}, "\x1f", "\x7f"};
      for (std::string_view bad : controls) {
        d.applies_to = uri(len, at, bad);
        expect(d, errc::invalid_description, "applies_to");
      }
      for (std::string_view bad : {"\x80", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xFF"}) {
        d.applies_to = uri(len, at, bad);
        expect(d, errc::invalid_description, "UTF-8");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(key_type_size_and_entropy) {
  auto d = minimal();
  d.key = core::key_type::asymmetric;
  expect(d, errc::not_supported);
  d = minimal();
  for (std::uint32_t bad : {0u, 12u, 4104u}) {
    d.key_size_bits = bad;
    expect(d, errc::invalid_key_size);
  }
  d.key_size_bits = 4096;
  BOOST_CHECK(core::validate(d));
  d.key = core::key_type::none;
  d.key_size_bits = 256;
  expect(d, errc::invalid_key_size, "bearer");
  d.key_size_bits.reset();
  d.entropy = core::key_entropy::client_only;
  expect(d, errc::invalid_entropy_mode, "client_only");
  d.entropy = core::key_entropy::combined;
  expect(d, errc::invalid_entropy_mode, "combined");
  d.entropy = core::key_entropy::server_only;
  BOOST_CHECK(core::validate(d));
}

BOOST_AUTO_TEST_CASE(sct_actions) {
  auto d = minimal();
  d.action = core::request_action::new_context;
  BOOST_CHECK(core::validate(d));
  d.key = core::key_type::none;
  expect(d, errc::invalid_description, "symmetric");
  d.key.reset();
  d.issued_token_type = "urn:oasis:names:tc:SAML:1.0:assertion";
  expect(d, errc::invalid_description, "issued_token_type");
  d.issued_token_type = "http://schemas.xmlsoap.org/ws/2005/02/sc/sct";
  BOOST_CHECK(core::validate(d));
  d.secure_conversation = core::secure_conversation_version::v1_3;
  expect(d, errc::invalid_description);  // the 2005 SCT type under WS-SC 1.3
}

BOOST_AUTO_TEST_CASE(existing_token) {
  BOOST_CHECK(core::validate(renew()));
  auto d = minimal();
  d.action = core::request_action::renew_context;
  expect(d, errc::invalid_existing_token, "renew_context needs");
  d = renew();
  d.action = core::request_action::issue;
  expect(d, errc::invalid_existing_token, "only used with renew_context");
  d.action = core::request_action::new_context;
  expect(d, errc::invalid_existing_token);
  expect(renew("<c:SecurityContextToken"), errc::invalid_existing_token, "well-formed");
  expect(renew("<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\"/>"),
         errc::invalid_existing_token, "SecurityContextToken");
  d = renew();
  d.secure_conversation = core::secure_conversation_version::v1_3;
  expect(d, errc::invalid_existing_token, "ws-secureconversation/200512");
  expect(renew("<c:SecurityContextToken xmlns:c=\"http://schemas.xmlsoap.org/ws/2005/02/sc\"/>"),
         errc::invalid_existing_token, "Identifier");
  expect(renew("<c:SecurityContextToken xmlns:c=\"http://schemas.xmlsoap.org/ws/2005/02/sc\">"
               "<c:Identifier>no uri</c:Identifier></c:SecurityContextToken>"),
         errc::invalid_existing_token, "Identifier");
  d = renew();
  d.existing->unattached_reference = "<o:Reference xmlns:o=\"urn:x\"/>";
  expect(d, errc::invalid_existing_token, "unattached_reference");
  d = renew();
  d.existing->attached_reference = "<o:SecurityTokenReference xmlns:o=\"urn:x\"/>";
  expect(d, errc::invalid_existing_token, "attached_reference");
  // Renewal proves possession: no key, no renewal; a key beyond max_key_size_bits is refused.
  d = renew();
  d.existing->proof_key.clear();
  expect(d, errc::invalid_existing_token, "proof key");
  d.existing->proof_key = crypto::secure_bytes(core::max_key_size_bits / 8 + 1);
  expect(d, errc::invalid_existing_token, "at most 512");
  d.existing->proof_key = crypto::secure_bytes(1);
  BOOST_CHECK(core::validate(d));
}

BOOST_AUTO_TEST_CASE(parameters) {
  auto d = minimal();
  d.local_parameters = "<a/><b xmlns=\"urn:b\"><c/></b>";
  d.service_parameters = "<!-- comment --><x:p xmlns:x=\"urn:x\">v</x:p>";
  BOOST_CHECK(core::validate(d));
  for (const char* bad : {"<a>", "text", "<a/>tail", "<x:y/>", "<?xml version=\"1.0\"?><a/>",
                          "<a/></b>", "<!DOCTYPE a><a/>"}) {
    BOOST_TEST_CONTEXT(bad) {
      d = minimal();
      d.local_parameters = bad;
      expect(d, errc::invalid_parameters, "local_parameters");
      d = minimal();
      d.service_parameters = bad;
      expect(d, errc::invalid_parameters, "service_parameters");
    }
  }
}

BOOST_AUTO_TEST_CASE(username) {
  auto d = minimal();
  d.username.emplace();
  expect(d, errc::invalid_description, "username");
  d.username->username = "alice";
  BOOST_CHECK(core::validate(d));
  d.username->username = "al\x01ice";
  expect(d, errc::invalid_description, "control");
  d.username->username = "alice";
  const std::string pw = "pa\x7fss";
  d.username->password =
      crypto::secure_bytes(reinterpret_cast<const std::uint8_t*>(pw.data()), pw.size());
  expect(d, errc::invalid_description, "control");
  d.username->password = crypto::secure_bytes();
  d.username->username = "al\xE9";  // Latin-1, not UTF-8
  expect(d, errc::invalid_description, "UTF-8");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rst_writer)

BOOST_AUTO_TEST_CASE(actions_and_request_types) {
  auto d = minimal();
  BOOST_CHECK_EQUAL(core::rst_action(d), "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue");
  d.trust = core::trust_version::v1_3;
  BOOST_CHECK_EQUAL(core::rst_action(d),
                    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue");
  d.action = core::request_action::new_context;
  BOOST_CHECK_EQUAL(core::rst_action(d),
                    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/SCT");
  auto r = renew();
  BOOST_CHECK_EQUAL(core::rst_action(r),
                    "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/SCT/Renew");
  const std::string s = write(r);
  BOOST_CHECK(contains(s, "<t:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Renew<"));
  BOOST_CHECK(contains(s,
                       "<o:Reference URI=\"urn:uuid:ctx\" ValueType=\"http://schemas.xmlsoap."
                       "org/ws/2005/02/sc/sct\"/>"));
  core::fixed_environment env;
  auto w = core::write_rst(r, env);
  BOOST_REQUIRE(w);
  BOOST_CHECK(w->message.soap == core::soap_version::soap12);
  BOOST_CHECK_EQUAL(w->message.action, core::rst_action(r));
}

BOOST_AUTO_TEST_CASE(envelope_versions_and_optional_headers) {
  auto d = minimal();
  std::string s = write(d);
  BOOST_CHECK(contains(s, "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""));
  BOOST_CHECK(contains(s, "xmlns:a=\"http://www.w3.org/2005/08/addressing\""));
  BOOST_CHECK(!contains(s, "ReplyTo"));
  BOOST_CHECK(!contains(s, "<o:Security"));
  BOOST_CHECK(!contains(s, "KeyType") && !contains(s, "KeySize") && !contains(s, "Entropy"));
  BOOST_CHECK(!contains(s, "TokenType") && !contains(s, "AppliesTo"));
  d.soap = core::soap_version::soap11;
  d.addressing = core::addressing_version::aug2004;
  s = write(d);
  BOOST_CHECK(contains(s, "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""));
  BOOST_CHECK(contains(s,
                       "<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/"
                       "addressing/role/anonymous</a:Address></a:ReplyTo>"));
}

BOOST_AUTO_TEST_CASE(escaping) {
  auto d = minimal();
  d.sts_address = "https://sts.contoso.test/trust?a=1&b=<2>";
  d.applies_to = "urn:app:&";
  d.username.emplace();
  d.username->username = "a&b";
  const std::string pw = "<&>\"'";
  d.username->password =
      crypto::secure_bytes(reinterpret_cast<const std::uint8_t*>(pw.data()), pw.size());
  const std::string s = write(d);
  BOOST_CHECK(contains(s,
                       "<a:To s:mustUnderstand=\"1\">https://sts.contoso.test/trust?a=1&amp;"
                       "b=&lt;2&gt;</a:To>"));
  BOOST_CHECK(contains(s, "<a:Address>urn:app:&amp;</a:Address>"));
  BOOST_CHECK(contains(s, "<o:Username>a&amp;b</o:Username>"));
  BOOST_CHECK(contains(s, ">&lt;&amp;&gt;\"'</o:Password>"));
}

BOOST_AUTO_TEST_CASE(entropy_size_follows_key_size) {
  auto d = minimal();
  d.entropy = core::key_entropy::combined;
  for (std::uint32_t bits : {8u, 128u, 256u, 1024u}) {
    d.key_size_bits = bits;
    core::fixed_environment env;
    auto w = core::write_rst(d, env);
    BOOST_REQUIRE(w);
    BOOST_CHECK_EQUAL(w->pending.client_entropy.size(), bits / 8);
    BOOST_CHECK(contains(w->message.bytes, crypto::base64_encode(w->pending.client_entropy)));
    BOOST_CHECK(contains(w->message.bytes, "<t:KeySize>" + std::to_string(bits) + "<"));
  }
  d.key_size_bits.reset();
  core::fixed_environment env;
  auto w = core::write_rst(d, env);
  BOOST_REQUIRE(w);
  BOOST_CHECK_EQUAL(w->pending.client_entropy.size(), 32u);
  d.entropy = core::key_entropy::server_only;
  w = core::write_rst(d, env);
  BOOST_REQUIRE(w);
  BOOST_CHECK(w->pending.client_entropy.empty());
  BOOST_CHECK(!contains(w->message.bytes, "Entropy"));
}

BOOST_AUTO_TEST_CASE(environment_draws) {
  auto d = minimal();
  d.entropy = core::key_entropy::client_only;
  d.key_size_bits = 24;
  d.username.emplace();
  d.username->username = "u";
  core::fixed_environment env(core::parse_xsd_datetime("1999-12-31T23:58:00.007Z")->to_time_point(),
                              0xfe);
  env.queue_message_id("urn:uuid:first");
  const std::string s = write(d, env);
  BOOST_CHECK(contains(s, "<a:MessageID>urn:uuid:first</a:MessageID>"));
  BOOST_CHECK(contains(s, "Context=\"urn:uuid:00000000-0000-4000-8000-000000000001\""));
  BOOST_CHECK(contains(s, ">" + crypto::base64_encode(crypto::bytes{0xfe, 0xff, 0x00}) + "<"));
  BOOST_CHECK(contains(s,
                       "<u:Created>1999-12-31T23:58:00.007Z</u:Created>"
                       "<u:Expires>2000-01-01T00:03:00.007Z</u:Expires>"));
}

BOOST_AUTO_TEST_CASE(service_parameters_by_trust_version) {
  auto d = minimal();
  d.local_parameters = "<l:a xmlns:l=\"urn:l\"/>";
  d.service_parameters = "<x:b xmlns:x=\"urn:x\"/>";
  std::string s = write(d);
  BOOST_CHECK(contains(s, "<l:a xmlns:l=\"urn:l\"/><x:b xmlns:x=\"urn:x\"/></t:Request"));
  BOOST_CHECK(!contains(s, "SecondaryParameters"));
  d.trust = core::trust_version::v1_3;
  s = write(d);
  BOOST_CHECK(contains(s,
                       "<l:a xmlns:l=\"urn:l\"/><t:SecondaryParameters><x:b xmlns:x=\"urn:x\"/>"
                       "</t:SecondaryParameters></t:Request"));
}

BOOST_AUTO_TEST_CASE(unattached_reference_without_declaration) {
  auto d = renew();
  const std::string ref =
      "<o:SecurityTokenReference xmlns:o=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-"
      "wss-wssecurity-secext-1.0.xsd\"><o:Reference URI=\"urn:uuid:ctx\"/>"
      "</o:SecurityTokenReference>";
  d.existing->unattached_reference = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n" + ref + "\n";
  const std::string s = write(d);
  BOOST_CHECK(contains(s, "<t:RenewTarget>" + ref + "</t:RenewTarget>"));
}

BOOST_AUTO_TEST_SUITE_END()
