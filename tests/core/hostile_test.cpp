// Malformed and hostile replies: each must fail with its own precise error, never crash and
// never yield a partial token. A valid base reply is mutated one way per test (the mutation
// helper insists that the text it replaces is there, so no test can pass by not mutating).
#include "case_description.hpp"
#include "test_support.hpp"

#include <wst/core/errors.hpp>
#include <wst/core/rst_writer.hpp>
#include <wst/core/rstr_reader.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;
using core::errc;

namespace {

const std::string soap12 = "http://www.w3.org/2003/05/soap-envelope";
const std::string soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
const std::string wsa10 = "http://www.w3.org/2005/08/addressing";
const std::string wsa2004 = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
const std::string t13 = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
const std::string t05 = "http://schemas.xmlsoap.org/ws/2005/02/trust";
const std::string wsu =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const std::string wsse =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const std::string message_id = "urn:uuid:6e1f7a8c-0000-4000-8000-00000000aaaa";
const std::string context = "urn:uuid:6e1f7a8c-0000-4000-8000-00000000bbbb";

std::string b64(std::uint8_t first, std::size_t n) {
  crypto::bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(first + i);
  return crypto::base64_encode(b);
}

// A WS-Trust 1.3 issue request: symmetric key, combined entropy, 256 bits.
core::request_description request13() {
  core::request_description d;
  d.sts_address = "https://sts.contoso.test/trust/13";
  d.trust = core::trust_version::v1_3;
  d.key = core::key_type::symmetric;
  d.key_size_bits = 256;
  d.entropy = core::key_entropy::combined;
  return d;
}

core::pending_request pending() {
  core::pending_request p;
  p.message_id = message_id;
  p.context = context;
  crypto::bytes e(32);
  for (std::size_t i = 0; i < 32; ++i) e[i] = static_cast<std::uint8_t>(i);
  p.client_entropy = crypto::secure_bytes(e.data(), e.size());
  return p;
}

const std::string token =
    "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_t1\" "
    "Version=\"2.0\"><saml:Issuer>https://sts.contoso.test/</saml:Issuer></saml:Assertion>";

// The valid base: its proof key is P_SHA1(00..1f, 20..3f) = DF5913... (PROTOCOL.md).
std::string base_reply() {
  return "<s:Envelope xmlns:s=\"" + soap12 + "\" xmlns:a=\"" + wsa10 +
         "\"><s:Header><a:Action s:mustUnderstand=\"1\">" + t13 +
         "/RSTRC/IssueFinal</a:Action><a:RelatesTo>" + message_id +
         "</a:RelatesTo></s:Header><s:Body><t:RequestSecurityTokenResponseCollection "
         "xmlns:t=\"" +
         t13 + "\"><t:RequestSecurityTokenResponse Context=\"" + context +
         "\"><t:TokenType>urn:oasis:names:tc:SAML:2.0:assertion</t:TokenType>"
         "<t:RequestedSecurityToken>" +
         token +
         "</t:RequestedSecurityToken>"
         "<t:RequestedAttachedReference><o:SecurityTokenReference xmlns:o=\"" +
         wsse +
         "\"><o:KeyIdentifier>_t1</o:KeyIdentifier></o:SecurityTokenReference>"
         "</t:RequestedAttachedReference><t:RequestedProofToken><t:ComputedKey>" +
         t13 +
         "/CK/PSHA1</t:ComputedKey></t:RequestedProofToken><t:Entropy><t:BinarySecret Type=\"" +
         t13 + "/Nonce\">" + b64(0x20, 32) +
         "</t:BinarySecret></t:Entropy><t:Lifetime>"
         "<u:Created xmlns:u=\"" +
         wsu +
         "\">2024-02-14T02:05:51.482Z</u:Created>"
         "<u:Expires xmlns:u=\"" +
         wsu +
         "\">2024-02-14T03:05:51.482Z</u:Expires></t:Lifetime>"
         "<t:KeySize>256</t:KeySize><t:KeyType>" +
         t13 +
         "/SymmetricKey</t:KeyType>"
         "</t:RequestSecurityTokenResponse></t:RequestSecurityTokenResponseCollection>"
         "</s:Body></s:Envelope>";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "mutation target not found: " << from);
  return s.replace(at, from.size(), to);
}

std::string remove(const std::string& s, const std::string& what) { return replace(s, what, ""); }

// The text between (and including) the first `open...` and its `close`.
std::string element(const std::string& s, const std::string& open, const std::string& close) {
  const auto b = s.find(open);
  const auto e = s.find(close, b);
  BOOST_REQUIRE(b != std::string::npos && e != std::string::npos);
  return s.substr(b, e + close.size() - b);
}

