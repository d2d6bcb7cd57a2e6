// The pooled exchange over the memory peer: reuse, limits, queue, retry rule, cancellation.
#include "exchange_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

using namespace std::chrono_literals;
using namespace wst::detail;
using wst::transport_errc;
using wst::test::describe;
using wst::test::exchange_fixture;
using wst::test::reply;
namespace mem = wst::detail::memory;

BOOST_FIXTURE_TEST_SUITE(transport_exchange, exchange_fixture)

BOOST_AUTO_TEST_CASE(one_request_one_reply) {
  make();
  auto c = call("mem://sts.example:8080/trust?x=1", "<Envelope>rst</Envelope>");
  c.version = http::soap_version::soap11;
  c.action = "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue";
  auto r = send_one(std::move(c));
  BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
  BOOST_TEST(r->status == 200);
  BOOST_TEST(r->body == response_body);
  BOOST_TEST(*r->headers.find("content-type") == "text/xml; charset=utf-8");
  BOOST_REQUIRE(seen.size() == 1u);
  BOOST_TEST(seen[0] ==
             "POST /trust?x=1 HTTP/1.1\r\nHost: sts.example:8080\r\nContent-Type: text/xml; "
             "charset=utf-8\r\n"
             "SOAPAction: "
             "\"http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue\"\r\nContent-Length: 24\r\n"
             "Connection: keep-alive\r\n\r\n<Envelope>rst</Envelope>");
}

