// The TLS filter over in-memory pipes: handshakes, data, failures and the byte_stream
// contract (callbacks only from the loop, never inside the initiating call, exactly once).
#include "fixture.hpp"
#include "pipe.hpp"

#include <wst/tls/stream.hpp>

#include <boost/test/unit_test.hpp>

#include <vector>

namespace wtls = wst::detail::tls;
using namespace wst::test::tls;
using wst::transport_errc;

namespace {

// Non-zero while a stream member function runs: callbacks must never see it.
int in_call = 0;
template <class F>
void call(F&& f) {
  ++in_call;
  f();
  --in_call;
}

struct outcome {
  int calls = 0;
  std::error_code ec;
};
wst::byte_stream::completion record(outcome& o, std::vector<std::string>* order = nullptr, const char* name = "") {
  return [&o, order, name](std::error_code ec) {
    BOOST_TEST(in_call == 0);
    ++o.calls;
    o.ec = ec;
    if (order) order->push_back(name);
  };
}

struct reading {
  std::string data;
  int ends = 0;
  std::error_code end;
};
wst::byte_stream::data_handler reader(reading& r) {
  return [&r](std::error_code ec, const char* d, std::size_t n) {
    BOOST_TEST(in_call == 0);
    BOOST_TEST(r.ends == 0);  // nothing after the final call
    if (ec) {
      ++r.ends;
      r.end = ec;
      BOOST_TEST(n == 0u);
    } else {
      r.data.append(d, n);
    }
  };
}

struct tls_link {
  manual_loop loop;
  memory_pipe wire;
  std::unique_ptr<wtls::stream> client;
  std::unique_ptr<wtls::stream> server;

  explicit tls_link(std::size_t chunk = 64 * 1024) : wire(loop, chunk) {}
};

std::unique_ptr<wtls::stream> client_over(std::unique_ptr<wst::byte_stream> lower, manual_loop& loop,
                                          std::shared_ptr<const wtls::client_context> cc,
                                          const std::string& host = "localhost",
                                          std::shared_ptr<wtls::session_cache> cache = nullptr) {
  auto s = wtls::stream::client(std::move(lower), loop, std::move(cc), host, 443, std::move(cache));
  BOOST_REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().describe()));
  return std::move(*s);
}

std::unique_ptr<wtls::stream> client_over(std::unique_ptr<wst::byte_stream> lower, manual_loop& loop,
                                          const wtls::client_options& co) {
  return client_over(std::move(lower), loop, client_context(co));
}

std::unique_ptr<wtls::stream> server_over(std::unique_ptr<wst::byte_stream> lower, manual_loop& loop,
                                          const wtls::server_options& so,
                                          std::shared_ptr<wtls::session_cache> cache = nullptr) {
  auto s = wtls::stream::server(std::move(lower), loop, server_context(so), std::move(cache));
  BOOST_REQUIRE(s.has_value());
  return std::move(*s);
}

std::unique_ptr<tls_link> make_link(const wtls::client_options& co, const wtls::server_options& so,
                                std::size_t chunk = 64 * 1024) {
  auto l = std::make_unique<tls_link>(chunk);
  l->client = client_over(l->wire.take(0), l->loop, co);
  l->server = server_over(l->wire.take(1), l->loop, so);
  return l;
}

// Connects both ends; returns their outcomes.
std::pair<outcome, outcome> connect(tls_link& l) {
  outcome c, s;
  call([&] { l.client->connect(record(c)); });
  call([&] { l.server->connect(record(s)); });
  l.loop.run();
  BOOST_TEST(c.calls == 1);
  BOOST_TEST(s.calls == 1);
  BOOST_TEST(l.loop.pending_timers() == 0u);  // handshake timers are cancelled either way
  return {c, s};
}

void close_both(tls_link& l) {
  outcome a, b;
  call([&] { l.client->close(record(a)); });
  call([&] { l.server->close(record(b)); });
  l.loop.run();
  BOOST_TEST(a.calls == 1);
  BOOST_TEST(b.calls == 1);
  BOOST_TEST(!a.ec);
  BOOST_TEST(l.loop.idle());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls_stream)

