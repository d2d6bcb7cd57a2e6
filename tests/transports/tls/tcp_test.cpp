// The TLS filter over real TCP on 127.0.0.1: a loopback TLS server (the server-side filter over
// accepted uv streams) and clients over uv TCP streams. Each test stops its loop and checks
// that no handle was left open.
#include "fixture.hpp"

#include <wst/tls/stream.hpp>
#include <wst/uv/listener.hpp>
#include <wst/uv/runtime.hpp>
#include <wst/uv/streams.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <vector>

namespace wtls = wst::detail::tls;
namespace wuv = wst::detail::uv;
using namespace wst::test::tls;
using wst::transport_errc;

namespace {

constexpr auto patience = std::chrono::seconds(20);

template <class T>
T wait(std::future<T>& f) {
  BOOST_REQUIRE_MESSAGE(f.wait_for(patience) == std::future_status::ready, "timed out waiting for the loop");
  return f.get();
}

// A loopback TLS echo server: every accepted connection is wrapped in the server-side filter;
// after the handshake it echoes what it reads. Outcomes of server handshakes are recorded.
class echo_server {
 public:
  echo_server(wuv::loop_thread& loop, std::shared_ptr<const wtls::server_context> ctx,
              std::shared_ptr<wtls::session_cache> cache = nullptr)
      : loop_(loop), ctx_(std::move(ctx)), cache_(std::move(cache)) {
    std::string error;  // Boost.Test assertions only on the test thread
    loop_.run_sync([&] {
      listener_ = std::make_unique<wuv::listener>(loop_);
      auto r = listener_->listen_tcp("127.0.0.1", 0, [this](std::unique_ptr<wst::byte_stream> s) { accept(std::move(s)); });
      if (!r) error = r.error().describe();
      port_ = listener_->port();
    });
    BOOST_REQUIRE_MESSAGE(error.empty(), error);
  }

  std::uint16_t port() const { return port_; }
  // Handshake outcomes so far (read on the loop thread).
  std::vector<std::error_code> handshakes() {
    std::vector<std::error_code> v;
    loop_.run_sync([&] { v = outcomes_; });
    return v;
  }

  // Closes every connection and the listener; waits until all is closed.
  void stop() {
    std::promise<void> done;
    auto f = done.get_future();
    loop_.run_sync([&] {
      auto pending = std::make_shared<std::size_t>(conns_.size() + 1);
      auto one = [pending, &done] {
        if (--*pending == 0) done.set_value();
      };
      for (auto& c : conns_) c->close([one](std::error_code) { one(); });
      listener_->close(one);
    });
    wait(f);
    loop_.run_sync([&] {
      conns_.clear();
      listener_.reset();
    });
  }

 private:
  void accept(std::unique_ptr<wst::byte_stream> lower) {
    auto s = wtls::stream::server(std::move(lower), loop_, ctx_, cache_);
    if (!s) {
      outcomes_.push_back(s.error().code);
      return;
    }
    wtls::stream* raw = s->get();
    conns_.push_back(std::move(*s));
    raw->connect([this, raw](std::error_code ec) {
      outcomes_.push_back(ec);
      if (ec) return;
      raw->start_read([raw](std::error_code ec, const char* data, std::size_t size) {
        if (!ec) raw->write(std::string(data, size), [](std::error_code) {});
      });
    });
  }

