#include "server.hpp"

#include "work_queue.hpp"

#include <wst/http/parser.hpp>
#include <wst/sts/exchange.hpp>
#include <wst/sts/fault.hpp>
#include <wst/tls/context.hpp>
#include <wst/tls/stream.hpp>
#include <wst/uv/listener.hpp>
#include <wst/uv/runtime.hpp>
#include <wst/uv/streams.hpp>

#include <future>
#include <unordered_map>

namespace wst::detail::sts {

namespace {

constexpr std::chrono::milliseconds handshake_timeout{10000};
constexpr std::chrono::milliseconds close_grace{3000};
constexpr std::size_t header_allowance = 16 * 1024;  // request line and headers, beyond the body

void wipe(std::string& s) noexcept {
  s.resize(s.capacity());
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string url_for(const listen_address& a, bool https, std::uint16_t port) {
  const std::string scheme = https ? "https" : "http";
  if (a.unix_socket) return scheme + "+unix://" + percent_encode(a.path) + "/";
  return scheme + "://" + (a.ipv6 ? "[" + a.host + "]" : a.host) + ":" + std::to_string(port) + "/";
}

// One request, copied out of the parser for a worker thread.
struct owned_request {
  std::string method, target, content_type, soap_action, authorization, body;
  bool keep_alive = false;
  ~owned_request() { wipe(authorization); }
  http_request view() const {
    http_request r;
    r.method = method;
    r.target = target;
    r.content_type = content_type;
    r.soap_action = soap_action;
    r.authorization = authorization;
    r.body = body;
    return r;
  }
};

}  // namespace

struct server::impl {
  struct connection;

  server_options opts;
  service& svc;
  tls_identity tls_id;
  http::limits http_limits;
  uv::runtime rt{1};
  std::unique_ptr<work_queue> workers;
  std::shared_ptr<const tls::server_context> tls_ctx;
  std::shared_ptr<tls::session_cache> sessions;
  bool started = false, stopped = false;

  // Loop thread only.
  std::vector<std::unique_ptr<uv::listener>> listeners;
  std::size_t listeners_open = 0;
  std::unordered_map<connection*, std::shared_ptr<connection>> connections;
  bool stopping = false;
  std::function<void()> on_quiet;  // set by stop(): everything closed

  impl(const server_options& o, service& s, tls_identity t)
      : opts(o), svc(s), tls_id(std::move(t)) {
    http_limits.max_message_size = opts.issuer.max_request_bytes + header_allowance;
  }
  ~impl() { wipe(tls_id.private_key_pem); }

  uv::loop_thread& loop() { return rt.loop(0); }
  void accept(std::unique_ptr<byte_stream> s);
  void closed(connection* c);
  void check_quiet() {
    if (stopping && listeners_open == 0 && connections.empty() && on_quiet) {
      auto done = std::move(on_quiet);
      on_quiet = nullptr;
      done();
    }
  }
};

// One client connection: reads a request, has a worker build the reply, writes it (as the
// fault mode says), then waits for the next request on the same connection.
struct server::impl::connection : std::enable_shared_from_this<connection> {
  impl& srv;
  std::unique_ptr<byte_stream> stream;
  byte_stream* socket;  // the accepted socket: `stream` itself, or the stream under TLS
  http::request_parser parser;
  std::string pending;  // bytes that arrived while a request was being answered
  bool busy = false;
  bool closing = false;
  event_loop::timer_id timer = 0;

  connection(impl& s, std::unique_ptr<byte_stream> st)
      : srv(s), stream(std::move(st)), socket(stream.get()), parser(s.http_limits) {}

  event_loop& loop() { return srv.loop(); }

  // Closes the connection when `d` passes before disarm() (handshake, idle, slow request).
  void arm(std::chrono::milliseconds d) {
    disarm();
    std::weak_ptr<connection> w = weak_from_this();
    timer = loop().start_timer(d, [w] {
      if (auto c = w.lock()) {
        c->timer = 0;
        c->close();
      }
    });
  }
  void disarm() {
    if (timer) loop().cancel_timer(timer);
    timer = 0;
  }

