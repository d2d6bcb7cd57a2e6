#include <wst/base/result.hpp>

#include <boost/test/unit_test.hpp>

#include <memory>

using wst::detail::failure;
using wst::detail::result;

BOOST_AUTO_TEST_SUITE(base_result)

BOOST_AUTO_TEST_CASE(holds_value_or_failure) {
  result<int> ok(7);
  BOOST_TEST(ok.has_value());
  BOOST_TEST(*ok == 7);

  result<int> bad(failure(std::make_error_code(std::errc::invalid_argument), "the detail"));
  BOOST_TEST(!bad);
  BOOST_CHECK(bad.error().code == std::errc::invalid_argument);
  BOOST_TEST(bad.error().describe() ==
             std::make_error_code(std::errc::invalid_argument).message() + ": the detail");
}

BOOST_AUTO_TEST_CASE(moves_only_types) {
  result<std::unique_ptr<int>> r(std::make_unique<int>(3));
  std::unique_ptr<int> p = std::move(r).value();
  BOOST_TEST(*p == 3);
}

BOOST_AUTO_TEST_CASE(void_result) {
  result<void> ok;
  BOOST_TEST(ok.has_value());
  result<void> bad(failure(std::make_error_code(std::errc::timed_out)));
  BOOST_TEST(!bad.has_value());
  BOOST_TEST(bad.error().describe() == std::make_error_code(std::errc::timed_out).message());
}

BOOST_AUTO_TEST_SUITE_END()