wst::detail::failure expect_failure(const std::string& reply, errc code,
                                    const core::request_description& d = request13(),
                                    core::soap_fault* fault = nullptr) {
  auto r = core::read_rstr(reply, d, pending(), {}, fault);
  BOOST_REQUIRE_MESSAGE(!r,
                        "expected " << core::make_error_code(code).message() << ", got a token");
  BOOST_CHECK_MESSAGE(r.error().code == code, "expected '" << core::make_error_code(code).message()
                                                           << "', got '" << r.error().describe()
                                                           << "'");
  BOOST_TEST_MESSAGE(r.error().describe());
  return r.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile)

BOOST_AUTO_TEST_CASE(base_reply_is_valid) {
  auto tok = core::read_rstr(base_reply(), request13(), pending());
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  BOOST_CHECK_EQUAL(crypto::hex_encode(tok->proof_key),
                    "df59132c2af6d230e4337732076a14561694be12838cc00203d63c816653d75b");
  BOOST_CHECK_EQUAL(tok->xml, token);
}

// ---- XML --------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(xml_errors) {
  expect_failure("", errc::malformed_xml);
  expect_failure("not xml at all", errc::malformed_xml);
  expect_failure("<!DOCTYPE s [<!ENTITY x \"y\">]>" + base_reply(), errc::malformed_xml);
  expect_failure(base_reply() + "<extra/>", errc::malformed_xml);
  std::string big =
      replace(base_reply(), "<saml:Issuer>", "<saml:Issuer>" + std::string(70000, 'a'));
  expect_failure(big, errc::xml_limit_exceeded);
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<x>";
  for (int i = 0; i < 40; ++i) deep += "</x>";
  expect_failure(replace(base_reply(), "<saml:Issuer>", deep + "<saml:Issuer>"),
                 errc::xml_limit_exceeded);
  // A caller-chosen, smaller limit applies too.
  wst::detail::xml::limits small;
  small.max_bytes = 1000;
  auto r = core::read_rstr(base_reply(), request13(), pending(), small);
  BOOST_REQUIRE(!r);
  BOOST_CHECK(r.error().code == errc::xml_limit_exceeded);
}

BOOST_AUTO_TEST_CASE(every_truncation_of_every_reply_fails) {
  std::vector<std::pair<std::string, core::request_description>> replies;
  replies.emplace_back(base_reply(), request13());
  std::size_t prefixes = 0;
  for (const auto& e : std::filesystem::directory_iterator(wst::test::data_dir())) {
    if (!e.is_directory()) continue;
    auto c = wst::test::load_case(e.path().string());
    core::fixed_environment env(c.now, c.rng_first_byte);
    auto written = core::write_rst(c.description, env);
    BOOST_REQUIRE(written);
    const std::string reply = wst::test::read_file(e.path().string() + "/response.xml");
    BOOST_REQUIRE(core::read_rstr(reply, c.description, written->pending));
    const std::size_t end = reply.find_last_of('>') + 1;
    for (std::size_t i = 0; i < end; ++i) {
      auto r =
          core::read_rstr(std::string_view(reply).substr(0, i), c.description, written->pending);
      BOOST_REQUIRE_MESSAGE(!r, e.path().filename() << " truncated at " << i << " gave a token");
      ++prefixes;
    }
  }
  for (const char* name :
       {"adfs-wst13-soap12-saml11-bearer-SIGVALID.xml",
        "adfs-wst2005-soap12-saml11-prettyprinted.xml",
        "corewcf-sct-rstr2005-computedkey-psha1.xml", "adfs-soap12-fault-requestfailed.xml"}) {
    const std::string reply = wst::test::read_file(wst::test::vectors_dir() + "/captured/" + name);
    const std::size_t end = reply.find_last_of('>') + 1;
    for (std::size_t i = 0; i < end; ++i) {
      auto r = core::read_rstr(std::string_view(reply).substr(0, i), request13(), pending());
      BOOST_REQUIRE_MESSAGE(!r, name << " truncated at " << i << " gave a token");
      BOOST_REQUIRE(r.error().code == errc::malformed_xml);
      ++prefixes;
    }
  }
  BOOST_TEST_MESSAGE(prefixes << " truncated replies refused");
}

