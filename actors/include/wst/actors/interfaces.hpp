// The map of wst's actor world: every typed actor interface, its messages, and how to spawn
// each actor. Actors orchestrate; they never parse themselves (sdk/core does, called by the
// channel for its negotiations) and never block (I/O runs on the libuv loop threads of
// transports/uv).
//
//   caller (wst::client, sdk/capi): run(ticket, job, sink), cancel(ticket), open/close/abort
//     |  cached: get(query, sink)         uncached      loop thread (transports/uv)
//     v                                      |          ^            |
//   token_store --run(ticket, job)--> channel <+        | post()     | anon_send(io_*)
//     ^  (one per key:                (one per endpoint: ----+--> exchange (pooled HTTP)
//     |   single flight,               WWSAPI state machine,        over TCP / TLS /
//     |   renewal, LRU)                negotiations in flight       memory / custom
//     |                                as core state machines,      streams
//     |                                faults, close, abort)
//     +-- timers (renew, expire) on the actor clock
//
// No actor per negotiation or per call (until issue #7 a negotiator and a one-shot requester
// actor ran each call: two spawns, two actor ends waking the caf.clock thread and four more
// mailbox hops per negotiation; docs/actors.md has the numbers). A caller that is no actor
// passes a token_sink that the answering actor calls exactly once on its own thread.
//
// Crossing threads: the loop reaches an actor only with anon_send (io_* messages below, to a
// weak handle, so a finished actor is simply not reached); an actor reaches the loop only with
// event_loop::post(). Every request is answered exactly once: with a value, or with a failure
// inside the reply (op_status, soap_reply, token_reply); a CAF error reaches a requesting
// actor only when the answering actor is gone (a sink is then dropped undelivered: its owner
// answers aborted).
//
// Lifetimes: channels and token stores live until closed/killed or until the runtime stops
// (it sends them an exit message: everything in flight completes with shutting_down). Nothing
// holds a handle to itself for good, so no cycle keeps an actor alive; a channel holds itself
// only while requests are in flight, so dropping its last outside handle lets them finish.
#pragma once

#include <wst/actors/messages.hpp>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>

