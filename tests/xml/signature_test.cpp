// sdk/xml c14n and lifting proven end to end: XML signatures recomputed (HMAC) or verified
// (RSA, DSA) with Botan over the canonical forms wst produces.
//
// Vectors:
//  - tests/vectors/c14n/xmlsec-dsig, from lsh123/xmlsec tests (MIT): merlin-enveloping-hmac-sha1
//    (-40-truncated), merlin-exc-c14n-one-exc-signature (key file merlin-hmackey.bin "secret"
//    for the HMAC ones), phaos-hmac-sha1-exc-c14n-enveloped (phaos-hmackey.bin "test");
//  - tests/vectors/captured/adfs-wst13-soap12-saml11-bearer-SIGVALID.xml (AzureAD/
//    azure-activedirectory-library-for-nodejs test/wstrust/common.rstr.xml, Apache-2.0) and
//    its -prettyprinted twin (test/wstrust/RSTR.xml); synthetic-wst13-saml11-refmismatch.xml
//    (same repository, an older test/wstrust/RSTR13.xml);
//  - tests/vectors/captured/vsphere-sso-saml2-assertion-SIGVALID.xml (vmware/govmomi
//    sts/internal/types_test.go, Apache-2.0).
#include <wst/xml/c14n.hpp>
#include <wst/xml/reader.hpp>

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <botan/base64.h>
#include <botan/bigint.h>
#include <botan/dl_group.h>
#include <botan/dsa.h>
#include <botan/hash.h>
#include <botan/mac.h>
#include <botan/pubkey.h>
#include <botan/x509cert.h>

#include <functional>

using namespace wst::detail::xml;
using bytes = std::vector<std::uint8_t>;

namespace {

const std::string ds = "http://www.w3.org/2000/09/xmldsig#";
const std::string exc_c14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
const std::string c14n_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const std::string enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

std::string xmlsec(const std::string& name) {
  return wst::test::read_file(wst::test::vectors_dir() + "/c14n/xmlsec-dsig/" + name);
}
std::string captured(const std::string& name) {
  return wst::test::read_file(wst::test::vectors_dir() + "/captured/" + name);
}

document must_parse(std::string_view xml) {
  auto r = parse(xml);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().describe()));
  return std::move(r).value();
}

bytes base64(std::string_view text) {
  auto v = Botan::base64_decode(std::string(text), true);  // ignores line breaks
  return bytes(v.begin(), v.end());
}

bytes as_bytes(std::string_view s) { return bytes(s.begin(), s.end()); }

bytes digest(const std::string& algorithm, std::string_view data) {
  auto h = Botan::HashFunction::create_or_throw(algorithm);
  h->update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  auto out = h->final();
  return bytes(out.begin(), out.end());
}

bytes hmac_sha1(const std::string& key, std::string_view data) {
  auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-1)");
  mac->set_key(reinterpret_cast<const std::uint8_t*>(key.data()), key.size());
  mac->update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  auto out = mac->final();
  return bytes(out.begin(), out.end());
}

std::string c14n(const element& e, const c14n_options& opts = {}) {
  auto r = exclusive_c14n(e, opts);
  BOOST_TEST_REQUIRE(r.has_value());
  return *r;
}

// The element with attribute `name` = `value` in the subtree (XML Signature's Id lookup).
element find_by_attribute(const element& e, const std::string& name, const std::string& value) {
  if (e.attribute("", name) == value) return e;
  for (const element& c : e.children())
    if (element found = find_by_attribute(c, name, value)) return found;
  return {};
}

