// The sample STS's assertion signatures, checked twice: independently by xmlsec1 (Debian's
// xmlsec1, OpenSSL backend) on the issued bytes, and in process by recomputing the digest and
// verifying the RSA signature over the canonical SignedInfo.
#include "sts_fixture.hpp"

#include <wst/sts/issuer.hpp>
#include <wst/xml/c14n.hpp>

#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

using namespace wst::test::sts;

namespace {

// A file under $TMPDIR removed when the object dies.
struct temp_file {
  std::string path;
  explicit temp_file(const std::string& content, const char* suffix = ".xml") {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/wst-sts-XXXXXX" + suffix;
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = ::mkstemps(buf.data(), static_cast<int>(std::strlen(suffix)));
    BOOST_REQUIRE(fd >= 0);
    path = buf.data();
    const ssize_t n = ::write(fd, content.data(), content.size());
    ::close(fd);
    BOOST_REQUIRE_EQUAL(static_cast<std::size_t>(n), content.size());
  }
  ~temp_file() { ::unlink(path.c_str()); }
};

struct verdict {
  int exit_code = -1;
  std::string output;
};

// xmlsec1 --verify with the STS certificate's public key, the certificate also trusted so that
// the copy in KeyInfo verifies as a chain. The ID attributes of both SAML versions are
// declared, as no schema is loaded.
verdict xmlsec_verify(const std::string& document) {
  temp_file doc(document);
  temp_file cert(test_identity().cert, ".pem");
  temp_file log("", ".log");
  const std::string cmd =
      "xmlsec1 --verify --pubkey-cert-pem '" + cert.path + "' --trusted-pem '" + cert.path +
      "' --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion"
      " --id-attr:AssertionID urn:oasis:names:tc:SAML:1.0:assertion:Assertion '" +
      doc.path + "' > '" + log.path + "' 2>&1";
  const int status = std::system(cmd.c_str());
  verdict v;
  v.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log.path);
  v.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return v;
}

bool has_line(const std::string& text, const std::string& line) {
  std::size_t at = 0;
  while ((at = text.find(line, at)) != std::string::npos) {
    const bool starts = at == 0 || text[at - 1] == '\n';
    const bool ends = at + line.size() == text.size() || text[at + line.size()] == '\n';
    if (starts && ends) return true;
    at += line.size();
  }
  return false;
}

struct issued {
  std::string body;       // the whole RSTR envelope
  std::string assertion;  // the assertion's bytes as they stand in it
};

issued issue(trust tv, const char* token_type, bool holder_of_key, const char* user = "alice") {
  fixed_clock clk;
  fixed_random rng;
  s::issuer iss({}, load_identity(), nullptr, clk, rng);
  rst_spec sp;
  sp.trust_version = tv;
  sp.token_type = token_type;
  sp.username = std::make_pair(user, "pw");
  if (holder_of_key) {
    sp.key_type = trust_uri(tv) + "/SymmetricKey";
  } else {
    sp.key_type = tv == trust::feb2005 ? bearer05 : bearer13;
  }
  auto resp = iss.respond(make_request(sp).view());
  BOOST_REQUIRE_EQUAL(resp.status, 200);
  auto r = parse_reply(resp);
  auto rst = rstr_of(*r, tv).child(trust_uri(tv), "RequestedSecurityToken");
  return {resp.body, std::string(rst.children().at(0).raw())};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sts_signature)

BOOST_AUTO_TEST_CASE(xmlsec1_accepts_issued_assertions) {
  for (trust tv : {trust::feb2005, trust::v13})
    for (const char* type : {token_saml11, token_saml20})
      for (bool hok : {false, true}) {
        BOOST_TEST_CONTEXT("trust " << int(tv) << " " << type << " hok " << hok) {
          const auto t = issue(tv, type, hok);
          auto whole = xmlsec_verify(t.body);
          BOOST_TEST(whole.exit_code == 0, whole.output);
          BOOST_TEST(has_line(whole.output, "OK"), whole.output);
          auto alone = xmlsec_verify(t.assertion);  // lifted out: it declares all it uses
          BOOST_TEST(alone.exit_code == 0, alone.output);
        }
      }
}

BOOST_AUTO_TEST_CASE(xmlsec1_rejects_tampered_assertions) {
  for (const char* type : {token_saml11, token_saml20}) {
    BOOST_TEST_CONTEXT(type) {
      const auto t = issue(trust::v13, type, false, "alice");
      // Same length, different subject: the digest no longer matches.
      std::string forged = t.body;
      const auto at = forged.find(">alice<");
      BOOST_REQUIRE(at != std::string::npos);
      forged.replace(at, 7, ">mallo<");
      auto v = xmlsec_verify(forged);
      BOOST_TEST(v.exit_code != 0, v.output);

      // A changed signature value.
      std::string bad_sig = t.body;
      const auto sv = bad_sig.find("<ds:SignatureValue>") + 19;
      bad_sig[sv] = bad_sig[sv] == 'A' ? 'B' : 'A';
      auto v2 = xmlsec_verify(bad_sig);
      BOOST_TEST(v2.exit_code != 0, v2.output);
    }
  }
}

// The same facts without xmlsec1: DigestValue = SHA-256 of the canonical assertion without its
// signature, SignatureValue = RSA-SHA256 over the canonical SignedInfo.
BOOST_AUTO_TEST_CASE(digest_and_signature_recomputed) {
  auto identity = load_identity();
  for (const char* type : {token_saml11, token_saml20}) {
    BOOST_TEST_CONTEXT(type) {
      const auto t = issue(trust::feb2005, type, true);
      auto doc = xml::parse(t.assertion);
      BOOST_REQUIRE(doc);
      const xml::element a = doc->root();
      const xml::element sig = a.child(dsig, "Signature");
      BOOST_REQUIRE(sig);
      xml::c14n_options opts;
      opts.exclude = sig;
      auto canonical = xml::exclusive_c14n(a, opts);
      BOOST_REQUIRE(canonical);
      const auto digest = crypto::sha256(*canonical);
      const auto si = sig.child(dsig, "SignedInfo");
      const auto ref = si.child(dsig, "Reference");
      const std::string id =
          a.attribute("", std::string(type) == token_saml11 ? "AssertionID" : "ID").value_or("");
      BOOST_TEST(ref.attribute("", "URI").value_or("") == "#" + id);
      BOOST_TEST(ref.child(dsig, "DigestValue").text() ==
                 crypto::base64_encode(crypto::byte_view(digest.data(), digest.size())));
      auto si_canonical = xml::exclusive_c14n(si);
      BOOST_REQUIRE(si_canonical);
      auto value = crypto::base64_decode(sig.child(dsig, "SignatureValue").text());
      BOOST_REQUIRE(value);
      BOOST_TEST(identity.cert.verify(crypto::signature_hash::sha256, *si_canonical, *value));
      // KeyInfo carries the signing certificate.
      auto der = crypto::base64_decode(
          sig.child(dsig, "KeyInfo").child(dsig, "X509Data").child(dsig, "X509Certificate").text());
      BOOST_REQUIRE(der);
      BOOST_TEST(*der == identity.cert.der());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
