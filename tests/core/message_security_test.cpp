// Message security in the RST: supporting issued tokens (WS_XML_TOKEN_MESSAGE_SECURITY_BINDING,
// federation) and the proof-of-possession signature of SCT renewal.
//
// Three independent checks of every signature the core writes:
//   - xmlsec1 (Debian's xmlsec1, OpenSSL backend) verifies it with the proof key, and rejects
//     it once the Timestamp is altered or with another key;
//   - the generic exclusive c14n of sdk/xml, run on the parsed envelope, gives the same digest
//     and HMAC (so writing the canonical forms directly is equivalent);
//   - the core's canonicalization + HMAC code recomputes the signatures WCF made in the
//     captured CoreWCF exchange (tests/vectors/captured/wcf-sct-*-hmacsha1-SIGVALID.xml).
#include "case_description.hpp"
#include "test_support.hpp"

#include <wst/core/errors.hpp>
#include <wst/core/negotiation.hpp>
#include <wst/core/timestamp_signature.hpp>
#include <wst/xml/c14n.hpp>
#include <wst/xml/reader.hpp>

#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;
namespace xml = wst::detail::xml;
using core::errc;
using wst::test::read_file;
using wst::test::vectors_dir;

namespace {

const std::string soap12 = "http://www.w3.org/2003/05/soap-envelope";
const std::string soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
const std::string wsse =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const std::string wsu =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const std::string ds = "http://www.w3.org/2000/09/xmldsig#";
const std::string sc05 = "http://schemas.xmlsoap.org/ws/2005/02/sc";
const std::string sc13 = "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512";

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// A test key of n bytes, distinct per seed.
crypto::secure_bytes key_of(std::uint8_t seed, std::size_t n) {
  crypto::secure_bytes k(n);
  for (std::size_t j = 0; j < n; ++j)
    k.data()[j] = static_cast<std::uint8_t>(seed * 31 + j * 7 + 1);
  return k;
}

// ---- xmlsec1 ------------------------------------------------------------------------------

// A file under $TMPDIR, removed when the object dies.
struct temp_file {
  std::string path;
  temp_file(const void* data, std::size_t size, const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/wst-core-XXXXXX" + suffix;
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const int fd = ::mkstemps(buf.data(), static_cast<int>(std::strlen(suffix)));
    BOOST_REQUIRE(fd >= 0);
    path = buf.data();
    const ssize_t n = ::write(fd, data, size);
    ::close(fd);
    BOOST_REQUIRE_EQUAL(static_cast<std::size_t>(n), size);
  }
  ~temp_file() { ::unlink(path.c_str()); }
};

struct verdict {
  int exit_code = -1;
  std::string output;
  bool ok() const { return exit_code == 0 && contains(output, "\nOK\n"); }
};

// xmlsec1 --verify of the index-th (1-based) ds:Signature child of wsse:Security, with `key`
// as the HMAC key and wsu:Id declared as the Timestamp's ID attribute. The start node is
// chosen by XPath because a supporting SAML token carries its own ds:Signature earlier in the
// document.
verdict xmlsec_verify(const std::string& envelope, const crypto::secure_bytes& key, int index = 1) {
  temp_file doc(envelope.data(), envelope.size(), ".xml");
  temp_file k(key.data(), key.size(), ".bin");
  temp_file log("", 0, ".log");
  const std::string xpath =
      "(/*[local-name()='Envelope']/*[local-name()='Header']"
      "/*[local-name()='Security']/*[local-name()='Signature'])[" +
      std::to_string(index) + "]";
  const std::string cmd = "xmlsec1 --verify --hmackey '" + k.path + "' --id-attr:Id " + wsu +
                          ":Timestamp --node-xpath \"" + xpath + "\" '" + doc.path + "' > '" +
                          log.path + "' 2>&1";
  const int status = std::system(cmd.c_str());
  verdict v;
  v.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log.path);
  v.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  v.output.insert(0, "\n");
  return v;
}

