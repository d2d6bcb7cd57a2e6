// The channel actor: WWSAPI channel states, requests and negotiations in flight, and the
// bridge to its loop side.
#include "channel_io.hpp"
#include "handoff.hpp"
#include "token_answer.hpp"

#include <wst/actors/errors.hpp>
#include <wst/actors/interfaces.hpp>
#include <wst/core/errors.hpp>
#include <wst/core/negotiation.hpp>
#include <wst/http/errc.hpp>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wst::detail::actors {
namespace {

// A negotiation run by the channel: core's state machine and where its one answer goes.
struct negotiation_state {
  core::negotiation machine;
  token_answer to;
  std::chrono::milliseconds deadline{0};

  void answer(token_reply r) { to.deliver(std::move(r)); }
};

// One request in flight: a raw SOAP request (rp) or a negotiation's (neg).
struct flight {
  std::uint64_t ticket = 0;
  caf::typed_response_promise<soap_reply> rp;
  std::optional<negotiation_state> neg;
  soap_request request;  // kept only until dispatched (a request that waits for the open)
  bool dispatched = false;
};

http::soap_version wire_version(core::soap_version v) {
  return v == core::soap_version::soap11 ? http::soap_version::soap11 : http::soap_version::soap12;
}

// What a negotiation's reply means: the token, or the most telling failure.
token_reply interpret(core::negotiation& n, soap_reply& r) {
  if (!r.ok()) return token_reply{std::move(r.error), nullptr};
  const http::response& resp = r.response;
  auto token = n.on_reply(resp.body);
  if (token) return token_reply{{}, std::make_shared<const core::issued_token>(std::move(*token))};
  failure f = std::move(token).error();
  if (f.code == core::errc::fault_received && n.fault() && n.fault()->receiver_fault())
    return token_reply{failure(errc::server_fault, n.fault()->summary()), nullptr};
  // An error status whose body is no SOAP message at all: the HTTP status says more.
  if (resp.status >= 300 && (f.code == core::errc::malformed_xml || f.code == core::errc::not_soap_envelope))
    return token_reply{failure(http::errc::unexpected_status, "HTTP " + std::to_string(resp.status) + " " +
                                                                  resp.reason + " without a SOAP reply (" +
                                                                  f.describe() + ")"),
                       nullptr};
  return token_reply{std::move(f), nullptr};
}

// Delivers a flight's answer: the reply itself, or for a negotiation what it means.
void answer_flight(flight& fl, soap_reply r) {
  if (fl.neg)
    fl.neg->answer(interpret(fl.neg->machine, r));
  else
    fl.rp.deliver(std::move(r));
}

// Ends a flight with a failure (never parses anything).
void fail_flight(flight& fl, const failure& f) {
  if (fl.neg)
    fl.neg->answer(token_reply{f, nullptr});
  else
    fl.rp.deliver(soap_reply{f, {}});
}

// Requests on their way to the loop side, handed over in batches: the request that finds the
// outbox empty posts a drain, and every request queued before that drain runs goes with it -
// one closure and at most one wake of the loop for a burst. Order holds: anything posted
// later (cancel, abort, close) runs after the drain.
struct outbox {
  std::mutex mu;
  std::vector<std::pair<std::uint64_t, soap_request>> queued;    // guarded by mu
  std::vector<std::pair<std::uint64_t, soap_request>> draining;  // loop thread only
};

struct channel_data {
  channel_site site;
  channel_settings settings;
  std::shared_ptr<channel_observer> observer;
  caf::actor_control_block* ctrl = nullptr;  // this actor (not owned)
  caf::strong_actor_ptr busy;                // this actor, owned while requests are in flight
  channel_state st = channel_state::created;
  std::uint64_t generation = 0;
  std::uint64_t next_wire = 1;
  std::shared_ptr<channel_io> io;
  std::shared_ptr<outbox> out;  // with io
  std::unordered_map<std::uint64_t, flight> flights;         // wire id -> request
  std::unordered_map<std::uint64_t, std::uint64_t> tickets;  // caller's ticket -> wire id
  std::vector<caf::typed_response_promise<op_status>> open_waiters;
  std::vector<caf::typed_response_promise<op_status>> close_waiters;
  std::optional<failure> close_failure;  // set when the close timeout aborted requests
  bool io_closing = false;
  failure fault_reason;  // why the channel faulted
  bool open_failed = false;  // it faulted because the open failed

  void fault(failure why, bool in_open) {
    fault_reason = std::move(why);
    open_failed = in_open;
    become(channel_state::faulted);
  }

