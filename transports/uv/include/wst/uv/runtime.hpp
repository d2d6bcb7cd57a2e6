// Loop threads: each owns one libuv loop and implements wst::event_loop on it.
#pragma once

#include <wst/base/result.hpp>
#include <wst/transport.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace wst::detail::uv {

struct loop_options {
  // How long stop() lets the loop finish closing what is still closing before it gives up and
  // reports the handles left open.
  std::chrono::milliseconds stop_grace{1000};
};

// One libuv loop run by one thread. post() works from any thread (locked queue +
// uv_async_send); timers and every stream on this loop are used on its thread only.
class loop_thread final : public wst::event_loop {
 public:
  explicit loop_thread(loop_options o = {});
  // Stops the thread if it still runs (the result is lost: call stop() to check it).
  ~loop_thread() override;
  loop_thread(const loop_thread&) = delete;
  loop_thread& operator=(const loop_thread&) = delete;

  // Creates the loop and starts its thread (SIGPIPE blocked there: a write to a closed socket
  // is an error, not a signal).
  result<void> start();
  // Runs what was posted, lets every closing handle finish, joins the thread and closes the
  // loop. Fails, naming them, when handles or requests were left open (they are left alone:
  // their owners leaked them). Not from the loop thread. Idempotent.
  result<void> stop();
  bool running() const noexcept;

  void post(task fn) override;  // dropped (destroyed unrun) once stop() has finished
  timer_id start_timer(std::chrono::milliseconds delay, task fn) override;
  bool cancel_timer(timer_id id) override;
  bool in_loop_thread() const override;

  // Runs `fn` on the loop thread and waits for it. Not from the loop thread.
  // False (fn not run) when the loop is not running.
  bool run_sync(const std::function<void()>& fn);
  // Active timers started with start_timer (for tests).
  std::size_t active_timers() const;

  // The uv_loop_t*, for code inside transports/uv only.
  void* native() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> p_;
};

// The loop threads of one wst runtime (count configurable).
class runtime {
 public:
  explicit runtime(std::size_t threads = 1, loop_options o = {});
  ~runtime();
  result<void> start();
  // Stops every loop; the first failure is reported (each loop is stopped regardless).
  result<void> stop();
  std::size_t size() const noexcept { return loops_.size(); }
  loop_thread& loop(std::size_t i) { return *loops_.at(i); }
  // Round robin over the loops, for spreading connections.
  loop_thread& next();

 private:
  std::vector<std::unique_ptr<loop_thread>> loops_;
  std::size_t next_ = 0;
};

}  // namespace wst::detail::uv
