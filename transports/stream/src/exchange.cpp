#include <wst/transport/exchange.hpp>

#include <wst/http/parser.hpp>
#include <wst/transport/url.hpp>

#include <algorithm>
#include <cassert>
#include <deque>
#include <unordered_map>
#include <vector>

namespace wst::detail::transport {
namespace {

struct pool;
struct connection;

struct call_state {
  exchange::request_id id = 0;
  soap_call call;
  endpoint ep;
  std::string host_header;
  std::string wire;  // the serialized request, consumed by the write
  reply_handler on_reply;
  bool retried = false;
  pool* owner = nullptr;
  connection* conn = nullptr;

  ~call_state() {
    if (call.credentials) http::wipe(wire);
  }
};

enum class conn_state { connecting, busy, idle, closing };

struct connection {
  explicit connection(const http::limits& l) : parser(l) {}
  std::unique_ptr<byte_stream> stream;
  pool* owner = nullptr;
  conn_state st = conn_state::connecting;
  event_loop::timer_id timer = 0;
  call_state* call = nullptr;
  http::response_parser parser;
  bool reused = false;  // has answered a request before this one
  bool write_done = false;
  std::optional<std::uint64_t> sent_before;
};

struct pool {
  endpoint ep;
  std::string name;  // scheme://authority, for messages
  std::shared_ptr<wst::transport> maker;
  std::vector<connection*> open;  // not closing
  std::vector<connection*> idle;  // most recently used last
  std::deque<call_state*> queue;
};

// Closes still in progress, shared with their completions so they can outlive the exchange.
struct close_tracker {
  std::size_t pending = 0;
  std::function<void(std::error_code)> done;
  event_loop::timer_id timer = 0;
};

bool dead_connection_error(std::error_code ec) {
  return ec == transport_errc::eof || ec == transport_errc::connection_reset ||
         ec == transport_errc::io_error;
}

void erase_value(std::vector<connection*>& v, connection* c) {
  auto it = std::find(v.begin(), v.end(), c);
  if (it != v.end()) v.erase(it);
}

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

// "<what>: <the stream's own words>" (the resolver's, the OS's, the TLS filter's reason), or
// just `what` when the stream has nothing to add.
std::string with_detail(std::string what, const byte_stream& s) {
  std::string detail = s.error_detail();
  if (!detail.empty()) {
    what += ": ";
    what += detail;
  }
  return what;
}

}  // namespace

struct exchange::state {
  state(stream_context& c, const scheme_registry& s, exchange_options o)
      : ctx(c), loop(c.loop()), schemes(s), opt(std::move(o)) {
    if (opt.max_connections == 0) opt.max_connections = 1;
  }

  stream_context& ctx;
  event_loop& loop;
  const scheme_registry& schemes;
  exchange_options opt;
  std::unordered_map<std::string, std::unique_ptr<pool>> pools;
  std::unordered_map<request_id, std::unique_ptr<call_state>> calls;
  request_id next_id = 1;
  bool closing = false;
  std::uint64_t opened = 0, retries = 0;
  std::shared_ptr<close_tracker> tracker = std::make_shared<close_tracker>();

  // --- replies -------------------------------------------------------------------------
  // Removes the call and hands its result to the handler; nothing may touch `this` after a
  // direct (non-deferred) delivery, since the handler may destroy the exchange.
  void finish(call_state* cs, result<http::response> r, bool defer) {
    auto it = calls.find(cs->id);
    std::unique_ptr<call_state> own = std::move(it->second);
    calls.erase(it);
    reply_handler h = std::move(own->on_reply);
    own.reset();
    if (defer) {
      loop.post([h = std::move(h), r = std::move(r)]() mutable { h(std::move(r)); });
    } else {
      h(std::move(r));
    }
  }

  result<void> serialize(call_state& cs) {
    http::soap_request req;
    req.target = cs.ep.target;
    req.host = cs.host_header;
    req.action = cs.call.action;
    req.body = cs.call.body;
    req.version = cs.call.version;
    req.credentials = cs.call.credentials ? &*cs.call.credentials : nullptr;
    auto wire = http::write_soap_request(req);
    if (!wire) return std::move(wire).error();
    cs.wire = std::move(*wire);
    return {};
  }

  // --- connections ---------------------------------------------------------------------
  void cancel_timer(connection* c) {
    if (c->timer) loop.cancel_timer(c->timer);
    c->timer = 0;
  }

