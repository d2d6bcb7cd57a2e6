#include <wst/uv/runtime.hpp>

#include <uv.h>

#include <pthread.h>
#include <atomic>
#include <cassert>
#include <csignal>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace wst::detail::uv {
namespace {
char internal_tag;  // data of the loop's own handles
}

struct loop_thread::impl {
  struct timer {
    uv_timer_t h;
    timer_id id = 0;
    task fn;
  };

  loop_options opt;
  uv_loop_t loop;
  uv_async_t async;
  uv_timer_t watchdog;
  std::thread th;
  std::thread::id tid;

  std::mutex mu;
  std::vector<task> queue;
  bool accepting = false;  // post() queues (else drops)
  bool stop_requested = false;
  std::atomic<bool> running{false};

  bool stop_started = false;
  std::chrono::steady_clock::time_point stop_at;
  std::string leaks;  // filled on the loop thread, read after join

  std::unordered_map<timer_id, timer*> timers;
  std::vector<timer*> spare;
  timer_id next_timer = 1;

  void run_queue() {
    std::vector<task> batch;
    {
      std::lock_guard lock(mu);
      batch.swap(queue);
    }
    for (auto& t : batch) t();
  }

  static void on_async(uv_async_t* a) {
    auto* self = static_cast<impl*>(a->loop->data);
    self->run_queue();
    bool stop;
    {
      std::lock_guard lock(self->mu);
      stop = self->stop_requested;
    }
    if (stop && !self->stop_started) {
      self->stop_started = true;
      self->stop_at = std::chrono::steady_clock::now();
      uv_unref(reinterpret_cast<uv_handle_t*>(&self->async));
      uv_timer_start(&self->watchdog, on_watchdog, 20, 20);
      uv_unref(reinterpret_cast<uv_handle_t*>(&self->watchdog));
    }
  }

  static void note_leak(uv_handle_t* h, void* arg) {
    if (h->data == &internal_tag || uv_is_closing(h)) return;
    auto* self = static_cast<impl*>(arg);
    if (!self->leaks.empty()) self->leaks += ", ";
    self->leaks += uv_handle_type_name(uv_handle_get_type(h));
    if (!uv_is_active(h)) self->leaks += " (inactive)";
  }

  static void on_watchdog(uv_timer_t* t) {
    auto* self = static_cast<impl*>(t->loop->data);
    self->run_queue();
    if (std::chrono::steady_clock::now() - self->stop_at < self->opt.stop_grace) return;
    uv_walk(&self->loop, note_leak, self);
    if (self->leaks.empty()) self->leaks = "requests still pending";
    uv_stop(&self->loop);
  }

  static void on_timer(uv_timer_t* h) {
    auto* t = static_cast<timer*>(h->data);
    auto* self = static_cast<impl*>(h->loop->data);
    self->timers.erase(t->id);
    task fn = std::move(t->fn);
    t->fn = nullptr;
    t->id = 0;
    self->spare.push_back(t);
    fn();
  }

  void thread_main() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    // Closing may post tasks (releasing a stream), which may close more: run until quiet. The
    // watchdog ends this after stop_grace if something stays active (a leak).
    for (;;) {
      run_queue();
      if (!leaks.empty()) break;
      bool idle;
      {
        std::lock_guard lock(mu);
        idle = queue.empty() && !uv_loop_alive(&loop);
        if (idle) accepting = false;
      }
      if (idle) break;
      uv_run(&loop, UV_RUN_DEFAULT);
    }
    const bool gave_up = !leaks.empty();
    {
      std::lock_guard lock(mu);
      accepting = false;
    }
    run_queue();
    // Timers that never fired belong to this loop: close them, and report them.
    for (auto& [id, t] : timers) {
      if (!gave_up) {
        if (!leaks.empty()) leaks += ", ";
        leaks += "timer started by start_timer";
      }
      t->fn = nullptr;
      uv_close(reinterpret_cast<uv_handle_t*>(&t->h),
               [](uv_handle_t* h) { delete static_cast<timer*>(h->data); });
    }
    timers.clear();
    for (timer* t : spare)
      uv_close(reinterpret_cast<uv_handle_t*>(&t->h),
               [](uv_handle_t* h) { delete static_cast<timer*>(h->data); });
    spare.clear();
    uv_close(reinterpret_cast<uv_handle_t*>(&async), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&watchdog), nullptr);
    uv_run(&loop, UV_RUN_NOWAIT);
    if (!gave_up) uv_walk(&loop, note_leak, this);
    running = false;
  }
};

loop_thread::loop_thread(loop_options o) : p_(std::make_unique<impl>()) { p_->opt = o; }

loop_thread::~loop_thread() { (void)stop(); }

