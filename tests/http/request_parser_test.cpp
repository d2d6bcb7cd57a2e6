#include "parse_harness.hpp"

#include <boost/test/unit_test.hpp>

using namespace wst::detail::http;
using wst::test::parse_bytewise;
using wst::test::parse_every_way;
using wst::test::parse_whole;

BOOST_AUTO_TEST_SUITE(http_request_parser)

BOOST_AUTO_TEST_CASE(post_with_body_every_way) {
  std::string in =
      "POST /sts/trust HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n"
      "SOAPAction: \"urn:a\"\r\nContent-Length: 5\r\n\r\nhello";
  std::string bad;
  int n = parse_every_way<request_parser>(
      in, false,
      "method=POST target=/sts/trust keep=1 consumed=" + std::to_string(in.size()) +
          " [Host:localhost] [Content-Type:text/xml] [SOAPAction:\"urn:a\"]"
          " [Content-Length:5] body=hello",
      bad);
  BOOST_TEST(n == 0, bad);
}

BOOST_AUTO_TEST_CASE(chunked_request_body) {
  std::string in =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: "
      "close\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  std::string got = parse_bytewise<request_parser>(in, false);
  BOOST_TEST(got.find("keep=0") != std::string::npos, got);
  BOOST_TEST(got.find("body=abc") != std::string::npos, got);
}

BOOST_AUTO_TEST_CASE(pipelined_requests) {
  std::string one = "POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\n1";
  std::string two = "GET /b HTTP/1.1\r\n\r\n";
  std::string in = one + two;
  request_parser p;
  auto used = p.feed(in.data(), in.size());
  BOOST_REQUIRE(used);
  BOOST_TEST(*used == one.size());
  BOOST_TEST(p.get().target == "/a");
  p.reset();
  auto used2 = p.feed(in.data() + *used, in.size() - *used);
  BOOST_REQUIRE(used2);
  BOOST_TEST(*used2 == two.size());
  BOOST_TEST(p.complete());
  BOOST_TEST(p.get().method == "GET");
  BOOST_TEST(p.get().target == "/b");
}

BOOST_AUTO_TEST_CASE(limits_and_errors) {
  limits l;
  l.max_message_size = 64;
  std::string big = "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n";
  std::string got = parse_whole<request_parser>(big, false, l);
  BOOST_TEST(
      got.find("Content-Length 100 exceeds the maximum message size 64") != std::string::npos, got);
  got = parse_bytewise<request_parser>("POST /" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n",
                                       false, l);
  BOOST_TEST(got.find("error") == 0u, got);
  got = parse_whole<request_parser>("CONNECT host:443 HTTP/1.1\r\n\r\n", false);
  BOOST_TEST(got.find("unsupported") != std::string::npos, got);
  got = parse_whole<request_parser>("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nab", true);
  BOOST_TEST(got.find("error connection closed before") == 0u, got);
  got = parse_whole<request_parser>("NOT A REQUEST\r\n\r\n", false);
  BOOST_TEST(got.find("error malformed") == 0u, got);
  request_parser idle;
  BOOST_TEST(idle.finish().has_value());  // EOF between requests is fine
}

BOOST_AUTO_TEST_SUITE_END()
