#include "parse_harness.hpp"

#include <boost/test/unit_test.hpp>

using namespace wst::detail::http;
using wst::test::parse_bytewise;
using wst::test::parse_every_way;
using wst::test::parse_whole;

namespace {

// Checks one input every way (whole, byte by byte, every split) against `expected`.
void expect_every_way(std::string_view in, bool eof, const std::string& expected,
                      const limits& l = {}) {
  std::string bad;
  int mismatches = parse_every_way<response_parser>(in, eof, expected, bad, l);
  BOOST_TEST(mismatches == 0, "first mismatch: " << bad << "\nexpected: " << expected);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_response_parser)

BOOST_AUTO_TEST_CASE(content_length_body) {
  std::string in =
      "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 11\r\n"
      "X-Pad:   spaced value \t\r\n\r\n<Envelope/>";
  expect_every_way(in, false,
                   "status=200 reason=OK keep=1 consumed=" + std::to_string(in.size()) +
                       " [Content-Type:application/soap+xml] [Content-Length:11] [X-Pad:spaced "
                       "value] body=<Envelope/>");
}

BOOST_AUTO_TEST_CASE(chunked_with_extensions_and_trailers) {
  std::string in =
      "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "7;flag\r\n, world\r\n"
      "0;q=\"quoted value\"\r\nX-Trailer: t1\r\nX-Other: t2\r\n\r\n";
  expect_every_way(
      in, false,
      "status=500 reason=Internal Server Error keep=1 consumed=" + std::to_string(in.size()) +
          " [Transfer-Encoding:chunked] [X-Trailer:t1] [X-Other:t2] body=hello, world");
}

BOOST_AUTO_TEST_CASE(close_delimited_body_ends_at_eof) {
  std::string in = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of this until EOF";
  expect_every_way(in, true,
                   "status=200 reason=OK keep=0 consumed=" + std::to_string(in.size()) +
                       " [Connection:close] body=all of this until EOF");
  BOOST_TEST(parse_whole<response_parser>(in, false) == "incomplete");
}

BOOST_AUTO_TEST_CASE(http10_and_connection_close_are_not_reusable) {
  BOOST_TEST(parse_whole<response_parser>("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)
                 .find("keep=0") != std::string::npos);
  BOOST_TEST(parse_whole<response_parser>(
                 "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false)
                 .find("keep=0") != std::string::npos);
  BOOST_TEST(
      parse_whole<response_parser>("HTTP/1.1 204 No Content\r\n\r\n", false).find("keep=1") !=
      std::string::npos);
}

BOOST_AUTO_TEST_CASE(interim_1xx_responses_are_skipped) {
  std::string in =
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 102 Processing\r\nX-A: 1\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  expect_every_way(in, false,
                   "status=200 reason=OK keep=1 consumed=" + std::to_string(in.size()) +
                       " [Content-Length:2] body=ok");
}

BOOST_AUTO_TEST_CASE(switching_protocols_is_unsupported) {
  std::string got =
      parse_whole<response_parser>("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", false);
  BOOST_TEST(got.find("unsupported") != std::string::npos, got);
}

BOOST_AUTO_TEST_CASE(bytes_after_the_response_are_not_consumed) {
  std::string resp = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx";
  std::string in = resp + "HTTP/1.1 200 OK\r\n";
  response_parser p;
  auto used = p.feed(in.data(), in.size());
  BOOST_REQUIRE(used);
  BOOST_TEST(*used == resp.size());
  BOOST_TEST(p.complete());
  auto more = p.feed("abc", 3);
  BOOST_REQUIRE(more);
  BOOST_TEST(*more == 0u);
}

BOOST_AUTO_TEST_CASE(maximum_message_size) {
  limits l;
  l.max_message_size = 100;
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: ";
  // Exactly at the limit: accepted.
  std::string body(100 - (head.size() + 2 + 4), 'a');
  std::string exact = head + std::to_string(body.size()) + "\r\n\r\n" + body;
  BOOST_REQUIRE(exact.size() == 100);
  BOOST_TEST(parse_whole<response_parser>(exact, false, l).find("status=200") == 0u);
  BOOST_TEST(parse_bytewise<response_parser>(exact, false, l).find("status=200") == 0u);
  // One byte more: rejected however it arrives.
  std::string over = head + std::to_string(body.size() + 1) + "\r\n\r\n" + body + "a";
  for (const std::string& got : {parse_whole<response_parser>(over, false, l),
                                 parse_bytewise<response_parser>(over, false, l)})
    BOOST_TEST((got.find("error") == 0u && got.find("maximum message size") != std::string::npos),
               got);
  // A Content-Length beyond the limit fails at the header block, before any body byte.
  std::string announced = head + "1000000\r\n\r\n";
  std::string got = parse_whole<response_parser>(announced, false, l);
  BOOST_TEST(
      got.find("Content-Length 1000000 exceeds the maximum message size 100") != std::string::npos,
      got);
  // Chunked and close-delimited bodies are bounded while they stream in.
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n";
  got = parse_bytewise<response_parser>(chunked, false, l);
  BOOST_TEST(
      got.find("chunk of 1048576 bytes exceeds the maximum message size") != std::string::npos,
      got);
  std::string many = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 40; ++i) many += "1\r\nx\r\n";
  got = parse_whole<response_parser>(many, false, l);
  BOOST_TEST(got.find("more than 100 bytes") != std::string::npos, got);
  std::string stream = "HTTP/1.1 200 OK\r\n\r\n" + std::string(200, 'z');
  got = parse_bytewise<response_parser>(stream, true, l);
  BOOST_TEST(got.find("more than 100 bytes") != std::string::npos, got);
  // The default is WWSAPI's 65,536 bytes.
  BOOST_TEST(limits().max_message_size == 65536u);
}

BOOST_AUTO_TEST_CASE(header_limits) {
  limits l;
  l.max_headers = 3;
  l.max_header_size = 32;
  std::string three = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\n\r\n";
  BOOST_TEST(parse_whole<response_parser>(three, false, l).find("status=200") == 0u);
  std::string four = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nContent-Length: 0\r\n\r\n";
  std::string got = parse_bytewise<response_parser>(four, false, l);
  BOOST_TEST(got.find("too many HTTP header fields") != std::string::npos, got);
  std::string big = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(40, 'v') + "\r\n\r\n";
  got = parse_bytewise<response_parser>(big, false, l);
  BOOST_TEST(got.find("header field too large") != std::string::npos, got);
  std::string reason = "HTTP/1.1 200 " + std::string(40, 'r') + "\r\n\r\n";
  got = parse_whole<response_parser>(reason, false, l);
  BOOST_TEST(got.find("header field too large") != std::string::npos, got);
}

BOOST_AUTO_TEST_CASE(malformed_input) {
  for (const char* in :
       {"HTTX/1.1 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", "\x16\x03\x01\x02\x00"}) {
    for (const std::string& got :
         {parse_whole<response_parser>(in, false), parse_bytewise<response_parser>(in, false)})
      BOOST_TEST(got.find("error malformed HTTP message") == 0u, in << " -> " << got);
  }
}

BOOST_AUTO_TEST_CASE(truncation_is_reported) {
  std::string got =
      parse_whole<response_parser>("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true);
  BOOST_TEST(got.find("error connection closed before the HTTP message was complete") == 0u, got);
  got = parse_whole<response_parser>("HTTP/1.1 200 OK\r\nContent-", true);
  BOOST_TEST(got.find("error connection closed before") == 0u, got);
  got = parse_whole<response_parser>("", true);
  BOOST_TEST(got.find("before any byte of the response") != std::string::npos, got);
  response_parser p;
  BOOST_TEST(!p.started());
  (void)p.feed("H", 1);
  BOOST_TEST(p.started());
}

BOOST_AUTO_TEST_CASE(an_error_sticks_and_reset_recovers) {
  response_parser p;
  auto bad = p.feed("garbage\r\n\r\n", 11);
  BOOST_REQUIRE(!bad);
  auto again = p.feed("HTTP/1.1 200 OK\r\n\r\n", 19);
  BOOST_REQUIRE(!again);
  BOOST_CHECK(again.error().code == bad.error().code);
  p.reset();
  std::string ok = "HTTP/1.1 204 No Content\r\n\r\n";
  auto used = p.feed(ok.data(), ok.size());
  BOOST_REQUIRE(used);
  BOOST_TEST(p.complete());
  BOOST_TEST(p.get().status == 204);
}

BOOST_AUTO_TEST_SUITE_END()
