// http::check_soap_reply: the status decides first, then a 2xx must carry the SOAP media type
// of the request's version (RFC 9110 media-type syntax, SOAP 1.1 text/xml, SOAP 1.2
// application/soap+xml) in UTF-8.
#include <wst/http/message.hpp>

#include <boost/test/unit_test.hpp>

#include <optional>

using namespace wst::detail::http;

namespace {

response make(int status, std::string reason, std::optional<std::string> content_type,
              std::vector<std::pair<std::string, std::string>> more = {}) {
  response r;
  r.status = status;
  r.reason = std::move(reason);
  if (content_type) r.headers.add("Content-Type", *content_type);
  for (auto& [n, v] : more) r.headers.add(n, v);
  r.body = "<s:Envelope/>";
  return r;
}

response ok(std::optional<std::string> content_type) {
  return make(200, "OK", std::move(content_type));
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_soap_reply)

BOOST_AUTO_TEST_CASE(soap_media_types_with_any_case_and_parameters) {
  const char* soap12[] = {
      "application/soap+xml",
      "application/soap+xml; charset=utf-8",
      "Application/SOAP+XML;charset=UTF-8",
      "application/soap+xml; charset=\"utf-8\"; action=\"urn:a;b\\\"c\"",
      "application/soap+xml;action=http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTRC/"
      "IssueFinal",
      "  application/soap+xml ;  charset=utf-8 ;",  // OWS and an empty parameter (RFC 9110)
      "application/soap+xml;;charset=utf-8",
  };
  for (const char* ct : soap12) {
    auto r = check_soap_reply(ok(std::string(ct)), soap_version::soap12);
    BOOST_TEST(r.has_value(), ct << " -> " << (r ? "" : r.error().describe()));
  }
  const char* soap11[] = {"text/xml", "text/xml; charset=utf-8", "TEXT/XML;CHARSET=utf-8",
                          "text/xml; charset=\"UTF-8\""};
  for (const char* ct : soap11) {
    auto r = check_soap_reply(ok(std::string(ct)), soap_version::soap11);
    BOOST_TEST(r.has_value(), ct << " -> " << (r ? "" : r.error().describe()));
  }
  // Every 2xx is held to it, not only 200.
  BOOST_TEST(check_soap_reply(make(202, "Accepted", "text/xml"), soap_version::soap11).has_value());
  BOOST_CHECK(
      check_soap_reply(make(202, "Accepted", "text/html"), soap_version::soap11).error().code ==
      errc::wrong_content_type);
}

BOOST_AUTO_TEST_CASE(wrong_or_missing_content_type_is_named) {
  auto r = check_soap_reply(ok("text/html; charset=utf-8"), soap_version::soap12);
  BOOST_REQUIRE(!r);
  BOOST_CHECK(r.error().code == errc::wrong_content_type);
  BOOST_TEST(r.error().message ==
             "HTTP 200 OK has Content-Type 'text/html; charset=utf-8'; a SOAP 1.2 reply is "
             "application/soap+xml");
  BOOST_TEST(contains(r.error().describe(), "content type"), r.error().describe());

  r = check_soap_reply(ok(std::nullopt), soap_version::soap11);
  BOOST_REQUIRE(!r);
  BOOST_CHECK(r.error().code == errc::wrong_content_type);
  BOOST_TEST(r.error().message == "HTTP 200 OK has no Content-Type; a SOAP 1.1 reply is text/xml");

  // The other SOAP version's media type is wrong too, both ways.
  BOOST_CHECK(check_soap_reply(ok("text/xml; charset=utf-8"), soap_version::soap12).error().code ==
              errc::wrong_content_type);
  BOOST_CHECK(check_soap_reply(ok("application/soap+xml"), soap_version::soap11).error().code ==
              errc::wrong_content_type);
  // Near misses of the media type itself.
  for (const char* ct : {"application/xml", "application/soap", "application/soap+xmlx",
                         "text/xml+soap", "multipart/related; type=\"application/xop+xml\"", ""})
    BOOST_CHECK_MESSAGE(check_soap_reply(ok(std::string(ct)), soap_version::soap12).error().code ==
                            errc::wrong_content_type,
                        ct);
}

BOOST_AUTO_TEST_CASE(malformed_content_type_is_refused) {
  const char* bad[] = {
      "application/soap+xml; charset",          // parameter without '='
      "application/soap+xml; charset=",         // empty value
      "application/soap+xml; charset=\"utf-8",  // unterminated quoted-string
      "application/soap+xml; =utf-8",           // no parameter name
      "application/soap+xml utf-8",             // junk after the subtype
      "application/",                           // no subtype
      "/soap+xml",                              // no type
      "application",                            // no slash
      "application/soap+xml; a=\"\\",           // escape at the very end
  };
  for (const char* ct : bad) {
    auto r = check_soap_reply(ok(std::string(ct)), soap_version::soap12);
    BOOST_REQUIRE_MESSAGE(!r, ct);
    BOOST_CHECK_MESSAGE(r.error().code == errc::wrong_content_type, ct);
    BOOST_TEST(contains(r.error().message, "not a valid media type"), r.error().message);
  }
}

BOOST_AUTO_TEST_CASE(charsets_other_than_utf8_have_their_own_error) {
  for (const char* ct : {"application/soap+xml; charset=iso-8859-1",
                         "application/soap+xml; charset=\"utf-16\"; action=\"urn:x\"",
                         "application/soap+xml; charset=utf-8; charset=us-ascii",
                         "application/soap+xml; charset=utf8"}) {
    auto r = check_soap_reply(ok(std::string(ct)), soap_version::soap12);
    BOOST_REQUIRE_MESSAGE(!r, ct);
    BOOST_CHECK_MESSAGE(r.error().code == errc::unsupported_charset, ct);
  }
  auto r = check_soap_reply(ok("text/xml; charset=ISO-8859-1"), soap_version::soap11);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message ==
             "HTTP 200 OK has Content-Type 'text/xml; charset=ISO-8859-1': charset 'ISO-8859-1' "
             "is not UTF-8, the only one wst reads");
  // The media type is judged first: HTML in Latin-1 is a wrong content type.
  BOOST_CHECK(
      check_soap_reply(ok("text/html; charset=iso-8859-1"), soap_version::soap11).error().code ==
      errc::wrong_content_type);
}

