// wst::client: the composition root. Starts the actor runtime on the first request, keeps
// one channel per endpoint configuration and one token store, and hands each request's
// callback to the actor that answers it (a token sink: no actor of its own per call).
#include "conversion.hpp"
#include "requester.hpp"

#include <wst/actors/errors.hpp>
#include <wst/actors/interfaces.hpp>
#include <wst/actors/runtime.hpp>
#include <wst/api/channel.hpp>

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/sec.hpp>

#include <algorithm>

#include <list>
#include <shared_mutex>
#include <unordered_map>

namespace wst {
namespace actors = detail::actors;
using detail::failure;
using detail::result;

namespace detail {

// Whether the client is stopping. Requests and cancels hold it shared while they touch the
// runtime; the stop takes it exclusively once, so nothing reaches a runtime that is going away.
struct client_life {
  std::shared_mutex mu;
  bool stopping = false;
};

// What request_handle::cancel reaches: the actor answering the request - the channel that
// runs its negotiation (uncached) or the token store (cached) - with the request's ticket.
// The request's message went out before the handle existed, so a cancel never overtakes it.
// Weak throughout: it keeps nothing alive.
class request_control {
 public:
  std::weak_ptr<client_life> life;
  caf::actor_addr target;
  std::uint64_t ticket = 0;
  void cancel() const;
};

}  // namespace detail

struct client::impl {
  client_options opt;
  std::shared_ptr<detail::client_life> life = std::make_shared<detail::client_life>();

  std::mutex mu;  // the runtime's start, the store handle, the channel table
  std::unique_ptr<actors::runtime> rt;
  actors::token_store_actor store;
  struct channel_slot {
    actors::channel_actor actor;
    std::shared_ptr<actors::channel_observer> observer;
    std::list<std::string>::iterator lru;
  };
  std::unordered_map<std::string, channel_slot> channels;
  std::list<std::string> channel_lru;  // most recently used first

  result<void> start_locked() {
    if (rt) return rt->running() ? result<void>() : result<void>(failure(actors::errc::shutting_down));
    actors::runtime_options ro;
    ro.scheduler_threads = opt.scheduler_threads;
    ro.loop_threads = opt.loop_threads;
    rt = std::make_unique<actors::runtime>(ro);
    if (auto r = rt->start(); !r) return r;
    actors::store_options so;
    so.max_entries = opt.cache.max_entries;
    so.renew_fraction = opt.cache.renew_fraction;
    so.clock_skew = opt.cache.clock_skew;
    so.renew_retry = opt.cache.renew_retry;
    store = actors::spawn_token_store(rt->system(), so);
    rt->track(store.address());
    return {};
  }

  static void retire(const actors::channel_actor& ch) { caf::anon_send(ch, actors::close_atom::value); }

  // The channel for these settings: the live one, or a new one. Faulted, closing and closed
  // channels are replaced; beyond max_channels the least recently used one closes.
  actors::channel_actor channel_locked(const detail::api::prepared_request& p) {
    auto it = channels.find(p.channel_id);
    if (it != channels.end()) {
      const auto st = it->second.observer->state();
      // created: our open is still on its way to the actor.
      if (st == actors::channel_state::open || st == actors::channel_state::opening ||
          st == actors::channel_state::created) {
        channel_lru.splice(channel_lru.begin(), channel_lru, it->second.lru);
        return it->second.actor;
      }
      if (st == actors::channel_state::faulted) retire(it->second.actor);
      channel_lru.erase(it->second.lru);
      channels.erase(it);
    }
    channel_slot slot;
    slot.observer = std::make_shared<actors::channel_observer>();
    slot.actor = actors::spawn_channel(rt->system(), rt->next_site(), p.settings, slot.observer);
    rt->track(slot.actor.address());
    caf::anon_send(slot.actor, actors::open_atom::value);
    channel_lru.push_front(p.channel_id);
    slot.lru = channel_lru.begin();
    auto ch = slot.actor;
    channels.emplace(p.channel_id, std::move(slot));
    while (channels.size() > std::max<std::size_t>(1, opt.max_channels)) {
      auto victim = channels.find(channel_lru.back());
      retire(victim->second.actor);
      channels.erase(victim);
      channel_lru.pop_back();
    }
    return ch;
  }