BOOST_AUTO_TEST_CASE(basic_credentials_are_sent) {
  make();
  auto c = call();
  c.credentials.emplace("Aladdin", "open sesame");
  auto r = send_one(std::move(c));
  BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
  BOOST_TEST(seen.at(0).find("Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(sequential_requests_reuse_one_connection) {
  make();
  for (int i = 0; i < 20; ++i) {
    auto r = send_one();
    BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
  }
  auto s = stats();
  BOOST_TEST(s.connections_opened == 1u);
  BOOST_TEST(peer.connections() == 1u);
  BOOST_TEST(peer.requests() == 20u);
  BOOST_TEST(s.open == 1u);
  BOOST_TEST(s.idle == 1u);
  BOOST_TEST(s.in_flight == 0u);
}

BOOST_AUTO_TEST_CASE(endpoints_have_separate_pools) {
  make();
  BOOST_REQUIRE(send_one(call("mem://a/")).has_value());
  BOOST_REQUIRE(send_one(call("mem://b/")).has_value());
  BOOST_REQUIRE(send_one(call("mem://a/other-path")).has_value());
  BOOST_TEST(stats().connections_opened == 2u);
}

BOOST_AUTO_TEST_CASE(exhaustion_queues_then_refuses) {
  transport::exchange_options o;
  o.max_connections = 2;
  o.max_queued = 3;
  make(o);
  peer.default_fault({mem::fault_kind::delay, 30ms});
  std::vector<transport::soap_call> calls;
  for (int i = 0; i < 6; ++i) calls.push_back(call());
  auto rs = send_all(std::move(calls));
  int ok = 0, full = 0;
  for (auto& r : rs) {
    if (r)
      ++ok;
    else if (r.error().code == transport_errc::queue_full)
      ++full;
  }
  BOOST_TEST(ok == 5);    // 2 on connections, 3 waited in the queue
  BOOST_TEST(full == 1);  // the sixth found the queue full
  BOOST_TEST(!rs[5].has_value());
  BOOST_TEST(rs[5].error().message.find("2 connections") != std::string::npos,
             rs[5].error().message);
  BOOST_TEST(stats().connections_opened == 2u);
  BOOST_TEST(peer.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(queued_requests_get_a_connection_when_one_fails) {
  transport::exchange_options o;
  o.max_connections = 1;
  make(o);
  peer.fault_for_request(1, {mem::fault_kind::reset_before_headers});
  auto rs = send_all({call(), call(), call()});
  BOOST_CHECK(rs[0].error().code == transport_errc::connection_reset);
  BOOST_TEST(rs[1].has_value());
  BOOST_TEST(rs[2].has_value());
  BOOST_TEST(stats().connections_opened == 2u);
}

BOOST_AUTO_TEST_CASE(dead_keep_alive_connection_is_retried_once) {
  make();
  BOOST_REQUIRE(send_one().has_value());  // operations 1 (connect) and 2 (write)
  peer.fail_operation(3);                 // the next write on the pooled connection
  auto r = send_one();
  BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
  auto s = stats();
  BOOST_TEST(s.retries == 1u);
  BOOST_TEST(s.connections_opened == 2u);
  BOOST_TEST(peer.requests() == 2u);
}

BOOST_AUTO_TEST_CASE(the_retry_happens_only_once) {
  make();
  BOOST_REQUIRE(send_one().has_value());
  peer.fail_operation(3);  // write on the reused connection
  peer.fail_operation(5);  // write on the fresh connection of the retry
  auto r = send_one();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::connection_reset);
  BOOST_TEST(stats().retries == 1u);
  BOOST_TEST(peer.requests() == 1u);
}

BOOST_AUTO_TEST_CASE(no_retry_once_the_request_was_sent) {
  make();
  BOOST_REQUIRE(send_one().has_value());
  peer.fault_for_request(2, {mem::fault_kind::reset_before_headers});
  auto r = send_one();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::connection_reset, describe(r));
  BOOST_TEST(stats().retries == 0u);
  BOOST_TEST(peer.requests() == 2u);  // the peer did receive it: resending could duplicate it
}

BOOST_AUTO_TEST_CASE(a_first_use_connection_is_not_retried) {
  make();
  peer.fail_operation(2);  // the first write on a brand-new connection
  auto r = send_one();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::connection_reset);
  BOOST_TEST(stats().retries == 0u);
}

BOOST_AUTO_TEST_CASE(idle_connection_closed_by_the_peer_is_not_reused) {
  make();
  peer.close_after_response(true);
  BOOST_REQUIRE(send_one().has_value());
  std::this_thread::sleep_for(20ms);  // the EOF reaches the idle connection
  BOOST_TEST(stats().open == 0u);
  auto r = send_one();
  BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
  BOOST_TEST(stats().connections_opened == 2u);
  BOOST_TEST(stats().retries == 0u);
}

BOOST_AUTO_TEST_CASE(idle_timeout_closes_pooled_connections) {
  transport::exchange_options o;
  o.idle_timeout = 30ms;
  make(o);
  BOOST_REQUIRE(send_one().has_value());
  BOOST_TEST(stats().idle == 1u);
  std::this_thread::sleep_for(120ms);
  BOOST_TEST(stats().open == 0u);
  BOOST_TEST(peer.open_streams() == 0u);
}

BOOST_AUTO_TEST_CASE(receive_timeout) {
  transport::exchange_options o;
  o.time.receive = 50ms;
  make(o);
  peer.fault_for_request(1, {mem::fault_kind::stall});
  auto start = std::chrono::steady_clock::now();
  auto r = send_one();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::timed_out);
  BOOST_TEST(r.error().message.find("within 50 ms") != std::string::npos, r.error().message);
  BOOST_CHECK(std::chrono::steady_clock::now() - start >=
              40ms);               // libuv timers have millisecond granularity
  BOOST_TEST(stats().open == 0u);  // a timed-out connection is never reused
}

