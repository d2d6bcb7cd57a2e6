// Internal, CAF-free handles on the actor runtime for code that is not an actor and has no
// wst::client: the C facade (WS_CHANNEL, WsRequestSecurityToken) first of all.
//
//   auto eng = engine::shared();                       // process-wide; starts on first use
//   auto ch = channel::create(eng, settings);          // a channel actor, state created
//   ch->open([](actors::op_status s) { ... });         // created -> opening -> open
//   auto cancel = ch->request_token(job, [](actors::token_reply r) { ... });   // runs on the channel actor
//   ch->state();                                       // lock-free (WsGetChannelProperty)
//   ch->close(...); ch->abort(...); ch->reset(...);
//
// Every completion runs exactly once, on a runtime (scheduler) thread, after the call that
// started it returned; completions must not block for long. Failures carry the internal
// codes (actors, core, transport, http, tls errc) with their messages; the C facade maps them
// to HRESULTs. No CAF type appears here.
#pragma once

#include <wst/actors/messages.hpp>
#include <wst/actors/runtime.hpp>
#include <wst/base/result.hpp>

#include <functional>
#include <memory>

namespace wst::detail::api {

// One actor runtime (scheduler + loop threads). Destroying the last reference stops it: every
// request still in flight completes with an error first. If that happens on a runtime thread
// (inside a completion), the stop continues on a thread of its own instead of deadlocking.
class engine {
 public:
  static std::shared_ptr<engine> create(actors::runtime_options o = {});
  // The process-wide engine: the live one, or a new one (default options).
  static std::shared_ptr<engine> shared();
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // Starts the runtime (idempotent); the first failure is remembered.
  result<void> start();

  struct state;
  explicit engine(actors::runtime_options o);

 private:
  friend class channel;
  std::unique_ptr<state> s_;
};

class channel {
 public:
  using status_handler = std::function<void(actors::op_status)>;
  using token_handler = std::function<void(actors::token_reply)>;

  // A channel in state created (starts the engine; a start failure is reported by open()).
  static std::shared_ptr<channel> create(std::shared_ptr<engine> e, actors::channel_settings s);
  // Stops the channel actor: whatever is in flight completes with shutting_down.
  ~channel();
  channel(const channel&) = delete;
  channel& operator=(const channel&) = delete;

  // The state the channel actor last published (exact once the completions ran).
  actors::channel_state state() const noexcept;
  // Requests accepted and not yet answered.
  std::size_t in_flight() const noexcept;

  void open(status_handler done);
  void close(status_handler done);
  void abort(status_handler done);
  void reset(status_handler done);

  // Runs one negotiation on this channel. The returned function cancels it (the completion
  // then gets actors::errc::aborted unless it already ran); it may be called from any thread,
  // any number of times, also after the negotiation ended or the channel is gone.
  std::function<void()> request_token(actors::negotiation_job job, token_handler done);

  struct state_type;
  channel(std::shared_ptr<engine> e, std::unique_ptr<state_type> s);

 private:
  std::shared_ptr<engine> engine_;
  std::unique_ptr<state_type> s_;
};

// Whether the calling thread is running a wst completion or client callback right now.
bool in_completion() noexcept;

}  // namespace wst::detail::api