BOOST_AUTO_TEST_CASE(handshake_data_both_ways_and_close_notify) {
  for (std::size_t chunk : {std::size_t{1000}, std::size_t{64 * 1024}}) {
    BOOST_TEST_CONTEXT("chunk " << chunk) {
      auto l = make_link(trusting_test_ca(), serving(test_pki().server), chunk);
      const auto [c, s] = connect(*l);
      BOOST_REQUIRE_MESSAGE(!c.ec, c.ec.message() + " " + l->client->last_failure().describe());
      BOOST_REQUIRE_MESSAGE(!s.ec, s.ec.message() + " " + l->server->last_failure().describe());
      BOOST_TEST(l->client->info().version == "TLS v1.2");
      BOOST_TEST(l->server->info().server_name == "localhost");
      BOOST_TEST(l->client->is_reusable());
      BOOST_TEST(*l->client->bytes_sent() == 0u);
      BOOST_TEST(l->client->error_detail().empty());  // nothing to explain while healthy

      reading at_client, at_server;
      call([&] { l->client->start_read(reader(at_client)); });
      call([&] { l->server->start_read(reader(at_server)); });
      const std::string up1 = pattern(700000, 3), up2 = pattern(1 << 20, 4), down = pattern(1500000, 5);
      outcome w1, w2, w3;
      call([&] { l->client->write(up1, record(w1)); });
      call([&] { l->client->write_sensitive(up2, record(w2)); });
      call([&] { l->server->write(down, record(w3)); });
      l->loop.run();
      BOOST_TEST(w1.calls == 1);
      BOOST_TEST(w2.calls == 1);
      BOOST_TEST(w3.calls == 1);
      BOOST_TEST(!w1.ec);
      BOOST_TEST((at_server.data == up1 + up2));
      BOOST_TEST((at_client.data == down));
      BOOST_TEST(*l->client->bytes_sent() == up1.size() + up2.size());

      // The client closes: the server reads a clean end of stream (close_notify).
      outcome closed;
      call([&] { l->client->close(record(closed)); });
      l->loop.run();
      BOOST_TEST(closed.calls == 1);
      BOOST_TEST(at_server.ends == 1);
      BOOST_TEST(at_server.end == make_error_code(transport_errc::eof));
      BOOST_TEST(at_client.ends == 1);  // the client's own reader was aborted by its close
      BOOST_TEST(at_client.end == make_error_code(transport_errc::aborted));
      BOOST_TEST(!l->server->is_reusable());
      BOOST_TEST(!l->server->last_failure().code);
      outcome server_closed;
      call([&] { l->server->close(record(server_closed)); });
      l->loop.run();
      BOOST_TEST(server_closed.calls == 1);
      BOOST_TEST(l->loop.idle());
    }
  }
}

BOOST_AUTO_TEST_CASE(verification_failure_reaches_connect_with_reason) {
  auto l = make_link(trusting_test_ca(), serving(test_pki().server_expired));
  const auto [c, s] = connect(*l);
  BOOST_TEST(c.ec == make_error_code(transport_errc::tls_verification_failed));
  BOOST_TEST(contains(l->client->last_failure().message, "expired"), l->client->last_failure().describe());
  // error_detail() hands the reason to whoever holds the stream as a byte_stream (the exchange).
  BOOST_TEST(l->client->error_detail() == l->client->last_failure().message);
  BOOST_TEST(l->client->error_detail().find("server certificate rejected: ") == 0u, l->client->error_detail());
  BOOST_TEST(s.ec == make_error_code(transport_errc::tls_handshake_failed));
  BOOST_TEST(!l->client->is_reusable());
  // Later operations fail with the same error, from the loop.
  outcome w;
  call([&] { l->client->write("x", record(w)); });
  BOOST_TEST(w.calls == 0);
  l->loop.run();
  BOOST_TEST(w.calls == 1);
  BOOST_TEST(w.ec == make_error_code(transport_errc::tls_verification_failed));
  reading r;
  call([&] { l->client->start_read(reader(r)); });
  BOOST_TEST(r.ends == 0);
  l->loop.run();
  BOOST_TEST(r.ends == 1);
  BOOST_TEST(r.end == make_error_code(transport_errc::tls_verification_failed));
  close_both(*l);
}

