#include <wst/http/message.hpp>

#include <boost/test/unit_test.hpp>

using namespace wst::detail::http;

namespace {

response make(int status, std::string reason,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
  response r;
  r.status = status;
  r.reason = std::move(reason);
  for (auto& [n, v] : headers) r.headers.add(n, v);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_status)

BOOST_AUTO_TEST_CASE(replies_that_carry_soap) {
  for (int s : {200, 202, 204, 400, 500}) BOOST_TEST(check_status(make(s, "x")).has_value(), s);
}

BOOST_AUTO_TEST_CASE(redirect_names_the_location) {
  for (int s : {301, 302, 307, 308}) {
    auto r = check_status(make(s, "Moved", {{"Location", "https://elsewhere.example/sts"}}));
    BOOST_REQUIRE(!r);
    BOOST_CHECK(r.error().code == errc::redirect);
    BOOST_TEST(r.error().message.find("https://elsewhere.example/sts") != std::string::npos);
    BOOST_TEST(r.error().message.find(std::to_string(s)) != std::string::npos);
  }
  auto r = check_status(make(302, "Found"));
  BOOST_TEST(r.error().message.find("no Location") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(each_401_scheme_has_its_error) {
  struct item {
    const char* header;
    errc expected;
  };
  const item items[] = {
      {"Basic realm=\"sts\"", errc::basic_auth_required},
      {"Digest realm=\"x\", qop=\"auth,auth-int\", nonce=\"abc==\"", errc::digest_auth_required},
      {"NTLM", errc::ntlm_auth_required},
      {"Negotiate", errc::negotiate_auth_required},
      {"negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg==", errc::negotiate_auth_required},
      {"Bearer realm=\"x\", Basic realm=\"y\"", errc::basic_auth_required},
      {"Digest realm=\"a, Basic b\", NTLM", errc::digest_auth_required},
      {"Bearer", errc::auth_required},
      {"", errc::auth_required},
  };
  for (const item& it : items) {
    auto r = check_status(make(401, "Unauthorized", {{"WWW-Authenticate", it.header}}));
    BOOST_REQUIRE(!r);
    BOOST_CHECK_MESSAGE(r.error().code == it.expected, it.header << " -> " << r.error().describe());
  }
  // Several header fields: the first recognised scheme wins; the message lists them all.
  auto r = check_status(
      make(401, "Unauthorized", {{"WWW-Authenticate", "Negotiate"}, {"WWW-Authenticate", "NTLM"}}));
  BOOST_CHECK(r.error().code == errc::negotiate_auth_required);
  BOOST_TEST(r.error().message.find("Negotiate, NTLM") != std::string::npos, r.error().message);
  BOOST_CHECK(check_status(make(401, "Unauthorized")).error().code == errc::auth_required);
}

BOOST_AUTO_TEST_CASE(other_statuses) {
  BOOST_CHECK(check_status(make(407, "Proxy Authentication Required")).error().code ==
              errc::proxy_auth_required);
  BOOST_CHECK(check_status(make(404, "Not Found")).error().code == errc::endpoint_not_found);
  BOOST_CHECK(check_status(make(503, "Service Unavailable")).error().code == errc::server_busy);
  auto r = check_status(make(418, "I'm a teapot"));
  BOOST_CHECK(r.error().code == errc::unexpected_status);
  BOOST_TEST(r.error().message == "HTTP 418 I'm a teapot");
}

BOOST_AUTO_TEST_CASE(category_texts) {
  BOOST_TEST(std::error_code(errc::redirect).category().name() == std::string("wst.http"));
  for (int i = 1; i <= static_cast<int>(errc::unsupported_charset); ++i)
    BOOST_TEST(std::error_code(static_cast<errc>(i)).message() != "unknown HTTP error");
}

BOOST_AUTO_TEST_SUITE_END()
