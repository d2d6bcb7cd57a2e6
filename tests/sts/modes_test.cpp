// The sample STS's sans-I/O pieces around the issuer: users file, fault specifications and how
// they shape a reply, replay templates, and the service's routing and counters.
#include "sts_fixture.hpp"

#include <wst/sts/errc.hpp>
#include <wst/sts/fault.hpp>
#include <wst/sts/replay.hpp>
#include <wst/sts/service.hpp>
#include <wst/sts/users.hpp>

#include <boost/test/unit_test.hpp>

using namespace wst::test::sts;
using namespace std::chrono_literals;

namespace {

// A responder that answers with a fixed body and counts its calls.
struct canned final : s::responder {
  int calls = 0;
  s::http_response respond(const s::http_request&) override {
    ++calls;
    s::http_response r;
    r.content_type = "text/xml";
    r.body = "<ok/>";
    return r;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sts_modes)

BOOST_AUTO_TEST_CASE(users_file_lines) {
  auto t = s::user_table::parse("# comment\n\nalice:secret\r\nbob:a:b:c\ncarol:\n");
  BOOST_REQUIRE(t);
  BOOST_TEST(t->size() == 3u);
  BOOST_TEST(t->check("alice", "secret"));
  BOOST_TEST(!t->check("alice", "secret "));
  BOOST_TEST(!t->check("alice", "Secret"));
  BOOST_TEST(t->check("bob", "a:b:c"));
  BOOST_TEST(t->check("carol", ""));
  BOOST_TEST(!t->check("dave", ""));
  BOOST_TEST(!t->check("", ""));

  for (const char* bad : {"nocolon\n", ":nouser\n", "a:1\na:2\n", "x:\x01y\n"}) {
    auto r = s::user_table::parse(bad);
    BOOST_TEST_CONTEXT(bad) {
      BOOST_REQUIRE(!r);
      BOOST_TEST(r.error().code == s::errc::bad_users_file);
      BOOST_TEST(r.error().message.find("line") != std::string::npos);
    }
  }
  BOOST_TEST(!s::user_table::parse(std::string(s::user_table::max_line_bytes + 1, 'a') + ":b"));
  BOOST_TEST(!s::user_table::parse(std::string(s::user_table::max_file_bytes + 1, '#')));
  BOOST_TEST(!s::user_table::load("/nonexistent/users"));
}

BOOST_AUTO_TEST_CASE(fault_specs_parse) {
  auto d = s::fault_spec::parse("delay:250");
  BOOST_REQUIRE(d);
  BOOST_TEST(int(d->kind) == int(s::fault_kind::delay));
  BOOST_TEST(d->delay.count() == 250);
  auto t = s::fault_spec::parse("truncate:17");
  BOOST_REQUIRE(t);
  BOOST_TEST(*t->bytes == 17u);
  BOOST_TEST(!s::fault_spec::parse("truncate")->bytes.has_value());
  BOOST_TEST(*s::fault_spec::parse("garbage:5")->bytes == 5u);
  for (const char* ok : {"none", "reset", "stall", "http500", "garbage"})
    BOOST_TEST(s::fault_spec::parse(ok).has_value(), ok);
  auto r = s::fault_spec::parse("reset:300");
  BOOST_REQUIRE(r);
  BOOST_TEST(int(r->kind) == int(s::fault_kind::reset));
  BOOST_TEST(*r->bytes == 300u);
  BOOST_TEST(!s::fault_spec::parse("reset")->bytes.has_value());
  auto c = s::fault_spec::parse("ctype:text/html; charset=iso-8859-1");
  BOOST_REQUIRE(c);
  BOOST_TEST(int(c->kind) == int(s::fault_kind::content_type));
  BOOST_TEST(c->content_type == "text/html; charset=iso-8859-1");
  auto no_type = s::fault_spec::parse("ctype:");
  BOOST_REQUIRE(no_type);
  BOOST_TEST(no_type->content_type.empty());
  for (const char* bad :
       {"", "explode", "delay", "delay:", "delay:x", "delay:600001", "reset:", "reset:x",
        "reset:1048577", "http500:2", "garbage:0", "garbage:65537", "truncate:-1",
        "stall:", "ctype", "ctype:a\r\nX-Injected: 1", "ctype:caf\xc3\xa9"}) {
    auto r = s::fault_spec::parse(bad);
    BOOST_TEST(!r.has_value(), bad);
    if (!r) BOOST_TEST(r.error().code == s::errc::bad_fault_spec);
  }
  BOOST_TEST(s::fault_spec::parse("ctype:" + std::string(256, 'x')).has_value());
  BOOST_TEST(!s::fault_spec::parse("ctype:" + std::string(257, 'x')).has_value());
}

BOOST_AUTO_TEST_CASE(fault_plans_shape_the_reply) {
  fixed_random rng;
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
  using after = s::reply_plan::after_send;
  auto plan = [&](const char* spec, bool keep = true) {
    auto f = s::fault_spec::parse(spec);
    BOOST_REQUIRE(f);
    return s::plan_reply(*f, wire, keep, rng);
  };
  auto none = plan("none");
  BOOST_TEST(none.bytes == wire);
  BOOST_TEST(int(none.after) == int(after::keep_alive));
  BOOST_TEST(int(plan("none", false).after) == int(after::close));
  auto delay = plan("delay:30");
  BOOST_TEST(delay.delay.count() == 30);
  BOOST_TEST(delay.bytes == wire);
  auto reset = plan("reset");
  BOOST_TEST(reset.bytes.empty());
  BOOST_TEST(int(reset.after) == int(after::reset));
  auto cut = plan("reset:44");  // the 39-byte header block and five body bytes, then a TCP reset
  BOOST_TEST(cut.bytes == "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
  BOOST_TEST(int(cut.after) == int(after::reset));
  BOOST_TEST(plan("reset:1000").bytes == wire);
  auto retyped = plan("ctype:text/html");  // the service changes the header, not the plan
  BOOST_TEST(retyped.bytes == wire);
  BOOST_TEST(int(retyped.after) == int(after::keep_alive));
  auto stall = plan("stall");
  BOOST_TEST(stall.bytes.empty());
  BOOST_TEST(int(stall.after) == int(after::stall));
  auto half = plan("truncate");
  BOOST_TEST(half.bytes == "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
  BOOST_TEST(int(half.after) == int(after::close));
  BOOST_TEST(plan("truncate:4").bytes == "HTTP");
  BOOST_TEST(plan("truncate:1000").bytes == wire);
  auto junk = plan("garbage:40");
  BOOST_TEST(junk.bytes.size() == 40u);
  BOOST_TEST(junk.bytes.rfind("HTTP", 0) != 0u);
  BOOST_TEST(int(junk.after) == int(after::close));
}

BOOST_AUTO_TEST_CASE(replay_template) {
  fixed_clock clk;
  fixed_random rng;
  s::replay_responder r(
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><x "
      "a=\"{{MessageID}}\">{{Created}} "
      "{{Expires}} {{NewMessageID}} {{Unknown}} {{MessageID</x></s:Body></s:Envelope>",
      std::chrono::seconds(90), clk, rng);
  rst_spec sp;
  sp.message_id = "urn:x&\"y";
  auto req = make_request(sp);
  req.body.replace(req.body.find("urn:x&\"y"), 8, "urn:x&amp;&quot;y");
  auto resp = r.respond(req.view());
  BOOST_TEST(resp.status == 200);
  BOOST_TEST(resp.content_type == "text/xml; charset=utf-8");
  BOOST_TEST(resp.body.find("a=\"urn:x&amp;&quot;y\"") != std::string::npos);
  BOOST_TEST(resp.body.find(">2024-05-01T12:00:00.000Z 2024-05-01T12:01:30.000Z urn:uuid:") !=
             std::string::npos);
  BOOST_TEST(resp.body.find("{{Unknown}} {{MessageID</x>") != std::string::npos);

  // No MessageID in the request: the placeholder becomes empty.
  s::http_request none;
  none.body = "not even xml";
  BOOST_TEST(r.respond(none).body.find("a=\"\"") != std::string::npos);

  // A fault template is served with status 500 and its own SOAP version.
  s::replay_responder f(std::string("<e:Envelope xmlns:e=\"") + soap12 +
                            "\"><e:Body><e:Fault/></e:Body></e:Envelope>",
                        std::chrono::seconds(1), clk, rng);
  auto fr = f.respond(none);
  BOOST_TEST(fr.status == 500);
  BOOST_TEST(fr.content_type == "application/soap+xml; charset=utf-8");

  // Not XML at all: bytes as they are, status 200, content type from the request.
  s::replay_responder g("\x01garbage", std::chrono::seconds(1), clk, rng);
  s::http_request soap12_req;
  soap12_req.content_type = "application/soap+xml";
  auto gr = g.respond(soap12_req);
  BOOST_TEST(gr.body == "\x01garbage");
  BOOST_TEST(gr.content_type == "application/soap+xml; charset=utf-8");

  BOOST_TEST(!s::replay_responder::load("/nonexistent/replay", std::chrono::seconds(1), clk, rng));
}

BOOST_AUTO_TEST_CASE(replay_echoes_the_request_context) {
  fixed_clock clk;
  fixed_random rng;
  s::replay_responder r("<x Context=\"{{Context}}\" m=\"{{MessageID}}\">{{Context}}|{{Context}</x>",
                        std::chrono::seconds(1), clk, rng);
  rst_spec sp;
  sp.context = "uuid-1&amp;&quot;&lt;2";  // written as is: the request's Context is uuid-1&"<2
  auto req = make_request(sp);
  auto resp = r.respond(req.view());
  // Decoded from the request, escaped again for the reply; MessageID still works beside it.
  BOOST_TEST(resp.body == "<x Context=\"uuid-1&amp;&quot;&lt;2\" m=\"" + sp.message_id +
                              "\">uuid-1&amp;&quot;&lt;2|{{Context}</x>");

  // Both trust versions; no Context attribute, no RST, or no XML at all: empty.
  sp.trust_version = trust::feb2005;
  sp.context = "c-05";
  BOOST_TEST(r.respond(make_request(sp).view()).body.find(">c-05|") != std::string::npos);
  sp.context.reset();
  BOOST_TEST(r.respond(make_request(sp).view()).body.rfind("<x Context=\"\" m=", 0) == 0u);
  s::http_request junk;
  junk.body = "<s:Envelope xmlns:s=\"urn:x\"><s:Body><Other Context=\"no\"/></s:Body></s:Envelope>";
  BOOST_TEST(r.respond(junk).body == "<x Context=\"\" m=\"\">|{{Context}</x>");
  junk.body = "not xml";
  BOOST_TEST(r.respond(junk).body == "<x Context=\"\" m=\"\">|{{Context}</x>");
}

BOOST_AUTO_TEST_CASE(service_routes_and_counts) {
  auto answers = std::make_unique<canned>();
  canned* raw = answers.get();
  s::service svc(std::move(answers), nullptr, {});
  s::http_request post;
  BOOST_TEST(svc.handle(post).body == "<ok/>");
  BOOST_TEST(svc.handle(post).body == "<ok/>");
  BOOST_TEST(raw->calls == 2);
  BOOST_TEST(svc.served() == 2u);

  s::http_request get;
  get.method = "GET";
  get.target = "/stats?x=1";
  auto st = svc.handle(get);
  BOOST_TEST(st.status == 200);
  BOOST_TEST(st.content_type == "application/json");
  BOOST_TEST(st.body == "{\"served\":2,\"issued\":0,\"renewed\":0,\"faults\":0}\n");
  get.target = "/other";
  BOOST_TEST(svc.handle(get).status == 404);
  s::http_request put;
  put.method = "PUT";
  auto m = svc.handle(put);
  BOOST_TEST(m.status == 405);
  BOOST_REQUIRE_EQUAL(m.headers.size(), 1u);
  BOOST_TEST(m.headers[0].first == "Allow");
  BOOST_TEST(svc.served() == 2u);  // only POSTs count

  // ctype: the responder's reply with another Content-Type, or none.
  auto retyped = s::fault_spec::parse("ctype:text/html");
  s::service html(std::make_unique<canned>(), nullptr, *retyped);
  auto h = html.handle(post);
  BOOST_TEST(h.status == 200);
  BOOST_TEST(h.body == "<ok/>");
  BOOST_TEST(h.content_type == "text/html");
  BOOST_TEST(s::serialize(h, true).find("Content-Type: text/html\r\n") != std::string::npos);
  s::service untyped(std::make_unique<canned>(), nullptr, *s::fault_spec::parse("ctype:"));
  BOOST_TEST(s::serialize(untyped.handle(post), true).find("Content-Type") == std::string::npos);

  auto f = s::fault_spec::parse("http500");
  s::service failing(std::make_unique<canned>(), nullptr, *f);
  auto r = failing.handle(post);
  BOOST_TEST(r.status == 500);
  BOOST_TEST(r.content_type.rfind("text/plain", 0) == 0u);
  BOOST_TEST(failing.served() == 1u);
}

BOOST_AUTO_TEST_CASE(stats_report_the_issuer_counters) {
  fixed_clock clk;
  fixed_random rng;
  auto engine =
      std::make_unique<s::issuer>(s::issuer_options{}, load_identity(), nullptr, clk, rng);
  const s::issuer* counters = engine.get();
  s::service svc(std::move(engine), counters, {});
  rst_spec sp;
  sp.key_type = bearer13;
  BOOST_TEST(svc.handle(make_request(sp).view()).status == 200);
  sp.token_type = "urn:unsupported";
  BOOST_TEST(svc.handle(make_request(sp).view()).status == 500);
  s::http_request get;
  get.method = "GET";
  get.target = "/stats";
  BOOST_TEST(svc.handle(get).body == "{\"served\":2,\"issued\":1,\"renewed\":0,\"faults\":1}\n");
}

BOOST_AUTO_TEST_CASE(serialized_responses) {
  s::http_response r;
  r.status = 401;
  r.content_type = "text/xml";
  r.body = "<x/>";
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"x\"");
  BOOST_TEST(s::serialize(r, true) ==
             "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/xml\r\nContent-Length: 4\r\n"
             "WWW-Authenticate: Basic realm=\"x\"\r\n\r\n<x/>");
  s::http_response empty;
  empty.status = 500;
  BOOST_TEST(
      s::serialize(empty, false) ==
      "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(signing_identity_from_pem_checks_the_pair) {
  BOOST_TEST(s::signing_identity::from_pem(test_identity().key, test_identity().cert).has_value());
  auto other = s::signing_identity::generate("other", 1024);
  BOOST_REQUIRE(other);
  auto mismatch = s::signing_identity::from_pem(test_identity().key, other->cert.to_pem());
  BOOST_REQUIRE(!mismatch);
  BOOST_TEST(mismatch.error().code == s::errc::bad_key_material);
  BOOST_TEST(!s::signing_identity::from_pem("junk", test_identity().cert));
  BOOST_TEST(!s::signing_identity::from_pem(test_identity().key, "junk"));
}

BOOST_AUTO_TEST_CASE(generated_ca_and_server_certificate) {
  auto id = s::signing_identity::generate_with_ca({"localhost", "sts.test"},
                                                  {"127.0.0.1", "10.1.2.3"}, 1024);
  BOOST_REQUIRE(id);
  BOOST_REQUIRE(id->ca.has_value());
  BOOST_TEST(id->cert.subject() == "CN=localhost");
  BOOST_TEST(id->ca->subject() == "CN=wst sample STS CA");
  BOOST_TEST(id->cert.der() != id->ca->der());
  auto sig = id->key.sign(crypto::signature_hash::sha256, std::string_view("probe"));
  BOOST_REQUIRE(sig);
  BOOST_TEST(id->cert.verify(crypto::signature_hash::sha256, std::string_view("probe"), *sig));
  BOOST_TEST(!id->ca->verify(crypto::signature_hash::sha256, std::string_view("probe"), *sig));
  auto bad_ip = s::signing_identity::generate_with_ca({"localhost"}, {"::1"}, 1024);
  BOOST_REQUIRE(!bad_ip);
  BOOST_TEST(bad_ip.error().code == s::errc::bad_key_material);
}

BOOST_AUTO_TEST_SUITE_END()
