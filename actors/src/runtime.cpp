#include <wst/actors/errors.hpp>
#include <wst/actors/runtime.hpp>
#include <wst/uv/runtime.hpp>
#include <wst/uv/streams.hpp>

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <optional>
#include <thread>

namespace wst::detail::actors {

struct runtime::state {
  runtime_options opt;
  mutable std::mutex mu;
  bool started = false;
  bool stopped = false;
  std::optional<failure> start_failure;
  std::unique_ptr<uv::runtime> loops;
  std::unique_ptr<caf::actor_system_config> config;
  std::unique_ptr<caf::actor_system> system;
  std::vector<caf::actor_addr> tracked;
  std::size_t prune_at = 64;
};

runtime::runtime(runtime_options o) : s_(std::make_unique<state>()) {
  s_->opt = o;
  if (s_->opt.loop_threads == 0) s_->opt.loop_threads = 1;
}

runtime::~runtime() { (void)stop(); }

result<void> runtime::start() {
  std::lock_guard<std::mutex> lock(s_->mu);
  if (s_->start_failure) return *s_->start_failure;
  if (s_->stopped) return failure(errc::shutting_down, "the runtime was stopped");
  if (s_->started) return {};
  s_->loops = std::make_unique<uv::runtime>(s_->opt.loop_threads, uv::loop_options{s_->opt.stop_grace});
  if (auto r = s_->loops->start(); !r) {
    (void)s_->loops->stop();
    s_->loops.reset();
    s_->start_failure = failure(errc::runtime_failure, "starting the loop threads: " + r.error().describe());
    return *s_->start_failure;
  }
  std::size_t workers = s_->opt.scheduler_threads;
  if (workers == 0) workers = std::max<std::size_t>(2, std::thread::hardware_concurrency());
  s_->config = std::make_unique<caf::actor_system_config>();
  s_->config->set("scheduler.max-threads", workers);
  // An idle worker spins briefly (aggressive polling, CAF's default 100 attempts), then sleeps
  // on its condition variable until work is enqueued - no "moderate" phase of 500 x 50 us
  // nanosleep polls. Measured (docs/actors.md, negotiation_bench C=64): replay 0.050 instead of
  // 0.056 client CPU s per 1,000 negotiations and higher throughput; issue mode (a slow STS,
  // workers mostly idle) 0.18 instead of 0.56.
  s_->config->set("work-stealing.moderate-poll-attempts", std::size_t{0});
  s_->system = std::make_unique<caf::actor_system>(*s_->config);
  s_->started = true;
  return {};
}

bool runtime::running() const {
  std::lock_guard<std::mutex> lock(s_->mu);
  return s_->started && !s_->stopped;
}

caf::actor_system& runtime::system() { return *s_->system; }

channel_site runtime::next_site() {
  uv::loop_thread* loop;
  {
    std::lock_guard<std::mutex> lock(s_->mu);
    loop = &s_->loops->next();
  }
  channel_site site;
  site.loop = loop;
  site.make_streams = [loop](const channel_settings& s) -> std::unique_ptr<wst::stream_context> {
    uv::tcp_options o;
    o.resolve = s.time.resolve;
    o.connect = s.time.connect;
    return std::make_unique<uv::loop_context>(*loop, o);
  };
  return site;
}

void runtime::track(const caf::actor_addr& a) {
  std::lock_guard<std::mutex> lock(s_->mu);
  auto& t = s_->tracked;
  if (t.size() >= s_->prune_at) {
    t.erase(std::remove_if(t.begin(), t.end(),
                           [](const caf::actor_addr& x) { return !caf::actor_cast<caf::strong_actor_ptr>(x); }),
            t.end());
    s_->prune_at = std::max<std::size_t>(64, t.size() * 2);
  }
  t.push_back(a);
}

result<void> runtime::stop() {
  std::vector<caf::actor_addr> tracked;
  {
    std::lock_guard<std::mutex> lock(s_->mu);
    if (s_->stopped || !s_->started) {
      s_->stopped = true;
      return {};
    }
    s_->stopped = true;
    tracked = std::move(s_->tracked);
    s_->tracked.clear();
  }
  for (const auto& a : tracked)
    if (auto p = caf::actor_cast<caf::strong_actor_ptr>(a)) caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
  tracked.clear();
  s_->system->await_all_actors_done();
  auto loops = s_->loops->stop();
  s_->system.reset();
  s_->config.reset();
  s_->loops.reset();
  return loops;
}

}  // namespace wst::detail::actors
