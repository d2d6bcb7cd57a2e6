// The RSTR reader against real STS traffic in tests/vectors/captured (origins: see
// tests/vectors/README.md; each file's origin line is repeated where it is used).
#include "test_support.hpp"

#include <wst/core/errors.hpp>
#include <wst/core/negotiation.hpp>
#include <wst/core/rstr_reader.hpp>
#include <wst/xml/c14n.hpp>
#include <wst/xml/reader.hpp>

#include <boost/test/unit_test.hpp>

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;
namespace xml = wst::detail::xml;
using wst::test::read_file;
using wst::test::vectors_dir;

namespace {

std::string captured(const std::string& name) {
  return read_file(vectors_dir() + "/captured/" + name);
}

std::string between(const std::string& s, const std::string& open, const std::string& close) {
  const auto b = s.find(open);
  const auto e = s.find(close, b);
  BOOST_REQUIRE(b != std::string::npos && e != std::string::npos);
  return s.substr(b, e + close.size() - b);
}

core::request_description adfs_description(core::trust_version v) {
  core::request_description d;
  d.sts_address = "https://fs.naturalcauses.com/adfs/services/trust/13/usernamemixed";
  d.soap = core::soap_version::soap12;
  d.addressing = core::addressing_version::v1_0;
  d.trust = v;
  d.applies_to = "urn:federation:MicrosoftOnline";
  d.key = core::key_type::none;
  d.bearer_version = core::bearer_key_type_version::errata_01;
  return d;
}

core::pending_request any_pending() {
  core::pending_request p;
  p.message_id = "urn:uuid:00000000-0000-4000-8000-000000000001";
  p.context = "urn:uuid:00000000-0000-4000-8000-000000000002";
  return p;
}

std::string hex(const crypto::secure_bytes& b) { return crypto::hex_encode(b); }

}  // namespace

BOOST_AUTO_TEST_SUITE(captures)

// Origin: AzureAD/azure-activedirectory-library-for-nodejs test/wstrust/common.rstr.xml
// (Apache-2.0): a real ADFS WS-Trust 1.3 reply, RSTRC/IssueFinal, SAML 1.1, signature valid.
BOOST_AUTO_TEST_CASE(adfs_wst13_token_is_kept_byte_for_byte) {
  const std::string reply = captured("adfs-wst13-soap12-saml11-bearer-SIGVALID.xml");
  const auto d = adfs_description(core::trust_version::v1_3);
  auto tok = core::read_rstr(reply, d, any_pending());
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  // The assertion declares every prefix it uses itself, so lifting carries nothing: the
  // token is exactly the bytes of the capture (and its signature keeps verifying).
  const std::string original = between(reply, "<saml:Assertion ", "</saml:Assertion>");
  BOOST_CHECK(tok->xml == original);
  BOOST_CHECK_EQUAL(tok->token_type, "urn:oasis:names:tc:SAML:1.0:assertion");
  BOOST_CHECK(tok->key == core::key_type::none);
  BOOST_CHECK(tok->proof_key.empty());
  BOOST_CHECK_EQUAL(tok->key_size_bits, 0u);
  BOOST_REQUIRE(tok->valid_from && tok->valid_till);
  BOOST_CHECK_EQUAL(tok->valid_from->to_string(), "2014-01-27T08:15:45.003Z");
  BOOST_CHECK_EQUAL(tok->valid_till->to_string(), "2014-01-27T09:15:45.003Z");
  const std::string attached = between(
      between(reply, "<trust:RequestedAttachedReference>", "</trust:RequestedAttachedReference>"),
      "<o:SecurityTokenReference", "</o:SecurityTokenReference>");
  BOOST_CHECK(tok->attached_reference == attached);
  BOOST_CHECK(!tok->unattached_reference.empty());
  BOOST_CHECK(tok->context_id.empty());
}

BOOST_AUTO_TEST_CASE(adfs_wst13_answers_a_request_without_key_type_too) {
  auto d = adfs_description(core::trust_version::v1_3);
  d.key.reset();
  auto tok =
      core::read_rstr(captured("adfs-wst13-soap12-saml11-bearer-SIGVALID.xml"), d, any_pending());
  BOOST_REQUIRE(tok);
  BOOST_CHECK(tok->key == core::key_type::none);
}