BOOST_AUTO_TEST_CASE(client_certificate_over_streams) {
  auto so = serving(test_pki().server);
  so.require_client_certificate = true;
  so.client_ca = pem(test_pki().ca_pem);
  {
    auto l = make_link(trusting_test_ca(), so);
    const auto [c, s] = connect(*l);
    BOOST_TEST(c.ec == make_error_code(transport_errc::tls_handshake_failed));
    BOOST_TEST(s.ec == make_error_code(transport_errc::tls_handshake_failed));
    close_both(*l);
  }
  auto co = trusting_test_ca();
  co.certificate_chain = pem(test_pki().client.chain_pem);
  co.private_key = pem(test_pki().client.key_pem);
  auto l = make_link(co, so);
  const auto [c, s] = connect(*l);
  BOOST_TEST(!c.ec);
  BOOST_TEST(!s.ec);
  BOOST_TEST(contains(l->server->info().peer_subject, "wst test client"));
  close_both(*l);
}

BOOST_AUTO_TEST_CASE(plain_http_server_is_a_protocol_error) {
  manual_loop loop;
  memory_pipe wire(loop);
  auto client = client_over(wire.take(0), loop, trusting_test_ca());
  auto raw = wire.take(1);
  reading hello;
  raw->start_read([&](std::error_code ec, const char*, std::size_t) {
    if (!ec && hello.data.empty()) {
      hello.data = "seen";
      raw->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", [](std::error_code) {});
    }
  });
  outcome c;
  call([&] { client->connect(record(c)); });
  loop.run();
  BOOST_TEST(c.calls == 1);
  BOOST_TEST(c.ec == make_error_code(transport_errc::tls_protocol_error));
  BOOST_TEST(contains(client->last_failure().message, "plain HTTP"), client->last_failure().describe());
  BOOST_TEST(contains(client->error_detail(), "the peer's bytes are not TLS"), client->error_detail());
  outcome closed;
  call([&] { client->close(record(closed)); });
  raw->close(nullptr);
  loop.run();
  BOOST_TEST(closed.calls == 1);
  BOOST_TEST(loop.idle());
}

BOOST_AUTO_TEST_CASE(tampered_record_after_the_handshake_ends_reading_with_protocol_error) {
  auto l = make_link(trusting_test_ca(), serving(test_pki().server));
  connect(*l);
  l->wire.set_tamper(1, [](std::string& b) {
    if (b.size() > 64) b[b.size() - 20] = static_cast<char>(b[b.size() - 20] ^ 1);
  });
  reading r;
  call([&] { l->client->start_read(reader(r)); });
  outcome w;
  call([&] { l->server->write(pattern(5000, 7), record(w)); });
  l->loop.run();
  BOOST_TEST(r.data.empty());
  BOOST_TEST(r.ends == 1);
  BOOST_TEST(r.end == make_error_code(transport_errc::tls_protocol_error));
  BOOST_TEST(l->client->last_failure().code == make_error_code(transport_errc::tls_protocol_error));
  outcome w2;
  call([&] { l->client->write("more", record(w2)); });
  l->loop.run();
  BOOST_TEST(w2.ec == make_error_code(transport_errc::tls_protocol_error));
  close_both(*l);
}

BOOST_AUTO_TEST_CASE(lower_connect_failure_passes_through) {
  auto l = std::make_unique<tls_link>();
  l->wire.refuse_connect(0, make_error_code(transport_errc::connection_refused));
  l->client = client_over(l->wire.take(0), l->loop, trusting_test_ca());
  outcome c;
  call([&] { l->client->connect(record(c)); });
  l->loop.run();
  BOOST_TEST(c.calls == 1);
  BOOST_TEST(c.ec == make_error_code(transport_errc::connection_refused));
  BOOST_TEST(l->client->last_failure().code == make_error_code(transport_errc::connection_refused));
  BOOST_TEST(l->client->error_detail() == "the connection below TLS failed");  // the pipe says nothing more
  outcome closed;
  call([&] { l->client->close(record(closed)); });
  l->loop.run();
  BOOST_TEST(closed.calls == 1);
}

BOOST_AUTO_TEST_CASE(peer_closing_during_the_handshake_is_a_handshake_failure) {
  manual_loop loop;
  memory_pipe wire(loop);
  auto client = client_over(wire.take(0), loop, trusting_test_ca());
  auto raw = wire.take(1);
  raw->start_read([&](std::error_code ec, const char*, std::size_t) {
    if (!ec) raw->close(nullptr);
  });
  outcome c;
  call([&] { client->connect(record(c)); });
  loop.run();
  BOOST_TEST(c.calls == 1);
  BOOST_TEST(c.ec == make_error_code(transport_errc::tls_handshake_failed));
  BOOST_TEST(contains(client->last_failure().message, "during the TLS handshake"));
  BOOST_TEST(client->error_detail() == "the peer closed the connection during the TLS handshake");
  call([&] { client->close(nullptr); });
  loop.run();
  BOOST_TEST(loop.idle());
}