  void start() {
    if (!srv.tls_ctx) {
      begin();
      return;
    }
    auto secured = tls::stream::server(std::move(stream), loop(), srv.tls_ctx, srv.sessions);
    if (!secured) {  // the lower stream went with the failed call
      closing = true;
      auto self = shared_from_this();
      loop().post([self] { self->srv.closed(self.get()); });
      return;
    }
    stream = std::move(*secured);
    arm(handshake_timeout);
    std::weak_ptr<connection> w = weak_from_this();
    stream->connect([w](std::error_code ec) {
      auto c = w.lock();
      if (!c || c->closing) return;
      if (ec) {
        c->close();
      } else {
        c->begin();
      }
    });
  }

  void begin() {
    arm(srv.opts.idle_timeout);
    std::weak_ptr<connection> w = weak_from_this();
    stream->start_read([w](std::error_code ec, const char* d, std::size_t n) {
      if (auto c = w.lock()) c->on_data(ec, d, n);
    });
  }

  void on_data(std::error_code ec, const char* d, std::size_t n) {
    if (closing) return;
    if (ec) {  // the client closed or the connection broke
      close();
      return;
    }
    if (busy) {
      if (pending.size() + n > srv.http_limits.max_message_size) {
        close();
        return;
      }
      pending.append(d, n);
      return;
    }
    consume(d, n);
  }

  void consume(const char* d, std::size_t n) {
    auto used = parser.feed(d, n);
    if (!used) {
      refuse(used.error());
      return;
    }
    if (!parser.complete()) return;
    if (*used < n) pending.assign(d + *used, n - *used);
    dispatch();
  }

  // A request the HTTP parser refused: a plain-text error, then the connection ends.
  void refuse(const failure& f) {
    http_response r;
    r.status = 400;
    if (f.code == http::errc::message_too_large) r.status = 413;
    if (f.code == http::errc::header_too_large || f.code == http::errc::too_many_headers)
      r.status = 431;
    if (f.code == http::errc::unsupported) r.status = 501;
    r.content_type = "text/plain; charset=utf-8";
    r.body = f.describe() + "\n";
    busy = true;
    disarm();
    reply_plan plan;
    plan.bytes = serialize(r, false);
    plan.after = reply_plan::after_send::close;
    deliver(std::move(plan));
  }

  void dispatch() {
    busy = true;
    disarm();
    http::request& r = parser.get();
    auto job = std::make_shared<owned_request>();
    job->method = std::move(r.method);
    job->target = std::move(r.target);
    if (auto* v = r.headers.find("Content-Type")) job->content_type = *v;
    if (auto* v = r.headers.find("SOAPAction")) job->soap_action = *v;
    if (auto* v = r.headers.find("Authorization")) job->authorization = *v;
    job->body = std::move(r.body);
    job->keep_alive = r.keep_alive && !srv.stopping;
    impl* s = &srv;
    std::weak_ptr<connection> w = weak_from_this();
    srv.workers->push([s, w, job] {
      reply_plan plan;
      try {
        const http_response resp = s->svc.handle(job->view());
        plan = plan_reply(s->opts.fault, serialize(resp, job->keep_alive), job->keep_alive,
                          crypto::system_random());
      } catch (const std::exception&) {
        http_response resp;
        resp.status = 500;
        plan.bytes = serialize(resp, false);
        plan.after = reply_plan::after_send::close;
      }
      s->loop().post([w, plan = std::move(plan)]() mutable {
        if (auto c = w.lock()) c->deliver(std::move(plan));
      });
    });
  }

  void deliver(reply_plan plan) {
    if (closing) return;
    if (plan.delay.count() > 0) {
      const auto d = plan.delay;
      plan.delay = std::chrono::milliseconds(0);
      std::weak_ptr<connection> w = weak_from_this();
      timer = loop().start_timer(d, [w, plan = std::move(plan)]() mutable {
        if (auto c = w.lock()) {
          c->timer = 0;
          c->deliver(std::move(plan));
        }
      });
      return;
    }
    if (plan.after == reply_plan::after_send::stall) return;  // busy forever; the client gives up
    if (plan.after == reply_plan::after_send::reset && plan.bytes.empty()) {
      reset();
      return;
    }
    const auto after = plan.after;
    const bool keep = after == reply_plan::after_send::keep_alive && !srv.stopping;
    std::weak_ptr<connection> w = weak_from_this();
    stream->write(std::move(plan.bytes), [w, keep, after](std::error_code ec) {
      auto c = w.lock();
      if (!c || c->closing) return;
      if (after == reply_plan::after_send::reset) {
        c->reset();  // part of the reply is out: now the connection breaks
      } else if (ec || !keep) {
        c->close();
      } else {
        c->next_request();
      }
    });
  }