BOOST_AUTO_TEST_CASE(the_status_is_judged_before_the_content_type) {
  // 401 stays the authentication error whatever it carries.
  auto r = check_soap_reply(make(401, "Unauthorized", "text/html", {{"WWW-Authenticate", "Basic"}}),
                            soap_version::soap12);
  BOOST_CHECK(r.error().code == errc::basic_auth_required);
  BOOST_CHECK(
      check_soap_reply(make(302, "Found", std::nullopt), soap_version::soap12).error().code ==
      errc::redirect);
  BOOST_CHECK(check_soap_reply(make(503, "Busy", "text/html"), soap_version::soap11).error().code ==
              errc::server_busy);
  // 400 and 500 pass whatever their Content-Type: the SOAP layer reads the body and reports a
  // body that is no SOAP fault together with the status.
  for (int s : {400, 500})
    for (auto ct : {std::optional<std::string>("text/plain"), std::optional<std::string>(),
                    std::optional<std::string>("application/soap+xml; charset=utf-16")})
      BOOST_TEST(check_soap_reply(make(s, "Error", ct), soap_version::soap12).has_value(), s);
}

BOOST_AUTO_TEST_CASE(long_values_are_cut_in_the_message) {
  const std::string ct = "text/html; x=" + std::string(5000, 'a');
  auto r = check_soap_reply(ok(ct), soap_version::soap12);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message.size() < 300u, r.error().message.size());
  BOOST_TEST(contains(r.error().message, "aaa...'"));
}

BOOST_AUTO_TEST_SUITE_END()