// The PrefixList of an InclusiveNamespaces child of `transform`, split at whitespace.
std::vector<std::string> prefix_list(const element& transform) {
  std::vector<std::string> out;
  element inc = transform.child(exc_c14n, "InclusiveNamespaces");
  std::string list = inc.attribute("", "PrefixList").value_or("");
  for (std::size_t i = 0; i < list.size();) {
    std::size_t j = list.find(' ', i);
    if (j == std::string::npos) j = list.size();
    if (j > i) out.push_back(list.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string hash_name(const std::string& uri) {
  if (uri == "http://www.w3.org/2000/09/xmldsig#sha1") return "SHA-1";
  if (uri == "http://www.w3.org/2001/04/xmlenc#sha256") return "SHA-256";
  BOOST_FAIL("unexpected digest " + uri);
  return {};
}

// Checks an enveloped signature over `signed_element` (Reference "#<its id_attribute>",
// transforms enveloped-signature + exc-c14n, RSA key from the first X509Certificate).
struct rsa_check {
  bool reference_matches = false;
  bool digest_matches = false;
  bool signature_verifies = false;
};
rsa_check check_enveloped_rsa(const element& signed_element, const std::string& id_attribute) {
  rsa_check result;
  element sig = signed_element.child(ds, "Signature");
  BOOST_TEST_REQUIRE(bool(sig));
  element info = sig.child(ds, "SignedInfo");
  BOOST_TEST_REQUIRE(
      info.child(ds, "CanonicalizationMethod").attribute("", "Algorithm").value_or("") == exc_c14n);
  element ref = info.child(ds, "Reference");
  result.reference_matches = ref.attribute("", "URI").value_or("") ==
                             "#" + signed_element.attribute("", id_attribute).value_or("?");

  c14n_options opts;
  opts.exclude = sig;
  element transforms = ref.child(ds, "Transforms");
  std::vector<std::string> algorithms;
  for (element t = transforms.child(ds, "Transform"); t; t = t.next_sibling(ds, "Transform")) {
    algorithms.push_back(t.attribute("", "Algorithm").value_or(""));
    if (algorithms.back() == exc_c14n) opts.inclusive_prefixes = prefix_list(t);
  }
  BOOST_TEST((algorithms == std::vector<std::string>{enveloped, exc_c14n}));
  const std::string hash =
      hash_name(ref.child(ds, "DigestMethod").attribute("", "Algorithm").value_or(""));
  result.digest_matches =
      digest(hash, c14n(signed_element, opts)) == base64(ref.child(ds, "DigestValue").text());

  const std::string method =
      info.child(ds, "SignatureMethod").attribute("", "Algorithm").value_or("");
  const std::string emsa = method == ds + "rsa-sha1" ? "EMSA3(SHA-1)"
                           : method == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
                               ? "EMSA3(SHA-256)"
                               : "";
  BOOST_TEST_REQUIRE(!emsa.empty(), method);
  element cert_text = sig.child(ds, "KeyInfo").child(ds, "X509Data").child(ds, "X509Certificate");
  if (!cert_text) return result;  // a thumbprint reference: nothing to verify with here
  Botan::X509_Certificate cert(base64(cert_text.text()));
  auto key = cert.load_subject_public_key();
  Botan::PK_Verifier verifier(*key, emsa);
  result.signature_verifies =
      verifier.verify_message(as_bytes(c14n(info)), base64(sig.child(ds, "SignatureValue").text()));
  return result;
}

element adfs_assertion(const document& doc) {
  const std::string soap = "http://www.w3.org/2003/05/soap-envelope";
  const std::string trust = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
  return doc.root()
      .child(soap, "Body")
      .child(trust, "RequestSecurityTokenResponseCollection")
      .child(trust, "RequestSecurityTokenResponse")
      .child(trust, "RequestedSecurityToken")
      .child("urn:oasis:names:tc:SAML:1.0:assertion", "Assertion");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xml_signatures)

// SignedInfo and the referenced Object are canonicalized with inclusive C14N 1.0 in these two
// files. For them both algorithms give the same bytes: the only namespace in scope is the
// default one, and the apex elements (SignedInfo, Object) use it visibly.
BOOST_AUTO_TEST_CASE(merlin_enveloping_hmac_sha1) {
  const std::string key = xmlsec("merlin-hmackey.bin");
  BOOST_TEST(key == "secret");
  for (const char* file :
       {"merlin-enveloping-hmac-sha1.xml", "merlin-enveloping-hmac-sha1-40-truncated.xml"}) {
    BOOST_TEST_CONTEXT(file) {
      document doc = must_parse(xmlsec(file));
      element sig = doc.root();
      element info = sig.child(ds, "SignedInfo");
      BOOST_TEST(info.child(ds, "CanonicalizationMethod").attribute("", "Algorithm").value_or("") ==
                 c14n_10);
      element ref = info.child(ds, "Reference");
      element object = find_by_attribute(sig, "Id", ref.attribute("", "URI")->substr(1));
      BOOST_TEST_REQUIRE(bool(object));
      BOOST_TEST(
          c14n(object) ==
          "<Object xmlns=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"object\">some text</Object>");
      BOOST_TEST(digest("SHA-1", c14n(object)) == base64(ref.child(ds, "DigestValue").text()));

      bytes mac = hmac_sha1(key, c14n(info));
      element length = info.child(ds, "SignatureMethod").child(ds, "HMACOutputLength");
      if (length) mac.resize(std::stoul(length.text()) / 8);  // truncated HMAC
      BOOST_TEST(mac == base64(sig.child(ds, "SignatureValue").text()));
      mac[0] ^= 1;
      BOOST_TEST(mac != base64(sig.child(ds, "SignatureValue").text()));
    }
  }
}

// Reference URI="" with only the enveloped-signature transform: the whole document without
// comments and without the Signature (the trailing inclusive C14N equals exclusive here: no
// namespace is declared outside the signature). SignedInfo: exclusive c14n, HMAC key "test".
BOOST_AUTO_TEST_CASE(phaos_hmac_sha1_exc_c14n_enveloped) {
  document doc = must_parse(xmlsec("phaos-hmac-sha1-exc-c14n-enveloped.xml"));
  element sig = doc.root().child(ds, "Signature");
  BOOST_TEST_REQUIRE(bool(sig));
  element info = sig.child(ds, "SignedInfo");
  BOOST_TEST(info.child(ds, "CanonicalizationMethod").attribute("", "Algorithm").value_or("") ==
             exc_c14n);
  element ref = info.child(ds, "Reference");
  BOOST_TEST(ref.attribute("", "URI").value_or("?") == "");

  c14n_options opts;
  opts.exclude = sig;
  auto whole = exclusive_c14n(
      doc, [](const node_ref&) { return true; }, opts);
  BOOST_TEST_REQUIRE(whole.has_value());
  BOOST_TEST(*whole == c14n(doc.root(), opts));
  BOOST_TEST(whole->find("comment") == std::string::npos);
  BOOST_TEST(digest("SHA-1", *whole) == base64(ref.child(ds, "DigestValue").text()));

  const std::string info_c14n = c14n(info);
  BOOST_TEST(
      info_c14n.substr(0, 70) ==
      "<dsig:SignedInfo xmlns:dsig=\"http://www.w3.org/2000/09/xmldsig#\"><dsig");  // no xmlns=""
  BOOST_TEST(hmac_sha1(xmlsec("phaos-hmackey.bin"), info_c14n) ==
             base64(sig.child(ds, "SignatureValue").text()));
}

// Two exclusive references to the same Object, without and with PrefixList "bar #default"
// (the Object inherits xml:space="preserve", which exclusive c14n must not import), and the
// DSA-SHA1 signature over SignedInfo. The two WithComments references are out of scope.
BOOST_AUTO_TEST_CASE(merlin_exc_c14n_one) {
  document doc = must_parse(xmlsec("merlin-exc-c14n-one-exc-signature.xml"));
  element sig = doc.root().child(ds, "Signature");
  element info = sig.child(ds, "SignedInfo");
  element object = find_by_attribute(doc.root(), "Id", "to-be-signed");
  BOOST_TEST_REQUIRE(bool(object));
  std::size_t checked = 0;
  for (element ref = info.child(ds, "Reference"); ref; ref = ref.next_sibling(ds, "Reference")) {
    element t = ref.child(ds, "Transforms").child(ds, "Transform");
    if (t.attribute("", "Algorithm").value_or("") != exc_c14n) continue;
    c14n_options opts;
    opts.inclusive_prefixes = prefix_list(t);
    const std::string canonical = c14n(object, opts);
    BOOST_TEST(canonical.find("xml:space") == std::string::npos);
    BOOST_TEST(digest("SHA-1", canonical) == base64(ref.child(ds, "DigestValue").text()));
    ++checked;
  }
  BOOST_TEST(checked == 2u);

  element dsa = sig.child(ds, "KeyInfo").child(ds, "KeyValue").child(ds, "DSAKeyValue");
  auto big = [&](const char* name) {
    return Botan::BigInt::decode(base64(dsa.child(ds, name).text()));
  };
  Botan::DL_Group group(big("P"), big("Q"), big("G"));
  Botan::DSA_PublicKey key(group, big("Y"));
  Botan::PK_Verifier verifier(key, "EMSA1(SHA-1)", Botan::IEEE_1363);
  const bytes signature = base64(sig.child(ds, "SignatureValue").text());
  BOOST_TEST(verifier.verify_message(as_bytes(c14n(info)), signature));
  BOOST_TEST(!verifier.verify_message(as_bytes(c14n(info) + " "), signature));
}

// The real ADFS token: SAML 1.1 assertion signed RSA-SHA1 over exclusive c14n, inside a SOAP
// envelope. It verifies in place and lifted out byte for byte.
BOOST_AUTO_TEST_CASE(adfs_saml11_rsa_sha1_in_place_and_lifted) {
  document doc = must_parse(captured("adfs-wst13-soap12-saml11-bearer-SIGVALID.xml"));
  element assertion = adfs_assertion(doc);
  BOOST_TEST_REQUIRE(bool(assertion));
  rsa_check in_place = check_enveloped_rsa(assertion, "AssertionID");
  BOOST_TEST(in_place.reference_matches);
  BOOST_TEST(in_place.digest_matches);
  BOOST_TEST(in_place.signature_verifies);

  document alone = must_parse(assertion.lift());
  rsa_check lifted = check_enveloped_rsa(alone.root(), "AssertionID");
  BOOST_TEST(lifted.digest_matches);
  BOOST_TEST(lifted.signature_verifies);
}

// vCenter SSO SAML 2.0 token: RSA-SHA256, PrefixList "xs xsi" (xsi:type values use xs).
BOOST_AUTO_TEST_CASE(vsphere_saml2_rsa_sha256_with_prefix_list) {
  document doc = must_parse(captured("vsphere-sso-saml2-assertion-SIGVALID.xml"));
  rsa_check r = check_enveloped_rsa(doc.root(), "ID");
  BOOST_TEST(r.reference_matches);
  BOOST_TEST(r.digest_matches);
  BOOST_TEST(r.signature_verifies);
}

// Re-indented and reference-mismatched copies must not verify.
BOOST_AUTO_TEST_CASE(altered_tokens_do_not_verify) {
  document pretty = must_parse(captured("adfs-wst13-soap12-saml11-bearer-prettyprinted.xml"));
  rsa_check p = check_enveloped_rsa(adfs_assertion(pretty), "AssertionID");
  BOOST_TEST(p.reference_matches);
  BOOST_TEST(!p.digest_matches);

  document mismatch = must_parse(captured("synthetic-wst13-saml11-refmismatch.xml"));
  rsa_check m = check_enveloped_rsa(adfs_assertion(mismatch), "AssertionID");
  BOOST_TEST(!m.reference_matches);
  BOOST_TEST(!m.signature_verifies);
}

BOOST_AUTO_TEST_SUITE_END()
