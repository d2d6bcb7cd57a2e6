// The HTTP exchange over the TLS filter over in-memory pipes: every TLS failure reaches the
// exchange's failure (and so WS_ERROR) with the filter's precise reason, after what the exchange
// was doing ("connecting to 'https://localhost'"). Deterministic: one manual loop, virtual time.
#include "fixture.hpp"
#include "pipe.hpp"

#include <wst/http/parser.hpp>
#include <wst/http/writer.hpp>
#include <wst/tls/stream.hpp>
#include <wst/transport/exchange.hpp>

#include <boost/test/unit_test.hpp>

#include <optional>
#include <vector>

namespace wtls = wst::detail::tls;
namespace tr = wst::detail::transport;
namespace http = wst::detail::http;
using namespace wst::test::tls;
using wst::transport_errc;

namespace {

// How the far end of each connection behaves.
enum class far_end {
  tls_server,  // a TLS server with `identity`, answering one SOAP 1.2 reply per request
  plain_http,  // answers the ClientHello with a plain HTTP 400
  hang_up,     // closes as soon as the ClientHello arrives
  silent,      // reads nothing, says nothing
};

// A lower stream whose connect fails and says why (as the TCP stream does).
class refused_stream final : public wst::byte_stream {
 public:
  explicit refused_stream(wst::event_loop& loop) : loop_(loop) {}
  void connect(completion done) override {
    loop_.post([done] { done(transport_errc::connection_refused); });
  }
  void write(std::string, completion done) override {
    loop_.post([done] { done(transport_errc::aborted); });
  }
  void start_read(data_handler) override {}
  void stop_read() override {}
  void close(completion done) override {
    loop_.post([done] {
      if (done) done({});
    });
  }
  std::string error_detail() const override {
    return "connecting to 127.0.0.1:443: connection refused";
  }

 private:
  wst::event_loop& loop_;
};

struct context final : wst::stream_context {
  manual_loop loop_;
  wst::event_loop& loop() override { return loop_; }
  std::unique_ptr<wst::byte_stream> tcp_stream(const std::string&, std::uint16_t) override {
    return nullptr;
  }
  std::unique_ptr<wst::byte_stream> unix_stream(const std::string&) override { return nullptr; }
};

// "https" for the exchange: each stream is the client TLS filter over one end of a fresh
// memory pipe; the far end (kept here) plays `mode`.
struct tls_transport final : wst::transport {
  std::shared_ptr<const wtls::client_context> client;
  std::shared_ptr<const wtls::server_context> server;
  far_end mode = far_end::tls_server;
  bool refuse_below = false;

  struct far {
    std::unique_ptr<wst::byte_stream> stream;
    http::request_parser parser;
  };
  std::vector<std::unique_ptr<memory_pipe>> pipes;
  std::vector<std::unique_ptr<far>> fars;

  std::uint16_t default_port() const override { return 443; }

  std::unique_ptr<wst::byte_stream> create_stream(const wst::endpoint& where,
                                                  wst::stream_context& ctx) override {
    auto& loop = static_cast<manual_loop&>(ctx.loop());
    std::unique_ptr<wst::byte_stream> lower;
    if (refuse_below) {
      lower = std::make_unique<refused_stream>(loop);
    } else {
      pipes.push_back(std::make_unique<memory_pipe>(loop));
      lower = pipes.back()->take(0);
      serve(loop, pipes.back()->take(1));
    }
    auto s = wtls::stream::client(std::move(lower), loop, client, where.host, where.port, nullptr);
    BOOST_REQUIRE(s.has_value());
    return std::move(*s);
  }

  void serve(manual_loop& loop, std::unique_ptr<wst::byte_stream> raw) {
    fars.push_back(std::make_unique<far>());
    far* f = fars.back().get();
    if (mode == far_end::silent) {
      f->stream = std::move(raw);
      return;
    }
    if (mode != far_end::tls_server) {
      f->stream = std::move(raw);
      f->stream->start_read([f, m = mode](std::error_code ec, const char*, std::size_t) {
        if (ec) return;
        f->stream->stop_read();
        if (m == far_end::hang_up)
          f->stream->close(nullptr);
        else
          f->stream->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
                           [](std::error_code) {});
      });
      return;
    }
    auto s = wtls::stream::server(std::move(raw), loop, server, nullptr);
    BOOST_REQUIRE(s.has_value());
    f->stream = std::move(*s);
    f->stream->connect([f](std::error_code ec) {
      if (ec) return;
      f->stream->start_read([f](std::error_code ec, const char* d, std::size_t n) {
        if (ec) return;
        auto used = f->parser.feed(d, n);
        if (!used || !f->parser.complete()) return;
        f->parser.reset();
        f->stream->write(
            http::write_response(200, "OK", "application/soap+xml; charset=utf-8", "<reply/>"),
            [](std::error_code) {});
      });
    });
  }

  void close_far_ends() {
    for (auto& f : fars)
      if (f->stream) f->stream->close(nullptr);
  }
};

struct tls_exchange {
  context ctx;
  tr::scheme_registry schemes;
  std::shared_ptr<tls_transport> https = std::make_shared<tls_transport>();
  std::unique_ptr<tr::exchange> ex;

