// The CAF-free engine and channel handles (wst/api/channel.hpp).
#include "requester.hpp"

#include <wst/api/channel.hpp>

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

namespace wst::detail::api {
namespace {

thread_local bool completing = false;

}  // namespace

namespace {

// Threads that stop a runtime on behalf of a completion; joined when the process exits.
class stoppers {
 public:
  ~stoppers() {
    std::vector<std::thread> all;
    {
      std::lock_guard<std::mutex> lock(mu_);
      all = std::move(threads_);
    }
    for (auto& t : all) t.join();
  }
  void add(std::thread t) {
    std::lock_guard<std::mutex> lock(mu_);
    // Reap the ones that have finished, so the list stays short.
    for (auto it = threads_.begin(); it != threads_.end();) {
      auto& done = finished_;
      auto id = it->get_id();
      if (std::find(done.begin(), done.end(), id) != done.end()) {
        it->join();
        done.erase(std::find(done.begin(), done.end(), id));
        it = threads_.erase(it);
      } else {
        ++it;
      }
    }
    threads_.push_back(std::move(t));
  }
  void finished(std::thread::id id) {
    std::lock_guard<std::mutex> lock(mu_);
    finished_.push_back(id);
  }

 private:
  std::mutex mu_;
  std::vector<std::thread> threads_;
  std::vector<std::thread::id> finished_;
};

stoppers& stopper_threads() {
  static stoppers instance;
  return instance;
}

}  // namespace

void stop_elsewhere(std::unique_ptr<actors::runtime> rt) {
  stoppers& s = stopper_threads();
  s.add(std::thread([rt = std::move(rt), &s]() mutable {
    (void)rt->stop();
    rt.reset();
    s.finished(std::this_thread::get_id());
  }));
}

completion_scope::completion_scope() noexcept : outer_(completing) { completing = true; }
completion_scope::~completion_scope() { completing = outer_; }
bool in_completion() noexcept { return completing; }

// --- engine ---------------------------------------------------------------------------------

struct engine::state {
  explicit state(actors::runtime_options o) : rt(std::make_unique<actors::runtime>(o)) {}
  std::unique_ptr<actors::runtime> rt;
};

engine::engine(actors::runtime_options o) : s_(std::make_unique<state>(o)) {}

std::shared_ptr<engine> engine::create(actors::runtime_options o) { return std::make_shared<engine>(o); }

std::shared_ptr<engine> engine::shared() {
  static std::mutex mu;
  static std::weak_ptr<engine> current;
  std::lock_guard<std::mutex> lock(mu);
  if (auto e = current.lock()) return e;
  auto e = create();
  current = e;
  return e;
}

engine::~engine() {
  if (in_completion()) {
    stop_elsewhere(std::move(s_->rt));
    return;
  }
  (void)s_->rt->stop();
}

result<void> engine::start() { return s_->rt->start(); }

// --- channel --------------------------------------------------------------------------------

struct channel::state_type {
  std::optional<failure> start_failure;
  caf::actor_system* sys = nullptr;
  actors::channel_actor actor;
  std::shared_ptr<actors::channel_observer> observer = std::make_shared<actors::channel_observer>();
};

channel::channel(std::shared_ptr<engine> e, std::unique_ptr<state_type> s) : engine_(std::move(e)), s_(std::move(s)) {}

std::shared_ptr<channel> channel::create(std::shared_ptr<engine> e, actors::channel_settings settings) {
  auto s = std::make_unique<state_type>();
  if (auto ok = e->start(); !ok) {
    s->start_failure = std::move(ok).error();
  } else {
    actors::runtime& rt = *e->s_->rt;
    s->sys = &rt.system();
    s->actor = actors::spawn_channel(rt.system(), rt.next_site(), std::move(settings), s->observer);
    rt.track(s->actor.address());
  }
  return std::make_shared<channel>(std::move(e), std::move(s));
}

channel::~channel() {
  if (s_->actor) caf::anon_send_exit(s_->actor, caf::exit_reason::user_shutdown);
}

actors::channel_state channel::state() const noexcept { return s_->observer->state(); }
std::size_t channel::in_flight() const noexcept { return s_->observer->in_flight(); }

namespace {

template <class Atom>
void channel_op(caf::actor_system* sys, const actors::channel_actor& ch, const std::optional<failure>& start_failure,
                Atom atom, channel::status_handler done) {
  if (!done) done = [](actors::op_status) {};
  if (start_failure) {
    completion_scope scope;
    done(actors::op_status{*start_failure});
    return;
  }
  ask<actors::op_status>(*sys, ch, std::make_tuple(), std::move(done), atom);
}

}  // namespace

void channel::open(status_handler done) { channel_op(s_->sys, s_->actor, s_->start_failure, actors::open_atom::value, std::move(done)); }
void channel::close(status_handler done) { channel_op(s_->sys, s_->actor, s_->start_failure, actors::close_atom::value, std::move(done)); }
void channel::abort(status_handler done) { channel_op(s_->sys, s_->actor, s_->start_failure, actors::abort_atom::value, std::move(done)); }
void channel::reset(status_handler done) { channel_op(s_->sys, s_->actor, s_->start_failure, actors::reset_atom::value, std::move(done)); }

std::function<void()> channel::request_token(actors::negotiation_job job, token_handler done) {
  if (!done) done = [](actors::token_reply) {};
  if (s_->start_failure) {
    completion_scope scope;
    done(actors::token_reply{*s_->start_failure, nullptr});
    return [] {};
  }
  const std::uint64_t ticket = actors::next_ticket();
  caf::anon_send(s_->actor, actors::run_atom::value, ticket, std::move(job), make_sink(std::move(done)));
  // Weak: the cancel function keeps neither the channel actor nor the runtime alive. The run
  // went out first, so a cancel never overtakes it.
  caf::actor_addr addr = s_->actor.address();
  std::weak_ptr<engine> eng = engine_;
  return [addr, eng, ticket] {
    auto e = eng.lock();
    if (!e) return;
    if (auto a = caf::actor_cast<caf::actor>(addr)) caf::anon_send(a, actors::cancel_atom::value, ticket);
  };
}

}  // namespace wst::detail::api