BOOST_AUTO_TEST_CASE(end_of_stream_without_close_notify_is_a_reset) {
  auto l = make_link(trusting_test_ca(), serving(test_pki().server));
  connect(*l);
  reading r;
  call([&] { l->client->start_read(reader(r)); });
  outcome w;
  call([&] { l->server->write("partial", record(w)); });
  l->loop.run();
  BOOST_TEST(r.data == "partial");
  // The server's close_notify is lost on the way: the client sees a bare end of stream.
  l->wire.set_tamper(1, [](std::string& b) { b.clear(); });
  call([&] { l->server->close(nullptr); });
  l->loop.run();
  BOOST_TEST(r.ends == 1);
  BOOST_TEST(r.end == make_error_code(transport_errc::connection_reset));
  BOOST_TEST(contains(l->client->last_failure().message, "without TLS close_notify"));
  call([&] { l->client->close(nullptr); });
  l->loop.run();
}

BOOST_AUTO_TEST_CASE(misuse_completes_from_the_loop_with_an_error) {
  auto l = make_link(trusting_test_ca(), serving(test_pki().server));
  outcome w;
  call([&] { l->client->write("too early", record(w)); });
  BOOST_TEST(w.calls == 0);
  l->loop.run();
  BOOST_TEST(w.calls == 1);
  BOOST_TEST(w.ec == std::make_error_code(std::errc::not_connected));

  connect(*l);
  outcome again;
  call([&] { l->client->connect(record(again)); });
  BOOST_TEST(again.calls == 0);
  l->loop.run();
  BOOST_TEST(again.calls == 1);
  BOOST_TEST(again.ec == std::make_error_code(std::errc::already_connected));

  outcome empty;
  call([&] { l->client->write(std::string(), record(empty)); });
  BOOST_TEST(empty.calls == 0);
  l->loop.run();
  BOOST_TEST(empty.calls == 1);
  BOOST_TEST(!empty.ec);
  close_both(*l);
}

BOOST_AUTO_TEST_CASE(operations_after_close_are_aborted) {
  auto l = make_link(trusting_test_ca(), serving(test_pki().server));
  connect(*l);
  outcome closed, w, c;
  reading r;
  call([&] { l->client->close(record(closed)); });
  call([&] { l->client->write("late", record(w)); });
  call([&] { l->client->connect(record(c)); });
  call([&] { l->client->start_read(reader(r)); });
  BOOST_TEST(w.calls + c.calls + r.ends == 0);
  l->loop.run();
  BOOST_TEST(closed.calls == 1);
  BOOST_TEST(w.ec == make_error_code(transport_errc::aborted));
  BOOST_TEST(c.ec == make_error_code(transport_errc::aborted));
  BOOST_TEST(r.ends == 1);
  BOOST_TEST(r.end == make_error_code(transport_errc::aborted));
  BOOST_TEST(!l->client->is_reusable());
  call([&] { l->server->close(nullptr); });
  l->loop.run();
}

BOOST_AUTO_TEST_CASE(client_over_an_already_connected_stream) {
  manual_loop loop;
  memory_pipe wire(loop);
  // Connecting the lower stream again would fail: the filter must not try.
  wire.refuse_connect(0, std::make_error_code(std::errc::already_connected));
  auto s = wtls::stream::client(wire.take(0), loop, client_context(trusting_test_ca()), "localhost", 443, nullptr,
                                /*connect_lower=*/false);
  BOOST_REQUIRE(s.has_value());
  auto client = std::move(*s);
  auto server = server_over(wire.take(1), loop, serving(test_pki().server));
  outcome c, sv;
  call([&] { client->connect(record(c)); });
  call([&] { server->connect(record(sv)); });
  loop.run();
  BOOST_TEST(!c.ec);
  BOOST_TEST(!sv.ec);
  call([&] { client->close(nullptr); });
  call([&] { server->close(nullptr); });
  loop.run();
  BOOST_TEST(loop.idle());
}