// Every byte of every transcript reply overwritten in turn: never a crash (run under ASan
// in the asan flavour); a token only when the change is harmless.
BOOST_AUTO_TEST_CASE(overwriting_bytes_never_crashes) {
  std::size_t tokens = 0, errors = 0;
  for (const auto& e : std::filesystem::directory_iterator(wst::test::data_dir())) {
    if (!e.is_directory()) continue;
    auto c = wst::test::load_case(e.path().string());
    core::fixed_environment env(c.now, c.rng_first_byte);
    auto written = core::write_rst(c.description, env);
    BOOST_REQUIRE(written);
    const std::string reply = wst::test::read_file(e.path().string() + "/response.xml");
    for (std::size_t i = 0; i < reply.size(); i += 3) {
      for (char ch : {'<', '"', 'x', '\0'}) {
        std::string m = reply;
        m[i] = ch;
        auto r = core::read_rstr(m, c.description, written->pending);
        (r ? tokens : errors)++;
      }
    }
  }
  BOOST_TEST_MESSAGE(tokens << " mutated replies still valid, " << errors << " refused");
  BOOST_CHECK_GT(errors, tokens);
}

// ---- SOAP -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(envelope_errors) {
  expect_failure("<foo xmlns=\"urn:x\"/>", errc::not_soap_envelope);
  expect_failure(replace(base_reply(), "xmlns:s=\"" + soap12, "xmlns:s=\"urn:not-soap"),
                 errc::not_soap_envelope);
  expect_failure(replace(base_reply(), "xmlns:s=\"" + soap12, "xmlns:s=\"" + soap11),
                 errc::soap_version_mismatch);
  const std::string body = element(base_reply(), "<s:Body>", "</s:Body>");
  const std::string header = element(base_reply(), "<s:Header>", "</s:Header>");
  expect_failure(remove(base_reply(), body), errc::malformed_envelope);
  expect_failure(replace(base_reply(), body, body + body), errc::malformed_envelope);
  expect_failure(replace(base_reply(), header, header + header), errc::malformed_envelope);
  expect_failure(replace(remove(base_reply(), header), "</s:Body>", "</s:Body>" + header),
                 errc::malformed_envelope);
  expect_failure(replace(base_reply(), "</s:Body>", "</s:Body><x:Trailer xmlns:x=\"urn:x\"/>"),
                 errc::malformed_envelope);
  expect_failure(replace(base_reply(), "<s:Body>", "text<s:Body>"), errc::malformed_envelope);
}

BOOST_AUTO_TEST_CASE(headers) {
  expect_failure(replace(base_reply(), "</s:Header>",
                         "<x:Billing s:mustUnderstand=\"true\" xmlns:x=\"urn:x\"/></s:Header>"),
                 errc::header_not_understood);
  // Not mustUnderstand: ignored.
  BOOST_CHECK(core::read_rstr(replace(base_reply(), "</s:Header>",
                                      "<x:Billing s:mustUnderstand=\"false\" "
                                      "xmlns:x=\"urn:x\"/></s:Header>"),
                              request13(), pending()));
  expect_failure(replace(base_reply(), "xmlns:a=\"" + wsa10, "xmlns:a=\"" + wsa2004),
                 errc::addressing_version_mismatch);
  const std::string action = element(base_reply(), "<a:Action", "</a:Action>");
  expect_failure(replace(base_reply(), action, action + action), errc::malformed_envelope);
  // Whitespace around the action is trimmed (the ADFS fault capture has some).
  BOOST_CHECK(core::read_rstr(replace(base_reply(), "/RSTRC/IssueFinal<", "/RSTRC/IssueFinal\n\t<"),
                              request13(), pending()));
  // No Action at all is accepted (documented in rstr_reader.hpp).
  BOOST_CHECK(core::read_rstr(remove(base_reply(), action), request13(), pending()));
}

