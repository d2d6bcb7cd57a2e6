// The actor runtime: one CAF actor system (scheduler threads configurable) plus the libuv loop
// threads of transports/uv, bridged as DESIGN.md says (loop -> actor: anon_send; actor ->
// loop: event_loop::post).
//
// Lifecycle: constructing a runtime starts nothing; start() (idempotent) brings up the loops,
// then the actor system. stop() (idempotent, also run by the destructor) shuts down in an
// order that lets everything finish:
//   1. every tracked long-lived actor (channels, token stores) gets an exit message: what it
//      has in flight completes at once with shutting_down, and it posts the teardown of its
//      I/O side to its loop;
//   2. the runtime waits until every actor is done (the negotiations ran inside the channels:
//      their sinks were answered in step 1);
//   3. the loops run what was posted (the exchanges close their connections) and stop;
//   4. the actor system ends (messages the loops sent meanwhile to finished actors are
//      dropped).
// stop() must not run on a runtime thread (it waits for them), e.g. not inside a callback.
#pragma once

#include <wst/actors/messages.hpp>
#include <wst/base/result.hpp>

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace wst::detail::actors {

struct runtime_options {
  // CAF worker threads; 0 = one per hardware thread (at least 2).
  std::size_t scheduler_threads = 0;
  // libuv loop threads (0 counts as 1). Channels are spread over them round robin.
  std::size_t loop_threads = 1;
  // How long stopping a loop waits for handles that are still closing.
  std::chrono::milliseconds stop_grace{2000};
};

class runtime {
 public:
  explicit runtime(runtime_options o = {});
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  // Starts the loop threads and the actor system. Thread-safe; later calls return at once
  // (with the first call's failure, if it failed: errc::runtime_failure).
  result<void> start();
  bool running() const;

  // The actor system. Precondition: running().
  caf::actor_system& system();
  // The site for a new channel: the next loop (round robin), TCP/Unix streams with the
  // channel's resolve and connect timeouts. Precondition: running().
  channel_site next_site();
  // Remembers a long-lived actor that stop() must end (weakly: a finished one is forgotten).
  void track(const caf::actor_addr& a);

  // Shuts down as described above. Idempotent; reports a loop that did not stop clean.
  result<void> stop();

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace wst::detail::actors