result<void> loop_thread::start() {
  if (p_->th.joinable()) return {};
  if (int rc = uv_loop_init(&p_->loop); rc != 0)
    return failure(transport_errc::io_error, std::string("uv_loop_init: ") + uv_strerror(rc));
  p_->loop.data = p_.get();
  uv_async_init(&p_->loop, &p_->async, impl::on_async);
  p_->async.data = &internal_tag;
  uv_timer_init(&p_->loop, &p_->watchdog);
  p_->watchdog.data = &internal_tag;
  {
    std::lock_guard lock(p_->mu);
    p_->accepting = true;
    p_->stop_requested = false;
  }
  p_->stop_started = false;
  p_->leaks.clear();
  p_->running = true;
  std::promise<void> ready;
  auto started = ready.get_future();
  p_->th = std::thread([this, &ready]() {
    impl* p = p_.get();
    p->tid = std::this_thread::get_id();
    ready.set_value();
    p->thread_main();
  });
  started.wait();
  return {};
}

result<void> loop_thread::stop() {
  if (!p_->th.joinable()) return {};
  assert(!in_loop_thread());
  {
    std::lock_guard lock(p_->mu);
    p_->stop_requested = true;
  }
  uv_async_send(&p_->async);
  p_->th.join();
  p_->tid = std::thread::id();
  std::string leaks = std::move(p_->leaks);
  p_->leaks.clear();
  int rc = uv_loop_close(&p_->loop);
  if (!leaks.empty() || rc != 0) {
    // A leaked handle still points into the loop: keep the loop's memory alive for it rather
    // than free it under the handle, and carry on with a fresh one.
    if (rc != 0) {
      loop_options o = p_->opt;
      (void)p_.release();
      p_ = std::make_unique<impl>();
      p_->opt = o;
    }
    return failure(transport_errc::io_error, "event loop stopped with handles left open: " +
                                                 (leaks.empty() ? std::string("unknown") : leaks));
  }
  return {};
}

bool loop_thread::running() const noexcept { return p_->running; }

void loop_thread::post(task fn) {
  {
    std::lock_guard lock(p_->mu);
    if (!p_->accepting) return;
    p_->queue.push_back(std::move(fn));
  }
  uv_async_send(&p_->async);
}

event_loop::timer_id loop_thread::start_timer(std::chrono::milliseconds delay, task fn) {
  assert(in_loop_thread());
  impl& p = *p_;
  impl::timer* t;
  if (!p.spare.empty()) {
    t = p.spare.back();
    p.spare.pop_back();
  } else {
    t = new impl::timer;
    uv_timer_init(&p.loop, &t->h);
    t->h.data = t;
  }
  t->id = p.next_timer++;
  t->fn = std::move(fn);
  p.timers.emplace(t->id, t);
  uv_timer_start(&t->h, impl::on_timer,
                 delay.count() < 0 ? 0 : static_cast<std::uint64_t>(delay.count()), 0);
  return t->id;
}

bool loop_thread::cancel_timer(timer_id id) {
  assert(in_loop_thread());
  auto it = p_->timers.find(id);
  if (it == p_->timers.end()) return false;
  impl::timer* t = it->second;
  p_->timers.erase(it);
  uv_timer_stop(&t->h);
  t->id = 0;
  task dropped = std::move(t->fn);
  t->fn = nullptr;
  p_->spare.push_back(t);
  return true;
}

bool loop_thread::in_loop_thread() const { return std::this_thread::get_id() == p_->tid; }

bool loop_thread::run_sync(const std::function<void()>& fn) {
  assert(!in_loop_thread());
  if (!running()) return false;
  auto done = std::make_shared<std::promise<bool>>();
  auto f = done->get_future();
  post([&fn, done]() {
    fn();
    done->set_value(true);
  });
  // A post dropped by a concurrent stop() destroys the task: its promise then breaks.
  try {
    return f.get();
  } catch (const std::future_error&) {
    return false;
  }
}

std::size_t loop_thread::active_timers() const { return p_->timers.size(); }

void* loop_thread::native() const noexcept { return &p_->loop; }

runtime::runtime(std::size_t threads, loop_options o) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) loops_.push_back(std::make_unique<loop_thread>(o));
}

runtime::~runtime() { (void)stop(); }

result<void> runtime::start() {
  for (auto& l : loops_)
    if (auto r = l->start(); !r) return r;
  return {};
}

result<void> runtime::stop() {
  result<void> first;
  for (auto& l : loops_) {
    auto r = l->stop();
    if (!r && first) first = std::move(r);
  }
  return first;
}

loop_thread& runtime::next() {
  loop_thread& l = *loops_[next_ % loops_.size()];
  ++next_;
  return l;
}

}  // namespace wst::detail::uv