  template <class Fn>
  void arm(connection* c, std::chrono::milliseconds d, Fn fn) {
    cancel_timer(c);
    c->timer = loop.start_timer(d, [this, c, fn]() {
      c->timer = 0;
      (this->*fn)(c);
    });
  }

  void close_conn(connection* c) {
    if (c->st == conn_state::closing) return;
    cancel_timer(c);
    erase_value(c->owner->open, c);
    erase_value(c->owner->idle, c);
    c->st = conn_state::closing;
    if (c->call) c->call->conn = nullptr;
    c->call = nullptr;
    ++tracker->pending;
    event_loop* lp = &loop;
    std::shared_ptr<close_tracker> tr = tracker;
    c->stream->close([c, lp, tr](std::error_code) {
      lp->post([c]() { delete c; });
      if (--tr->pending == 0 && tr->done) {
        if (tr->timer) lp->cancel_timer(tr->timer);
        auto done = std::move(tr->done);
        tr->done = nullptr;
        done({});
      }
    });
  }

  void open_conn(pool& p, call_state* cs) {
    std::unique_ptr<byte_stream> s = p.maker->create_stream(p.ep, ctx);
    if (!s) {
      finish(
          cs,
          failure(transport_errc::invalid_url, "the transport for '" + p.name + "' made no stream"),
          true);
      return;
    }
    auto* c = new connection(opt.limits);
    c->stream = std::move(s);
    c->owner = &p;
    c->call = cs;
    cs->conn = c;
    p.open.push_back(c);
    ++opened;
    arm(c, opt.time.resolve + opt.time.connect, &state::on_connect_timeout);
    c->stream->connect([this, c](std::error_code ec) { on_connected(c, ec); });
  }

  // Opens connections for queued calls while there is room.
  void pump(pool& p) {
    while (!p.queue.empty() && !closing) {
      if (!p.idle.empty()) {
        connection* c = p.idle.back();
        p.idle.pop_back();
        if (!c->stream->is_reusable()) {
          close_conn(c);
          continue;
        }
        call_state* cs = p.queue.front();
        p.queue.pop_front();
        start_call(c, cs);
        continue;
      }
      if (p.open.size() >= opt.max_connections) return;
      call_state* cs = p.queue.front();
      p.queue.pop_front();
      open_conn(p, cs);
    }
  }

  void dispatch(pool& p, call_state* cs) {
    while (!p.idle.empty()) {
      connection* c = p.idle.back();
      p.idle.pop_back();
      if (c->stream->is_reusable()) {
        start_call(c, cs);
        return;
      }
      close_conn(c);
    }
    if (p.open.size() < opt.max_connections) {
      open_conn(p, cs);
      return;
    }
    if (p.queue.size() >= opt.max_queued) {
      finish(cs,
             failure(transport_errc::queue_full,
                     std::to_string(p.open.size()) + " connections to '" + p.name + "' busy and " +
                         std::to_string(p.queue.size()) + " requests waiting"),
             true);
      return;
    }
    p.queue.push_back(cs);
  }

  void start_call(connection* c, call_state* cs) {
    cancel_timer(c);
    c->st = conn_state::busy;
    c->call = cs;
    cs->conn = c;
    c->write_done = false;
    c->parser.reset();
    c->sent_before = c->stream->bytes_sent();
    arm(c, opt.time.send, &state::on_send_timeout);
    auto written = [this, c](std::error_code ec) { on_written(c, ec); };
    if (cs->call.credentials)
      c->stream->write_sensitive(std::move(cs->wire), std::move(written));
    else
      c->stream->write(std::move(cs->wire), std::move(written));
    cs->wire.clear();
  }

  // Fails the connection's call, or retries it once on a fresh connection when the
  // connection was a reused keep-alive one and provably none of the request left.
  void fail_call(connection* c, failure f) {
    call_state* cs = c->call;
    pool& p = *c->owner;
    bool retry = false;
    if (c->reused && !cs->retried && !c->parser.started() && dead_connection_error(f.code)) {
      std::optional<std::uint64_t> now = c->stream->bytes_sent();
      retry = now && c->sent_before && *now == *c->sent_before;
    }
    close_conn(c);
    if (retry && !closing) {
      auto again = serialize(*cs);
      if (again) {
        cs->retried = true;
        ++retries;
        open_conn(p, cs);
        pump(p);
        return;
      }
    }
    pump(p);
    finish(cs, std::move(f), false);
  }