BOOST_AUTO_TEST_CASE(connect_timeout) {
  transport::exchange_options o;
  o.time.resolve = 20ms;
  o.time.connect = 30ms;
  make(o);
  peer.stall_connect(true);
  auto r = send_one();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::timed_out);
  BOOST_TEST(r.error().message.find("took over 50 ms") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(cancel_and_abort) {
  transport::exchange_options o;
  o.max_connections = 1;
  make(o);
  peer.default_fault({mem::fault_kind::stall});
  std::promise<reply> p1, p2, p3;
  auto f1 = p1.get_future(), f2 = p2.get_future(), f3 = p3.get_future();
  transport::exchange::request_id id1 = 0;
  on_loop([&]() {
    id1 = ex->send(call(), [&](reply r) { p1.set_value(std::move(r)); });
    ex->send(call(), [&](reply r) { p2.set_value(std::move(r)); });  // queued
    ex->send(call(), [&](reply r) { p3.set_value(std::move(r)); });  // queued
  });
  std::this_thread::sleep_for(10ms);
  on_loop([&]() {
    WST_LOOP_CHECK(ex->cancel(id1));
    WST_LOOP_CHECK(!ex->cancel(id1));
    WST_LOOP_CHECK(f1.wait_for(0s) != std::future_status::ready);  // never inside cancel()
  });
  auto r1 = await(f1);
  BOOST_CHECK(r1.error().code == transport_errc::aborted);
  std::this_thread::sleep_for(10ms);
  on_loop([&]() { ex->abort_all(); });
  BOOST_CHECK(await(f2).error().code == transport_errc::aborted);
  BOOST_CHECK(await(f3).error().code == transport_errc::aborted);
  BOOST_TEST(stats().in_flight == 0u);
}

BOOST_AUTO_TEST_CASE(close_aborts_and_refuses_new_requests) {
  make();
  peer.default_fault({mem::fault_kind::stall});
  std::promise<reply> p1, p2;
  std::promise<std::error_code> closed;
  auto f1 = p1.get_future(), f2 = p2.get_future();
  auto fc = closed.get_future();
  on_loop([&]() { ex->send(call(), [&](reply r) { p1.set_value(std::move(r)); }); });
  std::this_thread::sleep_for(10ms);
  on_loop([&]() {
    ex->close([&](std::error_code ec) { closed.set_value(ec); });
    ex->send(call(), [&](reply r) { p2.set_value(std::move(r)); });
  });
  BOOST_CHECK(await(f1).error().code == transport_errc::aborted);
  BOOST_CHECK(await(f2).error().code == transport_errc::shutting_down);
  BOOST_CHECK(!await(fc));
  on_loop([&]() { ex.reset(); });
}

BOOST_AUTO_TEST_CASE(close_timeout) {
  transport::exchange_options o;
  o.time.close = 30ms;
  make(o);
  BOOST_REQUIRE(send_one().has_value());  // one idle pooled connection
  peer.stall_close(true);
  std::promise<std::error_code> closed;
  auto f = closed.get_future();
  auto start = std::chrono::steady_clock::now();
  on_loop([&]() { ex->close([&](std::error_code ec) { closed.set_value(ec); }); });
  BOOST_CHECK(await(f) == transport_errc::timed_out);
  BOOST_CHECK(std::chrono::steady_clock::now() - start >= 20ms);
  on_loop([&]() {
    ex.reset();             // the stream still closing outlives the exchange
    peer.release_closes();  // ...and is released once its close completes
  });
  on_loop([]() {});
  BOOST_TEST(peer.open_streams() == 0u);
}

BOOST_AUTO_TEST_CASE(handler_may_destroy_the_exchange) {
  make();
  std::promise<bool> p;
  auto f = p.get_future();
  on_loop([&]() {
    ex->send(call(), [&](reply r) {
      ex.reset();  // inside the reply handler
      p.set_value(r.has_value());
    });
  });
  BOOST_TEST(await(f));
  on_loop([]() {});
}

BOOST_AUTO_TEST_CASE(invalid_urls_and_requests) {
  make();
  auto r = send_one(call("nope://x/"));
  BOOST_CHECK(r.error().code == transport_errc::invalid_url);
  r = send_one(call("mem://user:pw@x/"));
  BOOST_CHECK(r.error().code == transport_errc::invalid_url);
  auto c = call();
  c.action = "urn:a\r\nX: injected";
  r = send_one(std::move(c));
  BOOST_CHECK(r.error().code == http::errc::invalid_request);
  BOOST_TEST(peer.operations() == 0u);
}

BOOST_AUTO_TEST_CASE(http_errors_come_through) {
  make();
  std::string next;
  peer = mem::peer([&](std::string_view) { return next; });
  BOOST_REQUIRE(schemes.remove("mem"));
  BOOST_REQUIRE(!schemes.add("mem", peer.transport()));
  next = "HTTP/1.1 302 Found\r\nLocation: https://other.example/sts\r\nContent-Length: 0\r\n\r\n";
  auto r = send_one();
  BOOST_CHECK(r.error().code == http::errc::redirect);
  BOOST_TEST(r.error().message.find("https://other.example/sts") != std::string::npos);
  next =
      "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: "
      "0\r\n\r\n";
  BOOST_CHECK(send_one().error().code == http::errc::basic_auth_required);
  next =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 500 Internal Server Error\r\nContent-Length: "
      "7\r\n\r\n<Fault>";
  r = send_one();
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->status == 500);
  BOOST_TEST(r->body == "<Fault>");
  BOOST_TEST(stats().connections_opened ==
             1u);  // error statuses with a complete body keep the connection
  next = "HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n";
  BOOST_CHECK(send_one().error().code == http::errc::message_too_large);
}