// The envelope with the Timestamp's Created time moved by one second (same length, still
// well-formed): its digest no longer matches.
std::string with_tampered_timestamp(const std::string& envelope) {
  const auto at = envelope.find("<u:Created>");
  BOOST_REQUIRE(at != std::string::npos);
  std::string t = envelope;
  char& second = t[at + std::strlen("<u:Created>") + 18];  // YYYY-MM-DDThh:mm:s(s)
  BOOST_REQUIRE(second >= '0' && second <= '9');
  second = second == '9' ? '8' : static_cast<char>(second + 1);
  return t;
}

// ---- the written message --------------------------------------------------------------------

std::string write(const core::request_description& d) {
  core::fixed_environment env(
      core::parse_xsd_datetime("2024-02-14T02:05:51.482Z")->to_time_point());
  auto w = core::write_rst(d, env);
  BOOST_REQUIRE_MESSAGE(w, (w ? "" : w.error().describe()));
  return std::move(w->message.bytes);
}

xml::element security_of(const xml::document& doc) {
  const auto root = doc.root();
  const std::string& s = root.namespace_uri() == soap11 ? soap11 : soap12;
  auto sec = root.child(s, "Header").child(wsse, "Security");
  BOOST_REQUIRE(sec);
  return sec;
}

std::vector<xml::element> signatures_of(const xml::element& security) {
  std::vector<xml::element> out;
  for (auto e : security.children())
    if (e.is(ds, "Signature")) out.push_back(e);
  return out;
}

std::string b64(const std::uint8_t* p, std::size_t n) {
  return crypto::base64_encode(crypto::byte_view(p, n));
}

// Recomputes the Security header's signatures from the parsed envelope with sdk/xml's generic
// exclusive c14n: the Timestamp's digest and each SignatureValue (keys in signature order).
void check_with_generic_c14n(const std::string& envelope,
                             const std::vector<const crypto::secure_bytes*>& keys) {
  auto doc = xml::parse(envelope);
  BOOST_REQUIRE(doc);
  const auto sec = security_of(*doc);
  const auto ts = sec.child(wsu, "Timestamp");
  BOOST_REQUIRE(ts);
  const auto id = ts.attribute(wsu, "Id");
  BOOST_REQUIRE(id);
  auto ts_c14n = xml::exclusive_c14n(ts);
  BOOST_REQUIRE(ts_c14n);
  // The writer's direct canonical form is the generic one.
  std::string direct;
  core::append_timestamp(direct, "u", *id, ts.child(wsu, "Created").text(),
                         ts.child(wsu, "Expires").text(), true);
  BOOST_CHECK_EQUAL(direct, *ts_c14n);
  const auto digest = crypto::sha1(*ts_c14n);
  const auto sigs = signatures_of(sec);
  BOOST_REQUIRE_EQUAL(sigs.size(), keys.size());
  for (std::size_t i = 0; i < sigs.size(); ++i) {
    const auto si = sigs[i].child(ds, "SignedInfo");
    const auto ref = si.child(ds, "Reference");
    BOOST_CHECK_EQUAL(*ref.attribute("", "URI"), "#" + *id);
    BOOST_CHECK_EQUAL(ref.child(ds, "DigestValue").text(), b64(digest.data(), digest.size()));
    auto si_c14n = xml::exclusive_c14n(si);
    BOOST_REQUIRE(si_c14n);
    std::string direct_si;
    core::append_signed_info(direct_si, "ds", *id, b64(digest.data(), digest.size()), true);
    BOOST_CHECK_EQUAL(direct_si, *si_c14n);
    const auto mac = crypto::hmac_sha1(*keys[i], *si_c14n);
    BOOST_CHECK_EQUAL(sigs[i].child(ds, "SignatureValue").text(), b64(mac.data(), mac.size()));
  }
}

// The description a federation request starts from: WS-Trust 1.3 to a second STS.
core::request_description federation(std::string token, crypto::secure_bytes key = {}) {
  core::request_description d;
  d.sts_address =
      "https://sts.fabrikam.test/adfs/services/trust/13/issuedtokenmixedsymmetricbasic256";
  d.trust = core::trust_version::v1_3;
  d.applies_to = "https://api.fabrikam.test/";
  d.key = core::key_type::symmetric;
  d.supporting.emplace();
  d.supporting->xml = std::move(token);
  d.supporting->proof_key = std::move(key);
  return d;
}