BOOST_AUTO_TEST_CASE(soap_faults) {
  const std::string fault12 =
      "<s:Envelope xmlns:s=\"" + soap12 +
      "\"><s:Body><s:Fault><s:Code><s:Value>s:Receiver"
      "</s:Value><s:Subcode><s:Value xmlns:t=\"" +
      t13 +
      "\">t:RequestFailed</s:Value>"
      "<s:Subcode><s:Value xmlns:x=\"urn:x\">x:Busy</s:Value></s:Subcode></s:Subcode></s:Code>"
      "<s:Reason><s:Text xml:lang=\"de\">Fehler</s:Text><s:Text xml:lang=\"en-GB\">  busy, "
      "try later\n</s:Text></s:Reason><s:Detail><x:Info xmlns:x=\"urn:x\">42</x:Info>"
      "</s:Detail></s:Fault></s:Body></s:Envelope>";
  core::soap_fault f;
  wst::detail::failure e = expect_failure(fault12, errc::fault_received, request13(), &f);
  BOOST_CHECK_EQUAL(e.message, "s:Receiver / t:RequestFailed / x:Busy: busy, try later");
  BOOST_CHECK(f.receiver_fault());
  BOOST_CHECK_EQUAL(f.subcode_namespace, "urn:x");
  BOOST_CHECK_EQUAL(f.detail, "<s:Detail xmlns:s=\"" + soap12 +
                                  "\"><x:Info xmlns:x=\"urn:x\">42</x:Info></s:Detail>");

  // SOAP 1.1: unqualified faultcode/faultstring/detail (even to a SOAP 1.2 request: the
  // fault is reported before the version check).
  const std::string fault11 =
      "<soap:Envelope xmlns:soap=\"" + soap11 +
      "\"><soap:Body><soap:Fault>"
      "<faultcode xmlns:t=\"" +
      t05 +
      "\">t:FailedAuthentication</faultcode>"
      "<faultstring xml:lang=\"en\">\n  The security token could not be authenticated.  "
      "</faultstring><detail><x:Why xmlns:x=\"urn:x\">bad password</x:Why></detail>"
      "</soap:Fault></soap:Body></soap:Envelope>";
  e = expect_failure(fault11, errc::fault_received, request13(), &f);
  BOOST_CHECK_EQUAL(e.message,
                    "t:FailedAuthentication: The security token could not be authenticated.");
  BOOST_CHECK(f.version == core::soap_version::soap11);
  BOOST_CHECK_EQUAL(f.code_namespace, t05);
  BOOST_CHECK(f.subcode.empty());
  BOOST_CHECK(!f.receiver_fault());
  BOOST_CHECK_EQUAL(f.detail, "<detail><x:Why xmlns:x=\"urn:x\">bad password</x:Why></detail>");

  const std::string server11 = replace(fault11, "t:FailedAuthentication", "soap:Server");
  expect_failure(server11, errc::fault_received, request13(), &f);
  BOOST_CHECK(f.receiver_fault());
  // An empty fault still reports a fault.
  e = expect_failure("<s:Envelope xmlns:s=\"" + soap12 +
                         "\"><s:Body><s:Fault/></s:Body>"
                         "</s:Envelope>",
                     errc::fault_received);
  BOOST_CHECK_EQUAL(e.message, "(no fault code)");
}

// ---- WS-Addressing and the trust version --------------------------------------------------

BOOST_AUTO_TEST_CASE(relates_to) {
  auto e = expect_failure(
      replace(base_reply(), message_id + "</a:RelatesTo>", "urn:uuid:someone-else</a:RelatesTo>"),
      errc::relates_to_mismatch);
  BOOST_CHECK(core::is_retryable(e.code));
  // Absent: accepted. A non-reply relationship is not a correlation: ignored.
  const std::string rel = element(base_reply(), "<a:RelatesTo>", "</a:RelatesTo>");
  BOOST_CHECK(core::read_rstr(remove(base_reply(), rel), request13(), pending()));
  BOOST_CHECK(
      core::read_rstr(replace(base_reply(), rel,
                              "<a:RelatesTo RelationshipType=\"urn:x:other\">urn:x</a:RelatesTo>"),
                      request13(), pending()));
}

BOOST_AUTO_TEST_CASE(actions) {
  const std::string final13 = t13 + "/RSTRC/IssueFinal";
  expect_failure(replace(base_reply(), final13, t05 + "/RSTR/Issue"), errc::action_mismatch);
  expect_failure(replace(base_reply(), final13, t13 + "/RSTR/SCT"), errc::action_mismatch);
  expect_failure(replace(base_reply(), final13, "urn:wrong"), errc::action_mismatch);
  expect_failure(replace(base_reply(), final13, t13 + "/RSTR/SCT/Cancel"),
                 errc::not_issuance_response);
  // The 1.3 RSTR/Issue twin is accepted for issue.
  BOOST_CHECK(
      core::read_rstr(replace(base_reply(), final13, t13 + "/RSTR/Issue"), request13(), pending()));
}

BOOST_AUTO_TEST_CASE(trust_namespace_mismatch) {
  const std::string action = element(base_reply(), "<a:Action", "</a:Action>");
  expect_failure(replace(remove(base_reply(), action), "xmlns:t=\"" + t13, "xmlns:t=\"" + t05),
                 errc::trust_version_mismatch);
}

