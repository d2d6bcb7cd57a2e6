#include <wst/memory/peer.hpp>

#include <wst/http/parser.hpp>

#include <algorithm>
#include <deque>
#include <map>

namespace wst::detail::memory {

struct peer::state {
  responder respond;
  std::map<std::size_t, fault> per_request;
  fault fallback;
  std::map<std::size_t, std::error_code> failing_ops;
  bool stall_connect = false;
  bool stall_close = false;
  std::vector<std::function<void()>> held_closes;
  bool close_after = false;
  std::size_t split = 0;
  std::size_t connections = 0, requests = 0, operations = 0, open_streams = 0;

  // Counts an operation; the failure to report when it is the one chosen to fail.
  std::error_code next_operation() {
    auto it = failing_ops.find(++operations);
    return it == failing_ops.end() ? std::error_code() : it->second;
  }
};

namespace {

class mem_stream final : public wst::byte_stream {
  struct event {
    std::string data;
    std::error_code ec;  // non-zero: the final event
  };

  struct core : std::enable_shared_from_this<core> {
    enum class phase { fresh, connecting, connected, failed, closed };

    std::shared_ptr<peer::state> owner;
    event_loop* loop = nullptr;
    phase st = phase::fresh;
    bool gone = false;
    completion pending_connect;
    data_handler reader;
    bool reading = false;
    bool flush_posted = false;
    bool dead = false;     // a final event is queued or delivered
    bool stalled = false;  // the peer stopped answering this connection
    std::deque<event> inbox;
    std::uint64_t sent = 0;
    http::request_parser parser;
    std::string request;  // raw bytes of the request being received
    std::vector<event_loop::timer_id> timers;
    bool counted_open = true;

    template <class Fn>
    void later(Fn fn) {
      std::weak_ptr<core> w = weak_from_this();
      loop->post([w, fn = std::move(fn)]() mutable {
        if (auto c = w.lock(); c && !c->gone) fn(*c);
      });
    }

    void finish_open() {
      if (counted_open) {
        counted_open = false;
        --owner->open_streams;
      }
    }

    void enqueue(std::string data) {
      if (dead || st != phase::connected) return;
      std::size_t piece = owner->split ? owner->split : data.size();
      for (std::size_t off = 0; off < data.size(); off += piece)
        inbox.push_back({data.substr(off, piece), {}});
      schedule_flush();
    }
    void enqueue_end(std::error_code ec) {
      if (dead || st != phase::connected) return;
      dead = true;
      inbox.push_back({{}, ec});
      schedule_flush();
    }
    void schedule_flush() {
      if (flush_posted || !reading || inbox.empty()) return;
      flush_posted = true;
      later([](core& c) {
        c.flush_posted = false;
        auto self = c.shared_from_this();
        while (c.reading && !c.inbox.empty() && !c.gone && c.st == phase::connected) {
          event ev = std::move(c.inbox.front());
          c.inbox.pop_front();
          if (ev.ec) {
            c.reading = false;
            auto r = c.reader;
            r(ev.ec, nullptr, 0);
          } else {
            auto r = c.reader;
            r({}, ev.data.data(), ev.data.size());
          }
        }
      });
    }

    void after(std::chrono::milliseconds d, std::function<void(core&)> fn) {
      std::weak_ptr<core> w = weak_from_this();
      timers.push_back(loop->start_timer(d, [w, fn]() {
        if (auto c = w.lock(); c && !c->gone) fn(*c);
      }));
    }

    // The peer's side: frame requests, answer each one through the responder and the fault.
    void receive(const char* d, std::size_t n) {
      while (n > 0 && !stalled && !dead) {
        auto used = parser.feed(d, n);
        if (!used) {
          enqueue("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
          enqueue_end(transport_errc::eof);
          return;
        }
        request.append(d, *used);
        d += *used;
        n -= *used;
        if (!parser.complete()) return;
        parser.reset();
        std::string raw = std::move(request);
        request.clear();
        answer(raw);
      }
    }

    void answer(const std::string& raw) {
      std::size_t number = ++owner->requests;
      auto it = owner->per_request.find(number);
      fault f = it != owner->per_request.end() ? it->second : owner->fallback;
      if (f.kind == fault_kind::stall) {
        stalled = true;
        return;
      }
      std::string resp = owner->respond(raw);
      const bool close_after = owner->close_after;
      switch (f.kind) {
        case fault_kind::none:
        case fault_kind::stall:
          enqueue(std::move(resp));
          if (close_after) enqueue_end(transport_errc::eof);
          break;
        case fault_kind::delay:
          after(f.delay, [resp, close_after](core& c) {
            c.enqueue(resp);
            if (close_after) c.enqueue_end(transport_errc::eof);
          });
          break;
        case fault_kind::reset_before_headers:
          enqueue_end(transport_errc::connection_reset);
          break;
        case fault_kind::reset_after_headers: {
          std::size_t end = resp.find("\r\n\r\n");
          enqueue(resp.substr(0, end == std::string::npos ? resp.size() : end + 4));
          enqueue_end(transport_errc::connection_reset);
          break;
        }
        case fault_kind::truncate: {
          std::size_t keep = f.truncate_at ? std::min(f.truncate_at, resp.size()) : resp.size() / 2;
          enqueue(resp.substr(0, keep));
          enqueue_end(transport_errc::eof);
          break;
        }
        case fault_kind::garbage:
          enqueue(std::string("\x16\x03\x01 this is not HTTP at all\r\n\r\n", 32));
          break;
      }
    }

    void close_now(completion done) {
      for (auto id : timers) loop->cancel_timer(id);
      timers.clear();
      auto connect_done = std::move(pending_connect);
      pending_connect = nullptr;
      auto r = reading ? reader : data_handler();
      reading = false;
      inbox.clear();
      if (st != phase::closed) finish_open();
      st = phase::closed;
      if (connect_done && !gone) connect_done(transport_errc::aborted);
      if (r && !gone) r(transport_errc::aborted, nullptr, 0);
      if (done && !gone) done({});
    }
  };