std::string saml11(const std::string& assertion_id_attribute) {
  return "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\" MajorVersion=\"1\" "
         "MinorVersion=\"1\"" +
         assertion_id_attribute +
         " Issuer=\"https://sts.contoso.test/\"><saml:Conditions/></saml:Assertion>";
}

const std::string saml20 =
    "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a&amp;b\" "
    "Version=\"2.0\"><saml:Issuer>https://sts.contoso.test/</saml:Issuer></saml:Assertion>";

void expect(const core::request_description& d, errc code, const char* fragment) {
  auto r = core::validate(d);
  BOOST_REQUIRE_MESSAGE(!r, "expected " << core::make_error_code(code).message());
  BOOST_CHECK_MESSAGE(r.error().code == code, r.error().describe());
  BOOST_CHECK_MESSAGE(contains(r.error().message, fragment),
                      r.error().message << " lacks '" << fragment << "'");
  core::fixed_environment env;
  auto w = core::write_rst(d, env);
  BOOST_REQUIRE(!w);
  BOOST_CHECK(w.error().code == code);
}

std::vector<std::string> case_dirs() {
  std::vector<std::string> dirs;
  for (const auto& e : std::filesystem::directory_iterator(wst::test::data_dir()))
    if (e.is_directory()) dirs.push_back(e.path().string());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// The signing keys of a description, in the order its signatures appear.
std::vector<const crypto::secure_bytes*> signing_keys(const core::request_description& d) {
  std::vector<const crypto::secure_bytes*> keys;
  if (d.action == core::request_action::renew_context) keys.push_back(&d.existing->proof_key);
  if (d.supporting && !d.supporting->proof_key.empty()) keys.push_back(&d.supporting->proof_key);
  return keys;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(message_security)

// Every transcript that signs (the renewals and the keyed supporting tokens): xmlsec1 accepts
// each signature with its key and refuses it after the Timestamp is altered or with another
// key; the generic c14n recomputes the same values.
BOOST_AUTO_TEST_CASE(signed_transcripts_verify_with_xmlsec1) {
  int signatures = 0, renewals = 0, supporting = 0;
  for (const auto& dir : case_dirs()) {
    const auto c = wst::test::load_case(dir);
    const auto keys = signing_keys(c.description);
    if (keys.empty()) continue;
    BOOST_TEST_CONTEXT("case " << dir) {
      core::fixed_environment env(c.now, c.rng_first_byte);
      auto w = core::write_rst(c.description, env);
      BOOST_REQUIRE(w);
      const std::string& msg = w->message.bytes;
      BOOST_CHECK_EQUAL(msg, read_file(dir + "/request.xml"));
      check_with_generic_c14n(msg, keys);
      const std::string tampered = with_tampered_timestamp(msg);
      for (std::size_t i = 0; i < keys.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        const verdict good = xmlsec_verify(msg, *keys[i], index);
        BOOST_CHECK_MESSAGE(good.ok(), "xmlsec1 refused signature " << index << ":" << good.output);
        const verdict bad = xmlsec_verify(tampered, *keys[i], index);
        BOOST_CHECK_MESSAGE(bad.exit_code != 0 && !bad.ok(),
                            "xmlsec1 accepted a tampered Timestamp:" << bad.output);
        BOOST_CHECK(contains(bad.output, "data and digest do not match"));
        crypto::secure_bytes other = *keys[i];
        other.data()[0] ^= 1;
        BOOST_CHECK(!xmlsec_verify(msg, other, index).ok());
        ++signatures;
      }
      if (c.description.action == core::request_action::renew_context) ++renewals;
      if (c.description.supporting) ++supporting;
    }
  }
  BOOST_CHECK_GE(renewals, 4);
  BOOST_CHECK_GE(supporting, 2);
  BOOST_CHECK_GE(signatures, 6);
}

// The captured CoreWCF exchange (CoreWCF/CoreWCF Documentation/DesignDocs/
// transport_message_cred_using_cert.md, MIT; blocks 3 and 5): messages WCF signed HMAC-SHA1
// over the Timestamp with the P_SHA1 key of the SCT negotiation,
// tests/vectors/psha1/corewcf-sct-psha1-key.bin. The core's canonical forms equal the generic
// exclusive c14n of WCF's elements, and its signing code reproduces WCF's DigestValue and
// SignatureValue (WCF writes the Signature in the default namespace: prefix "").
BOOST_AUTO_TEST_CASE(wcf_captured_signatures_are_recomputed) {
  const std::string key_bytes = read_file(vectors_dir() + "/psha1/corewcf-sct-psha1-key.bin");
  const crypto::secure_bytes key(reinterpret_cast<const std::uint8_t*>(key_bytes.data()),
                                 key_bytes.size());
  BOOST_REQUIRE_EQUAL(key.size(), 32u);
  for (const char* name :
       {"wcf-sct-echo-hmacsha1-SIGVALID.xml", "wcf-sct-cancel-hmacsha1-SIGVALID.xml"}) {
    BOOST_TEST_CONTEXT(name) {
      const std::string msg = read_file(vectors_dir() + "/captured/" + name);
      auto doc = xml::parse(msg);
      BOOST_REQUIRE(doc);
      const auto sec = security_of(*doc);
      const auto ts = sec.child(wsu, "Timestamp");
      const std::string id = *ts.attribute(wsu, "Id");
      BOOST_CHECK_EQUAL(id, "_0");
      std::string canonical;
      core::append_timestamp(canonical, "u", id, ts.child(wsu, "Created").text(),
                             ts.child(wsu, "Expires").text(), true);
      BOOST_CHECK_EQUAL(canonical, *xml::exclusive_c14n(ts));

      const auto sig = sec.child(ds, "Signature");
      const auto si = sig.child(ds, "SignedInfo");
      const std::string want_digest = si.child(ds, "Reference").child(ds, "DigestValue").text();
      const std::string want_value = sig.child(ds, "SignatureValue").text();
      const core::timestamp_signature mine = core::sign_timestamp(key, canonical, id, "");
      BOOST_CHECK_EQUAL(mine.digest_value, want_digest);
      BOOST_CHECK_EQUAL(mine.signature_value, want_value);
      std::string signed_info;
      core::append_signed_info(signed_info, "", id, want_digest, true);
      BOOST_CHECK_EQUAL(signed_info, *xml::exclusive_c14n(si));

      crypto::secure_bytes wrong = key;
      wrong.data()[31] ^= 0x80;
      BOOST_CHECK_NE(core::sign_timestamp(wrong, canonical, id, "").signature_value, want_value);
      // And xmlsec1 agrees that the capture verifies with this key.
      BOOST_CHECK(xmlsec_verify(msg, key).ok());
    }
  }
}

BOOST_AUTO_TEST_CASE(bearer_supporting_token_is_presented_unsigned) {
  const std::string token = saml11(" AssertionID=\"_bearer-1\"");
  auto d = federation(token);
  d.key = core::key_type::none;
  const std::string msg = write(d);
  BOOST_CHECK(contains(msg,
                       "<u:Timestamp u:Id=\"_0\"><u:Created>2024-02-14T02:05:51.482Z</u:Created>"
                       "<u:Expires>2024-02-14T02:10:51.482Z</u:Expires></u:Timestamp>" +
                           token + "</o:Security>"));
  BOOST_CHECK(!contains(msg, "Signature"));
  // Any token type can be presented as a bearer token, with no reference needed.
  d.supporting->xml = "<x:Ticket xmlns:x=\"urn:example:tickets\">opaque</x:Ticket>";
  BOOST_CHECK(contains(write(d), d.supporting->xml + "</o:Security>"));
}

// The references the core builds when no attached reference is given, each verified.
BOOST_AUTO_TEST_CASE(built_references) {
  const auto key = key_of(1, 32);
  struct example {
    std::string token;
    std::string key_info;
  };
  const std::vector<example> examples = {
      {saml11(" AssertionID=\"_s11-7\""),
       "<o:SecurityTokenReference><o:KeyIdentifier ValueType=\"http://docs.oasis-open.org/wss/"
       "oasis-wss-saml-token-profile-1.0#SAMLAssertionID\">_s11-7</o:KeyIdentifier>"
       "</o:SecurityTokenReference>"},
      {saml20,
       "<o:SecurityTokenReference k:TokenType=\"http://docs.oasis-open.org/wss/oasis-wss-saml-"
       "token-profile-1.1#SAMLV2.0\" xmlns:k=\"http://docs.oasis-open.org/wss/oasis-wss-"
       "wssecurity-secext-1.1.xsd\"><o:KeyIdentifier ValueType=\"http://docs.oasis-open.org/wss/"
       "oasis-wss-saml-token-profile-1.1#SAMLID\">_a&amp;b</o:KeyIdentifier>"
       "</o:SecurityTokenReference>"},
      {"<c:SecurityContextToken xmlns:c=\"" + sc13 + "\" xmlns:u=\"" + wsu +
           "\" u:Id=\"sct-9\"><c:Identifier>urn:uuid:ctx-9</c:Identifier>"
           "</c:SecurityContextToken>",
       "<o:SecurityTokenReference><o:Reference URI=\"#sct-9\" ValueType=\"" + sc13 +
           "/sct\"/></o:SecurityTokenReference>"},
      {"<c:SecurityContextToken xmlns:c=\"" + sc05 +
           "\"><c:Identifier> urn:uuid:ctx-5 </c:Identifier><c:Instance>urn:uuid:i-1"
           "</c:Instance></c:SecurityContextToken>",
       "<o:SecurityTokenReference><o:Reference URI=\"urn:uuid:ctx-5\" ValueType=\"" + sc05 +
           "/sct\" c:Instance=\"urn:uuid:i-1\" xmlns:c=\"" + sc05 +
           "\"/></o:SecurityTokenReference>"},
  };
  for (const auto& e : examples) {
    BOOST_TEST_CONTEXT(e.token) {
      const auto d = federation(e.token, key);
      const std::string msg = write(d);
      BOOST_CHECK(contains(msg, e.token + "<ds:Signature"));
      BOOST_CHECK(contains(msg, "<ds:KeyInfo>" + e.key_info + "</ds:KeyInfo></ds:Signature>"));
      check_with_generic_c14n(msg, {&key});
      BOOST_CHECK(xmlsec_verify(msg, key).ok());
    }
  }
}

// A caller's token and reference may carry a BOM, an XML declaration and whitespace (XML
// buffers from WsCreateXmlSecurityToken): only the elements are written.
BOOST_AUTO_TEST_CASE(supplied_reference_and_token_lose_their_declarations) {
  const std::string token = saml11(" AssertionID=\"_t1\"");
  const std::string ref = "<wsse:SecurityTokenReference xmlns:wsse=\"" + wsse +
                          "\"><wsse:KeyIdentifier ValueType=\"urn:custom\">t1</wsse:KeyIdentifier>"
                          "</wsse:SecurityTokenReference>";
  auto d = federation("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + token + "\n",
                      key_of(9, 20));
  d.supporting->attached_reference = "<?xml version=\"1.0\"?>\r\n" + ref + "  ";
  const std::string msg = write(d);
  BOOST_CHECK(contains(msg, "</u:Timestamp>" + token + "<ds:Signature"));
  BOOST_CHECK(contains(msg, "<ds:KeyInfo>" + ref + "</ds:KeyInfo>"));
  BOOST_CHECK(!contains(msg, "<?xml"));
  BOOST_CHECK(xmlsec_verify(msg, d.supporting->proof_key).ok());
}

// The Timestamp's Id must name it alone: a token that uses "_0" (and "_1") as attribute
// values pushes it to "_2".
BOOST_AUTO_TEST_CASE(timestamp_id_avoids_the_tokens_ids) {
  const auto key = key_of(4, 16);
  auto d = federation(
      "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\" AssertionID=\"_0\" "
      "Issuer='_1'><saml:Conditions NotBefore=\"_12x\"/></saml:Assertion>",
      key);
  std::string msg = write(d);
  BOOST_CHECK(contains(msg, "<u:Timestamp u:Id=\"_2\">"));
  BOOST_CHECK(contains(msg, "<ds:Reference URI=\"#_2\">"));
  BOOST_CHECK(xmlsec_verify(msg, key).ok());
  check_with_generic_c14n(msg, {&key});
  // Without such values, "_0" as WCF writes it.
  d.supporting->xml = saml11(" AssertionID=\"_00x\"");
  msg = write(d);
  BOOST_CHECK(contains(msg, "<u:Timestamp u:Id=\"_0\">"));
}

// Renewing over a channel that also presents a keyed supporting token: two signatures over
// the same Timestamp, each verifying with its own key only.
BOOST_AUTO_TEST_CASE(renewal_with_a_supporting_token_signs_twice) {
  const auto sct_key = key_of(7, 32);
  const auto saml_key = key_of(8, 32);
  auto d = federation(saml20, saml_key);
  d.key.reset();
  d.action = core::request_action::renew_context;
  d.existing.emplace();
  d.existing->xml = "<c:SecurityContextToken xmlns:c=\"" + sc05 + "\" xmlns:u=\"" + wsu +
                    "\" u:Id=\"uuid-1\"><c:Identifier>urn:uuid:ctx</c:Identifier>"
                    "</c:SecurityContextToken>";
  d.existing->proof_key = sct_key;
  const std::string msg = write(d);
  check_with_generic_c14n(msg, {&sct_key, &saml_key});
  BOOST_CHECK(contains(msg, "</u:Timestamp>" + d.existing->xml + saml20 + "<ds:Signature"));
  BOOST_CHECK(xmlsec_verify(msg, sct_key, 1).ok());
  BOOST_CHECK(xmlsec_verify(msg, saml_key, 2).ok());
  BOOST_CHECK(!xmlsec_verify(msg, saml_key, 1).ok());
  BOOST_CHECK(!xmlsec_verify(msg, sct_key, 2).ok());
  // Neither key appears in the message.
  for (const auto* k : {&sct_key, &saml_key}) {
    BOOST_CHECK(!contains(msg, crypto::base64_encode(*k)));
    BOOST_CHECK(!contains(msg, crypto::hex_encode(*k)));
  }
}

BOOST_AUTO_TEST_CASE(supporting_token_validation) {
  const auto key = key_of(5, 32);
  const errc code = errc::invalid_supporting_token;
  expect(federation(""), code, "empty");
  expect(federation("<saml:Assertion xmlns:saml=\"urn:x\">"), code, "well-formed");
  expect(federation("<a/><b/>"), code, "well-formed");
  expect(federation(saml20, crypto::secure_bytes(core::max_key_size_bits / 8 + 1)), code,
         "at most 512");
  auto d = federation(saml20, key);
  d.supporting->attached_reference = "<o:Reference xmlns:o=\"" + wsse + "\"/>";
  expect(d, code, "attached_reference");
  expect(federation("<x:Ticket xmlns:x=\"urn:example\"/>", key), code, "{urn:example}Ticket token");
  expect(federation(saml11(""), key), code, "AssertionID");
  expect(federation(saml11(" AssertionID=\" \""), key), code, "AssertionID");
  expect(federation("<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
                    "AssertionID=\"_wrong-version\"/>",
                    key),
         code, "no ID");
  expect(federation("<c:SecurityContextToken xmlns:c=\"" + sc13 +
                        "\"><c:Identifier>not a uri</c:Identifier></c:SecurityContextToken>",
                    key),
         code, "Identifier");
  // Keyless: no reference is needed, so an assertion without its id is presented as is.
  BOOST_CHECK(core::validate(federation(saml11(""))));
  // The same token with its attached reference may be signed.
  d = federation("<x:Ticket xmlns:x=\"urn:example\"/>", key);
  d.supporting->attached_reference = "<o:SecurityTokenReference xmlns:o=\"" + wsse +
                                     "\"><o:Reference URI=\"urn:t\"/>"
                                     "</o:SecurityTokenReference>";
  BOOST_CHECK(core::validate(d));
  // The error code is a caller error, fatal.
  BOOST_CHECK(!core::is_retryable(core::make_error_code(code)));
  BOOST_CHECK_EQUAL(core::make_error_code(code).message(), "invalid supporting token");
}

// Renewal end to end: the SCT a new_context exchange returned (t2005-sct-new-combined
// transcript) is renewed with existing_token_from(); the renew request carries it and
// verifies with the P_SHA1 proof key of that exchange.
BOOST_AUTO_TEST_CASE(renewal_of_a_negotiated_sct) {
  const auto c =
      wst::test::load_case(wst::test::data_dir() + "/t2005-sct-new-combined-soap12-wsa10");
  core::fixed_environment env(c.now, c.rng_first_byte);
  core::negotiation n(c.description, env);
  BOOST_REQUIRE(n.start());
  auto tok = n.on_reply(read_file(c.dir + "/response.xml"));
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  BOOST_REQUIRE_EQUAL(tok->proof_key.size(), 32u);

  core::request_description renew = c.description;
  renew.action = core::request_action::renew_context;
  renew.existing = core::existing_token_from(*tok);
  BOOST_CHECK(renew.existing->proof_key == tok->proof_key);
  core::negotiation r(renew, env);
  auto out = r.start();
  BOOST_REQUIRE_MESSAGE(out, (out ? "" : out.error().describe()));
  // KeyInfo is the attached reference the STS returned; the SCT sits in the header.
  BOOST_CHECK(contains(out->bytes, "<ds:KeyInfo>" + tok->attached_reference + "</ds:KeyInfo>"));
  BOOST_CHECK(contains(out->bytes, "</u:Timestamp>" + tok->xml + "<ds:Signature"));
  BOOST_CHECK(xmlsec_verify(out->bytes, tok->proof_key).ok());
  check_with_generic_c14n(out->bytes, {&tok->proof_key});
}

// Federation end to end: the bench exchange's holder-of-key SAML 2.0 token (with its own RSA
// signature inside) buys a token from a second STS through supporting_token_from().
BOOST_AUTO_TEST_CASE(federation_with_a_negotiated_token) {
  const auto c = wst::test::load_case(wst::test::data_dir() + "/bench");
  core::fixed_environment env(c.now, c.rng_first_byte);
  core::negotiation n(c.description, env);
  BOOST_REQUIRE(n.start());
  auto tok = n.on_reply(read_file(c.dir + "/response.xml"));
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));

  auto d = federation("");
  d.supporting = core::supporting_token_from(*tok);
  d.entropy = core::key_entropy::combined;
  core::negotiation f(d, env);
  auto out = f.start();
  BOOST_REQUIRE_MESSAGE(out, (out ? "" : out.error().describe()));
  BOOST_CHECK(contains(out->bytes, "</u:Timestamp>" + tok->xml + "<ds:Signature"));
  BOOST_CHECK(contains(out->bytes, "<ds:KeyInfo>" + tok->attached_reference + "</ds:KeyInfo>"));
  BOOST_CHECK(xmlsec_verify(out->bytes, tok->proof_key).ok());
  check_with_generic_c14n(out->bytes, {&tok->proof_key});
}