  void on_connected(connection* c, std::error_code ec) {
    if (c->st == conn_state::closing) return;
    cancel_timer(c);
    if (ec) {
      fail_call(c, failure(ec, with_detail("connecting to '" + c->owner->name + "'", *c->stream)));
      return;
    }
    c->stream->start_read(
        [this, c](std::error_code e, const char* d, std::size_t n) { on_data(c, e, d, n); });
    start_call(c, c->call);
  }

  void on_written(connection* c, std::error_code ec) {
    if (c->st != conn_state::busy || c->write_done) return;
    cancel_timer(c);
    if (ec) {
      fail_call(c, failure(ec, with_detail("sending the request to '" + c->owner->name + "'",
                                           *c->stream)));
      return;
    }
    c->write_done = true;
    if (c->parser.complete()) {  // the whole response came before the write completed
      complete(c, true);
      return;
    }
    arm(c, opt.time.receive, &state::on_receive_timeout);
  }

  void on_data(connection* c, std::error_code ec, const char* d, std::size_t n) {
    if (c->st == conn_state::closing) return;
    if (c->st != conn_state::busy) {  // EOF, reset or a stray byte on an idle connection
      pool& p = *c->owner;
      close_conn(c);
      pump(p);
      return;
    }
    if (c->parser.complete()) {  // bytes or EOF after a response still waiting for its write
      if (c->write_done) return;
      complete(c, true);
      return;
    }
    if (ec) {
      if (ec == transport_errc::eof) {
        if (!c->parser.started()) {
          fail_call(c, failure(ec, "'" + c->owner->name +
                                       "' closed the connection before any response byte"));
          return;
        }
        auto fin = c->parser.finish();
        if (!fin) {
          fail_call(c, std::move(fin).error());
          return;
        }
        complete(c, true);
        return;
      }
      fail_call(c, failure(ec, with_detail("receiving the response from '" + c->owner->name + "'",
                                           *c->stream)));
      return;
    }
    auto used = c->parser.feed(d, n);
    if (!used) {
      fail_call(c, std::move(used).error());
      return;
    }
    if (!c->parser.complete()) return;
    if (!c->write_done) return;  // on_written completes it
    complete(c, *used < n);
  }

  // The response is complete: recycle or close the connection, then answer the call.
  void complete(connection* c, bool no_reuse) {
    call_state* cs = c->call;
    pool& p = *c->owner;
    cancel_timer(c);
    http::response resp = std::move(c->parser.get());
    const bool reuse = resp.keep_alive && !no_reuse && c->write_done && !closing;
    auto status = http::check_soap_reply(resp, cs->call.version);
    c->call = nullptr;
    cs->conn = nullptr;
    if (reuse) {
      c->reused = true;
      c->st = conn_state::idle;
      if (!p.queue.empty()) {
        call_state* next = p.queue.front();
        p.queue.pop_front();
        start_call(c, next);
      } else {
        p.idle.push_back(c);
        arm(c, opt.idle_timeout, &state::on_idle_timeout);
      }
    } else {
      close_conn(c);
      pump(p);
    }
    if (status)
      finish(cs, std::move(resp), false);
    else
      finish(cs, std::move(status).error(), false);
  }

  void on_connect_timeout(connection* c) {
    fail_call(
        c, failure(transport_errc::timed_out, "connecting to '" + c->owner->name + "' took over " +
                                                  ms(opt.time.resolve + opt.time.connect)));
  }
  void on_send_timeout(connection* c) {
    fail_call(c, failure(transport_errc::timed_out, "sending the request to '" + c->owner->name +
                                                        "' took over " + ms(opt.time.send)));
  }
  void on_receive_timeout(connection* c) {
    fail_call(c, failure(transport_errc::timed_out, "no complete response from '" + c->owner->name +
                                                        "' within " + ms(opt.time.receive)));
  }
  void on_idle_timeout(connection* c) {
    pool& p = *c->owner;
    close_conn(c);
    pump(p);
  }

  pool& pool_for(const endpoint& ep, std::shared_ptr<wst::transport> maker) {
    std::string key = ep.scheme + "://" + ep.authority() + "#" + std::to_string(ep.port);
    auto& slot = pools[key];
    if (!slot) {
      slot = std::make_unique<pool>();
      slot->ep = ep;
      slot->ep.target = "/";
      slot->name = ep.scheme + "://" + ep.authority();
      slot->maker = std::move(maker);
    }
    return *slot;
  }

  void abort_everything() {
    std::vector<call_state*> victims;
    victims.reserve(calls.size());
    for (auto& [id, cs] : calls) victims.push_back(cs.get());
    for (auto& [key, p] : pools) p->queue.clear();
    for (call_state* cs : victims)
      if (cs->conn) close_conn(cs->conn);
    for (call_state* cs : victims)
      finish(cs, failure(transport_errc::aborted, "the request was aborted"), true);
  }