// ---- the body -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(body_errors) {
  const std::string body = element(base_reply(), "<s:Body>", "</s:Body>");
  const std::string rstrc = element(base_reply(), "<t:RequestSecurityTokenResponseCollection",
                                    "</t:RequestSecurityTokenResponseCollection>");
  const std::string rstr = element(base_reply(), "<t:RequestSecurityTokenResponse ",
                                   "</t:RequestSecurityTokenResponse>");
  expect_failure(replace(base_reply(), body, "<s:Body/>"), errc::unexpected_body);
  expect_failure(replace(base_reply(), body, "<s:Body>  </s:Body>"), errc::unexpected_body);
  expect_failure(replace(base_reply(), rstrc, rstrc + rstrc), errc::unexpected_body);
  expect_failure(replace(base_reply(), rstrc, "<t:RequestSecurityToken xmlns:t=\"" + t13 + "\"/>"),
                 errc::unexpected_body);
  expect_failure(replace(base_reply(), rstr, ""), errc::bad_collection_size);
  expect_failure(replace(base_reply(), rstr, rstr + rstr), errc::bad_collection_size);
  expect_failure(replace(base_reply(), rstr, rstr + "<x:Other xmlns:x=\"urn:x\"/>"),
                 errc::unexpected_body);
  // A bare RSTR (no collection) is accepted in 1.3 too.
  BOOST_CHECK(
      core::read_rstr(replace(base_reply(), rstrc,
                              replace(rstr, "<t:RequestSecurityTokenResponse ",
                                      "<t:RequestSecurityTokenResponse xmlns:t=\"" + t13 + "\" ")),
                      request13(), pending()));
}

BOOST_AUTO_TEST_CASE(tokens_outside_the_body) {
  const std::string rstr = element(base_reply(), "<t:RequestSecurityTokenResponse ",
                                   "</t:RequestSecurityTokenResponse>");
  const std::string rst_token =
      element(base_reply(), "<t:RequestedSecurityToken>", "</t:RequestedSecurityToken>");
  const std::string rstr_standalone =
      replace(rstr, "<t:RequestSecurityTokenResponse ",
              "<t:RequestSecurityTokenResponse xmlns:t=\"" + t13 + "\" ");
  expect_failure(replace(base_reply(), "</s:Header>", rstr_standalone + "</s:Header>"),
                 errc::token_outside_body);
  expect_failure(replace(base_reply(), "</s:Header>",
                         "<x:Wrapper xmlns:x=\"urn:x\" xmlns:t=\"" + t05 + "\">" + rst_token +
                             "</x:Wrapper></s:Header>"),
                 errc::token_outside_body);
  // SOAP 1.1 lets elements follow the Body; a token there is still refused.
  auto d = request13();
  d.soap = core::soap_version::soap11;
  const std::string reply11 = replace(base_reply(), "xmlns:s=\"" + soap12, "xmlns:s=\"" + soap11);
  BOOST_CHECK(core::read_rstr(reply11, d, pending()));
  expect_failure(replace(reply11, "</s:Body>", "</s:Body>" + rstr_standalone),
                 errc::token_outside_body, d);
}

// ---- the RSTR -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(multi_leg_and_other_kinds) {
  const std::string rst_token =
      element(base_reply(), "<t:RequestedSecurityToken>", "</t:RequestedSecurityToken>");
  expect_failure(replace(base_reply(), "<t:TokenType>",
                         "<t:SignChallenge><t:Challenge>abc</t:Challenge></t:SignChallenge>"
                         "<t:TokenType>"),
                 errc::challenge_not_supported);
  expect_failure(replace(base_reply(), rst_token,
                         "<t:BinaryExchange ValueType=\"urn:spnego\" EncodingType=\"urn:b64\">"
                         "YWJj</t:BinaryExchange>"),
                 errc::challenge_not_supported);
  expect_failure(replace(base_reply(), rst_token, "<t:RequestedTokenCancelled/>"),
                 errc::not_issuance_response);
  expect_failure(replace(base_reply(), rst_token,
                         "<t:Status><t:Code>" + t13 + "/status/valid</t:Code></t:Status>"),
                 errc::not_issuance_response);
  expect_failure(remove(base_reply(), rst_token), errc::missing_token);
}

BOOST_AUTO_TEST_CASE(context_must_match) {
  expect_failure(replace(base_reply(), "Context=\"" + context, "Context=\"urn:uuid:other"),
                 errc::context_mismatch);
  BOOST_CHECK(core::read_rstr(remove(base_reply(), " Context=\"" + context + "\""), request13(),
                              pending()));
}

