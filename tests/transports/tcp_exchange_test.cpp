// The exchange over real loopback TCP (127.0.0.1 only) and a Unix socket: reuse and timeouts.
#include "loop_fixture.hpp"

#include <wst/http/writer.hpp>
#include <wst/transport/exchange.hpp>
#include <wst/transport/http_server.hpp>
#include <wst/uv/listener.hpp>
#include <wst/uv/streams.hpp>

#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <thread>

using namespace std::chrono_literals;
using namespace wst::detail;
using wst::transport_errc;
using wst::test::loop_fixture;
using reply = wst::detail::result<http::response>;

namespace {

// The custom transport users would write for HTTP over a Unix socket: the URL's host part is
// the percent-encoded socket path.
struct unix_transport final : wst::transport {
  std::unique_ptr<wst::byte_stream> create_stream(const wst::endpoint& where,
                                                  wst::stream_context& ctx) override {
    return ctx.unix_stream(where.host);
  }
  std::string host_header(const wst::endpoint&) const override { return "localhost"; }
};

struct tcp_fixture : loop_fixture {
  transport::scheme_registry schemes;
  uv::loop_context ctx{loop, uv::tcp_options{2s, 2s, true}};
  uv::listener l{loop};
  std::unique_ptr<transport::http_server> server;
  std::vector<std::unique_ptr<wst::byte_stream>> silent;  // accepted and never answered
  std::unique_ptr<transport::exchange> ex;
  int accepted = 0;

  tcp_fixture() {
    BOOST_REQUIRE(!schemes.add("http", transport::make_tcp_transport(), true));
    BOOST_REQUIRE(!schemes.add("http+unix", std::make_shared<unix_transport>()));
  }
  ~tcp_fixture() {
    std::promise<void> done;
    auto f = done.get_future();
    on_loop([&]() {
      auto left = std::make_shared<int>(2);
      auto one = [left, &done]() {
        if (--*left == 0) done.set_value();
      };
      if (ex)
        ex->close([one](std::error_code) { one(); });
      else
        one();
      if (server)
        server->close([one, this]() { l.close(one); });
      else
        l.close(one);
    });
    await(f);
    on_loop([&]() {
      ex.reset();
      server.reset();
      silent.clear();
    });
    on_loop([]() {});
  }

  void serve_http(std::string body) {
    on_loop([&, body]() {
      server =
          std::make_unique<transport::http_server>(loop, [body](const http::request&, auto done) {
            done(http::write_response(200, "OK", "application/soap+xml", body));
          });
      BOOST_REQUIRE(l.listen_tcp("127.0.0.1", 0, [this](auto s) {
                       ++accepted;
                       server->serve(std::move(s));
                     }).has_value());
    });
  }
  void serve_nothing() {
    on_loop([&]() {
      BOOST_REQUIRE(l.listen_tcp("127.0.0.1", 0, [this](auto s) {
                       ++accepted;
                       silent.push_back(std::move(s));
                     }).has_value());
    });
  }
  std::string url() { return "http://127.0.0.1:" + std::to_string(l.port()) + "/sts"; }
  void make(transport::exchange_options o = {}) {
    on_loop([&]() { ex = std::make_unique<transport::exchange>(ctx, schemes, o); });
  }
  reply send(std::string u, std::string body = "<Envelope/>") {
    std::promise<reply> p;
    auto f = p.get_future();
    on_loop([&]() {
      transport::soap_call c;
      c.url = u;
      c.body = std::move(body);
      c.action = "urn:a";
      ex->send(std::move(c), [&](reply r) { p.set_value(std::move(r)); });
    });
    return await(f);
  }
};

std::string describe(const reply& r) {
  return r ? "HTTP " + std::to_string(r->status) : r.error().describe();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(transport_tcp_exchange, tcp_fixture)

BOOST_AUTO_TEST_CASE(reuse_over_loopback) {
  serve_http(std::string(4096, 'x'));
  make();
  for (int i = 0; i < 10; ++i) {
    auto r = send(url());
    BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
    BOOST_TEST(r->body.size() == 4096u);
  }
  BOOST_TEST(accepted == 1);
  std::size_t served = 0;
  on_loop([&]() { served = server->requests_served(); });
  BOOST_TEST(served == 10u);
}

BOOST_AUTO_TEST_CASE(localhost_by_name) {
  serve_http("ok");
  make();
  auto r = send("http://localhost:" + std::to_string(l.port()) + "/");
  BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));  // ::1 may refuse first; 127.0.0.1 answers
  BOOST_TEST(r->body == "ok");
}