  void close_idle_and_open() {
    for (auto& [key, p] : pools) {
      std::vector<connection*> all = p->open;
      for (connection* c : all) close_conn(c);
    }
  }
};

exchange::exchange(stream_context& ctx, const scheme_registry& schemes, exchange_options options)
    : s_(std::make_unique<state>(ctx, schemes, std::move(options))) {}

exchange::~exchange() {
  s_->closing = true;
  s_->abort_everything();
  s_->close_idle_and_open();
  if (s_->tracker->timer) s_->loop.cancel_timer(s_->tracker->timer);
  s_->tracker->timer = 0;
  if (s_->tracker->done) {
    auto done = std::move(s_->tracker->done);
    s_->tracker->done = nullptr;
    s_->loop.post([done]() { done(transport_errc::aborted); });
  }
}

exchange::request_id exchange::send(soap_call call, reply_handler on_reply) {
  state& s = *s_;
  assert(s.loop.in_loop_thread());
  const request_id id = s.next_id++;
  auto cs = std::make_unique<call_state>();
  cs->id = id;
  cs->call = std::move(call);
  cs->on_reply = std::move(on_reply);
  call_state* raw = cs.get();
  s.calls.emplace(id, std::move(cs));
  if (s.closing) {
    s.finish(raw, failure(transport_errc::shutting_down, "the exchange is closing"), true);
    return id;
  }
  auto ep = parse_url(raw->call.url, s.schemes);
  if (!ep) {
    s.finish(raw, std::move(ep).error(), true);
    return id;
  }
  std::shared_ptr<wst::transport> maker = s.schemes.find(ep->scheme);
  if (!maker) {
    s.finish(raw,
             failure(transport_errc::invalid_url, "no transport for scheme '" + ep->scheme + "'"),
             true);
    return id;
  }
  raw->ep = std::move(*ep);
  raw->host_header = maker->host_header(raw->ep);
  if (auto ok = s.serialize(*raw); !ok) {
    s.finish(raw, std::move(ok).error(), true);
    return id;
  }
  pool& p = s.pool_for(raw->ep, std::move(maker));
  raw->owner = &p;
  s.dispatch(p, raw);
  return id;
}

bool exchange::cancel(request_id id) {
  state& s = *s_;
  assert(s.loop.in_loop_thread());
  auto it = s.calls.find(id);
  if (it == s.calls.end()) return false;
  call_state* cs = it->second.get();
  if (cs->conn) {
    pool& p = *cs->conn->owner;
    s.close_conn(cs->conn);
    s.pump(p);
  } else if (cs->owner) {
    auto& q = cs->owner->queue;
    q.erase(std::remove(q.begin(), q.end(), cs), q.end());
  }
  s.finish(cs, failure(transport_errc::aborted, "the request was cancelled"), true);
  return true;
}

void exchange::abort_all() { s_->abort_everything(); }

void exchange::close(std::function<void(std::error_code)> done) {
  state& s = *s_;
  assert(s.loop.in_loop_thread());
  s.closing = true;
  s.abort_everything();
  s.close_idle_and_open();
  if (!done) return;
  std::shared_ptr<close_tracker> tr = s.tracker;
  if (tr->pending == 0) {
    s.loop.post([done = std::move(done)]() { done({}); });
    return;
  }
  if (tr->done) {  // a second close(): the earlier waiter learns it was superseded
    auto old = std::move(tr->done);
    s.loop.post([old]() { old(transport_errc::aborted); });
  }
  tr->done = std::move(done);
  if (tr->timer) s.loop.cancel_timer(tr->timer);
  event_loop* lp = &s.loop;
  tr->timer = s.loop.start_timer(s.opt.time.close, [tr, lp]() {
    (void)lp;
    tr->timer = 0;
    if (!tr->done) return;
    auto d = std::move(tr->done);
    tr->done = nullptr;
    d(transport_errc::timed_out);
  });
}

exchange::stats exchange::statistics() const {
  stats st;
  st.connections_opened = s_->opened;
  st.retries = s_->retries;
  st.in_flight = s_->calls.size();
  for (const auto& [key, p] : s_->pools) {
    st.open += p->open.size();
    st.idle += p->idle.size();
    st.queued += p->queue.size();
  }
  return st;
}

}  // namespace wst::detail::transport
