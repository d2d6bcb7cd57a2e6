#include "assertion.hpp"

#include "datetime.hpp"
#include "namespaces.hpp"

#include <wst/sts/errc.hpp>
#include <wst/xml/c14n.hpp>
#include <wst/xml/reader.hpp>
#include <wst/xml/writer.hpp>

namespace wst::detail::sts {

namespace {

constexpr std::string_view nameid_unspecified =
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

void write_key_info(xml::writer& w, const std::string& key_name) {
  w.start_element("ds", "KeyInfo");
  w.namespace_decl("ds", ns::ds);
  w.text_element("ds", "KeyName", key_name);
  w.end_element();
}

// The unsigned assertion; `signature_at` receives the offset where ds:Signature belongs
// (after saml:Issuer in 2.0, last child in 1.1, as the schemas order them).
std::string write_saml11(const assertion_fields& f, std::size_t& signature_at) {
  const std::string issued = xsd_datetime(f.issued), expires = xsd_datetime(f.expires);
  std::string out;
  out.reserve(2048);
  xml::writer w(out);
  w.start_element("saml", "Assertion");
  w.namespace_decl("saml", ns::saml1);
  w.attribute("", "MajorVersion", "1");
  w.attribute("", "MinorVersion", "1");
  w.attribute("", "AssertionID", f.id);
  w.attribute("", "Issuer", f.issuer);
  w.attribute("", "IssueInstant", issued);
  w.start_element("saml", "Conditions");
  w.attribute("", "NotBefore", issued);
  w.attribute("", "NotOnOrAfter", expires);
  if (f.audience) {
    w.start_element("saml", "AudienceRestrictionCondition");
    w.text_element("saml", "Audience", *f.audience);
    w.end_element();
  }
  w.end_element();
  w.start_element("saml", "AuthenticationStatement");
  w.attribute("", "AuthenticationMethod",
              f.password_authenticated ? "urn:oasis:names:tc:SAML:1.0:am:password"
                                       : "urn:oasis:names:tc:SAML:1.0:am:unspecified");
  w.attribute("", "AuthenticationInstant", issued);
  w.start_element("saml", "Subject");
  w.start_element("saml", "NameIdentifier");
  w.attribute("", "Format", nameid_unspecified);
  w.text(f.subject);
  w.end_element();
  w.start_element("saml", "SubjectConfirmation");
  if (f.proof_key_name) {
    w.text_element("saml", "ConfirmationMethod", "urn:oasis:names:tc:SAML:1.0:cm:holder-of-key");
    write_key_info(w, *f.proof_key_name);
  } else {
    w.text_element("saml", "ConfirmationMethod", "urn:oasis:names:tc:SAML:1.0:cm:bearer");
  }
  w.end_element();  // SubjectConfirmation
  w.end_element();  // Subject
  w.end_element();  // AuthenticationStatement
  signature_at = out.size();
  w.end_element();  // Assertion
  return out;
}

std::string write_saml20(const assertion_fields& f, std::size_t& signature_at) {
  const std::string issued = xsd_datetime(f.issued), expires = xsd_datetime(f.expires);
  std::string out;
  out.reserve(2048);
  xml::writer w(out);
  w.start_element("saml", "Assertion");
  w.namespace_decl("saml", ns::saml2);
  w.attribute("", "ID", f.id);
  w.attribute("", "IssueInstant", issued);
  w.attribute("", "Version", "2.0");
  w.text_element("saml", "Issuer", f.issuer);
  signature_at = out.size();
  w.start_element("saml", "Subject");
  w.start_element("saml", "NameID");
  w.attribute("", "Format", nameid_unspecified);
  w.text(f.subject);
  w.end_element();
  w.start_element("saml", "SubjectConfirmation");
  if (f.proof_key_name) {
    w.attribute("", "Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key");
    w.start_element("saml", "SubjectConfirmationData");
    w.namespace_decl("xsi", ns::xsi);
    w.attribute("xsi", "type", "saml:KeyInfoConfirmationDataType");
    write_key_info(w, *f.proof_key_name);
    w.end_element();
  } else {
    w.attribute("", "Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer");
    w.start_element("saml", "SubjectConfirmationData");
    w.attribute("", "NotOnOrAfter", expires);
    w.end_element();
  }
  w.end_element();  // SubjectConfirmation
  w.end_element();  // Subject
  w.start_element("saml", "Conditions");
  w.attribute("", "NotBefore", issued);
  w.attribute("", "NotOnOrAfter", expires);
  if (f.audience) {
    w.start_element("saml", "AudienceRestriction");
    w.text_element("saml", "Audience", *f.audience);
    w.end_element();
  }
  w.end_element();
  w.start_element("saml", "AuthnStatement");
  w.attribute("", "AuthnInstant", issued);
  w.start_element("saml", "AuthnContext");
  w.text_element("saml", "AuthnContextClassRef",
                 f.password_authenticated ? "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
                                          : "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified");
  w.end_element();
  w.end_element();
  w.end_element();  // Assertion
  return out;
}

// ds:SignedInfo for one enveloped reference. Written directly in its exclusive canonical form
// (every value here is an algorithm URI, an NCName or base64: nothing to escape, one attribute
// per element); `declare_ds` adds the xmlns:ds that the canonical form carries when SignedInfo
// is canonicalized on its own.
std::string signed_info(std::string_view id, std::string_view digest_b64, bool declare_ds) {
  std::string s;
  s.reserve(800);
  s += "<ds:SignedInfo";
  if (declare_ds) {
    s += " xmlns:ds=\"";
    s += ns::ds;
    s += '"';
  }
  s += "><ds:CanonicalizationMethod Algorithm=\"";
  s += ns::exc_c14n;
  s += "\"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm=\"";
  s += ns::rsa_sha256;
  s += "\"></ds:SignatureMethod><ds:Reference URI=\"#";
  s += id;
  s += "\"><ds:Transforms><ds:Transform Algorithm=\"";
  s += ns::enveloped;
  s += "\"></ds:Transform><ds:Transform Algorithm=\"";
  s += ns::exc_c14n;
  s += "\"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm=\"";
  s += ns::sha256;
  s += "\"></ds:DigestMethod><ds:DigestValue>";
  s += digest_b64;
  s += "</ds:DigestValue></ds:Reference></ds:SignedInfo>";
  return s;
}

}  // namespace

result<std::string> write_signed_assertion(const assertion_fields& f, const signer& s) {
  std::size_t signature_at = 0;
  std::string assertion = f.version == saml_version::v11 ? write_saml11(f, signature_at)
                                                         : write_saml20(f, signature_at);
  // Digest: the assertion without its signature (what the enveloped-signature transform
  // leaves), canonicalized. Nothing is written where the signature goes, so no text node
  // differs between the two forms.
  xml::limits lim;
  lim.max_bytes = assertion.size() + 1;
  auto doc = xml::parse(assertion, lim);
  if (!doc)
    return failure(errc::request_failed,
                   "issued assertion does not parse: " + doc.error().describe());
  auto canonical = xml::exclusive_c14n(doc->root());
  if (!canonical)
    return failure(errc::request_failed,
                   "cannot canonicalize the assertion: " + canonical.error().describe());
  const auto digest = crypto::sha256(*canonical);
  const std::string digest_b64 =
      crypto::base64_encode(crypto::byte_view(digest.data(), digest.size()));

  auto signature =
      s.identity.key.sign(crypto::signature_hash::sha256, signed_info(f.id, digest_b64, true));
  if (!signature)
    return failure(errc::request_failed, "signing failed: " + signature.error().describe());

  std::string sig;
  sig.reserve(1200 + s.certificate_b64.size());
  sig += "<ds:Signature xmlns:ds=\"";
  sig += ns::ds;
  sig += "\">";
  sig += signed_info(f.id, digest_b64, false);
  sig += "<ds:SignatureValue>";
  sig += crypto::base64_encode(*signature);
  sig += "</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>";
  sig += s.certificate_b64;
  sig += "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>";
  assertion.insert(signature_at, sig);
  return assertion;
}

}  // namespace wst::detail::sts