  void next_request() {
    busy = false;
    parser.reset();
    arm(srv.opts.idle_timeout);
    if (!pending.empty()) {
      std::string rest;
      rest.swap(pending);
      consume(rest.data(), rest.size());
    }
  }

  // The reset fault: a TCP reset instead of an orderly end (a Unix socket just closes).
  void reset() {
    uv::reset_on_close(*socket);
    // Under TLS, close the socket itself first: an orderly TLS close would send close_notify
    // ahead of the reset, and a client that reads it sees a clean end instead of a reset.
    if (socket != stream.get()) socket->close(nullptr);
    close();
  }

  void close() {
    if (closing) return;
    closing = true;
    disarm();
    auto self = shared_from_this();
    stream->close([self](std::error_code) {
      // Released from a posted task, after the stream's callback has returned.
      self->loop().post([self] { self->srv.closed(self.get()); });
    });
  }
};

void server::impl::accept(std::unique_ptr<byte_stream> s) {
  auto c = std::make_shared<connection>(*this, std::move(s));
  connections.emplace(c.get(), c);
  if (stopping || connections.size() > opts.max_connections) {
    c->close();
    return;
  }
  c->start();
}

void server::impl::closed(connection* c) {
  connections.erase(c);
  check_quiet();
}

server::server(const server_options& opts, service& svc, tls_identity tls)
    : p_(std::make_unique<impl>(opts, svc, std::move(tls))) {}

server::~server() { (void)stop(); }

result<std::vector<std::string>> server::start() {
  impl& s = *p_;
  if (s.opts.https) {
    tls::server_options so;
    so.certificate_chain.text = s.tls_id.certificate_pem;
    so.private_key.text = s.tls_id.private_key_pem;
    auto ctx = tls::make_server_context(so);
    wipe(so.private_key.text);
    wipe(s.tls_id.private_key_pem);
    if (!ctx) return failure(ctx.error().code, "TLS: " + ctx.error().describe());
    s.tls_ctx = std::move(*ctx);
    s.sessions = tls::make_session_cache(1024);
  }
  if (auto r = s.rt.start(); !r) return std::move(r).error();
  s.started = true;
  s.workers = std::make_unique<work_queue>(s.opts.threads);

  std::vector<std::string> urls;
  std::optional<failure> error;
  s.loop().run_sync([&] {
    for (const auto& a : s.opts.listen) {
      auto l = std::make_unique<uv::listener>(s.loop());
      auto on_accept = [&s](std::unique_ptr<byte_stream> stream) { s.accept(std::move(stream)); };
      // A deep accept queue: load tests open thousands of connections at once, and a
      // SYN dropped on a full queue costs the client a one-second retransmission.
      constexpr int backlog = 4096;
      auto bound = a.unix_socket ? l->listen_unix(a.path, on_accept, backlog)
                                 : l->listen_tcp(a.bind_host, a.port, on_accept, backlog);
      if (!bound) {
        const std::string where =
            a.unix_socket ? "unix:" + a.path : a.host + ":" + std::to_string(a.port);
        error = failure(bound.error().code,
                        "cannot listen on " + where + ": " + bound.error().describe());
        return;
      }
      urls.push_back(url_for(a, s.opts.https, l->port()));
      s.listeners.push_back(std::move(l));
      ++s.listeners_open;
    }
  });
  if (error) {
    (void)stop();
    return *error;
  }
  return urls;
}

result<void> server::stop() {
  impl& s = *p_;
  if (!s.started || s.stopped) return {};
  s.stopped = true;
  std::promise<void> quiet;
  auto quiet_done = quiet.get_future();
  const bool ran = s.loop().run_sync([&] {
    s.stopping = true;
    s.on_quiet = [&quiet] { quiet.set_value(); };
    for (auto& l : s.listeners) {
      l->close([&s] {
        --s.listeners_open;
        s.check_quiet();
      });
    }
    std::vector<std::shared_ptr<impl::connection>> open;
    for (auto& [raw, c] : s.connections) open.push_back(c);
    for (auto& c : open) c->close();
    s.check_quiet();
  });
  if (ran) quiet_done.wait_for(close_grace);
  s.workers->stop();
  s.loop().run_sync([&] {
    s.on_quiet = nullptr;
    s.connections.clear();
    s.listeners.clear();
  });
  return s.rt.stop();
}

}  // namespace wst::detail::sts