BOOST_AUTO_TEST_CASE(close_during_the_handshake_aborts_connect_first) {
  // Before the lower stream connected, and while waiting for the server's answer.
  for (bool wait_for_server : {false, true}) {
    BOOST_TEST_CONTEXT("wait_for_server " << wait_for_server) {
      manual_loop loop;
      memory_pipe wire(loop);
      auto client = client_over(wire.take(0), loop, trusting_test_ca());
      auto silent = wire.take(1);  // never answers
      std::vector<std::string> order;
      outcome c, closed, closed_again;
      reading r;
      call([&] { client->start_read(reader(r)); });
      call([&] { client->connect(record(c, &order, "connect")); });
      if (wait_for_server) loop.run();
      BOOST_TEST(c.calls == 0);
      call([&] { client->close(record(closed, &order, "close")); });
      call([&] { client->close(record(closed_again, &order, "close again")); });
      loop.run();
      BOOST_TEST(c.ec == make_error_code(transport_errc::aborted));
      BOOST_TEST(closed.calls == 1);
      BOOST_TEST(closed_again.calls == 1);
      BOOST_REQUIRE(order.size() == 3u);
      BOOST_TEST(order[0] == "connect");
      BOOST_TEST(r.ends == 1);
      BOOST_TEST(r.end == make_error_code(transport_errc::aborted));
      BOOST_TEST(wire.closed(0));
      silent->close(nullptr);
      loop.run();
      BOOST_TEST(loop.idle());
    }
  }
}

BOOST_AUTO_TEST_CASE(silent_peers_time_out_the_handshake) {
  // A client whose server never answers.
  {
    manual_loop loop;
    memory_pipe wire(loop);
    auto co = trusting_test_ca();
    co.handshake_timeout = std::chrono::milliseconds(5000);
    auto client = client_over(wire.take(0), loop, co);
    auto silent = wire.take(1);
    outcome c;
    call([&] { client->connect(record(c)); });
    loop.run();
    loop.advance(std::chrono::milliseconds(4999));
    BOOST_TEST(c.calls == 0);
    loop.advance(std::chrono::milliseconds(1));
    BOOST_TEST(c.calls == 1);
    BOOST_TEST(c.ec == make_error_code(transport_errc::timed_out));
    BOOST_TEST(contains(client->last_failure().message, "5000 ms"), client->last_failure().describe());
    BOOST_TEST(client->error_detail() == "the TLS handshake did not complete within 5000 ms");
    call([&] { client->close(nullptr); });
    silent->close(nullptr);
    loop.run();
    BOOST_TEST(loop.idle());
  }
  // A server whose client connected but never says hello.
  {
    manual_loop loop;
    memory_pipe wire(loop);
    auto so = serving(test_pki().server);
    so.handshake_timeout = std::chrono::milliseconds(100);
    auto server = server_over(wire.take(1), loop, so);
    auto mute = wire.take(0);
    outcome s;
    call([&] { server->connect(record(s)); });
    loop.advance(std::chrono::milliseconds(100));
    BOOST_TEST(s.ec == make_error_code(transport_errc::timed_out));
    call([&] { server->close(nullptr); });
    mute->close(nullptr);
    loop.run();
    BOOST_TEST(loop.idle());
  }
  // Zero disables the limit.
  {
    manual_loop loop;
    memory_pipe wire(loop);
    auto co = trusting_test_ca();
    co.handshake_timeout = std::chrono::milliseconds(0);
    auto client = client_over(wire.take(0), loop, co);
    auto silent = wire.take(1);
    outcome c;
    call([&] { client->connect(record(c)); });
    loop.run();
    BOOST_TEST(loop.pending_timers() == 0u);
    call([&] { client->close(nullptr); });
    silent->close(nullptr);
    loop.run();
    BOOST_TEST(c.ec == make_error_code(transport_errc::aborted));
  }
}

BOOST_AUTO_TEST_CASE(data_waits_for_a_reader) {
  auto l = make_link(trusting_test_ca(), serving(test_pki().server));
  // The server speaks first, right after its handshake: the client has no reader yet and the
  // greeting arrives together with the server's Finished.
  outcome c, s, w;
  call([&] { l->client->connect(record(c)); });
  call([&] {
    l->server->connect([&](std::error_code ec) {
      s.calls++;
      s.ec = ec;
      l->server->write("hello", record(w));
    });
  });
  l->loop.run();
  BOOST_REQUIRE(!c.ec);
  BOOST_REQUIRE(!s.ec);
  BOOST_TEST(!l->client->is_reusable());  // unread data
  reading r;
  call([&] { l->client->start_read(reader(r)); });
  BOOST_TEST(r.data.empty());  // not inside start_read
  l->loop.run();
  BOOST_TEST(r.data == "hello");
  BOOST_TEST(l->client->is_reusable());

  // stop_read pauses delivery; start_read resumes it.
  call([&] { l->client->stop_read(); });
  call([&] { l->server->write(" world", record(w)); });
  l->loop.run();
  BOOST_TEST(r.data == "hello");
  call([&] { l->client->start_read(reader(r)); });
  l->loop.run();
  BOOST_TEST(r.data == "hello world");
  close_both(*l);
}