BOOST_AUTO_TEST_CASE(receive_timeout_against_a_silent_server) {
  serve_nothing();
  transport::exchange_options o;
  o.time.receive = 50ms;
  make(o);
  auto start = std::chrono::steady_clock::now();
  auto r = send(url());
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::timed_out, describe(r));
  BOOST_TEST(r.error().message.find("no complete response") != std::string::npos);
  BOOST_CHECK(std::chrono::steady_clock::now() - start < 2s);
}

BOOST_AUTO_TEST_CASE(send_timeout_when_the_server_does_not_read) {
  serve_nothing();
  transport::exchange_options o;
  o.time.send = 50ms;
  make(o);
  auto r = send(url(), std::string(32 * 1024 * 1024, 'b'));  // far more than the socket buffers
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::timed_out, describe(r));
  BOOST_TEST(r.error().message.find("sending the request") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(connect_timeout_against_a_full_backlog) {
  std::vector<std::unique_ptr<wst::byte_stream>> fillers;
  on_loop([&]() {
    BOOST_REQUIRE(l.listen_tcp(
                       "127.0.0.1", 0, [](auto) {}, 1)
                      .has_value());
    l.accept_connections(false);
    for (int i = 0; i < 8; ++i) {
      fillers.push_back(uv::make_tcp_stream(loop, "127.0.0.1", l.port(), {10s, 10s, true}));
      fillers.back()->connect([](std::error_code) {});
    }
  });
  // libuv takes one connection off the queue before it learns that nobody accepts: a second
  // round of connects fills the place it freed. Later connects then hang in SYN_SENT.
  std::this_thread::sleep_for(100ms);
  on_loop([&]() {
    for (int i = 0; i < 4; ++i) {
      fillers.push_back(uv::make_tcp_stream(loop, "127.0.0.1", l.port(), {10s, 10s, true}));
      fillers.back()->connect([](std::error_code) {});
    }
  });
  std::this_thread::sleep_for(100ms);
  transport::exchange_options o;
  o.time.resolve = 0ms;
  o.time.connect = 50ms;
  make(o);
  auto r = send(url());
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::timed_out, describe(r));
  // Whichever timer fires first (the exchange's or the TCP stream's), the limit is named.
  BOOST_TEST(r.error().message.find("took over 50 ms") != std::string::npos, r.error().message);
  on_loop([&]() { fillers.clear(); });
}

BOOST_AUTO_TEST_CASE(refused_and_unknown_host) {
  make();
  auto r = send("http://127.0.0.1:1/");
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::connection_refused, describe(r));
  // The TCP stream's own words (the address tried, the OS's reason) follow the exchange's.
  BOOST_TEST(r.error().message.find(
                 "connecting to 'http://127.0.0.1:1': connecting to 127.0.0.1:1: ") == 0u,
             r.error().message);
  r = send("http://unknown-host.invalid/");
  BOOST_CHECK_MESSAGE(r.error().code == transport_errc::host_not_found, describe(r));
  BOOST_TEST(r.error().message.find("resolving 'unknown-host.invalid'") != std::string::npos,
             r.error().message);
  on_loop([&]() { BOOST_REQUIRE(l.listen_tcp("127.0.0.1", 0, [](auto) {}).has_value()); });
}

BOOST_AUTO_TEST_CASE(custom_transport_over_a_unix_socket) {
  std::string path = "/tmp/wst-tcp-test-" + std::to_string(::getpid()) + ".sock";
  on_loop([&]() {
    server =
        std::make_unique<transport::http_server>(loop, [](const http::request& req, auto done) {
          done(http::write_response(200, "OK", "application/soap+xml",
                                    "via unix " + req.target + " " + *req.headers.find("Host")));
        });
    BOOST_REQUIRE(l.listen_unix(path, [this](auto s) {
                     ++accepted;
                     server->serve(std::move(s));
                   }).has_value());
  });
  make();
  std::string encoded;
  for (char c : path) encoded += c == '/' ? std::string("%2F") : std::string(1, c);
  for (int i = 0; i < 3; ++i) {
    auto r = send("http+unix://" + encoded + "/trust");
    BOOST_REQUIRE_MESSAGE(r.has_value(), describe(r));
    BOOST_TEST(r->body == "via unix /trust localhost");
  }
  BOOST_TEST(accepted == 1);
  ::unlink(path.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
