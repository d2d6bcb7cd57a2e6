// The channel actor: WWSAPI channel states, requests in flight, and the bridge to its loop side.
#include "channel_io.hpp"

#include <wst/actors/errors.hpp>
#include <wst/actors/interfaces.hpp>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <unordered_map>
#include <vector>

namespace wst::detail::actors {
namespace {

struct flight {
  std::uint64_t ticket = 0;
  caf::typed_response_promise<soap_reply> rp;
  soap_request request;  // kept only until dispatched (a request that waits for the open)
  bool dispatched = false;
};

struct channel_data {
  channel_site site;
  channel_settings settings;
  std::shared_ptr<channel_observer> observer;
  channel_state st = channel_state::created;
  std::uint64_t generation = 0;
  std::uint64_t next_wire = 1;
  std::shared_ptr<channel_io> io;
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
  }

  void become(channel_state s) {
    st = s;
    if (observer) observer->publish(s);
  }

  static void answer(std::vector<caf::typed_response_promise<op_status>>& waiters, const op_status& s) {
    for (auto& rp : waiters) rp.deliver(s);
    waiters.clear();
  }

  void count() {
    if (observer) observer->publish_in_flight(flights.size());
  }

  void finish(std::unordered_map<std::uint64_t, flight>::iterator it, soap_reply r) {
    tickets.erase(it->second.ticket);
    auto rp = std::move(it->second.rp);
    flights.erase(it);
    count();
    rp.deliver(std::move(r));
  }

  // Fails every request in flight (the loop side is told separately).
  void fail_all(const failure& f) {
    auto all = std::move(flights);
    flights.clear();
    tickets.clear();
    count();
    for (auto& [wire, fl] : all) fl.rp.deliver(soap_reply{f, {}});
  }

  void dispatch(std::uint64_t wire, flight& fl) {
    fl.dispatched = true;
    on_loop([wire, req = std::move(fl.request)](channel_io& x) mutable { x.send(wire, std::move(req)); });
    fl.request = soap_request{};
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
        auto& d = self->state;
        auto rp = self->make_response_promise<soap_reply>();
        if (d.st == channel_state::faulted) {
          rp.deliver(d.faulted_reply());
          return rp;
        }
        if (d.st != channel_state::open && d.st != channel_state::opening) {
          rp.deliver(soap_reply{refused(d, "requests need an open channel").error, {}});
          return rp;
        }
        if (d.tickets.count(ticket)) {
          rp.deliver(soap_reply{failure(errc::invalid_state, "ticket " + std::to_string(ticket) + " is already in flight"), {}});
          return rp;
        }
        const std::uint64_t wire = d.next_wire++;
        auto& fl = d.flights[wire];
        fl.ticket = ticket;
        fl.rp = rp;
        fl.request = std::move(req);
        d.tickets.emplace(ticket, wire);
        d.count();
        if (d.st == channel_state::open) d.dispatch(wire, fl);
        return rp;
      },
      [self](cancel_atom, std::uint64_t ticket) {
        auto& d = self->state;
        auto t = d.tickets.find(ticket);
        if (t == d.tickets.end()) return;
        const std::uint64_t wire = t->second;
        auto it = d.flights.find(wire);
        if (it->second.dispatched) d.on_loop([wire](channel_io& x) { x.cancel(wire); });
        d.finish(it, soap_reply{failure(errc::aborted, "the request was cancelled"), {}});
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
