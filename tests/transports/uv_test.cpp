// The uv layer on its own: loop thread, timers, posting, DNS, TCP and Unix streams, listener.
#include "loop_fixture.hpp"

#include <wst/uv/dns.hpp>
#include <wst/uv/listener.hpp>
#include <wst/uv/streams.hpp>

#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <atomic>
#include <thread>

using namespace std::chrono_literals;
using namespace wst::detail;
using wst::transport_errc;
using wst::test::loop_fixture;

namespace {

// Accepts connections and echoes every byte back, for stream tests.
struct echo_server {
  uv::listener l;
  std::vector<std::unique_ptr<wst::byte_stream>> peers;
  explicit echo_server(uv::loop_thread& loop) : l(loop) {}
  void accept(std::unique_ptr<wst::byte_stream> s) {
    wst::byte_stream* raw = s.get();
    peers.push_back(std::move(s));
    raw->start_read([raw](std::error_code ec, const char* d, std::size_t n) {
      if (!ec) raw->write(std::string(d, n), [](std::error_code) {});
    });
  }
  void close(std::function<void()> done) {
    auto left = std::make_shared<std::size_t>(peers.size() + 1);
    auto one = [left, done]() {
      if (--*left == 0) done();
    };
    for (auto& p : peers) p->close([one](std::error_code) { one(); });
    l.close(one);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(transport_uv, loop_fixture)

BOOST_AUTO_TEST_CASE(posted_tasks_run_in_order_and_never_inline) {
  std::promise<std::vector<int>> p;
  auto f = p.get_future();
  on_loop([&]() {
    auto order = std::make_shared<std::vector<int>>();
    WST_LOOP_CHECK(loop.in_loop_thread());
    loop.post([order]() { order->push_back(1); });
    loop.post([order]() { order->push_back(2); });
    order->push_back(0);  // runs before both: post never runs inline
    loop.post([order, &p]() { p.set_value(*order); });
  });
  BOOST_TEST(!loop.in_loop_thread());
  BOOST_TEST(await(f) == (std::vector<int>{0, 1, 2}));
}

BOOST_AUTO_TEST_CASE(posting_from_many_threads) {
  std::atomic<int> n{0};
  std::promise<void> all;
  auto f = all.get_future();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&]() {
      for (int i = 0; i < 1000; ++i)
        loop.post([&]() {
          if (++n == 4000) all.set_value();
        });
    });
  for (auto& t : threads) t.join();
  await(f);
  BOOST_TEST(n == 4000);
}

BOOST_AUTO_TEST_CASE(timers_fire_in_order_and_cancel) {
  std::promise<std::string> p;
  auto f = p.get_future();
  auto start = std::chrono::steady_clock::now();
  on_loop([&]() {
    auto log = std::make_shared<std::string>();
    loop.start_timer(30ms, [log]() { *log += "b"; });
    loop.start_timer(10ms, [log]() { *log += "a"; });
    auto id = loop.start_timer(20ms, [log]() { *log += "X"; });
    WST_LOOP_CHECK(loop.cancel_timer(id));
    WST_LOOP_CHECK(!loop.cancel_timer(id));
    WST_LOOP_CHECK(!loop.cancel_timer(12345));
    loop.start_timer(50ms, [log, &p]() { p.set_value(*log); });
  });
  BOOST_TEST(await(f) == "ab");
  BOOST_CHECK(std::chrono::steady_clock::now() - start >=
              40ms);  // libuv timers have millisecond granularity
  std::size_t active = 1;
  on_loop([&]() { active = loop.active_timers(); });
  BOOST_TEST(active == 0u);
}

BOOST_AUTO_TEST_CASE(a_leaked_timer_is_reported_by_stop) {
  uv::loop_thread other(uv::loop_options{50ms});
  BOOST_REQUIRE(other.start().has_value());
  BOOST_REQUIRE(other.run_sync([&]() { other.start_timer(std::chrono::hours(1), []() {}); }));
  auto r = other.stop();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("timer") != std::string::npos, r.error().message);
  // A clean loop restarts and stops fine.
  BOOST_REQUIRE(other.start().has_value());
  BOOST_TEST(other.stop().has_value());
}

BOOST_AUTO_TEST_CASE(runtime_with_several_loops) {
  uv::runtime rt(3);
  BOOST_REQUIRE(rt.start().has_value());
  BOOST_TEST(rt.size() == 3u);
  uv::loop_thread* a = &rt.next();
  uv::loop_thread* b = &rt.next();
  uv::loop_thread* c = &rt.next();
  BOOST_TEST((a != b && b != c && a != c));
  BOOST_TEST(&rt.next() == a);
  std::atomic<int> ran{0};
  for (std::size_t i = 0; i < rt.size(); ++i) BOOST_TEST(rt.loop(i).run_sync([&]() { ++ran; }));
  BOOST_TEST(ran == 3);
  BOOST_TEST(rt.stop().has_value());
  BOOST_TEST(!rt.loop(0).run_sync([]() {}));
}

