// The token store actor: cache, single flight, renewal, LRU - on the actor clock.
#include "token_answer.hpp"

#include <wst/actors/errors.hpp>
#include <wst/actors/interfaces.hpp>
#include <wst/core/datetime.hpp>

#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <list>
#include <unordered_map>
#include <vector>

namespace wst::detail::actors {
namespace {

using time_point = caf::actor_clock::time_point;

// What the running negotiation of an entry is for.
enum class flight_kind {
  none,
  issue,    // no usable token: callers wait for it
  renew,    // background: an SCT renewed through RENEW_CONTEXT
  refresh,  // background: the same request again (tokens without a renewal binding)
  reissue,  // the same request again after RENEW_CONTEXT failed
};

// One caller waiting for an entry's negotiation: an actor (rp) or not (sink).
struct waiter {
  std::uint64_t id = 0;
  token_answer to;

  void answer(token_reply r) { to.deliver(std::move(r)); }
};

struct entry {
  std::string key;
  channel_actor channel;
  negotiation_job job;  // the latest miss's request, reused for renewals
  std::shared_ptr<const core::issued_token> token;
  bool bounded = false;  // the token has an expiry
  time_point expires_at{};
  std::uint64_t generation = 0;  // of the current token (timers carry it)
  flight_kind flight = flight_kind::none;
  std::uint64_t flight_id = 0;
  channel_actor flight_channel;  // where the running negotiation runs, under ticket flight_id

  std::vector<waiter> waiters;
  bool used = false;  // handed out since it arrived: worth renewing
  std::list<std::string>::iterator lru;
};

struct store_data {
  store_options opt;
  std::unordered_map<std::string, entry> entries;
  std::list<std::string> lru;  // most recently used first
  std::unordered_map<std::uint64_t, std::string> waiter_keys;
  std::chrono::system_clock::time_point wall_anchor;
  time_point clock_anchor;
  std::uint64_t next_id = 1;  // token generations, never reused
  store_stats stats;

  bool usable(const entry& e, time_point now) const {
    return e.token && (!e.bounded || now < e.expires_at);
  }

  void touch(entry& e) { lru.splice(lru.begin(), lru, e.lru); }

  void drop_token(entry& e) {
    e.token.reset();
    e.bounded = false;
    e.used = false;
    e.generation = next_id++;
  }

  void erase(std::unordered_map<std::string, entry>::iterator it) {
    lru.erase(it->second.lru);
    entries.erase(it);
  }

  // Erases an entry that holds nothing any more.
  void erase_if_idle(const std::string& key) {
    auto it = entries.find(key);
    if (it == entries.end()) return;
    const entry& e = it->second;
    if (!e.token && e.flight == flight_kind::none && e.waiters.empty()) erase(it);
  }

  void answer_waiters(entry& e, const token_reply& r) {
    auto ws = std::move(e.waiters);
    e.waiters.clear();
    for (auto& w : ws) {
      if (w.id) waiter_keys.erase(w.id);
      w.answer(r);
    }
  }

  // Keeps at most max_entries, dropping least recently used entries nobody waits on.
  void evict() {
    auto it = lru.end();
    while (entries.size() > opt.max_entries && it != lru.begin()) {
      --it;
      auto e = entries.find(*it);
      if (e->second.flight != flight_kind::none || !e->second.waiters.empty()) continue;
      it = lru.erase(it);
      entries.erase(e);
      ++stats.evictions;
    }
  }

