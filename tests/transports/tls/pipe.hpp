// In-memory test plumbing for the TLS filter: a single-threaded event loop the test pumps
// by hand, and a pair of connected byte_streams over it. Deterministic: every callback runs
// from loop.run(), in posting order, never inside the call that started the operation.
#pragma once

#include <wst/transport.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace wst::test::tls {

// An event_loop whose tasks run when the test calls run(). Timers use virtual time: they fire
// only when advance() moves the clock past their deadline.
class manual_loop final : public wst::event_loop {
 public:
  void post(task fn) override { tasks_.push_back(std::move(fn)); }
  timer_id start_timer(std::chrono::milliseconds delay, task fn) override {
    const timer_id id = ++last_id_;
    timers_.emplace(std::make_pair(now_ + delay, id), std::move(fn));
    return id;
  }
  bool cancel_timer(timer_id id) override {
    for (auto it = timers_.begin(); it != timers_.end(); ++it)
      if (it->first.second == id) {
        timers_.erase(it);
        return true;
      }
    return false;
  }
  bool in_loop_thread() const override { return true; }

  // Runs tasks until none is left; returns how many ran.
  std::size_t run() {
    std::size_t n = 0;
    while (!tasks_.empty()) {
      task t = std::move(tasks_.front());
      tasks_.pop_front();
      t();
      ++n;
    }
    return n;
  }
  // Moves the clock by `by`, firing due timers in deadline order (and running their tasks).
  void advance(std::chrono::milliseconds by) {
    const auto until = now_ + by;
    run();
    while (!timers_.empty() && timers_.begin()->first.first <= until) {
      auto it = timers_.begin();
      now_ = it->first.first;
      task t = std::move(it->second);
      timers_.erase(it);
      t();
      run();
    }
    now_ = until;
  }
  std::size_t pending_timers() const { return timers_.size(); }
  bool idle() const { return tasks_.empty() && timers_.empty(); }

 private:
  std::deque<task> tasks_;
  std::map<std::pair<std::chrono::milliseconds, timer_id>, task> timers_;
  std::chrono::milliseconds now_{0};
  timer_id last_id_ = 0;
};

// Two connected endpoints. Bytes written on one side arrive on the other in chunks of at most
// `chunk` bytes. `tamper[i]` (when set) may rewrite the bytes side i writes before they travel.
class memory_pipe {
 public:
  using rewrite = std::function<void(std::string&)>;

  explicit memory_pipe(manual_loop& loop, std::size_t chunk = 64 * 1024) : state_(std::make_shared<state>()) {
    state_->loop = &loop;
    state_->chunk = chunk;
  }
  // The stream of side 0 or 1 (each may be taken once).
  std::unique_ptr<wst::byte_stream> take(int side) { return std::make_unique<end>(state_, side); }
  void set_tamper(int side, rewrite r) { state_->tamper[side] = std::move(r); }
  // Makes side's connect() fail with `ec`.
  void refuse_connect(int side, std::error_code ec) { state_->connect_error[side] = ec; }
  // Bytes side has written so far (after tampering).
  std::uint64_t written(int side) const { return state_->written[side]; }
  bool closed(int side) const { return state_->sides[side].closed; }

 private:
  struct side_state {
    std::string inbox;  // bytes waiting for this side's reader
    wst::byte_stream::data_handler reader;
    std::uint64_t reader_gen = 0;
    bool closed = false;
    bool eof = false;  // the other side closed
    bool delivery_posted = false;
  };
  struct state {
    manual_loop* loop = nullptr;
    std::size_t chunk = 0;
    side_state sides[2];
    rewrite tamper[2];
    std::error_code connect_error[2];
    std::uint64_t written[2] = {0, 0};
  };

  class end final : public wst::byte_stream {
   public:
    end(std::shared_ptr<state> s, int side) : s_(std::move(s)), side_(side) {}
    ~end() override {
      if (!s_->sides[side_].closed) shut();
    }

