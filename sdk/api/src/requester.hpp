// The bridge from actor replies to plain callbacks: a one-shot requester actor per call.
// Private to sdk/api (it includes CAF).
#pragma once

#include <wst/actors/errors.hpp>
#include <wst/actors/interfaces.hpp>
#include <wst/actors/runtime.hpp>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>

#include <functional>
#include <memory>
#include <tuple>

namespace wst::detail::api {

// Stops a runtime on a thread of its own (for a stop requested inside a completion, which
// cannot wait for the runtime it runs on). Such threads are joined at process exit.
void stop_elsewhere(std::unique_ptr<actors::runtime> rt);

// Marks the calling thread as running a completion (see in_completion()) for its lifetime.
class completion_scope {
 public:
  completion_scope() noexcept;
  ~completion_scope();
  completion_scope(const completion_scope&) = delete;
  completion_scope& operator=(const completion_scope&) = delete;

 private:
  bool outer_;
};

// Asks `dest` with `msg` and hands the single reply to `done` (Reply is a message type whose
// first member is its failure; a CAF error - `dest` gone - becomes aborted or actor_down),
// then ends. Until then a cancel_atom sent to the returned actor is forwarded to `dest` as the
// message in `cancel`, after the request itself: messages between two actors keep their
// order, so a cancel never overtakes the request it cancels.
template <class Reply, class Handle, class Cancel, class... Ts>
caf::actor ask(caf::actor_system& sys, Handle dest, Cancel cancel, std::function<void(Reply)> done, Ts... msg) {
  return sys.spawn([dest, cancel, done, msg...](caf::event_based_actor* self) -> caf::behavior {
    self->request(dest, caf::infinite, msg...)
        .then(
            [self, done](Reply& r) {
              {
                completion_scope scope;
                done(std::move(r));
              }
              self->quit();
            },
            [self, done](caf::error& e) {
              // The answering actor stopped with the request still in its mailbox: only an
              // abort or a shutdown does that.
              const bool down = e == caf::sec::request_receiver_down;
              Reply r;
              r.error = failure(down ? actors::errc::aborted : actors::errc::actor_down, self->system().render(e));
              {
                completion_scope scope;
                done(std::move(r));
              }
              self->quit();
            });
    return {[self, dest, cancel](actors::cancel_atom) {
      if constexpr (std::tuple_size_v<Cancel> > 0) std::apply([&](auto... c) { self->send(dest, c...); }, cancel);
    }};
  });
}

}  // namespace wst::detail::api