BOOST_AUTO_TEST_CASE(adfs_bearer_reply_to_a_symmetric_request_is_refused) {
  auto d = adfs_description(core::trust_version::v1_3);
  d.key = core::key_type::symmetric;
  auto tok =
      core::read_rstr(captured("adfs-wst13-soap12-saml11-bearer-SIGVALID.xml"), d, any_pending());
  BOOST_REQUIRE(!tok);
  BOOST_CHECK(tok.error().code == core::errc::key_type_mismatch);
  BOOST_CHECK_NE(tok.error().message.find("ws-trust/200512/Bearer"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(adfs_wst13_issue_final_does_not_answer_feb2005) {
  auto tok = core::read_rstr(captured("adfs-wst13-soap12-saml11-bearer-SIGVALID.xml"),
                             adfs_description(core::trust_version::feb2005), any_pending());
  BOOST_REQUIRE(!tok);
  BOOST_CHECK(tok.error().code == core::errc::action_mismatch);
  BOOST_TEST_MESSAGE(tok.error().describe());
}

// Origin: same repository, test/wstrust/RSTR.xml: the ADFS 1.3 reply re-indented.
BOOST_AUTO_TEST_CASE(adfs_wst13_prettyprinted_parses) {
  const std::string reply = captured("adfs-wst13-soap12-saml11-bearer-prettyprinted.xml");
  auto tok = core::read_rstr(reply, adfs_description(core::trust_version::v1_3), any_pending());
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  BOOST_CHECK(tok->xml == between(reply, "<saml:Assertion ", "</saml:Assertion>"));
}

// Origin: same repository, test/wstrust/RSTR2005.xml: ADFS Feb 2005 bare RSTR with a BOM and
// an XML declaration.
BOOST_AUTO_TEST_CASE(adfs_wst2005_with_bom_and_declaration) {
  const std::string reply = captured("adfs-wst2005-soap12-saml11-prettyprinted.xml");
  BOOST_REQUIRE(reply.compare(0, 3, "\xEF\xBB\xBF") == 0);
  auto tok = core::read_rstr(reply, adfs_description(core::trust_version::feb2005), any_pending());
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  BOOST_CHECK(tok->xml == between(reply, "<saml:Assertion ", "</saml:Assertion>"));
  BOOST_CHECK_EQUAL(tok->token_type, "urn:oasis:names:tc:SAML:1.0:assertion");
  BOOST_CHECK(tok->key == core::key_type::none);
  BOOST_CHECK_EQUAL(tok->valid_from->to_string(), "2015-07-31T05:45:47.269Z");
  BOOST_CHECK_EQUAL(tok->valid_till->to_string(), "2015-07-31T06:45:47.269Z");
}

BOOST_AUTO_TEST_CASE(adfs_wst2005_reply_does_not_answer_1_3) {
  auto tok = core::read_rstr(captured("adfs-wst2005-soap12-saml11-prettyprinted.xml"),
                             adfs_description(core::trust_version::v1_3), any_pending());
  BOOST_REQUIRE(!tok);
  BOOST_CHECK(tok.error().code == core::errc::action_mismatch);
  BOOST_CHECK_NE(tok.error().message.find("February 2005"), std::string::npos);
}

// Origin: same repository, an older test/wstrust/RSTR13.xml (synthetic 1.3 reply: To header,
// no KeyType, reference mismatch inside the signature - irrelevant to the reader).
BOOST_AUTO_TEST_CASE(synthetic_wst13) {
  const std::string reply = captured("synthetic-wst13-saml11-refmismatch.xml");
  auto d = adfs_description(core::trust_version::v1_3);
  d.key.reset();
  auto tok = core::read_rstr(reply, d, any_pending());
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  BOOST_CHECK(tok->xml == between(reply, "<saml:Assertion ", "</saml:Assertion>"));
  BOOST_CHECK_EQUAL(tok->token_type,
                    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1");
  BOOST_CHECK(tok->key == core::key_type::none);
  BOOST_CHECK_EQUAL(tok->valid_from->to_string(), "2016-07-02T03:10:00.44Z");
  BOOST_CHECK(tok->unattached_reference.empty());
  // The attached reference uses prefixes declared on itself: lifted == raw.
  BOOST_CHECK(tok->attached_reference == between(reply,
                                                 "<wsse:SecurityTokenReference wsse11:TokenType",
                                                 "</wsse:SecurityTokenReference>"));
}

// Origin: CoreWCF/CoreWCF Documentation/DesignDocs/transport_message_cred_using_cert.md (MIT):
// block 1 (the RST/SCT with client entropy), block 2 (its RSTR with ComputedKey) and block 3
// (the next request, HMAC-SHA1 signed with the resulting key); psha1/corewcf-sct-psha1-key.bin
// is that key.
BOOST_AUTO_TEST_CASE(corewcf_sct_computed_key_end_to_end) {
  const std::string rst_capture = captured("wcf-sct-rst2005-x509signed-entropy.xml");
  const std::string entropy_b64 = "1TmBzNeSMhkxqHU+yWuwplJDS7NejEdnFlgRbGPyAOI=";
  BOOST_REQUIRE(rst_capture.find(entropy_b64) != std::string::npos);
  auto entropy = crypto::base64_decode(entropy_b64);
  BOOST_REQUIRE(entropy);

  core::request_description d;
  d.sts_address = "https://localhost:60867/WSHttpWcfService/basichttp.svc";
  d.soap = core::soap_version::soap12;
  d.addressing = core::addressing_version::v1_0;
  d.trust = core::trust_version::feb2005;
  d.action = core::request_action::new_context;
  d.key_size_bits = 256;
  d.entropy = core::key_entropy::combined;

  core::fixed_environment env;
  env.queue_message_id("urn:uuid:11048819-ca8b-4cc3-8054-ab18ff4abef3");  // the capture's
  env.queue_random(*entropy);
  core::negotiation n(d, env);
  auto out = n.start();
  BOOST_REQUIRE(out);
  BOOST_CHECK_EQUAL(out->action, "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/SCT");
  BOOST_CHECK(out->bytes.find(entropy_b64) != std::string::npos);
  BOOST_CHECK(out->bytes.find("<a:MessageID>urn:uuid:11048819-ca8b-4cc3-8054-ab18ff4abef3<") !=
              std::string::npos);

  const std::string reply = captured("corewcf-sct-rstr2005-computedkey-psha1.xml");
  auto tok = n.on_reply(reply);
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  const std::string key = read_file(vectors_dir() + "/psha1/corewcf-sct-psha1-key.bin");
  BOOST_CHECK_EQUAL(hex(tok->proof_key),
                    crypto::hex_encode(crypto::byte_view(std::string_view(key))));
  BOOST_CHECK(tok->key == core::key_type::symmetric);
  BOOST_CHECK_EQUAL(tok->key_size_bits, 256u);
  BOOST_CHECK_EQUAL(tok->token_type, "http://schemas.xmlsoap.org/ws/2005/02/sc/sct");
  BOOST_CHECK_EQUAL(tok->context_id, "urn:uuid:40859149-0ab7-4ee2-a7cc-22bc21adfe08");
  BOOST_CHECK_EQUAL(tok->valid_from->to_string(), "2024-02-14T02:06:53.311Z");
  BOOST_CHECK_EQUAL(tok->valid_till->to_string(), "2024-02-14T17:06:53.311Z");
  // u:Id's prefix is declared on the RSTR: lifting carries it onto the token.
  const std::string raw = between(reply, "<c:SecurityContextToken", "</c:SecurityContextToken>");
  const std::string name = "<c:SecurityContextToken";
  const std::string lifted =
      name +
      " xmlns:u=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-"
      "1.0.xsd\"" +
      raw.substr(name.size());
  BOOST_CHECK_EQUAL(tok->xml, lifted);

  // The client's next message (block 3) is signed HMAC-SHA1 with exactly this key.
  const std::string echo = captured("wcf-sct-echo-hmacsha1-SIGVALID.xml");
  auto doc = xml::parse(echo);
  BOOST_REQUIRE(doc);
  const std::string_view ds = "http://www.w3.org/2000/09/xmldsig#";
  const std::string_view wsse =
      "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
  const auto sig = doc->root()
                       .child("http://www.w3.org/2003/05/soap-envelope", "Header")
                       .child(wsse, "Security")
                       .child(ds, "Signature");
  BOOST_REQUIRE(sig);
  auto signed_info = xml::exclusive_c14n(sig.child(ds, "SignedInfo"));
  BOOST_REQUIRE(signed_info);
  const auto mac = crypto::hmac_sha1(tok->proof_key, *signed_info);
  std::string value = sig.child(ds, "SignatureValue").text();
  BOOST_CHECK_EQUAL(crypto::base64_encode(crypto::byte_view(mac.data(), mac.size())), value);
}

// Origin: same document, block 6: the RSTR to an SCT cancel.
BOOST_AUTO_TEST_CASE(corewcf_cancel_reply_is_not_an_issue_response) {
  core::request_description d;
  d.sts_address = "https://localhost:60867/WSHttpWcfService/basichttp.svc";
  d.action = core::request_action::new_context;
  d.entropy = core::key_entropy::combined;
  auto pending = any_pending();
  pending.message_id = "urn:uuid:3856fb84-ac4a-471e-9764-a47d3fa3ed5f";  // its RelatesTo
  pending.client_entropy = crypto::secure_bytes(32);
  auto tok = core::read_rstr(captured("corewcf-sct-cancel-rstr2005.xml"), d, pending);
  BOOST_REQUIRE(!tok);
  BOOST_CHECK(tok.error().code == core::errc::not_issuance_response);
  BOOST_TEST_MESSAGE(tok.error().describe());
}

// Origin: AzureAD/microsoft-authentication-library-for-java token-error.xml (MIT): an ADFS
// SOAP 1.2 fault, subcode a:RequestFailed, reason MSIS3127 with trailing whitespace.
BOOST_AUTO_TEST_CASE(adfs_soap12_fault) {
  core::fixed_environment env;
  core::negotiation n(adfs_description(core::trust_version::v1_3), env);
  BOOST_REQUIRE(n.start());
  auto tok = n.on_reply(captured("adfs-soap12-fault-requestfailed.xml"));
  BOOST_REQUIRE(!tok);
  BOOST_CHECK(tok.error().code == core::errc::fault_received);
  BOOST_CHECK_EQUAL(tok.error().message,
                    "s:Sender / a:RequestFailed: MSIS3127: The specified request failed.");
  BOOST_CHECK(!core::is_retryable(tok.error().code));
  BOOST_REQUIRE(n.fault());
  const core::soap_fault& f = *n.fault();
  BOOST_CHECK(f.version == core::soap_version::soap12);
  BOOST_CHECK_EQUAL(f.code, "s:Sender");
  BOOST_CHECK_EQUAL(f.code_namespace, "http://www.w3.org/2003/05/soap-envelope");
  BOOST_CHECK_EQUAL(f.subcode, "a:RequestFailed");
  BOOST_CHECK_EQUAL(f.subcode_namespace, "http://docs.oasis-open.org/ws-sx/ws-trust/200512");
  BOOST_CHECK_EQUAL(f.reason, "MSIS3127: The specified request failed.");
  BOOST_CHECK(f.detail.empty());
  BOOST_CHECK(!f.receiver_fault());
  BOOST_CHECK(n.current_state() == core::negotiation::state::failed);
}

// Origin: same document as the CoreWCF RSTR, block 3: an application request, not an RSTR.
BOOST_AUTO_TEST_CASE(an_application_message_is_not_a_token_response) {
  core::request_description d;
  d.sts_address = "https://localhost:60867/WSHttpWcfService/basichttp.svc";
  auto tok = core::read_rstr(captured("wcf-sct-echo-hmacsha1-SIGVALID.xml"), d, any_pending());
  BOOST_REQUIRE(!tok);
  // Its Security header carries an SCT and a signature (accepted); the echo action does
  // not answer RST/Issue.
  BOOST_CHECK(tok.error().code == core::errc::action_mismatch);
}

BOOST_AUTO_TEST_SUITE_END()
