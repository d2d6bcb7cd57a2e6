// The sample STS's issuing engine end to end: hand-written RSTs in, replies checked by parsing
// them (sdk/xml reader) and recomputing what they must hold.
#include "sts_fixture.hpp"

#include <wst/sts/errc.hpp>
#include <wst/sts/issuer.hpp>

#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

using namespace wst::test::sts;

namespace {

struct engine {
  fixed_clock clk;
  fixed_random rng;
  std::unique_ptr<s::issuer> iss;

  explicit engine(s::issuer_options opts = {}, const char* users = nullptr) {
    std::unique_ptr<s::user_table> table;
    if (users) {
      auto t = s::user_table::parse(users);
      BOOST_REQUIRE(t);
      table = std::make_unique<s::user_table>(std::move(*t));
    }
    iss = std::make_unique<s::issuer>(std::move(opts), load_identity(), std::move(table), clk, rng);
  }
  s::http_response send(const rst_spec& sp) { return iss->respond(make_request(sp).view()); }
  s::http_response send_raw(std::string body, std::string content_type = "application/soap+xml") {
    owned_request r;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return iss->respond(r.view());
  }
};

std::string b64(const std::vector<std::uint8_t>& b) { return crypto::base64_encode(b); }

std::vector<std::uint8_t> range_bytes(std::uint8_t from, std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(from + i);
  return v;
}

std::string key_name_for(crypto::byte_view key) {
  auto h = crypto::sha1(key);
  return crypto::base64_encode(crypto::byte_view(h.data(), h.size()));
}

xml::element assertion_in(const xml::element& rstr, const std::string& t) {
  auto rst = rstr.child(t, "RequestedSecurityToken");
  BOOST_REQUIRE(rst);
  auto kids = rst.children();
  BOOST_REQUIRE_EQUAL(kids.size(), 1u);
  return kids[0];
}

// The holder-of-key KeyName of an assertion, or "" for bearer.
std::string confirmation_key_name(const xml::element& a) {
  if (a.namespace_uri() == saml1) {
    auto sc = a.child(saml1, "AuthenticationStatement")
                  .child(saml1, "Subject")
                  .child(saml1, "SubjectConfirmation");
    const std::string method(sc.child(saml1, "ConfirmationMethod").text());
    if (method == "urn:oasis:names:tc:SAML:1.0:cm:bearer") return "";
    BOOST_TEST(method == "urn:oasis:names:tc:SAML:1.0:cm:holder-of-key");
    return std::string(sc.child(dsig, "KeyInfo").child(dsig, "KeyName").text());
  }
  auto sc = a.child(saml2, "Subject").child(saml2, "SubjectConfirmation");
  const std::string method = sc.attribute("", "Method").value_or("");
  if (method == "urn:oasis:names:tc:SAML:2.0:cm:bearer") return "";
  BOOST_TEST(method == "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key");
  auto data = sc.child(saml2, "SubjectConfirmationData");
  BOOST_TEST(
      resolve_qname(
          data, data.attribute("http://www.w3.org/2001/XMLSchema-instance", "type").value_or("")) ==
      std::string("{") + saml2 + "}KeyInfoConfirmationDataType");
  return std::string(data.child(dsig, "KeyInfo").child(dsig, "KeyName").text());
}

std::string subject_of(const xml::element& a) {
  if (a.namespace_uri() == saml1)
    return std::string(a.child(saml1, "AuthenticationStatement")
                           .child(saml1, "Subject")
                           .child(saml1, "NameIdentifier")
                           .text());
  return std::string(a.child(saml2, "Subject").child(saml2, "NameID").text());
}

std::string header_text(const reply& r, const char* wsa_ns, const char* local) {
  return r.header ? std::string(r.header.child(wsa_ns, local).text()) : std::string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sts_issuer)

BOOST_AUTO_TEST_CASE(every_version_combination_gets_a_reply_in_the_same_versions) {
  for (trust tv : {trust::feb2005, trust::v13})
    for (soap sv : {soap::v11, soap::v12})
      for (wsa av : {wsa::none, wsa::aug2004, wsa::v10}) {
        BOOST_TEST_CONTEXT("trust " << int(tv) << " soap " << int(sv) << " wsa " << int(av)) {
          engine e;
          rst_spec sp;
          sp.trust_version = tv;
          sp.soap_version = sv;
          sp.addressing = av;
          sp.key_type = tv == trust::feb2005 ? bearer05 : bearer13;
          auto resp = e.send(sp);
          BOOST_TEST(resp.status == 200);
          BOOST_TEST(resp.content_type == (sv == soap::v11
                                               ? "text/xml; charset=utf-8"
                                               : "application/soap+xml; charset=utf-8"));
          auto r = parse_reply(resp);
          BOOST_TEST(r->envelope.namespace_uri() == (sv == soap::v11 ? soap11 : soap12));
          const std::string t = trust_uri(tv);
          const char* a = av == wsa::v10 ? wsa10 : wsa04;
          if (av == wsa::none) {
            BOOST_TEST((!r->header || !r->header.has_element_children()));
          } else {
            BOOST_TEST(header_text(*r, a, "Action") ==
                       t + (tv == trust::v13 ? "/RSTRC/IssueFinal" : "/RSTR/Issue"));
            BOOST_TEST(header_text(*r, a, "RelatesTo") == sp.message_id);
            BOOST_TEST(header_text(*r, a, "MessageID").rfind("urn:uuid:", 0) == 0u);
            if (av == wsa::aug2004)
              BOOST_TEST(header_text(*r, a, "To") ==
                         "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous");
          }
          auto rstr = rstr_of(*r, tv);
          BOOST_TEST(rstr.child(t, "TokenType").text() == token_saml20);
          BOOST_TEST(assertion_in(rstr, t).is(saml2, "Assertion"));
          BOOST_TEST(rstr.child(t, "KeyType").text() == *sp.key_type);
          BOOST_TEST(!rstr.child(t, "RequestedProofToken"));
          BOOST_TEST(!rstr.child(t, "Entropy"));
          auto lifetime = rstr.child(t, "Lifetime");
          BOOST_TEST(lifetime.child(wsu, "Created").text() == "2024-05-01T12:00:00.000Z");
          BOOST_TEST(lifetime.child(wsu, "Expires").text() == "2024-05-01T13:00:00.000Z");
        }
      }
}

BOOST_AUTO_TEST_CASE(saml_token_types_and_references) {
  struct kase {
    const char* requested;
    const char* ns;
    const char* reply_type;
    const char* value_type;
  } cases[] = {
      {token_saml11, saml1, token_saml11,
       "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID"},
      {saml1, saml1, saml1,
       "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID"},
      {token_saml20, saml2, token_saml20,
       "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID"},
      {saml2, saml2, saml2,
       "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID"},
  };
  for (const auto& c : cases) {
    for (trust tv : {trust::feb2005, trust::v13}) {
      BOOST_TEST_CONTEXT(c.requested << " trust " << int(tv)) {
        engine e;
        rst_spec sp;
        sp.trust_version = tv;
        sp.token_type = c.requested;
        sp.key_type = tv == trust::feb2005 ? bearer05 : bearer13;
        sp.context = "ctx-1";
        auto r = parse_reply(e.send(sp));
        BOOST_TEST(r->status == 200);
        const std::string t = trust_uri(tv);
        auto rstr = rstr_of(*r, tv);
        BOOST_TEST(rstr.attribute("", "Context").value_or("") == "ctx-1");
        BOOST_TEST(rstr.child(t, "TokenType").text() == c.reply_type);
        auto a = assertion_in(rstr, t);
        BOOST_TEST(a.is(c.ns, "Assertion"));
        const bool v11 = std::string(c.ns) == saml1;
        const std::string id = a.attribute("", v11 ? "AssertionID" : "ID").value_or("");
        BOOST_TEST(id.size() == 33u);
        BOOST_TEST(id[0] == '_');
        for (const char* which : {"RequestedAttachedReference", "RequestedUnattachedReference"}) {
          auto str = rstr.child(t, which).child(wsse, "SecurityTokenReference");
          BOOST_TEST(str.attribute(wsse11, "TokenType").value_or("") ==
                     (v11 ? token_saml11 : token_saml20));
          auto ki = str.child(wsse, "KeyIdentifier");
          BOOST_TEST(ki.attribute("", "ValueType").value_or("") == c.value_type);
          BOOST_TEST(ki.text() == id);
        }
        BOOST_TEST(subject_of(a) == "anonymous");
        BOOST_TEST(confirmation_key_name(a) == "");
        if (v11) {
          BOOST_TEST(a.attribute("", "MajorVersion").value_or("") == "1");
          BOOST_TEST(a.attribute("", "MinorVersion").value_or("") == "1");
          BOOST_TEST(a.attribute("", "Issuer").value_or("") == "urn:wst:sample-sts");
          BOOST_TEST(a.attribute("", "IssueInstant").value_or("") == "2024-05-01T12:00:00.000Z");
          auto cond = a.child(saml1, "Conditions");
          BOOST_TEST(cond.attribute("", "NotBefore").value_or("") == "2024-05-01T12:00:00.000Z");
          BOOST_TEST(cond.attribute("", "NotOnOrAfter").value_or("") == "2024-05-01T13:00:00.000Z");
          BOOST_TEST(
              cond.child(saml1, "AudienceRestrictionCondition").child(saml1, "Audience").text() ==
              "https://rp.example/service");
          BOOST_TEST(a.child(saml1, "AuthenticationStatement")
                         .attribute("", "AuthenticationMethod")
                         .value_or("") == "urn:oasis:names:tc:SAML:1.0:am:unspecified");
          // Signature last, as the SAML 1.1 schema orders it.
          BOOST_TEST(a.children().back().is(dsig, "Signature"));
        } else {
          BOOST_TEST(a.attribute("", "Version").value_or("") == "2.0");
          BOOST_TEST(a.child(saml2, "Issuer").text() == "urn:wst:sample-sts");
          BOOST_TEST(a.children().at(1).is(dsig, "Signature"));  // right after Issuer
          auto cond = a.child(saml2, "Conditions");
          BOOST_TEST(cond.attribute("", "NotOnOrAfter").value_or("") == "2024-05-01T13:00:00.000Z");
          BOOST_TEST(cond.child(saml2, "AudienceRestriction").child(saml2, "Audience").text() ==
                     "https://rp.example/service");
          BOOST_TEST(a.child(saml2, "AuthnStatement")
                         .child(saml2, "AuthnContext")
                         .child(saml2, "AuthnContextClassRef")
                         .text() == "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified");
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(no_applies_to_means_no_audience) {
  engine e;
  rst_spec sp;
  sp.applies_to.reset();
  sp.key_type = bearer13;
  auto r = parse_reply(e.send(sp));
  auto rstr = rstr_of(*r, trust::v13);
  BOOST_TEST(!rstr.child("http://schemas.xmlsoap.org/ws/2004/09/policy", "AppliesTo"));
  BOOST_TEST(
      !assertion_in(rstr, trust13).child(saml2, "Conditions").child(saml2, "AudienceRestriction"));
}

BOOST_AUTO_TEST_CASE(default_saml_version_is_configurable) {
  s::issuer_options o;
  o.default_saml = s::saml_version::v11;
  engine e(o);
  rst_spec sp;
  sp.key_type = bearer13;
  auto r = parse_reply(e.send(sp));
  auto rstr = rstr_of(*r, trust::v13);
  BOOST_TEST(rstr.child(trust13, "TokenType").text() == token_saml11);
  BOOST_TEST(assertion_in(rstr, trust13).is(saml1, "Assertion"));
}

BOOST_AUTO_TEST_CASE(server_entropy_sends_the_key_as_binary_secret) {
  for (const char* size : {"128", "256", "512"}) {
    BOOST_TEST_CONTEXT("KeySize " << size) {
      engine e;
      rst_spec sp;
      sp.key_type = std::string(trust13) + "/SymmetricKey";
      sp.key_size = size;
      auto r = parse_reply(e.send(sp));
      BOOST_TEST(r->status == 200);
      auto rstr = rstr_of(*r, trust::v13);
      auto secret = rstr.child(trust13, "RequestedProofToken").child(trust13, "BinarySecret");
      BOOST_REQUIRE(secret);
      auto key = crypto::base64_decode(secret.text());
      BOOST_REQUIRE(key);
      BOOST_TEST(key->size() * 8 == std::stoul(size));
      BOOST_TEST(rstr.child(trust13, "KeySize").text() == size);
      BOOST_TEST(!rstr.child(trust13, "Entropy"));
      BOOST_TEST(confirmation_key_name(assertion_in(rstr, trust13)) == key_name_for(*key));
    }
  }
}

BOOST_AUTO_TEST_CASE(absent_key_type_means_symmetric_with_the_default_size) {
  engine e;
  rst_spec sp;
  auto r = parse_reply(e.send(sp));
  auto rstr = rstr_of(*r, trust::v13);
  auto key = crypto::base64_decode(
      rstr.child(trust13, "RequestedProofToken").child(trust13, "BinarySecret").text());
  BOOST_REQUIRE(key);
  BOOST_TEST(key->size() == 32u);
  BOOST_TEST(!rstr.child(trust13, "KeyType"));
}

// Combined entropy with PROTOCOL.md's P_SHA1 check: secret 00..1f, seed 20..3f, 32 bytes.
BOOST_AUTO_TEST_CASE(combined_entropy_computes_the_psha1_key) {
  for (trust tv : {trust::feb2005, trust::v13}) {
    engine e;
    e.rng.queued.push_back(range_bytes(0x20, 32));  // the server entropy
    rst_spec sp;
    sp.trust_version = tv;
    const std::string t = trust_uri(tv);
    sp.key_type = t + "/SymmetricKey";
    sp.key_size = "256";
    sp.entropy_b64 = b64(range_bytes(0x00, 32));
    auto r = parse_reply(e.send(sp));
    BOOST_TEST(r->status == 200);
    auto rstr = rstr_of(*r, tv);
    BOOST_TEST(rstr.child(t, "RequestedProofToken").child(t, "ComputedKey").text() ==
               t + "/CK/PSHA1");
    auto server = rstr.child(t, "Entropy").child(t, "BinarySecret");
    BOOST_TEST(server.attribute("", "Type").value_or("") == t + "/Nonce");
    BOOST_TEST(server.text() == b64(range_bytes(0x20, 32)));
    BOOST_TEST(rstr.child(t, "KeySize").text() == "256");
    const auto expected =
        wst::test::from_hex("DF59132C2AF6D230E4337732076A14561694BE12838CC00203D63C816653D75B");
    BOOST_TEST(confirmation_key_name(assertion_in(rstr, t)) == key_name_for(expected));
  }
}

BOOST_AUTO_TEST_CASE(combined_entropy_honours_key_size) {
  engine e;
  rst_spec sp;
  sp.key_type = std::string(trust13) + "/SymmetricKey";
  sp.key_size = "512";
  const auto client = range_bytes(0x40, 24);
  sp.entropy_b64 = b64(client);
  auto r = parse_reply(e.send(sp));
  auto rstr = rstr_of(*r, trust::v13);
  auto server =
      crypto::base64_decode(rstr.child(trust13, "Entropy").child(trust13, "BinarySecret").text());
  BOOST_REQUIRE(server);
  BOOST_TEST(server->size() == 64u);
  auto key = crypto::p_sha1(client, *server, 64);
  BOOST_TEST(confirmation_key_name(assertion_in(rstr, trust13)) == key_name_for(key));
  BOOST_TEST(rstr.child(trust13, "KeySize").text() == "512");
}

BOOST_AUTO_TEST_CASE(client_entropy_as_the_key) {
  s::issuer_options o;
  o.client_entropy = s::client_entropy_policy::use_as_key;
  engine e(o);
  rst_spec sp;
  sp.key_type = std::string(trust13) + "/SymmetricKey";
  const auto client = range_bytes(0x11, 32);
  sp.entropy_b64 = b64(client);
  auto r = parse_reply(e.send(sp));
  auto rstr = rstr_of(*r, trust::v13);
  BOOST_TEST(!rstr.child(trust13, "RequestedProofToken"));
  BOOST_TEST(!rstr.child(trust13, "Entropy"));
  BOOST_TEST(rstr.child(trust13, "KeySize").text() == "256");
  BOOST_TEST(confirmation_key_name(assertion_in(rstr, trust13)) == key_name_for(client));

  // Naming the computed-key algorithm asks for combined entropy whatever the policy.
  sp.computed_key_algorithm = std::string(trust13) + "/CK/PSHA1";
  auto r2 = parse_reply(e.send(sp));
  BOOST_TEST(bool(rstr_of(*r2, trust::v13)
                      .child(trust13, "RequestedProofToken")
                      .child(trust13, "ComputedKey")));
}

BOOST_AUTO_TEST_CASE(bearer_ignores_entropy) {
  engine e;
  rst_spec sp;
  sp.key_type = bearer13;
  sp.entropy_b64 = b64(range_bytes(1, 32));
  auto rstr_reply = parse_reply(e.send(sp));
  auto rstr = rstr_of(*rstr_reply, trust::v13);
  BOOST_TEST(!rstr.child(trust13, "RequestedProofToken"));
  BOOST_TEST(!rstr.child(trust13, "KeySize"));
  BOOST_TEST(confirmation_key_name(assertion_in(rstr, trust13)) == "");
}

BOOST_AUTO_TEST_CASE(security_context_issue_and_renew) {
  for (trust tv : {trust::feb2005, trust::v13}) {
    for (const char* sc : {sc05, sc13}) {
      BOOST_TEST_CONTEXT("trust " << int(tv) << " sc " << sc) {
        engine e;
        const std::string t = trust_uri(tv);
        rst_spec sp;
        sp.trust_version = tv;
        sp.action = t + "/RST/SCT";
        sp.token_type = std::string(sc) + "/sct";
        sp.applies_to.reset();
        sp.entropy_b64 = b64(range_bytes(7, 32));
        sp.key_size = "256";
        auto r = parse_reply(e.send(sp));
        BOOST_REQUIRE_EQUAL(r->status, 200);
        BOOST_TEST(header_text(*r, wsa10, "Action") == t + "/RSTR/SCT");
        auto rstr = rstr_of(*r, tv);
        BOOST_TEST(rstr.child(t, "TokenType").text() == std::string(sc) + "/sct");
        auto sct = rstr.child(t, "RequestedSecurityToken").child(sc, "SecurityContextToken");
        BOOST_REQUIRE(sct);
        const std::string identifier(sct.child(sc, "Identifier").text());
        const std::string wsu_id = sct.attribute(wsu, "Id").value_or("");
        BOOST_TEST(identifier.rfind("urn:uuid:", 0) == 0u);
        BOOST_TEST(!wsu_id.empty());
        auto att = rstr.child(t, "RequestedAttachedReference")
                       .child(wsse, "SecurityTokenReference")
                       .child(wsse, "Reference");
        BOOST_TEST(att.attribute("", "URI").value_or("") == "#" + wsu_id);
        BOOST_TEST(att.attribute("", "ValueType").value_or("") == std::string(sc) + "/sct");
        auto un = rstr.child(t, "RequestedUnattachedReference")
                      .child(wsse, "SecurityTokenReference")
                      .child(wsse, "Reference");
        BOOST_TEST(un.attribute("", "URI").value_or("") == identifier);
        BOOST_TEST(bool(rstr.child(t, "RequestedProofToken").child(t, "ComputedKey")));

        // Renew by identifier.
        rst_spec rn;
        rn.trust_version = tv;
        rn.action = t + "/RST/SCT/Renew";
        rn.request_type = t + "/Renew";
        rn.token_type = std::string(sc) + "/sct";
        rn.applies_to.reset();
        rn.extra_body = "<t:RenewTarget><o:SecurityTokenReference xmlns:o=\"" + std::string(wsse) +
                        "\"><o:Reference URI=\"" + identifier +
                        "\"/></o:SecurityTokenReference></t:RenewTarget>";
        e.clk.t += std::chrono::minutes(30);
        auto r2 = parse_reply(e.send(rn));
        BOOST_REQUIRE_EQUAL(r2->status, 200);
        BOOST_TEST(header_text(*r2, wsa10, "Action") == t + "/RSTR/SCT/Renew");
        auto rstr2 = rstr_of(*r2, tv);
        auto sct2 = rstr2.child(t, "RequestedSecurityToken").child(sc, "SecurityContextToken");
        BOOST_TEST(sct2.child(sc, "Identifier").text() == identifier);
        BOOST_TEST(bool(sct2.child(sc, "Instance")) == (std::string(sc) == sc13));
        BOOST_TEST(rstr2.child(t, "Lifetime").child(wsu, "Expires").text() ==
                   "2024-05-01T13:30:00.000Z");
        auto key2 = crypto::base64_decode(
            rstr2.child(t, "RequestedProofToken").child(t, "BinarySecret").text());
        BOOST_REQUIRE(key2);
        BOOST_TEST(key2->size() == 32u);

        // Renew by a reference to the token carried in the Security header.
        rst_spec rh = rn;
        rh.extra_headers = "<o:Security xmlns:o=\"" + std::string(wsse) + "\" xmlns:u=\"" + wsu +
                           "\"><c:SecurityContextToken xmlns:c=\"" + sc +
                           "\" u:Id=\"tok-1\"><c:Identifier>" + identifier +
                           "</c:Identifier></c:SecurityContextToken></o:Security>";
        rh.extra_body =
            "<t:RenewTarget><o:SecurityTokenReference xmlns:o=\"" + std::string(wsse) +
            "\"><o:Reference URI=\"#tok-1\"/></o:SecurityTokenReference></t:RenewTarget>";
        BOOST_TEST(e.send(rh).status == 200);

        // Renew of a context never issued.
        rst_spec ru = rn;
        ru.extra_body = "<t:RenewTarget><o:SecurityTokenReference xmlns:o=\"" + std::string(wsse) +
                        "\"><o:Reference URI=\"urn:uuid:00000000-0000-4000-8000-000000000000\"/>"
                        "</o:SecurityTokenReference></t:RenewTarget>";
        auto r3 = parse_reply(e.send(ru));
        BOOST_TEST(r3->status == 500);
        auto f = fault_of(*r3);
        BOOST_TEST(f.subcode ==
                   "{" + std::string(tv == trust::feb2005 ? sc05 : sc13) + "}BadContextToken");
        BOOST_TEST(header_text(*r3, wsa10, "RelatesTo") == rn.message_id);

        auto c = e.iss->counters();
        BOOST_TEST(c.issued == 1u);
        BOOST_TEST(c.renewed == 2u);
        BOOST_TEST(c.faults == 1u);
        BOOST_TEST(c.requests == 4u);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(sct_through_rst_issue_and_default_sc_version) {
  engine e;
  rst_spec sp;
  sp.token_type = std::string(sc13) + "/sct";
  sp.applies_to.reset();
  auto r = parse_reply(e.send(sp));
  BOOST_TEST(header_text(*r, wsa10, "Action") == std::string(trust13) + "/RSTRC/IssueFinal");
  BOOST_TEST(bool(rstr_of(*r, trust::v13)
                      .child(trust13, "RequestedSecurityToken")
                      .child(sc13, "SecurityContextToken")));

  rst_spec sp2;
  sp2.trust_version = trust::feb2005;
  sp2.action = std::string(trust05) + "/RST/SCT";
  auto r2 = parse_reply(e.send(sp2));
  auto rstr2 = rstr_of(*r2, trust::feb2005);
  BOOST_TEST(rstr2.child(trust05, "TokenType").text() == std::string(sc05) + "/sct");
  BOOST_TEST(
      bool(rstr2.child(trust05, "RequestedSecurityToken").child(sc05, "SecurityContextToken")));
}

BOOST_AUTO_TEST_CASE(renew_with_rst_renew_action_gets_its_twin) {
  engine e;
  rst_spec sp;
  sp.action = std::string(trust13) + "/RST/SCT";
  auto rstr_reply = parse_reply(e.send(sp));
  auto rstr = rstr_of(*rstr_reply, trust::v13);
  const std::string id(rstr.child(trust13, "RequestedSecurityToken")
                           .child(sc13, "SecurityContextToken")
                           .child(sc13, "Identifier")
                           .text());
  rst_spec rn;
  rn.action = std::string(trust13) + "/RST/Renew";
  rn.request_type = std::string(trust13) + "/Renew";
  rn.extra_body = "<t:RenewTarget><c:SecurityContextToken xmlns:c=\"" + std::string(sc13) +
                  "\"><c:Identifier>" + id +
                  "</c:Identifier></c:SecurityContextToken></t:RenewTarget>";
  auto r = parse_reply(e.send(rn));
  BOOST_TEST(r->status == 200);
  BOOST_TEST(header_text(*r, wsa10, "Action") == std::string(trust13) + "/RSTR/Renew");
}

BOOST_AUTO_TEST_CASE(users_file_requires_credentials) {
  engine e({}, "# accounts\nalice:secret\r\nbob:pa:ss\n");
  rst_spec sp;
  sp.key_type = bearer13;

  auto none = e.send(sp);
  BOOST_TEST(none.status == 401);
  BOOST_REQUIRE_EQUAL(none.headers.size(), 1u);
  BOOST_TEST(none.headers[0].first == "WWW-Authenticate");
  BOOST_TEST(none.headers[0].second.rfind("Basic ", 0) == 0u);
  BOOST_TEST(fault_of(*parse_reply(none)).subcode ==
             std::string("{") + trust13 + "}FailedAuthentication");

  sp.username = std::make_pair("alice", "wrong");
  auto wrong = e.send(sp);
  BOOST_TEST(wrong.status == 500);
  BOOST_TEST(fault_of(*parse_reply(wrong)).subcode ==
             std::string("{") + trust13 + "}FailedAuthentication");

  sp.username = std::make_pair("alice", "secret");
  auto ok = parse_reply(e.send(sp));
  BOOST_TEST(ok->status == 200);
  auto a = assertion_in(rstr_of(*ok, trust::v13), trust13);
  BOOST_TEST(subject_of(a) == "alice");
  BOOST_TEST(a.child(saml2, "AuthnStatement")
                 .child(saml2, "AuthnContext")
                 .child(saml2, "AuthnContextClassRef")
                 .text() == "urn:oasis:names:tc:SAML:2.0:ac:classes:Password");

  sp.username.reset();
  sp.authorization = "Basic " + crypto::base64_encode(std::string_view("bob:pa:ss"));
  auto basic = parse_reply(e.send(sp));
  BOOST_TEST(basic->status == 200);
  BOOST_TEST(subject_of(assertion_in(rstr_of(*basic, trust::v13), trust13)) == "bob");

  sp.authorization = "Basic " + crypto::base64_encode(std::string_view("bob:nope"));
  BOOST_TEST(e.send(sp).status == 401);
  sp.authorization = "Basic !!!";
  BOOST_TEST(e.send(sp).status == 401);
  sp.authorization = "Bearer abc";
  BOOST_TEST(e.send(sp).status == 401);
  sp.authorization = "Basic " + crypto::base64_encode(std::string_view("bo\x01b:pa:ss"));
  BOOST_TEST(e.send(sp).status == 401);  // control character
  sp.authorization = "Basic " + crypto::base64_encode(std::string_view("b\xffob:pa:ss"));
  BOOST_TEST(e.send(sp).status == 401);  // not UTF-8

  // Digest passwords are refused even with the right user.
  sp.authorization.clear();
  sp.extra_headers = std::string("<o:Security xmlns:o=\"") + wsse +
                     "\"><o:UsernameToken><o:Username>alice</o:Username>"
                     "<o:Password "
                     "Type=\"http://docs.oasis-open.org/wss/2004/01/"
                     "oasis-200401-wss-username-token-profile-1.0#PasswordDigest\">x</o:Password>"
                     "</o:UsernameToken></o:Security>";
  auto digest = e.send(sp);
  BOOST_TEST(digest.status == 500);
  BOOST_TEST(fault_of(*parse_reply(digest)).subcode ==
             std::string("{") + trust13 + "}FailedAuthentication");
}

BOOST_AUTO_TEST_CASE(without_users_file_anyone_is_served_under_the_name_given) {
  engine e;
  rst_spec sp;
  sp.key_type = bearer13;
  sp.token_type = token_saml11;
  sp.username = std::make_pair("carol", "anything");
  auto r = parse_reply(e.send(sp));
  auto a = assertion_in(rstr_of(*r, trust::v13), trust13);
  BOOST_TEST(subject_of(a) == "carol");
  BOOST_TEST(a.child(saml1, "AuthenticationStatement")
                 .attribute("", "AuthenticationMethod")
                 .value_or("") == "urn:oasis:names:tc:SAML:1.0:am:unspecified");

  // A UTF-8 name from HTTP Basic, with characters XML must escape.
  rst_spec sb;
  sb.key_type = bearer13;
  sb.authorization = "Basic " + crypto::base64_encode(std::string_view("j\xc3\xbcrgen <&>:x"));
  auto rb = parse_reply(e.send(sb));
  BOOST_TEST(subject_of(assertion_in(rstr_of(*rb, trust::v13), trust13)) == "j\xc3\xbcrgen <&>");
}

BOOST_AUTO_TEST_CASE(renew_needs_no_credentials_but_checks_the_owner) {
  engine e({}, "alice:secret\nbob:bob\n");
  rst_spec sp;
  sp.action = std::string(trust13) + "/RST/SCT";
  sp.username = std::make_pair("alice", "secret");
  auto rstr_reply = parse_reply(e.send(sp));
  auto rstr = rstr_of(*rstr_reply, trust::v13);
  const std::string id(rstr.child(trust13, "RequestedSecurityToken")
                           .child(sc13, "SecurityContextToken")
                           .child(sc13, "Identifier")
                           .text());
  rst_spec rn;
  rn.action = std::string(trust13) + "/RST/SCT/Renew";
  rn.request_type = std::string(trust13) + "/Renew";
  rn.extra_body = "<t:RenewTarget><o:SecurityTokenReference xmlns:o=\"" + std::string(wsse) +
                  "\"><o:Reference URI=\"" + id + "\"/></o:SecurityTokenReference></t:RenewTarget>";
  BOOST_TEST(e.send(rn).status == 200);
  rn.username = std::make_pair("bob", "bob");
  auto other = e.send(rn);
  BOOST_TEST(other.status == 500);
  BOOST_TEST(fault_of(*parse_reply(other)).subcode ==
             std::string("{") + trust13 + "}FailedAuthentication");
}

namespace {

struct fault_case {
  std::string name;
  rst_spec spec;
  std::string code;     // "{ns}local" of the SOAP 1.2 Code / SOAP 1.1 faultcode
  std::string subcode;  // SOAP 1.2 only
  bool parsed = true;   // the STS got far enough to read the MessageID
};

std::vector<fault_case> fault_cases() {
  const std::string t = trust13;
  const std::string sender = std::string("{") + soap12 + "}Sender";
  auto tcode = [&](const char* local) { return "{" + t + "}" + local; };
  std::vector<fault_case> v;
  auto add = [&](std::string name, auto tweak, std::string code, std::string sub) {
    fault_case c{std::move(name), {}, std::move(code), std::move(sub)};
    c.spec.key_type = bearer13;
    tweak(c.spec);
    v.push_back(std::move(c));
  };
  add(
      "unknown trust version", [](rst_spec& s) { s.trust_ns = "http://example.org/trust"; }, sender,
      tcode("BadRequest"));
  add(
      "unsupported token type", [](rst_spec& s) { s.token_type = "urn:example:token"; }, sender,
      tcode("BadRequest"));
  add(
      "public key", [&](rst_spec& s) { s.key_type = t + "/PublicKey"; }, sender,
      tcode("BadRequest"));
  add(
      "unknown key type", [](rst_spec& s) { s.key_type = "urn:example:key"; }, sender,
      tcode("BadRequest"));
  add(
      "bearer sct", [&](rst_spec& s) { s.action = t + "/RST/SCT"; }, sender, tcode("BadRequest"));
  add(
      "saml on sct action",
      [&](rst_spec& s) {
        s.action = t + "/RST/SCT";
        s.key_type.reset();
        s.token_type = token_saml20;
      },
      sender, tcode("BadRequest"));
  add(
      "key size text",
      [](rst_spec& s) {
        s.key_type.reset();
        s.key_size = "abc";
      },
      sender, tcode("InvalidRequest"));
  add(
      "key size small",
      [](rst_spec& s) {
        s.key_type.reset();
        s.key_size = "64";
      },
      sender, tcode("InvalidRequest"));
  add(
      "key size large",
      [](rst_spec& s) {
        s.key_type.reset();
        s.key_size = "4096";
      },
      sender, tcode("InvalidRequest"));
  add(
      "key size odd",
      [](rst_spec& s) {
        s.key_type.reset();
        s.key_size = "257";
      },
      sender, tcode("InvalidRequest"));
  add(
      "entropy not base64",
      [](rst_spec& s) {
        s.key_type.reset();
        s.entropy_b64 = "@@@@";
      },
      sender, tcode("InvalidRequest"));
  add(
      "entropy too short",
      [](rst_spec& s) {
        s.key_type.reset();
        s.entropy_b64 = "AAAAAAAAAAA=";
      },
      sender, tcode("InvalidRequest"));
  add(
      "encrypted entropy",
      [](rst_spec& s) {
        s.key_type.reset();
        s.extra_body =
            "<t:Entropy><x:EncryptedKey "
            "xmlns:x=\"http://www.w3.org/2001/04/xmlenc#\"/></t:Entropy>";
      },
      sender, tcode("BadRequest"));
  add(
      "computed key without entropy",
      [&](rst_spec& s) {
        s.key_type.reset();
        s.computed_key_algorithm = t + "/CK/PSHA1";
      },
      sender, tcode("InvalidRequest"));
  add(
      "unknown computed key",
      [](rst_spec& s) {
        s.key_type.reset();
        s.computed_key_algorithm = "urn:x";
      },
      sender, tcode("BadRequest"));
  add(
      "request type validate", [&](rst_spec& s) { s.request_type = t + "/Validate"; }, sender,
      tcode("BadRequest"));
  add(
      "request type mismatch", [&](rst_spec& s) { s.request_type = t + "/Renew"; }, sender,
      tcode("InvalidRequest"));
  add(
      "unknown request type", [&](rst_spec& s) { s.request_type = "urn:example:type"; }, sender,
      tcode("BadRequest"));
  add(
      "duplicate token type",
      [](rst_spec& s) {
        s.token_type = token_saml20;
        s.extra_body = std::string("<t:TokenType>") + token_saml20 + "</t:TokenType>";
      },
      sender, tcode("InvalidRequest"));
  add(
      "applies to without address",
      [](rst_spec& s) {
        s.applies_to.reset();
        s.extra_body = "<p:AppliesTo xmlns:p=\"http://schemas.xmlsoap.org/ws/2004/09/policy\"/>";
      },
      sender, tcode("InvalidRequest"));
  add(
      "renew without target",
      [&](rst_spec& s) {
        s.action = t + "/RST/SCT/Renew";
        s.request_type = t + "/Renew";
        s.key_type.reset();
      },
      sender, tcode("InvalidRequest"));
  add(
      "unknown action", [](rst_spec& s) { s.action = "urn:example:action"; }, sender,
      std::string("{") + wsa10 + "}ActionNotSupported");
  add(
      "cancel action", [&](rst_spec& s) { s.action = t + "/RST/SCT/Cancel"; }, sender,
      std::string("{") + wsa10 + "}ActionNotSupported");
  add(
      "action of the other version",
      [](rst_spec& s) { s.action = std::string(trust05) + "/RST/Issue"; }, sender,
      tcode("InvalidRequest"));
  add(
      "missing message id", [](rst_spec& s) { s.message_id.clear(); }, sender,
      std::string("{") + wsa10 + "}MessageAddressingHeaderRequired");
  add(
      "missing message id 2004",
      [](rst_spec& s) {
        s.message_id.clear();
        s.addressing = wsa::aug2004;
      },
      sender, std::string("{") + wsa04 + "}MessageInformationHeaderRequired");
  add(
      "mixed addressing",
      [](rst_spec& s) { s.extra_headers = std::string("<b:From xmlns:b=\"") + wsa04 + "\"/>"; },
      sender, tcode("InvalidRequest"));
  add(
      "must understand",
      [](rst_spec& s) { s.extra_headers = "<x:Foo xmlns:x=\"urn:x\" s:mustUnderstand=\"true\"/>"; },
      std::string("{") + soap12 + "}MustUnderstand", "");
  add(
      "too deep",
      [](rst_spec& s) {
        for (int i = 0; i < 40; ++i) s.extra_body += "<t:X>";
        for (int i = 0; i < 40; ++i) s.extra_body += "</t:X>";
      },
      sender, tcode("InvalidRequest"));
  v.back().parsed = false;  // refused before parsing: no RelatesTo
  return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_bad_request_gets_its_fault_code) {
  for (const auto& c : fault_cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      engine e;
      auto resp = e.send(c.spec);
      BOOST_TEST(resp.status == 500);
      auto r = parse_reply(resp);
      auto f = fault_of(*r);
      BOOST_TEST(f.code == c.code);
      BOOST_TEST(f.subcode == c.subcode);
      BOOST_TEST(!f.reason.empty());
      if (!c.spec.message_id.empty() && c.parsed) {
        const char* a = c.spec.addressing == wsa::aug2004 ? wsa04 : wsa10;
        BOOST_TEST(header_text(*r, a, "RelatesTo") == c.spec.message_id);
        BOOST_TEST(header_text(*r, a, "Action") ==
                   std::string(a) + (c.spec.addressing == wsa::aug2004 ? "/fault" : "/soap/fault"));
      }
      BOOST_TEST(e.iss->counters().faults == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(soap11_faults_use_the_subcode_as_faultcode) {
  engine e;
  rst_spec sp;
  sp.soap_version = soap::v11;
  sp.token_type = "urn:example:token";
  auto r = parse_reply(e.send(sp));
  auto f = fault_of(*r);
  BOOST_TEST(f.code == std::string("{") + trust13 + "}BadRequest");
  BOOST_TEST(r->body_child.child("", "faultstring")
                 .attribute("http://www.w3.org/XML/1998/namespace", "lang")
                 .value_or("") == "en");

  sp.token_type.reset();
  sp.extra_headers = "<x:Foo xmlns:x=\"urn:x\" s:mustUnderstand=\"1\"/>";
  BOOST_TEST(fault_of(*parse_reply(e.send(sp))).code ==
             std::string("{") + soap11 + "}MustUnderstand");

  // A mustUnderstand="0" block is simply ignored.
  sp.extra_headers = "<x:Foo xmlns:x=\"urn:x\" s:mustUnderstand=\"0\"/>";
  BOOST_TEST(e.send(sp).status == 200);
}

BOOST_AUTO_TEST_CASE(soap12_must_understand_names_the_block) {
  engine e;
  rst_spec sp;
  sp.extra_headers = "<x:Foo xmlns:x=\"urn:x\" s:mustUnderstand=\"1\"/>";
  auto r = parse_reply(e.send(sp));
  auto nu = r->header.child(soap12, "NotUnderstood");
  BOOST_REQUIRE(nu);
  BOOST_TEST(resolve_qname(nu, nu.attribute("", "qname").value_or("")) == "{urn:x}Foo");
}

BOOST_AUTO_TEST_CASE(version_mismatch) {
  engine e;
  rst_spec sp;
  sp.envelope_ns = "http://example.org/envelope";
  auto r12 = parse_reply(e.send(sp));
  BOOST_TEST(r12->status == 500);
  BOOST_TEST(r12->envelope.namespace_uri() == soap12);
  BOOST_TEST(fault_of(*r12).code == std::string("{") + soap12 + "}VersionMismatch");
  auto upgrade = r12->header.child(soap12, "Upgrade");
  BOOST_REQUIRE(upgrade);
  BOOST_TEST(upgrade.count_children(soap12, "SupportedEnvelope") == 2u);

  sp.soap_version = soap::v11;
  auto r11 = parse_reply(e.send(sp));
  BOOST_TEST(r11->envelope.namespace_uri() == soap11);
  BOOST_TEST(fault_of(*r11).code == std::string("{") + soap11 + "}VersionMismatch");
}

BOOST_AUTO_TEST_CASE(malformed_messages) {
  engine e;
  const std::string t = std::string("{") + trust13 + "}InvalidRequest";
  for (std::string body :
       {std::string(""), std::string("   "), std::string("<s:Envelope"), std::string("not xml"),
        std::string("<foo/>"), std::string("<!DOCTYPE x [<!ENTITY a \"b\">]><x/>"),
        std::string("<s:Envelope xmlns:s=\"") + soap12 + "\"/>",
        std::string("<s:Envelope xmlns:s=\"") + soap12 + "\"><s:Body/></s:Envelope>",
        std::string("<s:Envelope xmlns:s=\"") + soap12 +
            "\"><s:Body><a/><b/></s:Body></s:Envelope>",
        std::string("<s:Envelope xmlns:s=\"") + soap12 + "\"><s:Body><a/></s:Body></s:Envelope>",
        std::string("<s:Envelope xmlns:s=\"") + soap12 + "\"><s:Body/><s:Header/></s:Envelope>",
        std::string("<s:Envelope xmlns:s=\"") + soap12 + "\"><s:Body/><s:Body/></s:Envelope>",
        std::string("\xff\xfe<x/>")}) {
    BOOST_TEST_CONTEXT(body) {
      auto r = parse_reply(e.send_raw(body));
      BOOST_TEST(r->status == 500);
      auto f = fault_of(*r);
      BOOST_TEST(f.subcode == t);
    }
  }
}

BOOST_AUTO_TEST_CASE(request_size_is_limited) {
  s::issuer_options o;
  o.max_request_bytes = 2000;
  engine e(o);
  rst_spec sp;
  sp.extra_body = "<t:Pad>" + std::string(3000, 'x') + "</t:Pad>";
  auto r = parse_reply(e.send(sp));
  BOOST_TEST(r->status == 500);
  auto f = fault_of(*r);
  BOOST_TEST(f.subcode == std::string("{") + trust13 + "}InvalidRequest");
  BOOST_TEST(f.reason.find("limit") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(actions_may_come_from_http_alone) {
  engine e;
  rst_spec sp;
  sp.addressing = wsa::none;
  sp.soap_version = soap::v11;
  auto req = make_request(sp);
  req.soap_action = std::string(trust13) + "/RST/Issue";  // unquoted is accepted too
  BOOST_TEST(e.iss->respond(req.view()).status == 200);
  req.soap_action.clear();
  auto r = parse_reply(e.iss->respond(req.view()));
  BOOST_TEST(fault_of(*r).subcode.empty());  // SOAP 1.1: the code is the faultcode
  BOOST_TEST(fault_of(*r).code == std::string("{") + trust13 + "}InvalidRequest");

  // A wsa:Action that contradicts the HTTP action.
  rst_spec sp2;
  auto req2 = make_request(sp2);
  req2.content_type = "application/soap+xml; action=\"urn:other\"";
  BOOST_TEST(fault_of(*parse_reply(e.iss->respond(req2.view()))).subcode ==
             std::string("{") + trust13 + "}InvalidRequest");
}

BOOST_AUTO_TEST_CASE(secondary_parameters_supply_missing_ones) {
  engine e;
  rst_spec sp;
  sp.extra_body = std::string("<t:SecondaryParameters><t:TokenType>") + token_saml11 +
                  "</t:TokenType><t:KeyType>" + bearer13 + "</t:KeyType></t:SecondaryParameters>";
  auto rstr_reply = parse_reply(e.send(sp));
  auto rstr = rstr_of(*rstr_reply, trust::v13);
  BOOST_TEST(rstr.child(trust13, "TokenType").text() == token_saml11);
  BOOST_TEST(!rstr.child(trust13, "RequestedProofToken"));
}

BOOST_AUTO_TEST_CASE(every_truncation_of_a_request_is_refused_cleanly) {
  engine e;
  rst_spec sp;
  sp.entropy_b64 = b64(range_bytes(3, 32));
  const auto whole = make_request(sp);
  std::size_t faults = 0;
  for (std::size_t n = 0; n < whole.body.size(); ++n) {
    owned_request cut = whole;
    cut.body.resize(n);
    auto resp = e.iss->respond(cut.view());
    if (resp.status == 500)
      ++faults;
    else
      BOOST_TEST(resp.status == 200, "prefix of " << n << " bytes");
  }
  BOOST_TEST(faults == whole.body.size());  // no prefix is a complete document
  BOOST_TEST(e.iss->respond(whole.view()).status == 200);
}

BOOST_AUTO_TEST_CASE(byte_mutations_never_break_the_engine) {
  engine e;
  rst_spec sp;
  sp.key_type = std::string(trust13) + "/SymmetricKey";
  sp.entropy_b64 = b64(range_bytes(3, 32));
  const auto whole = make_request(sp);
  for (std::size_t i = 0; i < whole.body.size(); i += 3) {
    for (char c : {'<', '>', '"', '&', '\0', ':'}) {
      owned_request m = whole;
      m.body[i] = c;
      auto resp = e.iss->respond(m.view());
      BOOST_TEST((resp.status == 200 || resp.status == 500));
      if (resp.status == 500) parse_reply(resp);  // every fault is well-formed
    }
  }
}

BOOST_AUTO_TEST_CASE(fixed_clock_and_random_give_identical_bytes) {
  rst_spec sp;
  sp.key_type = std::string(trust13) + "/SymmetricKey";
  sp.entropy_b64 = b64(range_bytes(9, 32));
  engine a, b;
  const auto ra = a.send(sp), rb = b.send(sp);
  BOOST_TEST(ra.body == rb.body);
  BOOST_TEST(a.send(sp).body != ra.body);  // a second issuance draws fresh identifiers
}

BOOST_AUTO_TEST_SUITE_END()