  // What a request on the faulted channel gets: the open's own failure when the channel never
  // opened (so every caller learns the real cause), else channel_faulted with the reason.
  soap_reply faulted_reply() const {
    if (open_failed)
      return soap_reply{failure(fault_reason.code, fault_reason.message.empty() ? "the channel could not open"
                                                                                : "the channel could not open: " +
                                                                                      fault_reason.message),
                        {}};
    return soap_reply{failure(errc::channel_faulted, "the channel faulted earlier (" + fault_reason.describe() +
                                                         "); close or abort it and use a new one"),
                      {}};
  }

  ~channel_data() { drop_io(); }

  // Runs fn(io) on the loop thread.
  template <class Fn>
  void on_loop(Fn fn) {
    if (!io) return;
    site.loop->post([io = io, fn = std::move(fn)]() mutable { fn(*io); });
  }

  void drop_io() {
    if (!io) return;
    on_loop([](channel_io& x) { x.detach(); });
    io.reset();
    out.reset();
  }

  void become(channel_state s) {
    st = s;
    if (observer) observer->publish(s);
  }

  static void answer(std::vector<caf::typed_response_promise<op_status>>& waiters, const op_status& s) {
    for (auto& rp : waiters) rp.deliver(s);
    waiters.clear();
  }

  // Publishes the load, and holds the channel alive while anything is in flight: requests
  // then end with an answer even after the last outside handle is gone (dropped unanswered
  // otherwise). The hold ends with the last request, or with the exit of a shutdown.
  void count() {
    if (observer) observer->publish_in_flight(flights.size());
    if (flights.empty())
      busy.reset();
    else if (!busy)
      busy = caf::strong_actor_ptr{ctrl};
  }

  void finish(std::unordered_map<std::uint64_t, flight>::iterator it, soap_reply r) {
    tickets.erase(it->second.ticket);
    flight fl = std::move(it->second);
    flights.erase(it);
    count();
    answer_flight(fl, std::move(r));
  }

  void finish(std::unordered_map<std::uint64_t, flight>::iterator it, const failure& f) {
    tickets.erase(it->second.ticket);
    flight fl = std::move(it->second);
    flights.erase(it);
    count();
    fail_flight(fl, f);
  }

  // Fails every request in flight (the loop side is told separately).
  void fail_all(const failure& f) {
    auto all = std::move(flights);
    flights.clear();
    tickets.clear();
    count();
    for (auto& [wire, fl] : all) fail_flight(fl, f);
  }

  void dispatch(std::uint64_t wire, flight& fl) {
    fl.dispatched = true;
    soap_request req = std::move(fl.request);
    fl.request = soap_request{};
    if (!io) return;
    bool first;
    {
      std::lock_guard<std::mutex> lock(out->mu);
      first = out->queued.empty();
      out->queued.emplace_back(wire, std::move(req));
    }
    if (!first) return;
    site.loop->post([io = io, out = out] {
      out->draining.clear();
      {
        std::lock_guard<std::mutex> lock(out->mu);
        out->draining.swap(out->queued);
      }
      for (auto& [w, r] : out->draining) io->send(w, std::move(r));
      out->draining.clear();
    });
  }

  void begin_io_close() {
    if (io_closing) return;
    io_closing = true;
    on_loop([](channel_io& x) { x.close(); });
  }