namespace wst::detail::actors {

// --- atoms (CAF: at most 10 characters) ---------------------------------------------------------
using open_atom = caf::atom_constant<caf::atom("open")>;
using close_atom = caf::atom_constant<caf::atom("close")>;
using abort_atom = caf::atom_constant<caf::atom("abort")>;
using reset_atom = caf::atom_constant<caf::atom("reset")>;
using get_atom = caf::atom_constant<caf::atom("get")>;
using state_atom = caf::atom_constant<caf::atom("state")>;
using send_atom = caf::atom_constant<caf::atom("send")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using invalidate_atom = caf::atom_constant<caf::atom("invalidate")>;
using clear_atom = caf::atom_constant<caf::atom("clear")>;
// internal: only the actor itself or its loop side sends these
using io_opened_atom = caf::atom_constant<caf::atom("io_opened")>;
using io_reply_atom = caf::atom_constant<caf::atom("io_reply")>;
using io_closed_atom = caf::atom_constant<caf::atom("io_closed")>;
using close_due_atom = caf::atom_constant<caf::atom("close_due")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
using renew_atom = caf::atom_constant<caf::atom("renew")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;

// --- channel --------------------------------------------------------------------------------------
// One STS endpoint with the WWSAPI channel state machine:
//
//   created --open--> opening --ok--> open --close--> closing --drained/timeout--> closed
//                        |              |  \                                        |
//                        +--fail/abort--+---+--abort / connection unusable--> faulted
//                                                        faulted --close--> closing
//   reset: created|closed -> created.      abort: any state; in-flight requests fail at once.
//
// Requests sent while opening wait for the open; while open they run concurrently, spread over
// the pooled connections. A failure that leaves the connection unusable (refused, reset, dead
// TLS, timed out, garbled HTTP) moves an open channel to faulted: requests already in flight
// continue, new ones fail with channel_faulted.
//
// Negotiations run as state of the channel (no actor per call): core::negotiation writes the
// RST (argument errors are answered at once, whatever the channel's state), the RST goes out
// like a send, and the reply is interpreted on the channel when it comes: the token, a
// Receiver fault as server_fault, an HTTP error status without SOAP as unexpected_status.
// The job's deadline (if any) ends it with timed_out; cancel, abort, close timeout and
// shutdown end it like any request in flight.
using channel_actor = caf::typed_actor<
    // created -> opening -> open; fails (and faults the channel) when the URL has no transport
    // or the TLS files cannot be loaded. Other states: invalid_state.
    caf::replies_to<open_atom>::with<op_status>,
    // open|faulted -> closing -> closed: waits for the requests in flight up to the close
    // timeout, then fails what is left with aborted and replies timed_out. A second close while
    // closing waits for the same end. Other states: invalid_state.
    caf::replies_to<close_atom>::with<op_status>,
    // Any state: fails every request in flight with aborted at once. open|opening -> faulted;
    // closing -> closed (the close replies aborted). Always succeeds.
    caf::replies_to<abort_atom>::with<op_status>,
    // created|closed -> created, ready to open again. Other states: invalid_state.
    caf::replies_to<reset_atom>::with<op_status>,
    // The current state.
    caf::replies_to<get_atom, state_atom>::with<channel_state>,
    // Sends one SOAP request. `ticket` is the caller's id for cancel (unique among the
    // caller's requests in flight). opening: waits for the open; open: sent; faulted:
    // channel_faulted; otherwise invalid_state.
    caf::replies_to<send_atom, std::uint64_t, soap_request>::with<soap_reply>,
    // Runs one WS-Trust negotiation (see below) under the caller's ticket and answers with
    // the token or the failure, exactly once.
    caf::replies_to<run_atom, std::uint64_t, negotiation_job>::with<token_reply>,
    // The same for a caller that is no actor: the answer goes to the sink.
    caf::reacts_to<run_atom, std::uint64_t, negotiation_job, token_sink_ptr>,
    // Ends the request or negotiation with this ticket with aborted (no-op when unknown or
    // answered).
    caf::reacts_to<cancel_atom, std::uint64_t>,
    // internal, delayed to itself: the deadline of the negotiation with this wire id passed
    // (it ends with timed_out).
    caf::reacts_to<deadline_atom, std::uint64_t>,
    // internal, from the loop: the I/O side of open generation `gen` is ready (or failed).
    caf::reacts_to<io_opened_atom, std::uint64_t, op_status>,
    // internal, from the loop: the reply to the request with this wire id.
    caf::reacts_to<io_reply_atom, std::uint64_t, soap_reply>,
    // internal, from the loop: every connection of generation `gen` is closed.
    caf::reacts_to<io_closed_atom, std::uint64_t, op_status>,
    // internal, delayed to itself: the close timeout of generation `gen` expired.
    caf::reacts_to<close_due_atom, std::uint64_t>>;

// What a token store is asked for: the key (identity_key()), the channel to negotiate on and
// the job (kept for renewals; the latest query's channel and job win), and the caller's
// waiter id for cancel (0 = not cancellable).
struct token_query {
  std::string key;
  channel_actor channel;
  negotiation_job job;
  std::uint64_t waiter = 0;
};

// --- token store ----------------------------------------------------------------------------------
// A cache of issued tokens, one entry per key: single flight (one negotiation per key however
// many ask; every waiter gets its result), background renewal of tokens in use at
// renew_fraction of their usable lifetime (SCTs through RENEW_CONTEXT, a fresh issue when that
// fails), LRU bound, and never an expired token. Time comes from the actor clock.
using token_store_actor = caf::typed_actor<
    // A valid cached token at once, else the result of the key's (new or running) negotiation.
    caf::replies_to<get_atom, token_query>::with<token_reply>,
    // The same for a caller that is no actor: the answer goes to the sink (exactly once).
    caf::reacts_to<get_atom, token_query, token_sink_ptr>,
    // The waiter with this id gets aborted now; the negotiation goes on for the others/cache.
    caf::reacts_to<cancel_atom, std::uint64_t>,
    // Forgets the key's token (for example after a relying party rejected it). A negotiation
    // in flight for it goes on and its token is cached.
    caf::reacts_to<invalidate_atom, std::string>,
    // Forgets every token.
    caf::reacts_to<clear_atom>,
    // Counters.
    caf::replies_to<get_atom, stats_atom>::with<store_stats>,
    // internal, delayed to itself: renewal point / expiry of the key's token generation.
    caf::reacts_to<renew_atom, std::string, std::uint64_t>,
    caf::reacts_to<expire_atom, std::string, std::uint64_t>>;

// --- spawning ---------------------------------------------------------------------------------------
// The channel's I/O side runs on site.loop; `observer` (optional) mirrors its state.
channel_actor spawn_channel(caf::actor_system& sys, channel_site site, channel_settings settings,
                            std::shared_ptr<channel_observer> observer = nullptr);
token_store_actor spawn_token_store(caf::actor_system& sys, store_options options = {});

}  // namespace wst::detail::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::channel_state)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::soap_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::soap_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::op_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::token_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::token_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::negotiation_job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::store_stats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(wst::detail::actors::token_sink_ptr)
