#include "sts_fixture.hpp"

#include <boost/test/unit_test.hpp>

namespace wst::test::sts {

const identity_pem& test_identity() {
  static const identity_pem pem = [] {
    auto id = s::signing_identity::generate("wst-sts-test");
    if (!id) BOOST_FAIL("cannot generate the test identity: " + id.error().describe());
    return identity_pem{id->key.to_pem(), id->cert.to_pem()};
  }();
  return pem;
}

s::signing_identity load_identity() {
  auto id = s::signing_identity::from_pem(test_identity().key, test_identity().cert);
  if (!id) BOOST_FAIL("cannot load the test identity: " + id.error().describe());
  return std::move(*id);
}

std::string trust_uri(trust t) { return t == trust::feb2005 ? trust05 : trust13; }

std::string build_rst(const rst_spec& sp) {
  const std::string env_ns = !sp.envelope_ns.empty()        ? sp.envelope_ns
                             : sp.soap_version == soap::v11 ? soap11
                                                            : soap12;
  const std::string t = trust_uri(sp.trust_version);
  const std::string rst_ns = sp.trust_ns.empty() ? t : sp.trust_ns;
  const std::string action = sp.action.empty() ? t + "/RST/Issue" : sp.action;
  std::string x = "<s:Envelope xmlns:s=\"" + env_ns + "\"";
  if (sp.addressing != wsa::none)
    x += std::string(" xmlns:a=\"") + (sp.addressing == wsa::v10 ? wsa10 : wsa04) + "\"";
  x += "><s:Header>";
  if (sp.addressing != wsa::none) {
    x += "<a:Action s:mustUnderstand=\"1\">" + action + "</a:Action>";
    if (!sp.message_id.empty()) x += "<a:MessageID>" + sp.message_id + "</a:MessageID>";
    x += "<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></"
         "a:ReplyTo>";
    x += "<a:To s:mustUnderstand=\"1\">http://127.0.0.1/sts</a:To>";
  }
  if (sp.username) {
    x += std::string("<o:Security s:mustUnderstand=\"1\" xmlns:o=\"") + wsse +
         "\"><o:UsernameToken>";
    x += "<o:Username>" + sp.username->first + "</o:Username>";
    x += "<o:Password "
         "Type=\"http://docs.oasis-open.org/wss/2004/01/"
         "oasis-200401-wss-username-token-profile-1.0#PasswordText\">" +
         sp.username->second + "</o:Password>";
    x += "</o:UsernameToken></o:Security>";
  }
  x += sp.extra_headers;
  x += "</s:Header><s:Body><t:RequestSecurityToken xmlns:t=\"" + rst_ns + "\"";
  if (sp.context) x += " Context=\"" + *sp.context + "\"";
  x += ">";
  if (sp.token_type) x += "<t:TokenType>" + *sp.token_type + "</t:TokenType>";
  x += "<t:RequestType>" + (sp.request_type.empty() ? t + "/Issue" : sp.request_type) +
       "</t:RequestType>";
  if (sp.applies_to) {
    x += "<wsp:AppliesTo xmlns:wsp=\"http://schemas.xmlsoap.org/ws/2004/09/policy\">"
         "<e:EndpointReference xmlns:e=\"" +
         std::string(wsa10) + "\"><e:Address>" + *sp.applies_to +
         "</e:Address></e:EndpointReference></wsp:AppliesTo>";
  }
  if (sp.key_type) x += "<t:KeyType>" + *sp.key_type + "</t:KeyType>";
  if (sp.key_size) x += "<t:KeySize>" + *sp.key_size + "</t:KeySize>";
  if (sp.entropy_b64)
    x += "<t:Entropy><t:BinarySecret Type=\"" + t + "/Nonce\">" + *sp.entropy_b64 +
         "</t:BinarySecret></t:Entropy>";
  if (sp.computed_key_algorithm)
    x += "<t:ComputedKeyAlgorithm>" + *sp.computed_key_algorithm + "</t:ComputedKeyAlgorithm>";
  x += sp.extra_body;
  x += "</t:RequestSecurityToken></s:Body></s:Envelope>";
  return x;
}

s::http_request owned_request::view() const {
  s::http_request r;
  r.content_type = content_type;
  r.soap_action = soap_action;
  r.authorization = authorization;
  r.body = body;
  return r;
}

owned_request make_request(const rst_spec& sp) {
  owned_request r;
  r.body = build_rst(sp);
  const std::string action =
      sp.action.empty() ? trust_uri(sp.trust_version) + "/RST/Issue" : sp.action;
  if (sp.soap_version == soap::v11) {
    r.content_type = "text/xml; charset=utf-8";
    r.soap_action = "\"" + action + "\"";
  } else {
    r.content_type = "application/soap+xml; charset=utf-8; action=\"" + action + "\"";
  }
  r.authorization = sp.authorization;
  return r;
}

std::unique_ptr<reply> parse_reply(const s::http_response& resp) {
  xml::limits lim;
  lim.max_bytes = 1 << 20;
  auto doc = xml::parse(resp.body, lim);
  if (!doc) BOOST_FAIL("reply does not parse: " + doc.error().describe() + "\n" + resp.body);
  auto r = std::make_unique<reply>(std::move(*doc));
  r->status = resp.status;
  r->body = resp.body;
  r->envelope = r->doc.root();
  const std::string_view ns = r->envelope.namespace_uri();
  r->header = r->envelope.child(ns, "Header");
  auto body = r->envelope.child(ns, "Body");
  BOOST_REQUIRE(body);
  auto kids = body.children();
  BOOST_REQUIRE_EQUAL(kids.size(), 1u);
  r->body_child = kids[0];
  return r;
}

xml::element rstr_of(const reply& r, trust t) {
  const std::string ns = trust_uri(t);
  if (t == trust::v13) {
    BOOST_REQUIRE(r.body_child.is(ns, "RequestSecurityTokenResponseCollection"));
    BOOST_REQUIRE_EQUAL(r.body_child.count_children(ns, "RequestSecurityTokenResponse"), 1u);
    return r.body_child.child(ns, "RequestSecurityTokenResponse");
  }
  BOOST_REQUIRE(r.body_child.is(ns, "RequestSecurityTokenResponse"));
  return r.body_child;
}

std::string resolve_qname(const xml::element& at, std::string_view qname) {
  const std::size_t colon = qname.find(':');
  const std::string_view prefix =
      colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
  const std::string_view local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
  auto uri = at.lookup_namespace(prefix);
  return "{" + std::string(uri ? *uri : "?undeclared?") + "}" + std::string(local);
}

fault_codes fault_of(const reply& r) {
  fault_codes f;
  const std::string_view ns = r.envelope.namespace_uri();
  BOOST_REQUIRE(r.body_child.is(ns, "Fault"));
  if (ns == soap11) {
    auto code = r.body_child.child("", "faultcode");
    BOOST_REQUIRE(code);
    f.code = resolve_qname(code, code.text());
    f.reason = r.body_child.child("", "faultstring").text();
  } else {
    auto code = r.body_child.child(ns, "Code");
    BOOST_REQUIRE(code);
    auto value = code.child(ns, "Value");
    f.code = resolve_qname(value, value.text());
    if (auto sub = code.child(ns, "Subcode")) {
      auto sv = sub.child(ns, "Value");
      f.subcode = resolve_qname(sv, sv.text());
    }
    f.reason = r.body_child.child(ns, "Reason").child(ns, "Text").text();
  }
  return f;
}

}  // namespace wst::test::sts