 public:
  mem_stream(std::shared_ptr<peer::state> p, event_loop& loop) : c_(std::make_shared<core>()) {
    c_->owner = std::move(p);
    c_->loop = &loop;
    ++c_->owner->open_streams;
  }
  ~mem_stream() override {
    c_->gone = true;
    for (auto id : c_->timers) c_->loop->cancel_timer(id);
    c_->timers.clear();
    c_->finish_open();
  }

  void connect(completion done) override {
    if (c_->st != core::phase::fresh) {
      c_->later([done](core&) { done(transport_errc::aborted); });
      return;
    }
    if (auto ec = c_->owner->next_operation()) {
      c_->st = core::phase::failed;
      c_->later([done, ec](core&) { done(ec); });
      return;
    }
    c_->st = core::phase::connecting;
    if (c_->owner->stall_connect) {
      c_->pending_connect = std::move(done);
      return;
    }
    c_->later([done](core& c) {
      if (c.st != core::phase::connecting) return;
      c.st = core::phase::connected;
      ++c.owner->connections;
      done({});
    });
  }

  void write(std::string bytes, completion done) override {
    if (c_->st != core::phase::connected) {
      c_->later([done](core&) { done(transport_errc::aborted); });
      return;
    }
    if (auto ec = c_->owner->next_operation()) {
      c_->dead = true;
      c_->later([done, ec](core&) { done(ec); });
      return;
    }
    c_->sent += bytes.size();
    c_->later([bytes = std::move(bytes), done](core& c) {
      if (c.st == core::phase::connected) c.receive(bytes.data(), bytes.size());
      done(c.st == core::phase::connected ? std::error_code()
                                          : std::error_code(transport_errc::aborted));
    });
  }

  void start_read(data_handler on_data) override {
    c_->reader = std::move(on_data);
    c_->reading = true;
    if (c_->st != core::phase::connected) {
      c_->reading = false;
      auto r = c_->reader;
      c_->later([r](core&) { r(transport_errc::aborted, nullptr, 0); });
      return;
    }
    c_->schedule_flush();
  }

  void stop_read() override { c_->reading = false; }

  void close(completion done) override {
    if (c_->owner->stall_close) {
      std::shared_ptr<core> c = c_;
      c_->owner->held_closes.push_back([c, done]() { c->close_now(done); });
      return;
    }
    c_->later([done](core& c) { c.close_now(done); });
  }

  bool is_reusable() const override {
    return c_->st == core::phase::connected && !c_->dead && !c_->stalled;
  }
  std::optional<std::uint64_t> bytes_sent() const override { return c_->sent; }

 private:
  std::shared_ptr<core> c_;
};

class mem_transport final : public wst::transport {
 public:
  explicit mem_transport(std::shared_ptr<peer::state> s) : s_(std::move(s)) {}
  std::unique_ptr<byte_stream> create_stream(const endpoint&, stream_context& ctx) override {
    return std::make_unique<mem_stream>(s_, ctx.loop());
  }
  std::string host_header(const endpoint& where) const override {
    return where.host.empty() ? "memory" : where.authority();
  }

 private:
  std::shared_ptr<peer::state> s_;
};

}  // namespace

peer::peer(responder r) : s_(std::make_shared<state>()) { s_->respond = std::move(r); }

void peer::fault_for_request(std::size_t n, fault f) { s_->per_request[n] = f; }
void peer::default_fault(fault f) { s_->fallback = f; }
void peer::fail_operation(std::size_t n, std::error_code ec) { s_->failing_ops[n] = ec; }
void peer::stall_connect(bool on) { s_->stall_connect = on; }
void peer::stall_close(bool on) { s_->stall_close = on; }
void peer::release_closes() {
  auto held = std::move(s_->held_closes);
  s_->held_closes.clear();
  for (auto& fn : held) fn();
}
void peer::close_after_response(bool on) { s_->close_after = on; }
void peer::split_responses(std::size_t n) { s_->split = n; }
std::size_t peer::connections() const { return s_->connections; }
std::size_t peer::requests() const { return s_->requests; }
std::size_t peer::operations() const { return s_->operations; }
std::size_t peer::open_streams() const { return s_->open_streams; }
std::shared_ptr<wst::transport> peer::transport() const {
  return std::make_shared<mem_transport>(s_);
}

}  // namespace wst::detail::memory