BOOST_AUTO_TEST_CASE(dns_localhost_unknown_name_and_timeout) {
  std::promise<wst::detail::result<std::vector<std::string>>> a, b, c, d;
  auto fa = a.get_future(), fb = b.get_future(), fc = c.get_future(), fd = d.get_future();
  on_loop([&]() {
    uv::resolve(loop, "localhost", 80, 10s, [&](auto r) { a.set_value(std::move(r)); });
    uv::resolve(loop, "no-such-host.invalid", 80, 10s, [&](auto r) { b.set_value(std::move(r)); });
    uv::resolve(loop, "127.0.0.1", 80, 10s, [&](auto r) { c.set_value(std::move(r)); });
    uv::resolve(loop, "localhost", 80, 0ms, [&](auto r) { d.set_value(std::move(r)); });
  });
  auto ra = await(fa);
  BOOST_REQUIRE_MESSAGE(ra.has_value(), (ra ? "" : ra.error().describe()));
  bool loopback = false;
  for (const auto& s : *ra) loopback |= s == "127.0.0.1" || s == "::1";
  BOOST_TEST(loopback);
  auto rb = await(fb);
  BOOST_REQUIRE(!rb.has_value());
  BOOST_CHECK_MESSAGE(rb.error().code == transport_errc::host_not_found, rb.error().describe());
  BOOST_TEST(rb.error().message.find("no-such-host.invalid") != std::string::npos);
  auto rc = await(fc);
  BOOST_REQUIRE(rc.has_value());
  BOOST_TEST(rc->size() == 1u);
  BOOST_TEST(rc->at(0) == "127.0.0.1");
  auto rd = await(fd);
  BOOST_REQUIRE(!rd.has_value());
  BOOST_CHECK_MESSAGE(rd.error().code == transport_errc::timed_out, rd.error().describe());
}

BOOST_AUTO_TEST_CASE(tcp_stream_round_trip) {
  echo_server server(loop);
  std::unique_ptr<wst::byte_stream> client;
  std::promise<std::string> got;
  auto f = got.get_future();
  std::uint64_t sent = 0;
  on_loop([&]() {
    WST_LOOP_REQUIRE(
        server.l.listen_tcp("127.0.0.1", 0, [&](auto s) { server.accept(std::move(s)); })
            .has_value());
    client = uv::make_tcp_stream(loop, "localhost", server.l.port());
    client->connect([&](std::error_code ec) {
      WST_LOOP_REQUIRE(!ec);
      auto buf = std::make_shared<std::string>();
      client->start_read([&, buf](std::error_code e, const char* d, std::size_t n) {
        if (e) return;
        buf->append(d, n);
        if (buf->size() == 10) got.set_value(*buf);
      });
      auto inline_call = std::make_shared<bool>(true);
      client->write("hello",
                    [inline_call](std::error_code e) { WST_LOOP_CHECK((!e && !*inline_call)); });
      client->write_sensitive("world", [](std::error_code e) { WST_LOOP_CHECK(!e); });
      *inline_call = false;
    });
  });
  BOOST_TEST(await(f) == "helloworld");
  std::promise<void> closed;
  auto fc = closed.get_future();
  on_loop([&]() {
    sent = *client->bytes_sent();
    WST_LOOP_CHECK(client->is_reusable());
    client->close([&](std::error_code) { server.close([&]() { closed.set_value(); }); });
  });
  await(fc);
  BOOST_TEST(sent == 10u);
  on_loop([&]() {
    client.reset();
    server.peers.clear();
  });
}

BOOST_AUTO_TEST_CASE(peer_close_gives_eof_and_close_aborts_pending) {
  uv::listener l(loop);
  std::unique_ptr<wst::byte_stream> accepted, client;
  std::promise<std::error_code> eof, aborted;
  auto fe = eof.get_future(), fa = aborted.get_future();
  on_loop([&]() {
    WST_LOOP_REQUIRE(l.listen_tcp("127.0.0.1", 0, [&](auto s) {
                        accepted = std::move(s);
                        accepted->close([](std::error_code) {});  // the server hangs up at once
                      }).has_value());
    client = uv::make_tcp_stream(loop, "127.0.0.1", l.port());
    client->connect([&](std::error_code ec) {
      WST_LOOP_REQUIRE(!ec);
      client->start_read([&](std::error_code e, const char*, std::size_t) {
        if (e) eof.set_value(e);
      });
    });
  });
  BOOST_CHECK(await(fe) == transport_errc::eof);
  on_loop([&]() {
    WST_LOOP_CHECK(!client->is_reusable());
    // A connect that is still in progress completes with aborted when the stream closes.
    auto pending = uv::make_tcp_stream(loop, "127.0.0.1", l.port());
    auto* raw = pending.release();
    raw->connect([&](std::error_code e) { aborted.set_value(e); });
    raw->close([raw](std::error_code) { delete raw; });
  });
  BOOST_CHECK(await(fa) == transport_errc::aborted);
  std::promise<void> done;
  auto fd = done.get_future();
  on_loop([&]() { client->close([&](std::error_code) { l.close([&]() { done.set_value(); }); }); });
  await(fd);
  on_loop([&]() {
    client.reset();
    accepted.reset();
  });
}