BOOST_AUTO_TEST_CASE(reader_registered_before_connect_gets_early_data) {
  auto l = make_link(trusting_test_ca(), serving(test_pki().server));
  reading r;
  call([&] { l->client->start_read(reader(r)); });
  outcome c, s;
  call([&] { l->client->connect(record(c)); });
  call([&] {
    l->server->connect([&](std::error_code ec) {
      s.calls++;
      s.ec = ec;
      l->server->write("welcome", [](std::error_code) {});
    });
  });
  l->loop.run();
  BOOST_TEST(!c.ec);
  BOOST_TEST(r.data == "welcome");
  close_both(*l);
}

BOOST_AUTO_TEST_CASE(destroying_a_stream_drops_its_callbacks_and_closes_below) {
  manual_loop loop;
  memory_pipe wire(loop);
  auto client = client_over(wire.take(0), loop, trusting_test_ca());
  auto peer = wire.take(1);
  outcome c;
  reading r;
  call([&] { client->start_read(reader(r)); });
  call([&] { client->connect(record(c)); });
  client.reset();
  loop.run();
  BOOST_TEST(c.calls == 0);
  BOOST_TEST(r.ends == 0);
  BOOST_TEST(wire.closed(0));
  peer->close(nullptr);
  loop.run();
  BOOST_TEST(loop.idle());
}

BOOST_AUTO_TEST_CASE(destroying_a_stream_from_its_own_callback) {
  auto l = make_link(trusting_test_ca(), serving(test_pki().server));
  connect(*l);
  int got = 0;
  call([&] {
    l->client->start_read([&](std::error_code ec, const char*, std::size_t) {
      ++got;
      if (!ec) l->client.reset();
    });
  });
  call([&] { l->server->write("bye", [](std::error_code) {}); });
  l->loop.run();
  BOOST_TEST(got == 1);
  BOOST_TEST(!l->client);
  call([&] { l->server->close(nullptr); });
  l->loop.run();
  BOOST_TEST(l->loop.idle());
}

BOOST_AUTO_TEST_CASE(session_resumption_over_streams) {
  auto client_cache = wtls::make_session_cache();
  auto server_cache = wtls::make_session_cache();
  const auto cc = client_context(trusting_test_ca());
  std::string first_id;
  for (int round = 0; round < 2; ++round) {
    manual_loop loop;
    memory_pipe wire(loop);
    auto client = client_over(wire.take(0), loop, cc, "localhost", client_cache);
    auto server = server_over(wire.take(1), loop, serving(test_pki().server), server_cache);
    outcome c, s;
    call([&] { client->connect(record(c)); });
    call([&] { server->connect(record(s)); });
    loop.run();
    BOOST_REQUIRE(!c.ec);
    BOOST_REQUIRE(!s.ec);
    BOOST_TEST(client->info().resumed == (round == 1));
    BOOST_TEST(server->info().resumed == (round == 1));
    if (round == 0) first_id = client->info().session_id;
    else BOOST_TEST(client->info().session_id == first_id);
    call([&] { client->close(nullptr); });
    call([&] { server->close(nullptr); });
    loop.run();
  }
}

BOOST_AUTO_TEST_CASE(factory_arguments_are_checked) {
  manual_loop loop;
  auto bad = wtls::stream::client(nullptr, loop, client_context(trusting_test_ca()), "localhost", 443, nullptr);
  BOOST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().code == std::make_error_code(std::errc::invalid_argument));
  memory_pipe wire(loop);
  auto bad_host = wtls::stream::client(wire.take(0), loop, client_context(trusting_test_ca()), "not a host", 443, nullptr);
  BOOST_REQUIRE(!bad_host.has_value());
  BOOST_TEST(bad_host.error().code == make_error_code(transport_errc::invalid_url));
  loop.run();
}

BOOST_AUTO_TEST_SUITE_END()
