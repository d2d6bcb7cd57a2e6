// Errors the actors themselves decide (wst::detail::actors): the channel state machine, the
// negotiations' cancellation and deadline, the token store and the runtime. Errors that come
// from below (core, transport, http, tls) pass through the actors unchanged.
//
// Each enumerator says whether trying again could help:
//   fatal     - the same call in the same situation fails the same way;
//   retryable - a new attempt (possibly on a new channel) may succeed.
#pragma once

#include <system_error>

namespace wst::detail::actors {

enum class errc {
  invalid_state = 1,  // fatal: the channel's state does not allow the call (WS_E_INVALID_OPERATION)
  channel_faulted,    // retryable on a new channel: this channel faulted and takes no request
  aborted,            // fatal: the request was cancelled, or its channel aborted or closed
  timed_out,          // retryable: the negotiation did not finish within its deadline
  server_fault,       // retryable: the STS answered with a Receiver/Server SOAP fault (its own
                      //            trouble, which may pass); the message holds code and reason
  token_expired,      // retryable: the STS issued a token that is already expired, or expires
                      //            within the clock-skew allowance
  shutting_down,      // fatal: the runtime is stopping; nothing new is accepted
  actor_down,         // fatal: the actor that should answer is gone (a bug or a shutdown race)
  runtime_failure,    // fatal: the runtime could not start (a loop thread failed to start)
};

const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

}  // namespace wst::detail::actors

namespace std {
template <>
struct is_error_code_enum<wst::detail::actors::errc> : true_type {};
}  // namespace std