  std::string describe_state() const { return "the channel is " + std::string(to_string(st)); }
};

using channel_pointer = channel_actor::stateful_pointer<channel_data>;

op_status refused(const channel_data& d, const char* what) {
  return op_status{failure(errc::invalid_state, std::string(what) + "; " + d.describe_state())};
}

// Why a request with this ticket cannot go out now (the channel's state, a ticket in use), or
// nothing.
std::optional<failure> admission(const channel_data& d, std::uint64_t ticket) {
  if (d.st == channel_state::faulted) return d.faulted_reply().error;
  if (d.st != channel_state::open && d.st != channel_state::opening)
    return refused(d, "requests need an open channel").error;
  if (d.tickets.count(ticket))
    return failure(errc::invalid_state, "ticket " + std::to_string(ticket) + " is already in flight");
  return std::nullopt;
}

// Takes an admitted request in flight - sent now (open) or when the open completes - and
// returns its wire id.
std::uint64_t accept(channel_data& d, std::uint64_t ticket, flight fl) {
  const std::uint64_t wire = d.next_wire++;
  fl.ticket = ticket;
  auto& in = d.flights.emplace(wire, std::move(fl)).first->second;
  d.tickets.emplace(ticket, wire);
  d.count();
  if (d.st == channel_state::open) d.dispatch(wire, in);
  return wire;
}

// Runs one negotiation: core writes the RST, the channel sends it like any request, and the
// reply is interpreted here when it comes. The answer goes to `rp` or `sink`, exactly once.
void negotiate(channel_pointer self, std::uint64_t ticket, negotiation_job& job,
               caf::typed_response_promise<token_reply> rp, token_sink_ptr sink) {
  auto& d = self->state;
  core::environment& env = job.env ? *job.env : core::system_environment();
  negotiation_state ns{core::negotiation(std::move(job.description), env, job.limits),
                       token_answer{std::move(rp), std::move(sink)}, job.deadline};
  auto out = ns.machine.start();  // argument errors first, whatever the channel's state
  if (!out) {
    ns.answer(token_reply{std::move(out).error(), nullptr});
    return;
  }
  if (auto refusal = admission(d, ticket)) {
    ns.answer(token_reply{std::move(*refusal), nullptr});
    return;
  }
  flight fl;
  fl.request = soap_request{std::string(out->action), std::move(out->bytes), wire_version(out->soap)};
  handed_over(fl.request.body.data());  // used next on the channel's loop thread
  fl.neg.emplace(std::move(ns));
  const auto deadline = job.deadline;
  const std::uint64_t wire = accept(d, ticket, std::move(fl));
  if (deadline.count() > 0) self->delayed_send(self, deadline, deadline_atom::value, wire);
}

channel_io_events make_events(channel_pointer self) {
  // The loop reaches the actor only through a weak handle: a finished channel is not reached.
  caf::weak_actor_ptr weak = caf::actor_cast<caf::weak_actor_ptr>(self->ctrl());
  auto to_actor = [weak]() -> channel_actor {
    auto strong = weak.lock();
    return strong ? caf::actor_cast<channel_actor>(std::move(strong)) : channel_actor{};
  };
  channel_io_events ev;
  ev.opened = [to_actor](std::uint64_t gen, op_status s) {
    if (auto a = to_actor()) caf::anon_send(a, io_opened_atom::value, gen, std::move(s));
  };
  ev.replied = [to_actor](std::uint64_t wire, soap_reply r) {
    if (auto a = to_actor()) caf::anon_send(a, io_reply_atom::value, wire, std::move(r));
  };
  ev.closed = [to_actor](std::uint64_t gen, op_status s) {
    if (auto a = to_actor()) caf::anon_send(a, io_closed_atom::value, gen, std::move(s));
  };
  return ev;
}

channel_actor::behavior_type channel_behavior(channel_pointer self, channel_site site,
                                              channel_settings settings,
                                              std::shared_ptr<channel_observer> observer) {
  auto& d = self->state;
  d.site = std::move(site);
  d.settings = std::move(settings);
  d.observer = std::move(observer);
  d.ctrl = self->ctrl();
  d.become(channel_state::created);

  // Runtime shutdown (or a kill): everything waiting completes now, the loop side is dropped.
  self->set_exit_handler([self](caf::exit_msg& m) {
    auto& d = self->state;
    const failure f(errc::shutting_down, "the channel was stopped");
    d.fail_all(f);
    d.answer(d.open_waiters, op_status{f});
    d.answer(d.close_waiters, op_status{f});
    d.drop_io();
    d.become(channel_state::closed);
    self->quit(m.reason);
  });

  return {
      [self](open_atom) -> caf::typed_response_promise<op_status> {
        auto& d = self->state;
        auto rp = self->make_response_promise<op_status>();
        if (d.st != channel_state::created) {
          rp.deliver(refused(d, "open needs a created channel"));
          return rp;
        }
        d.become(channel_state::opening);
        ++d.generation;
        d.io_closing = false;
        d.close_failure.reset();
        d.io = std::make_shared<channel_io>(d.site, d.settings, make_events(self), d.generation);
        d.out = std::make_shared<outbox>();
        d.on_loop([](channel_io& x) { x.open(); });
        d.open_waiters.push_back(rp);
        return rp;
      },
      [self](io_opened_atom, std::uint64_t gen, op_status& s) {
        auto& d = self->state;
        if (gen != d.generation || d.st != channel_state::opening) return;
        if (s.ok()) {
          d.become(channel_state::open);
          for (auto& [wire, fl] : d.flights)
            if (!fl.dispatched) d.dispatch(wire, fl);
        } else {
          d.fault(s.error, true);
          d.fail_all(s.error);
        }
        d.answer(d.open_waiters, s);
      },
      [self](close_atom) -> caf::typed_response_promise<op_status> {
        auto& d = self->state;
        auto rp = self->make_response_promise<op_status>();
        if (d.st == channel_state::closing) {
          d.close_waiters.push_back(rp);
          return rp;
        }
        if (d.st != channel_state::open && d.st != channel_state::faulted) {
          rp.deliver(refused(d, "close needs an open or faulted channel"));
          return rp;
        }
        d.become(channel_state::closing);
        d.close_waiters.push_back(rp);
        if (d.flights.empty())
          d.begin_io_close();
        else
          self->delayed_send(self, d.settings.time.close, close_due_atom::value, d.generation);
        return rp;
      },
      [self](close_due_atom, std::uint64_t gen) {
        auto& d = self->state;
        if (gen != d.generation || d.st != channel_state::closing || d.io_closing) return;
        const std::string n = std::to_string(d.flights.size());
        const std::string ms = std::to_string(d.settings.time.close.count()) + " ms";
        d.fail_all(failure(errc::aborted, "the channel closed before the reply came (close timeout " + ms + ")"));
        d.close_failure = failure(transport_errc::timed_out,
                                  n + " request(s) still in flight after the close timeout (" + ms + ") were aborted");
        d.on_loop([](channel_io& x) { x.abort_all(); });
        d.begin_io_close();
      },
      [self](io_closed_atom, std::uint64_t gen, op_status& s) {
        auto& d = self->state;
        if (gen != d.generation || d.st != channel_state::closing) return;
        d.drop_io();
        d.become(channel_state::closed);
        d.answer(d.close_waiters, d.close_failure ? op_status{*d.close_failure} : s);
      },
      [self](abort_atom) -> op_status {
        auto& d = self->state;
        const failure f(errc::aborted, "the channel was aborted");
        d.fail_all(f);
        switch (d.st) {
          case channel_state::created:
          case channel_state::closed:
            break;
          case channel_state::opening:
          case channel_state::open:
            d.fault(f, false);
            [[fallthrough]];
          case channel_state::faulted:
            d.answer(d.open_waiters, op_status{f});
            d.on_loop([](channel_io& x) { x.abort_all(); });
            break;
          case channel_state::closing:
            d.drop_io();
            d.become(channel_state::closed);
            d.answer(d.close_waiters, op_status{failure(errc::aborted, "the close was aborted")});
            break;
        }
        return op_status{};
      },
      [self](reset_atom) -> op_status {
        auto& d = self->state;
        if (d.st != channel_state::created && d.st != channel_state::closed)
          return refused(d, "reset needs a created or closed channel");
        d.drop_io();
        d.become(channel_state::created);
        return op_status{};
      },
      [self](get_atom, state_atom) -> channel_state { return self->state.st; },
      [self](send_atom, std::uint64_t ticket, soap_request& req) -> caf::typed_response_promise<soap_reply> {
        auto rp = self->make_response_promise<soap_reply>();
        if (auto refusal = admission(self->state, ticket)) {
          rp.deliver(soap_reply{std::move(*refusal), {}});
          return rp;
        }
        flight fl;
        fl.rp = rp;
        fl.request = std::move(req);
        accept(self->state, ticket, std::move(fl));
        return rp;
      },
      [self](run_atom, std::uint64_t ticket, negotiation_job& job) -> caf::typed_response_promise<token_reply> {
        auto rp = self->make_response_promise<token_reply>();
        negotiate(self, ticket, job, rp, nullptr);
        return rp;
      },
      [self](run_atom, std::uint64_t ticket, negotiation_job& job, token_sink_ptr& sink) {
        if (sink) negotiate(self, ticket, job, {}, std::move(sink));
      },
      [self](deadline_atom, std::uint64_t wire) {
        auto& d = self->state;
        auto it = d.flights.find(wire);
        if (it == d.flights.end() || !it->second.neg) return;  // answered meanwhile
        const auto ms = it->second.neg->deadline.count();
        if (it->second.dispatched) d.on_loop([wire](channel_io& x) { x.cancel(wire); });
        d.finish(it, failure(errc::timed_out, "no token within the negotiation deadline of " + std::to_string(ms) + " ms"));
        if (d.st == channel_state::closing && d.flights.empty()) d.begin_io_close();
      },
      [self](cancel_atom, std::uint64_t ticket) {
        auto& d = self->state;
        auto t = d.tickets.find(ticket);
        if (t == d.tickets.end()) return;
        const std::uint64_t wire = t->second;
        auto it = d.flights.find(wire);
        if (it->second.dispatched) d.on_loop([wire](channel_io& x) { x.cancel(wire); });
        d.finish(it, failure(errc::aborted, it->second.neg ? "the negotiation was cancelled" : "the request was cancelled"));
        if (d.st == channel_state::closing && d.flights.empty()) d.begin_io_close();
      },
      [self](io_reply_atom, std::uint64_t wire, soap_reply& r) {
        auto& d = self->state;
        auto it = d.flights.find(wire);
        if (it == d.flights.end()) return;  // cancelled or aborted meanwhile
        if (!r.ok() && d.st == channel_state::open && leaves_channel_unusable(r.error.code))
          d.fault(r.error, false);
        d.finish(it, std::move(r));
        if (d.st == channel_state::closing && d.flights.empty()) d.begin_io_close();
      },
  };
}

}  // namespace

channel_actor spawn_channel(caf::actor_system& sys, channel_site site, channel_settings settings,
                            std::shared_ptr<channel_observer> observer) {
  return sys.spawn(channel_behavior, std::move(site), std::move(settings), std::move(observer));
}

}  // namespace wst::detail::actors