BOOST_AUTO_TEST_CASE(a_2xx_reply_must_have_the_soap_media_type_of_the_request) {
  make();
  // The fixture answers SOAP 1.1 requests with text/xml and 1.2 ones with application/soap+xml.
  auto soap11 = call();
  soap11.version = http::soap_version::soap11;
  BOOST_REQUIRE_MESSAGE(send_one(std::move(soap11)).has_value(), "text/xml for SOAP 1.1");
  BOOST_REQUIRE(send_one().has_value());

  response_content_type = "text/html; charset=utf-8";
  auto r = send_one();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == http::errc::wrong_content_type);
  BOOST_TEST(r.error().message ==
             "HTTP 200 OK has Content-Type 'text/html; charset=utf-8'; a SOAP 1.2 reply is "
             "application/soap+xml");
  response_content_type = "application/soap+xml";  // right for 1.2, wrong for 1.1
  auto c = call();
  c.version = http::soap_version::soap11;
  BOOST_CHECK(send_one(std::move(c)).error().code == http::errc::wrong_content_type);
  response_content_type = "application/soap+xml; charset=iso-8859-1";
  BOOST_CHECK(send_one().error().code == http::errc::unsupported_charset);

  // The replies arrived whole: the connection stayed in the pool and serves the next request.
  response_content_type.clear();
  BOOST_REQUIRE(send_one().has_value());
  BOOST_TEST(stats().connections_opened == 1u);
  BOOST_TEST(peer.requests() == 6u);
}

namespace {

// A stream whose connect() or write() fails with `ec` and explains why through error_detail(),
// as the TCP and TLS streams do.
class explaining_stream final : public wst::byte_stream {
 public:
  explaining_stream(wst::event_loop& loop, bool fail_connect)
      : loop_(loop), fail_connect_(fail_connect) {}
  void connect(completion done) override {
    if (fail_connect_) detail_ = "connecting to 192.0.2.7:443: no route to host";
    loop_.post([done, ec = fail_connect_ ? std::error_code(transport_errc::io_error)
                                         : std::error_code()] { done(ec); });
  }
  void write(std::string, completion done) override {
    detail_ = "writing to 192.0.2.7:443: broken pipe";
    loop_.post([done] { done(transport_errc::io_error); });
  }
  void start_read(data_handler) override {}
  void stop_read() override {}
  void close(completion done) override {
    loop_.post([done] {
      if (done) done({});
    });
  }
  std::string error_detail() const override { return detail_; }

 private:
  wst::event_loop& loop_;
  bool fail_connect_;
  std::string detail_;
};

struct explaining_transport final : wst::transport {
  bool fail_connect = true;
  std::unique_ptr<wst::byte_stream> create_stream(const wst::endpoint&,
                                                  wst::stream_context& ctx) override {
    return std::make_unique<explaining_stream>(ctx.loop(), fail_connect);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_stream_own_reason_follows_what_failed) {
  auto t = std::make_shared<explaining_transport>();
  BOOST_REQUIRE(!schemes.add("explain", t));
  make();
  auto r = send_one(call("explain://sts.example/trust"));
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::io_error);
  BOOST_TEST(
      r.error().message ==
      "connecting to 'explain://sts.example': connecting to 192.0.2.7:443: no route to host");
  t->fail_connect = false;
  r = send_one(call("explain://sts.example/trust"));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(
      r.error().message ==
      "sending the request to 'explain://sts.example': writing to 192.0.2.7:443: broken pipe");
  // A stream with nothing to add leaves the exchange's own words alone.
  peer.fail_operation(peer.operations() + 1, transport_errc::connection_refused);
  r = send_one();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "connecting to 'mem://sts'");
}

BOOST_AUTO_TEST_CASE(byte_by_byte_delivery) {
  make();
  peer.split_responses(1);
  for (int i = 0; i < 3; ++i) {
    auto r = send_one();
    BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
    BOOST_TEST(r->body == response_body);
  }
  BOOST_TEST(stats().connections_opened == 1u);
}

BOOST_AUTO_TEST_CASE(maximum_message_size_is_configurable) {
  transport::exchange_options o;
  o.limits.max_message_size = 64;
  make(o);
  auto r = send_one();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == http::errc::message_too_large);
}

BOOST_AUTO_TEST_SUITE_END()
