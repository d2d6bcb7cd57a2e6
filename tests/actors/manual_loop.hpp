// A wst::event_loop run by hand on the test thread: post() queues, timers follow a clock that
// only advance() moves. Together with CAF's test coordinator it makes a channel, its exchange
// and the in-memory STS run deterministically on one thread.
#pragma once

#include <wst/transport.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>

namespace wst::test {

class manual_loop final : public wst::event_loop {
 public:
  void post(task fn) override { queue_.push_back(std::move(fn)); }
  timer_id start_timer(std::chrono::milliseconds delay, task fn) override {
    const timer_id id = next_id_++;
    timers_.emplace(id, timer{now_ + delay, std::move(fn)});
    return id;
  }
  bool cancel_timer(timer_id id) override { return timers_.erase(id) > 0; }
  bool in_loop_thread() const override { return true; }

  // Runs posted tasks (and what they post) until none is left; returns how many ran.
  std::size_t run() {
    std::size_t n = 0;
    while (!queue_.empty()) {
      task t = std::move(queue_.front());
      queue_.pop_front();
      t();
      ++n;
    }
    return n;
  }

  // Moves the clock forward by `d`, firing due timers in time order.
  void advance(std::chrono::milliseconds d) {
    const auto until = now_ + d;
    for (;;) {
      run();
      auto due = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (it->second.at <= until && (due == timers_.end() || it->second.at < due->second.at)) due = it;
      if (due == timers_.end()) break;
      now_ = due->second.at;
      task t = std::move(due->second.fn);
      timers_.erase(due);
      t();
    }
    now_ = until;
  }

  std::size_t pending_tasks() const { return queue_.size(); }
  std::size_t pending_timers() const { return timers_.size(); }

 private:
  struct timer {
    std::chrono::milliseconds at;
    task fn;
  };
  std::deque<task> queue_;
  std::map<timer_id, timer> timers_;
  std::chrono::milliseconds now_{0};
  timer_id next_id_ = 1;
};

// The stream context a channel gets on a manual loop: only custom schemes (the memory peer)
// make streams there.
class manual_streams final : public wst::stream_context {
 public:
  explicit manual_streams(manual_loop& l) : loop_(l) {}
  wst::event_loop& loop() override { return loop_; }
  std::unique_ptr<wst::byte_stream> tcp_stream(const std::string&, std::uint16_t) override { return nullptr; }
  std::unique_ptr<wst::byte_stream> unix_stream(const std::string&) override { return nullptr; }

 private:
  manual_loop& loop_;
};

}  // namespace wst::test