BOOST_AUTO_TEST_CASE(connection_refused_and_unknown_host) {
  std::uint16_t port = 0;
  std::promise<void> closed;
  auto fcl = closed.get_future();
  {
    uv::listener l(loop);  // bind a port, then free it: nobody listens there afterwards
    on_loop([&]() {
      WST_LOOP_REQUIRE(l.listen_tcp("127.0.0.1", 0, [](auto) {}).has_value());
      port = l.port();
      l.close([&]() { closed.set_value(); });
    });
    await(fcl);
  }
  std::promise<std::pair<std::error_code, std::string>> refused, unknown;
  auto fr = refused.get_future(), fu = unknown.get_future();
  std::unique_ptr<wst::byte_stream> a, b;
  on_loop([&]() {
    a = uv::make_tcp_stream(loop, "127.0.0.1", port);
    a->connect([&](std::error_code ec) { refused.set_value({ec, a->error_detail()}); });
    b = uv::make_tcp_stream(loop, "nothing-here.invalid", 80);
    b->connect([&](std::error_code ec) { unknown.set_value({ec, b->error_detail()}); });
  });
  auto r = await(fr);
  BOOST_CHECK(r.first == transport_errc::connection_refused);
  BOOST_TEST(r.second.find("ECONNREFUSED") != std::string::npos, r.second);
  auto u = await(fu);
  BOOST_CHECK(u.first == transport_errc::host_not_found);
  BOOST_TEST(u.second.find("nothing-here.invalid") != std::string::npos, u.second);
  // Writing on a stream that never connected fails without sending anything.
  std::promise<std::error_code> w;
  auto fw = w.get_future();
  on_loop([&]() { a->write("x", [&](std::error_code ec) { w.set_value(ec); }); });
  BOOST_CHECK(await(fw) == transport_errc::connection_reset);
  on_loop([&]() {
    WST_LOOP_CHECK(*a->bytes_sent() == 0u);
    a.reset();  // destroying unclosed streams closes them
    b.reset();
  });
}

BOOST_AUTO_TEST_CASE(connect_timeout_against_a_full_backlog) {
  uv::listener l(loop);
  std::vector<std::unique_ptr<wst::byte_stream>> fillers;
  on_loop([&]() {
    WST_LOOP_REQUIRE(l.listen_tcp(
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
  std::this_thread::sleep_for(100ms);  // let the kernel's accept queue fill up
  std::promise<std::pair<std::error_code, std::string>> p;
  auto f = p.get_future();
  std::unique_ptr<wst::byte_stream> s;
  auto start = std::chrono::steady_clock::now();
  on_loop([&]() {
    s = uv::make_tcp_stream(loop, "127.0.0.1", l.port(), {1s, 50ms, true});
    s->connect([&](std::error_code ec) { p.set_value({ec, s->error_detail()}); });
  });
  auto r = await(f);
  auto took = std::chrono::steady_clock::now() - start;
  BOOST_CHECK_MESSAGE(r.first == transport_errc::timed_out, r.first.message() << " " << r.second);
  BOOST_TEST(r.second.find("took over 50 ms") != std::string::npos, r.second);
  BOOST_TEST((took >= 40ms && took < 2s));
  std::promise<void> done;
  auto fd = done.get_future();
  on_loop([&]() {
    s.reset();
    fillers.clear();
    l.close([&]() { done.set_value(); });
  });
  await(fd);
}

BOOST_AUTO_TEST_CASE(unix_socket_stream) {
  std::string path = "/tmp/wst-uv-test-" + std::to_string(::getpid()) + ".sock";
  echo_server server(loop);
  std::unique_ptr<wst::byte_stream> client, missing;
  std::promise<std::string> got;
  std::promise<std::error_code> refused;
  auto f = got.get_future();
  auto fr = refused.get_future();
  on_loop([&]() {
    WST_LOOP_REQUIRE(
        server.l.listen_unix(path, [&](auto s) { server.accept(std::move(s)); }).has_value());
    client = uv::make_unix_stream(loop, path);
    client->connect([&](std::error_code ec) {
      WST_LOOP_REQUIRE(!ec);
      client->start_read([&](std::error_code e, const char* d, std::size_t n) {
        if (!e) got.set_value(std::string(d, n));
      });
      client->write("over a unix socket", [](std::error_code) {});
    });
    missing = uv::make_unix_stream(loop, path + ".absent");
    missing->connect([&](std::error_code ec) { refused.set_value(ec); });
  });
  BOOST_TEST(await(f) == "over a unix socket");
  BOOST_CHECK(await(fr) == transport_errc::connection_refused);
  std::promise<void> done;
  auto fd = done.get_future();
  on_loop([&]() {
    client->stop_read();
    client->close([&](std::error_code) { server.close([&]() { done.set_value(); }); });
  });
  await(fd);
  on_loop([&]() {
    client.reset();
    missing.reset();
    server.peers.clear();
  });
  ::unlink(path.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
