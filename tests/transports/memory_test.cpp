// Every fault of the memory peer, seen through a stream and through the exchange.
#include "exchange_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace std::chrono_literals;
using namespace wst::detail;
using wst::transport_errc;
using wst::test::describe;
using wst::test::exchange_fixture;
using wst::test::reply;
namespace mem = wst::detail::memory;

BOOST_FIXTURE_TEST_SUITE(transport_memory_peer, exchange_fixture)

BOOST_AUTO_TEST_CASE(stream_contract_callbacks_are_never_inline) {
  std::unique_ptr<wst::byte_stream> s;
  std::promise<std::string> got;
  auto f = got.get_future();
  on_loop([&]() {
    wst::endpoint e;
    e.scheme = "mem";
    s = peer.transport()->create_stream(e, ctx);
    auto in_call = std::make_shared<bool>(true);
    wst::byte_stream* raw = s.get();
    std::promise<std::string>* out = &got;
    raw->connect([raw, out, in_call](std::error_code ec) {
      WST_LOOP_CHECK(!ec);
      WST_LOOP_CHECK(!*in_call);
      auto buf = std::make_shared<std::string>();
      raw->start_read([out, buf](std::error_code e2, const char* d, std::size_t n) {
        if (e2) return;
        buf->append(d, n);
        if (buf->find("</Envelope>") != std::string::npos) out->set_value(*buf);
      });
      auto in_write = std::make_shared<bool>(true);
      raw->write("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", [in_write](std::error_code e3) {
        WST_LOOP_CHECK(!e3);
        WST_LOOP_CHECK(!*in_write);
      });
      *in_write = false;
    });
    *in_call = false;
  });
  auto resp = await(f);
  BOOST_TEST(resp.find("HTTP/1.1 200 OK") == 0u);
  std::promise<std::error_code> read_end, closed;
  auto fr = read_end.get_future(), fc = closed.get_future();
  on_loop([&]() {
    WST_LOOP_CHECK(*s->bytes_sent() == 38u);
    s->start_read([&](std::error_code ec, const char*, std::size_t) {
      if (ec) read_end.set_value(ec);
    });
    s->close([&](std::error_code ec) { closed.set_value(ec); });
  });
  BOOST_CHECK(await(fr) == transport_errc::aborted);  // pending read ends before close completes
  BOOST_CHECK(!await(fc));
  on_loop([&]() { s.reset(); });
  BOOST_TEST(peer.open_streams() == 0u);
}

BOOST_AUTO_TEST_CASE(fault_delay) {
  make();
  peer.default_fault({mem::fault_kind::delay, 40ms});
  auto start = std::chrono::steady_clock::now();
  auto r = send_one();
  BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
  BOOST_CHECK(std::chrono::steady_clock::now() - start >= 30ms);
}

BOOST_AUTO_TEST_CASE(fault_delay_beyond_the_receive_timeout) {
  transport::exchange_options o;
  o.time.receive = 20ms;
  make(o);
  peer.default_fault({mem::fault_kind::delay, 200ms});
  BOOST_CHECK(send_one().error().code == transport_errc::timed_out);
}

BOOST_AUTO_TEST_CASE(fault_reset_before_headers) {
  make();
  peer.default_fault({mem::fault_kind::reset_before_headers});
  auto r = send_one();
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::connection_reset, describe(r));
}

BOOST_AUTO_TEST_CASE(fault_reset_after_headers) {
  make();
  BOOST_REQUIRE(send_one().has_value());
  peer.default_fault({mem::fault_kind::reset_after_headers});
  auto r = send_one();  // on a reused connection, but response bytes came: no retry
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::connection_reset, describe(r));
  BOOST_TEST(stats().retries == 0u);
}

BOOST_AUTO_TEST_CASE(fault_truncate) {
  make();
  peer.default_fault({mem::fault_kind::truncate, 0ms, 50});
  auto r = send_one();
  BOOST_CHECK_MESSAGE(r.error().code == http::errc::truncated, describe(r));
  peer.default_fault({mem::fault_kind::truncate});  // half of the response
  r = send_one();
  BOOST_CHECK_MESSAGE(r.error().code == http::errc::truncated, describe(r));
}

BOOST_AUTO_TEST_CASE(fault_garbage) {
  make();
  peer.default_fault({mem::fault_kind::garbage});
  auto r = send_one();
  BOOST_CHECK_MESSAGE(r.error().code == http::errc::malformed, describe(r));
  BOOST_TEST(stats().open == 0u);
}

BOOST_AUTO_TEST_CASE(fault_stall) {
  transport::exchange_options o;
  o.time.receive = 30ms;
  make(o);
  peer.fault_for_request(2, {mem::fault_kind::stall});
  BOOST_REQUIRE(send_one().has_value());
  BOOST_CHECK(send_one().error().code == transport_errc::timed_out);
  BOOST_REQUIRE(send_one().has_value());  // request 3 is answered again, on a new connection
  BOOST_TEST(stats().connections_opened == 2u);
}

BOOST_AUTO_TEST_CASE(fault_fail_nth_operation) {
  make();
  peer.fail_operation(1, transport_errc::connection_refused);  // the first connect
  auto r = send_one();
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::connection_refused, describe(r));
  BOOST_TEST(r.error().message.find("mem://sts") != std::string::npos, r.error().message);
  BOOST_REQUIRE(send_one().has_value());  // operations 2 and 3 succeed
  BOOST_TEST(peer.operations() == 3u);
}

BOOST_AUTO_TEST_CASE(fault_stall_connect) {
  transport::exchange_options o;
  o.time.resolve = 0ms;
  o.time.connect = 25ms;
  make(o);
  peer.stall_connect(true);
  BOOST_CHECK(send_one().error().code == transport_errc::timed_out);
  peer.stall_connect(false);
  BOOST_REQUIRE(send_one().has_value());
}

BOOST_AUTO_TEST_CASE(fault_close_after_response) {
  make();
  peer.close_after_response(true);
  for (int i = 0; i < 3; ++i) BOOST_REQUIRE(send_one().has_value());
  BOOST_TEST(peer.connections() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