BOOST_AUTO_TEST_CASE(token_shape) {
  const std::string rst_token =
      element(base_reply(), "<t:RequestedSecurityToken>", "</t:RequestedSecurityToken>");
  expect_failure(replace(base_reply(), rst_token, rst_token + rst_token), errc::multiple_tokens);
  expect_failure(replace(base_reply(), token, token + token), errc::multiple_tokens);
  expect_failure(replace(base_reply(), rst_token, "<t:RequestedSecurityToken/>"),
                 errc::empty_token);
  expect_failure(
      replace(base_reply(), rst_token, "<t:RequestedSecurityToken>\n  </t:RequestedSecurityToken>"),
      errc::empty_token);
  expect_failure(replace(base_reply(), rst_token,
                         "<t:RequestedSecurityToken>text only</t:RequestedSecurityToken>"),
                 errc::empty_token);
  expect_failure(replace(base_reply(), token, "junk" + token), errc::malformed_response);
}

BOOST_AUTO_TEST_CASE(sct_expected) {
  auto d = request13();
  d.action = core::request_action::new_context;
  d.secure_conversation = core::secure_conversation_version::v1_3;
  const std::string final13 = t13 + "/RSTRC/IssueFinal";
  const std::string sct_reply = replace(base_reply(), final13, t13 + "/RSTR/SCT");
  expect_failure(sct_reply, errc::unexpected_token, d);  // a SAML assertion is no SCT
  const std::string sc13 = "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512";
  const std::string sc05 = "http://schemas.xmlsoap.org/ws/2005/02/sc";
  auto sct = [](const std::string& ns, const std::string& inner) {
    return "<c:SecurityContextToken xmlns:c=\"" + ns + "\">" + inner + "</c:SecurityContextToken>";
  };
  const std::string id = "<c:Identifier>urn:uuid:ctx-1</c:Identifier>";
  auto ok = core::read_rstr(replace(sct_reply, token, sct(sc13, id)), d, pending());
  BOOST_REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().describe()));
  BOOST_CHECK_EQUAL(ok->context_id, "urn:uuid:ctx-1");
  expect_failure(replace(sct_reply, token, sct(sc05, id)), errc::unexpected_token, d);
  expect_failure(replace(sct_reply, token, sct(sc13, "")), errc::unexpected_token, d);
  expect_failure(replace(sct_reply, token, sct(sc13, id + id)), errc::unexpected_token, d);
  expect_failure(replace(sct_reply, token, sct(sc13, "<c:Identifier> </c:Identifier>")),
                 errc::unexpected_token, d);
}

BOOST_AUTO_TEST_CASE(duplicates_and_malformed_children) {
  const std::string lifetime = element(base_reply(), "<t:Lifetime>", "</t:Lifetime>");
  expect_failure(replace(base_reply(), lifetime, lifetime + lifetime), errc::duplicate_element);
  expect_failure(replace(base_reply(), "<t:KeySize>256</t:KeySize>",
                         "<t:KeySize>256</t:KeySize><t:KeySize>256</t:KeySize>"),
                 errc::duplicate_element);
  expect_failure(replace(base_reply(), "<t:TokenType>urn:oasis:names:tc:SAML:2.0:assertion<",
                         "<t:TokenType> <"),
                 errc::malformed_response);
  expect_failure(replace(base_reply(), "<t:KeySize>256<", "<t:KeySize>abc<"),
                 errc::malformed_response);
  expect_failure(replace(base_reply(), "<t:KeySize>256<", "<t:KeySize>-256<"),
                 errc::malformed_response);
  expect_failure(replace(base_reply(), "<t:KeySize>256<", "<t:KeySize>99999999999999<"),
                 errc::malformed_response);
}

