#include <wst/http/parser.hpp>
#include <wst/http/writer.hpp>

#include <boost/test/unit_test.hpp>

using namespace wst::detail::http;

BOOST_AUTO_TEST_SUITE(http_writer)

BOOST_AUTO_TEST_CASE(soap11_post) {
  soap_request r;
  r.target = "/sts/trust?x=1";
  r.host = "sts.example.com:8443";
  r.action = "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue";
  r.body = "<e/>";
  r.version = soap_version::soap11;
  auto out = write_soap_request(r);
  BOOST_REQUIRE(out);
  BOOST_TEST(*out ==
             "POST /sts/trust?x=1 HTTP/1.1\r\n"
             "Host: sts.example.com:8443\r\n"
             "Content-Type: text/xml; charset=utf-8\r\n"
             "SOAPAction: \"http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue\"\r\n"
             "Content-Length: 4\r\n"
             "Connection: keep-alive\r\n"
             "\r\n"
             "<e/>");
}

BOOST_AUTO_TEST_CASE(soap12_post_with_basic_credentials) {
  // RFC 7617 section 2 example: Aladdin / open sesame.
  basic_credentials creds("Aladdin", "open sesame");
  soap_request r;
  r.target = "/";
  r.host = "[::1]:80";
  r.action = "urn:a";
  r.body = "0123456789";
  r.version = soap_version::soap12;
  r.credentials = &creds;
  r.keep_alive = false;
  auto out = write_soap_request(r);
  BOOST_REQUIRE(out);
  BOOST_TEST(*out ==
             "POST / HTTP/1.1\r\n"
             "Host: [::1]:80\r\n"
             "Content-Type: application/soap+xml; charset=utf-8; action=\"urn:a\"\r\n"
             "Content-Length: 10\r\n"
             "Connection: close\r\n"
             "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
             "\r\n"
             "0123456789");
}

BOOST_AUTO_TEST_CASE(soap12_without_action_and_base64_padding) {
  for (auto [user, b64] : {std::pair<const char*, const char*>{"a", "YTpi"},
                           {"ab", "YWI6Yg=="},
                           {"abc", "YWJjOmI="}}) {
    basic_credentials creds(user, "b");
    soap_request r;
    r.host = "h";
    r.credentials = &creds;
    auto out = write_soap_request(r);
    BOOST_REQUIRE(out);
    BOOST_TEST(out->find("Content-Type: application/soap+xml; charset=utf-8\r\n") !=
               std::string::npos);
    BOOST_TEST(out->find(std::string("Authorization: Basic ") + b64 + "\r\n") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(the_request_parses_back) {
  soap_request r;
  r.target = "/t";
  r.host = "h";
  r.action = "urn:x";
  r.body = "<Envelope/>";
  r.version = soap_version::soap11;
  auto out = write_soap_request(r);
  BOOST_REQUIRE(out);
  request_parser p;
  auto used = p.feed(out->data(), out->size());
  BOOST_REQUIRE(used);
  BOOST_TEST(*used == out->size());
  BOOST_REQUIRE(p.complete());
  BOOST_TEST(p.get().method == "POST");
  BOOST_TEST(p.get().body == "<Envelope/>");
  BOOST_TEST(*p.get().headers.find("soapaction") == "\"urn:x\"");
  BOOST_TEST(p.get().keep_alive);
}

BOOST_AUTO_TEST_CASE(rejects_fields_that_break_framing) {
  basic_credentials colon("us:er", "pw");
  basic_credentials ctl("user", "p\nw");
  soap_request base;
  base.host = "h";
  std::vector<soap_request> cases(7, base);
  cases[0].action = "urn:a\r\nX-Injected: 1";
  cases[1].action = "urn:\"quoted\"";
  cases[2].target = "/a b";
  cases[3].target = "";
  cases[4].host = "h\r\n";
  cases[5].credentials = &colon;
  cases[6].credentials = &ctl;
  for (const auto& c : cases) {
    auto out = write_soap_request(c);
    BOOST_REQUIRE(!out);
    BOOST_CHECK(out.error().code == errc::invalid_request);
  }
}

BOOST_AUTO_TEST_CASE(response_writer) {
  BOOST_TEST(write_response(200, "OK", "text/plain", "hi") ==
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi");
  BOOST_TEST(
      write_response(500, "Internal Server Error", "", "", false) ==
      "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(wipe_zeroes_and_empties) {
  std::string s = "secret password";
  const char* p = s.data();
  std::size_t cap = s.capacity();
  wipe(s);
  BOOST_TEST(s.empty());
  BOOST_TEST(s.data() == p);  // same buffer, now zeroed
  for (std::size_t i = 0; i < cap; ++i) BOOST_TEST(p[i] == '\0');
}

BOOST_AUTO_TEST_SUITE_END()