  void stop() {
    {
      std::unique_lock<std::shared_mutex> lock(life->mu);
      life->stopping = true;
    }
    std::unique_ptr<actors::runtime> r;
    {
      std::lock_guard<std::mutex> lock(mu);
      channels.clear();
      channel_lru.clear();
      store = actors::token_store_actor{};
      r = std::move(rt);
    }
    if (!r) return;
    if (detail::api::in_completion()) {
      // Destroyed inside a callback: waiting here would wait for this very callback.
      detail::api::stop_elsewhere(std::move(r));
      return;
    }
    (void)r->stop();
  }
};

namespace {

// client_options::max_queued_requests beyond this counts as this (a queue is a deque of
// pointers: a bound, not a reservation).
constexpr std::size_t max_queued_limit = 1000000;

// Runs a user callback; nothing it throws escapes into the runtime.
void deliver(const client::callback& cb, token_result r) noexcept {
  try {
    cb(std::move(r));
  } catch (...) {
  }
}

token_result convert(actors::token_reply& r) {
  if (r.ok()) return detail::token_access::make(std::move(r.token));
  return detail::api::to_public(r.error);
}

// The sink of one request: the user's callback gets the public result.
struct public_completion {
  client::callback cb;
  void operator()(actors::token_reply r) { deliver(cb, convert(r)); }
};

token_result failed(failure f) { return detail::api::to_public(f); }

}  // namespace

void detail::request_control::cancel() const {
  auto l = life.lock();
  if (!l) return;
  std::shared_lock<std::shared_mutex> lock(l->mu);
  if (l->stopping) return;
  auto dest = caf::actor_cast<caf::actor>(target);
  if (!dest) return;
  caf::anon_send(dest, actors::cancel_atom::value, ticket);
}

void request_handle::cancel() const {
  if (c_) c_->cancel();
}

client::client(client_options options) : p_(std::make_shared<impl>()) { p_->opt = std::move(options); }

client::~client() { p_->stop(); }

request_handle client::request_token(const request_options& options, callback done) {
  if (!done) done = [](token_result) {};
  auto prepared = detail::api::prepare(options);
  if (!prepared) {
    deliver(done, failed(std::move(prepared).error()));
    return {};
  }
  detail::api::prepared_request& p = *prepared;
  p.settings.max_queued = std::min(p_->opt.max_queued_requests, max_queued_limit);
  std::shared_lock<std::shared_mutex> life(p_->life->mu);
  if (p_->life->stopping) {
    life.unlock();
    deliver(done, failed(failure(actors::errc::shutting_down, "the client is being destroyed")));
    return {};
  }
  actors::channel_actor channel;
  actors::token_store_actor store;
  std::optional<failure> not_started;
  {
    std::lock_guard<std::mutex> lock(p_->mu);
    if (auto ok = p_->start_locked(); !ok) {
      not_started = std::move(ok).error();
    } else {
      channel = p_->channel_locked(p);
      store = p_->store;
    }
  }
  if (not_started) {  // delivered with no lock held: the callback may call in again
    life.unlock();
    deliver(done, failed(std::move(*not_started)));
    return {};
  }
  auto control = std::make_shared<detail::request_control>();
  control->life = p_->life;
  control->ticket = actors::next_ticket();
  auto sink = detail::api::make_sink(public_completion{std::move(done)});
  if (!p.key.empty()) {
    actors::token_query q;
    q.key = std::move(p.key);
    q.channel = std::move(channel);
    q.job = std::move(p.job);
    q.waiter = control->ticket;
    control->target = store.address();
    caf::anon_send(store, actors::get_atom::value, std::move(q), std::move(sink));
  } else {
    control->target = channel.address();
    caf::anon_send(channel, actors::run_atom::value, control->ticket, std::move(p.job), std::move(sink));
  }
  return request_handle(std::move(control));
}

std::future<token_result> client::request_token(const request_options& options) {
  auto promise = std::make_shared<std::promise<token_result>>();
  auto f = promise->get_future();
  request_token(options, [promise](token_result r) { promise->set_value(std::move(r)); });
  return f;
}

token_result client::request_token_sync(const request_options& options) { return request_token(options).get(); }

void client::invalidate(const request_options& options) {
  auto prepared = detail::api::prepare(options);
  if (!prepared || prepared->key.empty()) return;
  std::shared_lock<std::shared_mutex> life(p_->life->mu);
  if (p_->life->stopping) return;
  std::lock_guard<std::mutex> lock(p_->mu);
  if (p_->store) caf::anon_send(p_->store, actors::invalidate_atom::value, std::move(prepared->key));
}

void client::clear_cache() {
  std::shared_lock<std::shared_mutex> life(p_->life->mu);
  if (p_->life->stopping) return;
  std::lock_guard<std::mutex> lock(p_->mu);
  if (p_->store) caf::anon_send(p_->store, actors::clear_atom::value);
}

}  // namespace wst
