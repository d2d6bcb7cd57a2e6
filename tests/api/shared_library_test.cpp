// wst::client through libwst.so and the public headers only: what a user's program sees.
#include <wst/client.hpp>
#include <wst/errors.hpp>
#include <wst/token.hpp>

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(shared_library)

BOOST_AUTO_TEST_CASE(the_client_api_is_exported_and_works) {
  wst::client c;
  wst::request_options o;
  bool ran = false;
  c.request_token(o, [&](wst::token_result r) {
    ran = true;
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST((r.failure().code == wst::errc::invalid_options));
    BOOST_TEST(r.failure().describe().find("sts_url") != std::string::npos, r.failure().describe());
  });
  BOOST_TEST(ran);

  o.sts_url = "http://127.0.0.1:1/sts";  // nothing listens on port 1
  o.applies_to = "https://rp.test/app";
  auto r = c.request_token(o).get();
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST((r.failure().code == wst::errc::connection_failed), r.failure().describe());
  BOOST_TEST(r.failure().retryable());
  BOOST_TEST(std::string(r.failure().cause.category().name()) == "wst.transport");
  auto s = c.request_token_sync(o);
  BOOST_TEST(!s.ok());
  c.invalidate(o);
  c.clear_cache();
}

BOOST_AUTO_TEST_CASE(tokens_and_errors_without_a_client) {
  wst::token t;
  BOOST_TEST(t.empty());
  BOOST_TEST(t.token_type().empty());
  BOOST_TEST((t.key() == wst::key_type::bearer));
  std::error_code ec = wst::errc::timed_out;
  BOOST_TEST(ec.category().name() == std::string("wst"));
  BOOST_TEST(wst::is_retryable(ec));
}

BOOST_AUTO_TEST_SUITE_END()
