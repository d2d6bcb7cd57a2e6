// The negotiator actor: one core::negotiation driven through a channel, one reply.
#include "handoff.hpp"

#include <wst/actors/errors.hpp>
#include <wst/actors/interfaces.hpp>
#include <wst/core/errors.hpp>
#include <wst/core/negotiation.hpp>
#include <wst/http/errc.hpp>

#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <optional>

namespace wst::detail::actors {
namespace {

struct negotiator_data {
  channel_actor channel;
  negotiation_job job;
  std::optional<core::negotiation> negotiation;
  caf::typed_response_promise<token_reply> rp;
  std::uint64_t ticket = 0;
  bool started = false;
  bool sent = false;  // the channel has a request of ours in flight
  std::optional<failure> early_end;  // cancelled before run
};

using negotiator_pointer = negotiator_actor::stateful_pointer<negotiator_data>;

// Delivers the one reply and ends the actor.
void finish(negotiator_pointer self, token_reply r) {
  auto& d = self->state;
  if (d.sent) {
    self->send(d.channel, cancel_atom::value, d.ticket);  // no-op when it already answered
    d.sent = false;
  }
  d.rp.deliver(std::move(r));
  self->quit();
}

http::soap_version wire_version(core::soap_version v) {
  return v == core::soap_version::soap11 ? http::soap_version::soap11 : http::soap_version::soap12;
}

// What the reply means: the token, or the most telling failure.
token_reply interpret(negotiator_data& d, soap_reply& r) {
  if (!r.ok()) return token_reply{std::move(r.error), nullptr};
  const http::response& resp = r.response;
  auto token = d.negotiation->on_reply(resp.body);
  if (token) return token_reply{{}, std::make_shared<const core::issued_token>(std::move(*token))};
  failure f = std::move(token).error();
  if (f.code == core::errc::fault_received && d.negotiation->fault() && d.negotiation->fault()->receiver_fault())
    return token_reply{failure(errc::server_fault, d.negotiation->fault()->summary()), nullptr};
  // An error status whose body is no SOAP message at all: the HTTP status says more.
  if (resp.status >= 300 && (f.code == core::errc::malformed_xml || f.code == core::errc::not_soap_envelope))
    return token_reply{failure(http::errc::unexpected_status, "HTTP " + std::to_string(resp.status) + " " +
                                                                  resp.reason + " without a SOAP reply (" +
                                                                  f.describe() + ")"),
                       nullptr};
  return token_reply{std::move(f), nullptr};
}

negotiator_actor::behavior_type negotiator_behavior(negotiator_pointer self, channel_actor channel,
                                                    negotiation_job job) {
  self->state.channel = std::move(channel);
  self->state.job = std::move(job);
  return {
      [self](run_atom) -> caf::typed_response_promise<token_reply> {
        auto& d = self->state;
        auto rp = self->make_response_promise<token_reply>();
        if (d.started) {
          rp.deliver(token_reply{failure(errc::invalid_state, "the negotiation already runs"), nullptr});
          return rp;
        }
        d.started = true;
        d.rp = rp;
        if (d.early_end) {
          finish(self, token_reply{*d.early_end, nullptr});
          return rp;
        }
        if (!d.channel) {
          finish(self, token_reply{failure(errc::actor_down, "the negotiation has no channel"), nullptr});
          return rp;
        }
        core::environment& env = d.job.env ? *d.job.env : core::system_environment();
        d.negotiation.emplace(std::move(d.job.description), env, d.job.limits);
        auto out = d.negotiation->start();
        if (!out) {
          finish(self, token_reply{std::move(out).error(), nullptr});
          return rp;
        }
        d.ticket = self->id();
        if (d.job.deadline.count() > 0)
          self->delayed_send(self, d.job.deadline, deadline_atom::value, d.ticket);
        soap_request req{std::string(out->action), std::move(out->bytes), wire_version(out->soap)};
        handed_over(req.body.data());  // used next on the channel's loop thread
        d.sent = true;
        self->request(d.channel, caf::infinite, send_atom::value, d.ticket, std::move(req))
            .then(
                [self](soap_reply& r) {
                  self->state.sent = false;
                  finish(self, interpret(self->state, r));
                },
                [self](caf::error& e) {
                  // request_receiver_down: the channel stopped (abort, shutdown) with our
                  // request still in its mailbox.
                  self->state.sent = false;
                  const bool down = e == caf::sec::request_receiver_down;
                  finish(self, token_reply{failure(down ? errc::aborted : errc::actor_down,
                                                   "the channel is gone (" + self->system().render(e) + ")"),
                                           nullptr});
                });
        return rp;
      },
      [self](cancel_atom) {
        auto& d = self->state;
        const failure f(errc::aborted, "the negotiation was cancelled");
        if (!d.started) {
          d.early_end = f;
          return;
        }
        finish(self, token_reply{f, nullptr});
      },
      [self](deadline_atom, std::uint64_t ticket) {
        auto& d = self->state;
        if (ticket != d.ticket) return;
        finish(self, token_reply{failure(errc::timed_out, "no token within the negotiation deadline of " +
                                                              std::to_string(d.job.deadline.count()) + " ms"),
                                 nullptr});
      },
  };
}

}  // namespace

negotiator_actor spawn_negotiator(caf::actor_system& sys, channel_actor channel, negotiation_job job) {
  return sys.spawn(negotiator_behavior, std::move(channel), std::move(job));
}

}  // namespace wst::detail::actors