  // Wall-clock "now" that follows the actor clock from the anchor taken at start.
  core::datetime wall_now(time_point now) const {
    return core::datetime::from_time_point(
        wall_anchor + std::chrono::duration_cast<std::chrono::system_clock::duration>(now - clock_anchor));
  }
};

using store_pointer = token_store_actor::stateful_pointer<store_data>;

void start_flight(store_pointer self, entry& e, flight_kind kind);

// Stores a fresh token, schedules its renewal point and expiry; false when it is already
// expired (or within the skew of expiring).
bool adopt(store_pointer self, entry& e, std::shared_ptr<const core::issued_token> tok, failure& why) {
  auto& d = self->state;
  const time_point now = self->clock().now();
  const std::uint64_t gen = d.next_id++;
  if (!tok->valid_till) {
    e.token = std::move(tok);
    e.bounded = false;
    e.used = false;
    e.generation = gen;
    return true;
  }
  // Tick arithmetic (100 ns units since year 1) cannot overflow over the whole xsd:dateTime
  // range; the result is capped at a century so the steady clock cannot overflow either.
  constexpr std::int64_t per_ms = core::datetime::ticks_per_second / 1000;
  constexpr std::int64_t century = 100LL * 366 * 24 * 3600 * core::datetime::ticks_per_second;
  const std::int64_t skew = static_cast<std::int64_t>(d.opt.clock_skew.count()) * per_ms;
  std::int64_t remaining = tok->valid_till->ticks - d.wall_now(now).ticks - skew;
  if (remaining <= 0) {
    why = failure(errc::token_expired, "the STS issued a token that expires at " + tok->valid_till->to_string() +
                                           ", within the clock-skew allowance of " +
                                           std::to_string(d.opt.clock_skew.count()) + " ms");
    return false;
  }
  remaining = std::min(remaining, century);
  const auto usable_for = std::chrono::nanoseconds(remaining * 100);
  e.token = std::move(tok);
  e.bounded = true;
  e.used = false;
  e.generation = gen;
  e.expires_at = now + std::chrono::duration_cast<caf::actor_clock::duration_type>(usable_for);
  self->delayed_send(self, usable_for, expire_atom::value, e.key, gen);
  const double f = d.opt.renew_fraction;
  if (f > 0 && f < 1) {
    auto renew_in = std::chrono::nanoseconds(static_cast<std::int64_t>(static_cast<double>(usable_for.count()) * f));
    self->delayed_send(self, renew_in, renew_atom::value, e.key, gen);
  }
  return true;
}

void on_result(store_pointer self, const std::string& key, std::uint64_t flight_id, token_reply r) {
  auto& d = self->state;
  auto it = d.entries.find(key);
  if (it == d.entries.end() || it->second.flight_id != flight_id || it->second.flight == flight_kind::none) return;
  entry& e = it->second;
  const flight_kind kind = e.flight;
  e.flight = flight_kind::none;
  e.flight_channel = channel_actor{};
  if (r.ok()) {
    failure why;
    if (adopt(self, e, r.token, why)) {
      d.answer_waiters(e, r);
      return;
    }
    r = token_reply{std::move(why), nullptr};
  }
  if (kind == flight_kind::renew) {  // RENEW_CONTEXT failed: a fresh issue instead
    ++d.stats.renew_failures;
    start_flight(self, e, flight_kind::reissue);
    return;
  }
  if (kind != flight_kind::issue) ++d.stats.renew_failures;
  d.answer_waiters(e, r);
  const time_point now = self->clock().now();
  if (d.usable(e, now)) {
    // Keep serving the old token; try again later if it lives long enough.
    if (!e.bounded || now + d.opt.renew_retry < e.expires_at)
      self->delayed_send(self, d.opt.renew_retry, renew_atom::value, e.key, e.generation);
    return;
  }
  if (e.token) d.drop_token(e);
  d.erase_if_idle(key);
}

void start_flight(store_pointer self, entry& e, flight_kind kind) {
  auto& d = self->state;
  negotiation_job job = e.job;
  if (kind == flight_kind::renew) {
    job.description.action = core::request_action::renew_context;
    job.description.existing = core::existing_token_from(*e.token);
  }
  e.flight = kind;
  e.flight_id = next_ticket();  // also the negotiation's ticket on its channel
  ++d.stats.negotiations;
  if (!e.channel) {
    on_result(self, e.key, e.flight_id, token_reply{failure(errc::actor_down, "the negotiation has no channel"), nullptr});
    return;
  }
  e.flight_channel = e.channel;
  self->request(e.channel, caf::infinite, run_atom::value, e.flight_id, std::move(job))
      .then(
          [self, key = e.key, id = e.flight_id](token_reply& r) { on_result(self, key, id, std::move(r)); },
          [self, key = e.key, id = e.flight_id](caf::error& err) {
            // request_receiver_down: the channel stopped (abort, shutdown) with the request
            // still in its mailbox.
            const bool down = err == caf::sec::request_receiver_down;
            on_result(self, key, id,
                      token_reply{failure(down ? errc::aborted : errc::actor_down,
                                          "the channel is gone (" + self->system().render(err) + ")"),
                                  nullptr});
          });
}

bool renews_by_context(const entry& e) {
  return !e.token->context_id.empty() && e.job.description.action == core::request_action::new_context;
}

// A get: the cached token at once, else `w` waits for the key's negotiation.
void get(store_pointer self, token_query& q, waiter w) {
  auto& d = self->state;
  const time_point now = self->clock().now();
  auto it = d.entries.find(q.key);
  if (it == d.entries.end()) {
    d.lru.push_front(q.key);
    it = d.entries.emplace(q.key, entry{}).first;
    it->second.key = q.key;
    it->second.lru = d.lru.begin();
    it->second.generation = d.next_id++;
  } else {
    d.touch(it->second);
  }
  entry& e = it->second;
  e.channel = std::move(q.channel);
  if (d.usable(e, now)) {
    e.used = true;
    ++d.stats.hits;
    w.answer(token_reply{{}, e.token});
    return;
  }
  if (e.token) d.drop_token(e);  // expired: never handed out
  ++d.stats.misses;
  e.job = std::move(q.job);
  if (w.id) d.waiter_keys[w.id] = e.key;
  e.waiters.push_back(std::move(w));
  if (e.flight == flight_kind::none) start_flight(self, e, flight_kind::issue);
  d.evict();
}

token_store_actor::behavior_type store_behavior(store_pointer self, store_options opt) {
  auto& d = self->state;
  d.opt = std::move(opt);
  if (d.opt.max_entries == 0) d.opt.max_entries = 1;
  core::environment& env = d.opt.env ? *d.opt.env : core::system_environment();
  d.wall_anchor = env.now();
  d.clock_anchor = self->clock().now();

  self->set_exit_handler([self](caf::exit_msg& m) {
    auto& d = self->state;
    const token_reply stop{failure(errc::shutting_down, "the token store was stopped"), nullptr};
    for (auto& [key, e] : d.entries) {
      if (e.flight_channel) self->send(e.flight_channel, cancel_atom::value, e.flight_id);
      d.answer_waiters(e, stop);
    }
    d.entries.clear();
    d.lru.clear();
    self->quit(m.reason);
  });

  return {
      [self](get_atom, token_query& q) -> caf::typed_response_promise<token_reply> {
        auto rp = self->make_response_promise<token_reply>();
        get(self, q, waiter{q.waiter, token_answer{rp, nullptr}});
        return rp;
      },
      [self](get_atom, token_query& q, token_sink_ptr& sink) {
        if (sink) get(self, q, waiter{q.waiter, token_answer{{}, std::move(sink)}});
      },
      [self](cancel_atom, std::uint64_t waiter_id) {
        auto& d = self->state;
        auto k = d.waiter_keys.find(waiter_id);
        if (k == d.waiter_keys.end()) return;
        auto it = d.entries.find(k->second);
        d.waiter_keys.erase(k);
        if (it == d.entries.end()) return;
        auto& ws = it->second.waiters;
        auto w = std::find_if(ws.begin(), ws.end(), [&](const waiter& x) { return x.id == waiter_id; });
        if (w == ws.end()) return;
        waiter gone = std::move(*w);
        ws.erase(w);
        gone.answer(token_reply{failure(errc::aborted, "the token request was cancelled"), nullptr});
      },
      [self](invalidate_atom, const std::string& key) {
        auto& d = self->state;
        auto it = d.entries.find(key);
        if (it == d.entries.end()) return;
        if (it->second.token) d.drop_token(it->second);
        d.erase_if_idle(key);
      },
      [self](clear_atom) {
        auto& d = self->state;
        std::vector<std::string> keys;
        keys.reserve(d.entries.size());
        for (auto& [key, e] : d.entries) {
          if (e.token) d.drop_token(e);
          keys.push_back(key);
        }
        for (const auto& k : keys) d.erase_if_idle(k);
      },
      [self](get_atom, stats_atom) -> store_stats {
        auto& d = self->state;
        store_stats s = d.stats;
        s.entries = d.entries.size();
        const time_point now = self->clock().now();
        s.tokens = static_cast<std::size_t>(
            std::count_if(d.entries.begin(), d.entries.end(), [&](const auto& kv) { return d.usable(kv.second, now); }));
        return s;
      },
      [self](renew_atom, const std::string& key, std::uint64_t gen) {
        auto& d = self->state;
        auto it = d.entries.find(key);
        if (it == d.entries.end()) return;
        entry& e = it->second;
        if (e.generation != gen || e.flight != flight_kind::none || !d.usable(e, self->clock().now())) return;
        if (!e.used) return;  // idle since it arrived: let it expire
        ++d.stats.renewals;
        start_flight(self, e, renews_by_context(e) ? flight_kind::renew : flight_kind::refresh);
      },
      [self](expire_atom, const std::string& key, std::uint64_t gen) {
        auto& d = self->state;
        auto it = d.entries.find(key);
        if (it == d.entries.end() || it->second.generation != gen || !it->second.token) return;
        d.drop_token(it->second);
        ++d.stats.expirations;
        d.erase_if_idle(key);
      },
  };
}

}  // namespace

token_store_actor spawn_token_store(caf::actor_system& sys, store_options options) {
  return sys.spawn(store_behavior, std::move(options));
}

}  // namespace wst::detail::actors