BOOST_AUTO_TEST_CASE(lifetimes) {
  const std::string created = "2024-02-14T02:05:51.482Z</u:Created>";
  for (const char* bad :
       {"2024-02-30T02:05:51Z", "2024-02-14T02:05:51", "2024-02-14 02:05:51Z",
        "2024-13-01T00:00:00Z", "2024-02-14T25:00:00Z", "0000-01-01T00:00:00Z",
        "2024-02-14T02:05:51.Z", "2024-02-14T02:05:51+15:00", "2024-02-14T02:05:51Z trailing", "",
        "24-02-14T02:05:51Z", "2024-02-14T02:05:60Z", "2023-02-29T00:00:00Z"}) {
    BOOST_TEST_CONTEXT(bad) {
      expect_failure(replace(base_reply(), created, std::string(bad) + "</u:Created>"),
                     errc::bad_lifetime);
    }
  }
  // Expires not after Created.
  expect_failure(replace(base_reply(), created, "2024-02-14T03:05:51.482Z</u:Created>"),
                 errc::bad_lifetime);
  expect_failure(replace(base_reply(), "</t:Lifetime>", "<x:When xmlns:x=\"urn:x\"/></t:Lifetime>"),
                 errc::bad_lifetime);
  const std::string c = element(base_reply(), "<u:Created", "</u:Created>");
  expect_failure(replace(base_reply(), c, c + c), errc::bad_lifetime);
  // Whitespace around the value is XML formatting, not part of it; leap days are fine.
  auto tok = core::read_rstr(replace(base_reply(), created,
                                     "\n 2024-02-13T23:59:59.999+00:00 \n"
                                     "</u:Created>"),
                             request13(), pending());
  BOOST_REQUIRE(tok);
  BOOST_CHECK_EQUAL(tok->valid_from->to_string(), "2024-02-13T23:59:59.999Z");
  tok = core::read_rstr(
      replace(replace(base_reply(), created, "2020-02-29T24:00:00Z</u:Created>"),
              "2024-02-14T03:05:51.482Z</u:Expires>", "9999-12-31T23:59:59.9999999Z</u:Expires>"),
      request13(), pending());
  BOOST_REQUIRE(tok);
  BOOST_CHECK_EQUAL(tok->valid_from->to_string(), "2020-03-01T00:00:00Z");
  BOOST_CHECK_EQUAL(tok->valid_till->ticks, core::datetime::max_ticks);
}

BOOST_AUTO_TEST_CASE(references) {
  expect_failure(replace(base_reply(),
                         element(base_reply(), "<t:RequestedAttachedReference>",
                                 "</t:RequestedAttachedReference>"),
                         "<t:RequestedAttachedReference/>"),
                 errc::bad_reference);
  expect_failure(replace(base_reply(), "</t:RequestedAttachedReference>",
                         "<x:More xmlns:x=\"urn:x\"/></t:RequestedAttachedReference>"),
                 errc::bad_reference);
}

// ---- keys ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(key_types) {
  const std::string sym = t13 + "/SymmetricKey</t:KeyType>";
  for (const std::string& bearer :
       {t13 + "/Bearer", std::string("http://docs.oasis-open.org/ws-sx/wstrust/200512/Bearer"),
        std::string("http://docs.oasis-open.org/wssx/wstrust/200512/Bearer"),
        std::string("http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey")}) {
    expect_failure(replace(base_reply(), sym, bearer + "</t:KeyType>"), errc::key_type_mismatch);
  }
  expect_failure(replace(base_reply(), sym, t13 + "/PublicKey</t:KeyType>"),
                 errc::key_type_mismatch);
  expect_failure(replace(base_reply(), sym, "urn:unknown</t:KeyType>"), errc::key_type_mismatch);
  // A bearer request answered with key material.
  auto bearer = request13();
  bearer.key = core::key_type::none;
  bearer.key_size_bits.reset();
  bearer.entropy = core::key_entropy::server_only;
  expect_failure(base_reply(), errc::key_type_mismatch, bearer);
  const std::string proof =
      element(base_reply(), "<t:RequestedProofToken>", "</t:RequestedProofToken>");
  const std::string entropy = element(base_reply(), "<t:Entropy>", "</t:Entropy>");
  const std::string keytype = element(base_reply(), "<t:KeyType>", "</t:KeyType>");
  expect_failure(remove(remove(base_reply(), keytype), entropy), errc::key_type_mismatch, bearer);
  auto tok = core::read_rstr(remove(remove(remove(base_reply(), keytype), entropy), proof), bearer,
                             pending());
  BOOST_REQUIRE(tok);
  BOOST_CHECK(tok->key == core::key_type::none);
}

BOOST_AUTO_TEST_CASE(combined_entropy_errors) {
  const std::string ck = t13 + "/CK/PSHA1</t:ComputedKey>";
  const std::string proof =
      element(base_reply(), "<t:RequestedProofToken>", "</t:RequestedProofToken>");
  const std::string entropy = element(base_reply(), "<t:Entropy>", "</t:Entropy>");
  expect_failure(remove(base_reply(), proof), errc::missing_proof_token);
  expect_failure(replace(base_reply(), ck, t13 + "/CK/HMAC-SHA256</t:ComputedKey>"),
                 errc::unknown_computed_key_algorithm);
  expect_failure(replace(base_reply(), ck, t05 + "/CK/PSHA1</t:ComputedKey>"),
                 errc::unknown_computed_key_algorithm);
  expect_failure(remove(base_reply(), entropy), errc::malformed_proof_token);
  expect_failure(replace(base_reply(), b64(0x20, 32), "!!not base64!!"),
                 errc::malformed_proof_token);
  expect_failure(replace(base_reply(), b64(0x20, 32), ""), errc::malformed_proof_token);
  expect_failure(replace(base_reply(), t13 + "/Nonce\"", t13 + "/SymmetricKey\""),
                 errc::malformed_proof_token);
  expect_failure(replace(base_reply(), entropy,
                         "<t:Entropy><e:EncryptedKey xmlns:e=\"http://www.w3.org/2001/04/"
                         "xmlenc#\"/></t:Entropy>"),
                 errc::malformed_proof_token);
  expect_failure(replace(base_reply(), proof,
                         "<t:RequestedProofToken><t:BinarySecret>" + b64(1, 32) +
                             "</t:BinarySecret></t:RequestedProofToken>"),
                 errc::entropy_mode_mismatch);
  expect_failure(replace(base_reply(), proof, "<t:RequestedProofToken/>"),
                 errc::malformed_proof_token);
}

