// The deterministic world for actor tests: CAF's test coordinator (no scheduler threads, a
// clock that only advance_time() moves), a manual loop for the channel's I/O side, an
// in-memory STS peer behind the "mem" scheme, and helpers to ask actors and settle
// everything. One thread does it all, so every interleaving is reproducible.
#pragma once

#include "canned_sts.hpp"
#include "manual_loop.hpp"

#include <wst/actors/interfaces.hpp>
#include <wst/core/environment.hpp>
#include <wst/memory/peer.hpp>
#include <wst/transport/scheme_registry.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/send.hpp>

#include <boost/test/unit_test.hpp>

#include <memory>
#include <optional>
#include <ostream>
#include <vector>

namespace wst::detail::actors {
inline std::ostream& operator<<(std::ostream& os, channel_state s) { return os << to_string(s); }
}  // namespace wst::detail::actors

namespace wst::test {

namespace actors = wst::detail::actors;

// 2024-05-01T12:00:00Z: the wall clock when the actor clock starts.
inline const std::chrono::system_clock::time_point wall_start{std::chrono::seconds(1714564800)};

struct deterministic_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  caf::actor_clock::time_point clock_start;
  manual_loop loop;
  detail::core::fixed_environment env{wall_start};
  // The STS's clock follows the actor clock, as the token store's does.
  canned_sts sts{[this] { return wall_now(); }};
  detail::memory::peer peer{[this](std::string_view req) { return sts.http_reply(req); }};
  detail::transport::scheme_registry schemes;
  std::vector<caf::actor_addr> spawned;  // stopped (and settled) at the end

  deterministic_fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    clock_start = sys->clock().now();
    BOOST_REQUIRE(!schemes.add("mem", peer.transport()));
  }

  ~deterministic_fixture() {
    for (auto& a : spawned)
      if (auto p = caf::actor_cast<caf::strong_actor_ptr>(a)) caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
    settle();
    loop.advance(std::chrono::hours(1));  // idle and close timers of the exchanges
    settle();
    sys.reset();
  }

  std::chrono::system_clock::time_point wall_now() const {
    return wall_start + std::chrono::duration_cast<std::chrono::system_clock::duration>(sys->clock().now() - clock_start);
  }

  actors::channel_site site() {
    actors::channel_site s;
    s.loop = &loop;
    s.make_streams = [this](const actors::channel_settings&) -> std::unique_ptr<wst::stream_context> {
      return std::make_unique<manual_streams>(loop);
    };
    s.schemes = &schemes;
    return s;
  }

  static actors::channel_settings settings(std::string url = "mem://sts.test/trust") {
    actors::channel_settings s;
    s.url = std::move(url);
    return s;
  }

  actors::channel_actor channel(actors::channel_settings s = settings(),
                                std::shared_ptr<actors::channel_observer> obs = nullptr) {
    auto ch = actors::spawn_channel(*sys, site(), std::move(s), std::move(obs));
    spawned.push_back(ch.address());
    return ch;
  }

  actors::token_store_actor store(actors::store_options o = {}) {
    o.env = &env;
    auto st = actors::spawn_token_store(*sys, o);
    spawned.push_back(st.address());
    return st;
  }

  // Runs actors and the loop until neither has anything left to do.
  void settle() {
    for (int i = 0; i < 100000; ++i) {
      const std::size_t a = sched->run();
      const std::size_t b = loop.run();
      if (a == 0 && b == 0) return;
    }
    BOOST_FAIL("the actors and the loop never settled");
  }

  // Moves the actor clock (timers, delayed messages) and settles.
  void advance(std::chrono::milliseconds d) {
    sched->advance_time(d);
    settle();
  }

  // Asks `dest` from a probe actor; the slot is filled when the reply (or a CAF error) comes.
  template <class Reply, class Handle, class... Ts>
  std::shared_ptr<std::optional<Reply>> ask(const Handle& dest, Ts... xs) {
    auto slot = std::make_shared<std::optional<Reply>>();
    auto probe = sys->spawn([dest, slot, xs...](caf::event_based_actor* self) {
      self->request(dest, caf::infinite, xs...)
          .then([slot](Reply& r) { *slot = std::move(r); }, [](caf::error&) {});
    });
    spawned.push_back(probe.address());
    return slot;
  }

  // Asks and settles; fails the test when no reply came.
  template <class Reply, class Handle, class... Ts>
  Reply call(const Handle& dest, Ts... xs) {
    auto slot = ask<Reply>(dest, xs...);
    settle();
    BOOST_REQUIRE_MESSAGE(slot->has_value(), "no reply");
    return std::move(**slot);
  }

  actors::channel_state state_of(const actors::channel_actor& ch) {
    return call<actors::channel_state>(ch, actors::get_atom::value, actors::state_atom::value);
  }

  // A negotiation job for a bearer SAML token (or an SCT with a server key when `sct`).
  static actors::negotiation_job job(std::string applies_to = "https://rp.test/app", bool sct = false) {
    actors::negotiation_job j;
    auto& d = j.description;
    d.sts_address = "mem://sts.test/trust";
    d.trust = detail::core::trust_version::v1_3;
    d.secure_conversation = detail::core::secure_conversation_version::v1_3;
    if (sct) {
      d.action = detail::core::request_action::new_context;
      d.key = detail::core::key_type::symmetric;
      d.key_size_bits = 256;
    } else {
      d.applies_to = std::move(applies_to);
      d.key = detail::core::key_type::none;
    }
    return j;
  }

  static actors::soap_request soap(std::string body = "<Envelope/>") {
    return actors::soap_request{"urn:test", std::move(body), detail::http::soap_version::soap12};
  }
};

inline std::string describe(const detail::failure& f) { return f.code ? f.describe() : "ok"; }

}  // namespace wst::test
