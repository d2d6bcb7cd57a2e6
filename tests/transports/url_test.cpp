#include <wst/transport/scheme_registry.hpp>
#include <wst/transport/url.hpp>

#include <boost/test/unit_test.hpp>

using namespace wst::detail::transport;
using wst::transport_errc;

namespace {

struct fake_transport : wst::transport {
  explicit fake_transport(std::uint16_t p = 0) : port(p) {}
  std::unique_ptr<wst::byte_stream> create_stream(const wst::endpoint&,
                                                  wst::stream_context&) override {
    return nullptr;
  }
  std::uint16_t default_port() const override { return port; }
  std::uint16_t port;
};

struct registry_fixture {
  scheme_registry reg;
  registry_fixture() {
    BOOST_REQUIRE(!reg.add("http", make_tcp_transport(80), true));
    BOOST_REQUIRE(!reg.add("https", std::make_shared<fake_transport>(443), true));
    BOOST_REQUIRE(!reg.add("http+unix", std::make_shared<fake_transport>()));
  }
  wst::endpoint ok(const std::string& url) {
    auto r = parse_url(url, reg);
    BOOST_REQUIRE_MESSAGE(r.has_value(), url << ": " << (r ? "" : r.error().describe()));
    return *r;
  }
  std::string bad(const std::string& url) {
    auto r = parse_url(url, reg);
    BOOST_REQUIRE_MESSAGE(!r.has_value(), url << " parsed");
    BOOST_CHECK(r.error().code == transport_errc::invalid_url);
    return r.error().message;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(transport_url, registry_fixture)

BOOST_AUTO_TEST_CASE(http_and_https_defaults) {
  auto e = ok("http://sts.example.com/trust");
  BOOST_TEST(e.scheme == "http");
  BOOST_TEST(e.host == "sts.example.com");
  BOOST_TEST(e.port == 80);
  BOOST_TEST(!e.explicit_port);
  BOOST_TEST(e.target == "/trust");
  BOOST_TEST(e.authority() == "sts.example.com");
  e = ok("HTTPS://STS.Example.COM:8443");
  BOOST_TEST(e.scheme == "https");
  BOOST_TEST(e.host == "sts.example.com");
  BOOST_TEST(e.port == 8443);
  BOOST_TEST(e.target == "/");
  BOOST_TEST(e.authority() == "sts.example.com:8443");
  BOOST_TEST(ok("https://h").port == 443);
}

BOOST_AUTO_TEST_CASE(query_fragment_ipv4_ipv6) {
  auto e = ok("http://127.0.0.1:8080/a/b?x=1&y=%20#frag");
  BOOST_TEST(e.host == "127.0.0.1");
  BOOST_TEST(e.target == "/a/b?x=1&y=%20");
  e = ok("http://h?q");
  BOOST_TEST(e.target == "/?q");
  e = ok("http://[::1]:9000/p");
  BOOST_TEST(e.ipv6_literal);
  BOOST_TEST(e.host == "::1");
  BOOST_TEST(e.port == 9000);
  BOOST_TEST(e.authority() == "[::1]:9000");
  e = ok("https://[2001:db8::7]/");
  BOOST_TEST(e.host == "2001:db8::7");
  BOOST_TEST(e.authority() == "[2001:db8::7]");
}

BOOST_AUTO_TEST_CASE(registered_scheme_with_a_socket_path) {
  auto e = ok("http+unix://%2Frun%2Fwst%2Fsts.sock/trust/13");
  BOOST_TEST(e.scheme == "http+unix");
  BOOST_TEST(e.host == "/run/wst/sts.sock");
  BOOST_TEST(e.port == 0);
  BOOST_TEST(e.target == "/trust/13");
}

BOOST_AUTO_TEST_CASE(invalid_urls) {
  BOOST_TEST(bad("ftp://h/").find("no transport registered for scheme 'ftp'") != std::string::npos);
  BOOST_TEST(bad("sts.example.com/trust").find("scheme") != std::string::npos);
  BOOST_TEST(bad("http:/h/").find("'//'") != std::string::npos);
  BOOST_TEST(bad("http://user:pw@h/").find("user information") != std::string::npos);
  BOOST_TEST(bad("http://h:0/").find("port 0") != std::string::npos);
  BOOST_TEST(bad("http://h:65536/").find("out of range") != std::string::npos);
  BOOST_TEST(bad("http://h:8a/").find("not a number") != std::string::npos);
  BOOST_TEST(bad("http:///path").find("empty host") != std::string::npos);
  BOOST_TEST(bad("http://[::1/").find("unterminated") != std::string::npos);
  BOOST_TEST(bad("http://[fe80::1%25eth0]/").find("IPv6") != std::string::npos);
  BOOST_TEST(bad("http://[not-v6]/").find("IPv6") != std::string::npos);
  BOOST_TEST(bad("http://[::1]x/").find("after the IPv6") != std::string::npos);
  BOOST_TEST(bad("http://bad_host!/").find("invalid character") != std::string::npos);
  BOOST_TEST(bad("http://h/a b").find("space") != std::string::npos);
  BOOST_TEST(bad("http://h/%zz").find("percent") != std::string::npos);
  BOOST_TEST(bad("http+unix://%2/x").find("percent") != std::string::npos);
  BOOST_TEST(bad("http+unix://%0a/x").find("control") != std::string::npos);
  BOOST_TEST(bad("http://h/" + std::string(9000, 'a')).find("longer than 8192") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(registry_rules) {
  auto t = std::make_shared<fake_transport>();
  BOOST_CHECK(reg.add("http+unix", t) == transport_errc::scheme_registered);
  BOOST_CHECK(reg.add("HTTP", t) == transport_errc::invalid_url);  // built-in, not for users
  BOOST_CHECK(reg.add("1abc", t) == transport_errc::invalid_url);
  BOOST_CHECK(reg.add("a b", t) == transport_errc::invalid_url);
  BOOST_CHECK(reg.add("x", nullptr) == std::errc::invalid_argument);
  BOOST_CHECK(!reg.add("My.Scheme-1+x", t));
  BOOST_TEST(reg.find("my.scheme-1+X") == t);
  BOOST_TEST(reg.remove("MY.SCHEME-1+X"));
  BOOST_TEST(!reg.remove("my.scheme-1+x"));
  BOOST_TEST(!reg.find("my.scheme-1+x"));
}

BOOST_AUTO_TEST_CASE(global_registration_and_fallback) {
  auto t = std::make_shared<fake_transport>(7);
  BOOST_CHECK(!wst::register_transport("wst-test", t));
  BOOST_CHECK(wst::register_transport("wst-test", t) == transport_errc::scheme_registered);
  BOOST_CHECK(wst::register_transport("https", t) == transport_errc::invalid_url);
  scheme_registry local(&scheme_registry::global());
  BOOST_TEST(local.find("wst-test") == t);
  auto e = parse_url("wst-test://anything/x", local);
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->port == 7);
  BOOST_TEST(wst::unregister_transport("WST-TEST"));
  BOOST_TEST(!wst::unregister_transport("wst-test"));
  BOOST_TEST(!local.find("wst-test"));
}

BOOST_AUTO_TEST_CASE(error_category) {
  std::error_code ec = transport_errc::queue_full;
  BOOST_TEST(ec.category().name() == std::string("wst.transport"));
  BOOST_TEST(ec.message() == "every connection is busy and the wait queue is full");
  for (int i = 1; i <= static_cast<int>(transport_errc::shutting_down); ++i)
    BOOST_TEST(std::error_code(static_cast<transport_errc>(i)).message() !=
               "unknown transport error");
}

BOOST_AUTO_TEST_SUITE_END()