    void connect(completion done) override {
      const std::error_code ec = s_->connect_error[side_];
      s_->loop->post([done = std::move(done), ec] { done(ec); });
    }
    void write(std::string bytes, completion done) override {
      side_state& me = s_->sides[side_];
      if (me.closed) {
        s_->loop->post([done = std::move(done)] { done(make_error_code(wst::transport_errc::aborted)); });
        return;
      }
      if (s_->tamper[side_]) s_->tamper[side_](bytes);
      s_->written[side_] += bytes.size();
      side_state& peer = s_->sides[1 - side_];
      const bool peer_gone = peer.closed;
      s_->loop->post([s = s_, peer_side = 1 - side_, bytes = std::move(bytes), done = std::move(done), peer_gone]() mutable {
        if (!peer_gone && !s->sides[peer_side].closed) {
          s->sides[peer_side].inbox += bytes;
          schedule(s, peer_side);
        }
        done(peer_gone ? make_error_code(wst::transport_errc::connection_reset) : std::error_code());
      });
    }
    void start_read(data_handler on_data) override {
      side_state& me = s_->sides[side_];
      me.reader = std::move(on_data);
      ++me.reader_gen;
      if (me.closed) {
        auto h = std::move(me.reader);
        me.reader = nullptr;
        s_->loop->post([h = std::move(h)] { h(make_error_code(wst::transport_errc::aborted), nullptr, 0); });
        return;
      }
      schedule(s_, side_);
    }
    void stop_read() override {
      s_->sides[side_].reader = nullptr;
      ++s_->sides[side_].reader_gen;
    }
    void close(completion done) override {
      if (s_->sides[side_].closed) {
        s_->loop->post([done = std::move(done)] { if (done) done({}); });
        return;
      }
      auto h = shut();
      s_->loop->post([h = std::move(h), done = std::move(done)] {
        if (h) h(make_error_code(wst::transport_errc::aborted), nullptr, 0);
        if (done) done({});
      });
    }
    bool is_reusable() const override { return !s_->sides[side_].closed && !s_->sides[side_].eof; }
    std::optional<std::uint64_t> bytes_sent() const override { return s_->written[side_]; }

   private:
    // Marks this side closed, tells the other side (eof); returns the reader to abort.
    data_handler shut() {
      side_state& me = s_->sides[side_];
      me.closed = true;
      data_handler h = std::move(me.reader);
      me.reader = nullptr;
      s_->loop->post([s = s_, peer_side = 1 - side_] {
        s->sides[peer_side].eof = true;
        schedule(s, peer_side);
      });
      return h;
    }

    // Delivers inbox bytes (then eof) to side's reader from the loop, one chunk per task.
    static void schedule(const std::shared_ptr<state>& s, int side) {
      side_state& me = s->sides[side];
      if (me.delivery_posted || !me.reader || me.closed) return;
      if (me.inbox.empty() && !me.eof) return;
      me.delivery_posted = true;
      s->loop->post([s, side] {
        side_state& m = s->sides[side];
        m.delivery_posted = false;
        if (!m.reader || m.closed) return;
        const std::uint64_t gen = m.reader_gen;
        if (!m.inbox.empty()) {
          const std::size_t n = std::min(m.inbox.size(), s->chunk);
          const std::string piece = m.inbox.substr(0, n);
          m.inbox.erase(0, n);
          auto h = m.reader;  // the callback may stop or replace the reader
          h({}, piece.data(), piece.size());
        } else if (m.eof) {
          auto h = std::move(m.reader);
          m.reader = nullptr;
          h(make_error_code(wst::transport_errc::eof), nullptr, 0);
          return;
        }
        if (m.reader_gen == gen) schedule(s, side);
      });
    }

    std::shared_ptr<state> s_;
    int side_;
  };

  std::shared_ptr<state> state_;
};

}  // namespace wst::test::tls