// The direct canonical forms escape as c14n does, so even unusual values stay equivalent.
BOOST_AUTO_TEST_CASE(canonical_forms_escape_like_c14n) {
  std::string in_message = "<r xmlns:u=\"" + wsu + "\">";
  core::append_timestamp(in_message, "u", "a\"b<&\t\n\r>", "x<&>\r\"'", "y", false);
  in_message += "</r>";
  auto doc = xml::parse(in_message);
  BOOST_REQUIRE_MESSAGE(doc, (doc ? "" : doc.error().describe()));
  const auto ts = doc->root().child(wsu, "Timestamp");
  std::string canonical;
  core::append_timestamp(canonical, "u", *ts.attribute(wsu, "Id"), ts.child(wsu, "Created").text(),
                         ts.child(wsu, "Expires").text(), true);
  BOOST_CHECK_EQUAL(canonical, *xml::exclusive_c14n(ts));
  BOOST_CHECK(contains(canonical, "u:Id=\"a&quot;b&lt;&amp;&#x9;&#xA;&#xD;>\""));
  BOOST_CHECK(contains(canonical, "<u:Created>x&lt;&amp;&gt;&#xD;\"'</u:Created>"));

  std::string si = "<ds:Signature xmlns:ds=\"" + ds + "\">";
  core::append_signed_info(si, "ds", "id&1", "AB+/==", false);
  si += "</ds:Signature>";
  auto sdoc = xml::parse(si);
  BOOST_REQUIRE(sdoc);
  std::string want;
  core::append_signed_info(want, "ds", "id&1", "AB+/==", true);
  BOOST_CHECK_EQUAL(want, *xml::exclusive_c14n(sdoc->root().child(ds, "SignedInfo")));
}

BOOST_AUTO_TEST_SUITE_END()