  tls_exchange(const wtls::client_options& co, const identity& served) {
    https->client = client_context(co);
    https->server = server_context(serving(served));
    BOOST_REQUIRE(!schemes.add("https", https, true));
    tr::exchange_options o;
    o.time.resolve = std::chrono::milliseconds(60000);
    ex = std::make_unique<tr::exchange>(ctx, schemes, o);
  }
  ~tls_exchange() {
    std::optional<std::error_code> closed;
    ex->close([&](std::error_code ec) { closed = ec; });
    https->close_far_ends();
    ctx.loop_.run();
    BOOST_TEST((closed && !*closed));
    ex.reset();
    ctx.loop_.run();
    BOOST_TEST(ctx.loop_.idle());
  }

  // Sends one request and runs the loop (moving virtual time by `wait` too) until it is answered.
  wst::detail::result<http::response> send(
      std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    std::optional<wst::detail::result<http::response>> out;
    tr::soap_call c;
    c.url = "https://localhost/sts";
    c.action = "urn:test";
    c.body = "<Envelope/>";
    ex->send(std::move(c),
             [&](wst::detail::result<http::response> r) { out.emplace(std::move(r)); });
    ctx.loop_.run();
    if (!out && wait.count() > 0) ctx.loop_.advance(wait);
    BOOST_REQUIRE(out.has_value());
    return std::move(*out);
  }
};

std::string text(const wst::detail::result<http::response>& r) {
  return r ? "HTTP " + std::to_string(r->status) : r.error().describe();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls_exchange_reasons)

BOOST_AUTO_TEST_CASE(a_trusted_server_answers) {
  tls_exchange x(trusting_test_ca(), test_pki().server);
  auto r = x.send();
  BOOST_REQUIRE_MESSAGE(r.has_value(), text(r));
  BOOST_TEST(r->body == "<reply/>");
}

BOOST_AUTO_TEST_CASE(expired_certificate) {
  tls_exchange x(trusting_test_ca(), test_pki().server_expired);
  auto r = x.send();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::tls_verification_failed);
  BOOST_TEST(r.error().message.find(
                 "connecting to 'https://localhost': server certificate rejected: ") == 0u,
             r.error().message);
  BOOST_TEST(contains(r.error().message, "expired"), r.error().message);
}

BOOST_AUTO_TEST_CASE(certificate_for_another_host) {
  tls_exchange x(trusting_test_ca(), test_pki().server_wrong_host);
  auto r = x.send();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::tls_verification_failed);
  BOOST_TEST(
      contains(r.error().message,
               "server certificate rejected: Certificate does not match the host name 'localhost' "
               "(it names DNS:other.example"),
      r.error().message);
}

BOOST_AUTO_TEST_CASE(certificate_from_an_untrusted_ca) {
  tls_exchange x(trusting_test_ca(), test_pki().server_unknown_ca);
  auto r = x.send();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::tls_verification_failed);
  BOOST_TEST(contains(r.error().message, "server certificate rejected: "), r.error().message);
  BOOST_TEST(contains(r.error().message, "issuer"), r.error().message);
}

BOOST_AUTO_TEST_CASE(plain_http_instead_of_tls) {
  tls_exchange x(trusting_test_ca(), test_pki().server);
  x.https->mode = far_end::plain_http;
  auto r = x.send();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::tls_protocol_error);
  BOOST_TEST(
      contains(r.error().message,
               "connecting to 'https://localhost': the peer's bytes are not TLS (they start with "
               "\"HTTP/1.1 400"),
      r.error().message);
  BOOST_TEST(contains(r.error().message, "the server answered in plain HTTP"), r.error().message);
}

BOOST_AUTO_TEST_CASE(server_hangs_up_during_the_handshake) {
  tls_exchange x(trusting_test_ca(), test_pki().server);
  x.https->mode = far_end::hang_up;
  auto r = x.send();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::tls_handshake_failed);
  BOOST_TEST(r.error().message ==
                 "connecting to 'https://localhost': the peer closed the connection during the TLS "
                 "handshake",
             r.error().message);
}

BOOST_AUTO_TEST_CASE(handshake_timeout) {
  auto co = trusting_test_ca();
  co.handshake_timeout = std::chrono::milliseconds(250);
  tls_exchange x(co, test_pki().server);
  x.https->mode = far_end::silent;
  auto r = x.send(std::chrono::milliseconds(250));
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::timed_out);
  BOOST_TEST(
      r.error().message ==
          "connecting to 'https://localhost': the TLS handshake did not complete within 250 ms",
      r.error().message);
}

BOOST_AUTO_TEST_CASE(lower_connect_failure_keeps_the_lower_reason) {
  tls_exchange x(trusting_test_ca(), test_pki().server);
  x.https->refuse_below = true;
  auto r = x.send();
  BOOST_REQUIRE(!r.has_value());
  BOOST_CHECK(r.error().code == transport_errc::connection_refused);
  BOOST_TEST(
      r.error().message ==
          "connecting to 'https://localhost': the connection below TLS failed: connecting to "
          "127.0.0.1:443: connection refused",
      r.error().message);
}

BOOST_AUTO_TEST_SUITE_END()