  wuv::loop_thread& loop_;
  std::shared_ptr<const wtls::server_context> ctx_;
  std::shared_ptr<wtls::session_cache> cache_;
  std::unique_ptr<wuv::listener> listener_;
  std::uint16_t port_ = 0;
  std::vector<std::unique_ptr<wtls::stream>> conns_;
  std::vector<std::error_code> outcomes_;
};

struct session_result {
  std::error_code connect;
  wst::detail::failure failure;
  wtls::session_info info;
  std::string echoed;
  std::error_code read_end;
};

// Connects a TLS client to 127.0.0.1:port (verifying `host`), sends `payload`, reads the echo
// until it is complete, closes, and reports what happened.
session_result run_client(wuv::loop_thread& loop, std::uint16_t port, std::shared_ptr<const wtls::client_context> ctx,
                          const std::string& host, const std::string& payload,
                          std::shared_ptr<wtls::session_cache> cache = nullptr) {
  struct state {
    std::unique_ptr<wtls::stream> s;
    session_result r;
    std::promise<session_result> done;
    std::size_t expected = 0;
    void finish() {
      r.failure = s->last_failure();
      s->close([this](std::error_code) { done.set_value(r); });
    }
  };
  auto st = std::make_shared<state>();
  st->expected = payload.size();
  auto f = st->done.get_future();
  loop.post([&, st] {
    auto lower = wuv::make_tcp_stream(loop, "127.0.0.1", port);
    auto s = wtls::stream::client(std::move(lower), loop, ctx, host, port, cache);
    if (!s) {
      st->r.connect = s.error().code;
      st->done.set_value(st->r);
      return;
    }
    st->s = std::move(*s);
    st->s->connect([st, payload](std::error_code ec) {
      st->r.connect = ec;
      if (ec) return st->finish();
      st->r.info = st->s->info();
      st->s->start_read([st](std::error_code ec, const char* data, std::size_t size) {
        if (ec) {
          st->r.read_end = ec;
          return st->finish();
        }
        st->r.echoed.append(data, size);
        if (st->r.echoed.size() >= st->expected) {
          st->s->stop_read();
          st->finish();
        }
      });
      st->s->write(payload, [](std::error_code) {});
    });
  });
  session_result r = wait(f);
  loop.run_sync([&] { st->s.reset(); });
  return r;
}

// A loop thread that each test stops, checking that nothing was left open.
struct loop_fixture {
  wuv::loop_thread loop;
  loop_fixture() { BOOST_REQUIRE(loop.start().has_value()); }
  ~loop_fixture() {
    auto r = loop.stop();
    BOOST_TEST(r.has_value(), (r ? "" : r.error().describe()));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(tls_over_tcp)

BOOST_FIXTURE_TEST_CASE(echo_large_payload_by_name_and_by_address, loop_fixture) {
  echo_server server(loop, server_context(serving(test_pki().server)));
  const auto ctx = client_context(trusting_test_ca());
  const std::string payload = pattern(3 << 20, 11);
  for (const char* host : {"localhost", "127.0.0.1"}) {
    BOOST_TEST_CONTEXT(host) {
      const auto r = run_client(loop, server.port(), ctx, host, payload);
      BOOST_REQUIRE_MESSAGE(!r.connect, r.failure.describe());
      BOOST_TEST(r.info.version == "TLS v1.2");
      BOOST_TEST((r.echoed == payload));
    }
  }
  server.stop();
  BOOST_TEST(server.handshakes().empty() == false);
}

BOOST_FIXTURE_TEST_CASE(certificate_failures_over_tcp, loop_fixture) {
  struct failing {
    const char* name;
    const identity* id;
    const char* text;
  };
  const auto& p = test_pki();
  const failing cases[] = {
      {"expired", &p.server_expired, "expired"},
      {"wrong host", &p.server_wrong_host, "does not match the host name"},
      {"unknown CA", &p.server_unknown_ca, "server certificate rejected"},
  };
  const auto ctx = client_context(trusting_test_ca());
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      echo_server server(loop, server_context(serving(*c.id)));
      const auto r = run_client(loop, server.port(), ctx, "localhost", "ping");
      BOOST_TEST(r.connect == make_error_code(transport_errc::tls_verification_failed));
      BOOST_TEST(contains(r.failure.message, c.text), r.failure.describe());
      server.stop();
      const auto hs = server.handshakes();
      BOOST_REQUIRE(hs.size() == 1u);
      BOOST_TEST(hs[0] == make_error_code(transport_errc::tls_handshake_failed));
    }
  }
}

BOOST_FIXTURE_TEST_CASE(client_certificate_required_over_tcp, loop_fixture) {
  auto so = serving(test_pki().server);
  so.require_client_certificate = true;
  so.client_ca = pem(test_pki().ca_pem);
  echo_server server(loop, server_context(so));

  const auto without = run_client(loop, server.port(), client_context(trusting_test_ca()), "localhost", "ping");
  BOOST_TEST(without.connect == make_error_code(transport_errc::tls_handshake_failed), without.failure.describe());

  auto co = trusting_test_ca();
  co.certificate_chain = pem(test_pki().client.chain_pem);
  co.private_key = pem(test_pki().client.key_pem);
  const auto with = run_client(loop, server.port(), client_context(co), "localhost", "ping");
  BOOST_TEST(!with.connect, with.failure.describe());
  BOOST_TEST(with.echoed == "ping");
  server.stop();
  const auto hs = server.handshakes();
  BOOST_REQUIRE(hs.size() == 2u);
  BOOST_TEST(hs[0] == make_error_code(transport_errc::tls_handshake_failed));
  BOOST_TEST(!hs[1]);
}

BOOST_FIXTURE_TEST_CASE(session_resumption_over_tcp, loop_fixture) {
  echo_server server(loop, server_context(serving(test_pki().server)), wtls::make_session_cache());
  const auto ctx = client_context(trusting_test_ca());
  auto cache = wtls::make_session_cache();
  const auto first = run_client(loop, server.port(), ctx, "localhost", "one", cache);
  const auto second = run_client(loop, server.port(), ctx, "localhost", "two", cache);
  BOOST_REQUIRE(!first.connect);
  BOOST_REQUIRE(!second.connect);
  BOOST_TEST(!first.info.resumed);
  BOOST_TEST(second.info.resumed);
  BOOST_TEST(second.info.session_id == first.info.session_id);
  BOOST_TEST(second.echoed == "two");
  server.stop();
}

BOOST_FIXTURE_TEST_CASE(plain_tcp_server_answering_garbage, loop_fixture) {
  // A server that is not TLS at all: it answers the ClientHello with an HTTP error.
  std::unique_ptr<wuv::listener> plain;
  std::vector<std::unique_ptr<wst::byte_stream>> conns;
  std::uint16_t port = 0;
  loop.run_sync([&] {
    plain = std::make_unique<wuv::listener>(loop);
    auto r = plain->listen_tcp("127.0.0.1", 0, [&](std::unique_ptr<wst::byte_stream> s) {
      wst::byte_stream* raw = s.get();
      conns.push_back(std::move(s));
      raw->start_read([raw](std::error_code ec, const char*, std::size_t) {
        if (!ec) raw->write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n", [](std::error_code) {});
      });
    });
    if (r) port = plain->port();
  });
  BOOST_REQUIRE(port != 0);
  const auto r = run_client(loop, port, client_context(trusting_test_ca()), "localhost", "ping");
  BOOST_TEST(r.connect == make_error_code(transport_errc::tls_protocol_error));
  BOOST_TEST(contains(r.failure.message, "plain HTTP"), r.failure.describe());

  std::promise<void> closed;
  auto f = closed.get_future();
  loop.run_sync([&] {
    auto pending = std::make_shared<std::size_t>(conns.size() + 1);
    auto one = [pending, &closed] {
      if (--*pending == 0) closed.set_value();
    };
    for (auto& c : conns) c->close([one](std::error_code) { one(); });
    plain->close(one);
  });
  wait(f);
  loop.run_sync([&] {
    conns.clear();
    plain.reset();
  });
}

BOOST_FIXTURE_TEST_CASE(nobody_listening_passes_the_tcp_error_through, loop_fixture) {
  // Bind a port, release it, then connect to it.
  std::uint16_t port = 0;
  {
    echo_server gone(loop, server_context(serving(test_pki().server)));
    port = gone.port();
    gone.stop();
  }
  const auto r = run_client(loop, port, client_context(trusting_test_ca()), "localhost", "ping");
  BOOST_TEST(r.connect == make_error_code(transport_errc::connection_refused), r.failure.describe());
}

BOOST_AUTO_TEST_SUITE_END()