BOOST_AUTO_TEST_CASE(server_entropy_errors) {
  auto d = request13();
  d.entropy = core::key_entropy::server_only;
  const std::string proof =
      element(base_reply(), "<t:RequestedProofToken>", "</t:RequestedProofToken>");
  auto with_secret = [&](const std::string& attrs, const std::string& value) {
    return replace(base_reply(), proof,
                   "<t:RequestedProofToken><t:BinarySecret" + attrs + ">" + value +
                       "</t:BinarySecret></t:RequestedProofToken>");
  };
  auto tok = core::read_rstr(with_secret("", b64(0x40, 32)), d, pending());
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  BOOST_CHECK_EQUAL(crypto::hex_encode(tok->proof_key),
                    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f");
  expect_failure(base_reply(), errc::entropy_mode_mismatch, d);  // ComputedKey
  expect_failure(remove(base_reply(), proof), errc::missing_proof_token, d);
  expect_failure(with_secret("", b64(0x40, 16)), errc::key_size_mismatch, d);
  expect_failure(with_secret(" Type=\"" + t13 + "/Nonce\"", b64(0x40, 32)),
                 errc::malformed_proof_token, d);
  expect_failure(with_secret("", "%%%"), errc::malformed_proof_token, d);
  expect_failure(replace(base_reply(), proof,
                         "<t:RequestedProofToken><e:EncryptedKey xmlns:e=\"http://www.w3.org/"
                         "2001/04/xmlenc#\"/></t:RequestedProofToken>"),
                 errc::malformed_proof_token, d);
}

BOOST_AUTO_TEST_CASE(client_entropy_errors) {
  auto d = request13();
  d.entropy = core::key_entropy::client_only;
  expect_failure(base_reply(), errc::entropy_mode_mismatch, d);
  const std::string proof =
      element(base_reply(), "<t:RequestedProofToken>", "</t:RequestedProofToken>");
  const std::string entropy = element(base_reply(), "<t:Entropy>", "</t:Entropy>");
  auto tok = core::read_rstr(remove(remove(base_reply(), proof), entropy), d, pending());
  BOOST_REQUIRE(tok);
  BOOST_CHECK_EQUAL(crypto::hex_encode(tok->proof_key),
                    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  expect_failure(
      replace(remove(remove(base_reply(), proof), entropy), "<t:KeySize>256<", "<t:KeySize>128<"),
      errc::key_size_mismatch, d);
}

BOOST_AUTO_TEST_CASE(key_sizes) {
  expect_failure(replace(base_reply(), "<t:KeySize>256<", "<t:KeySize>128<"),
                 errc::key_size_mismatch);
  expect_failure(replace(base_reply(), "<t:KeySize>256<", "<t:KeySize>7<"),
                 errc::key_size_mismatch);
  expect_failure(replace(base_reply(), "<t:KeySize>256<", "<t:KeySize>0<"),
                 errc::key_size_mismatch);
  expect_failure(replace(base_reply(), "<t:KeySize>256<", "<t:KeySize>65536<"),
                 errc::key_size_mismatch);
  // Not asked: the STS's KeySize decides the combined key's length.
  auto d = request13();
  d.key_size_bits.reset();
  auto tok =
      core::read_rstr(replace(base_reply(), "<t:KeySize>256<", "<t:KeySize>512<"), d, pending());
  BOOST_REQUIRE(tok);
  BOOST_CHECK_EQUAL(tok->key_size_bits, 512u);
  BOOST_CHECK_EQUAL(crypto::hex_encode(tok->proof_key),
                    "df59132c2af6d230e4337732076a14561694be12838cc00203d63c816653d75b"
                    "a7c59ceaf7b96bbf2b9501fae4833dde8fe860b1299ae3704b19940efb8104f9");
}

BOOST_AUTO_TEST_SUITE_END()
