// The bridges from actors to plain callbacks: for token requests (the hot path) a sink the
// answering actor calls directly; for the rare channel operations a one-shot requester actor
// per call. Private to sdk/api (it includes CAF).
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

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

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

// A token request's end: runs `fn` with the answer exactly once, inside a completion scope,
// swallowing anything it throws. Destroyed unanswered (the request message never reached a
// live actor), it runs `fn` with aborted. One allocation per request together with `fn`.
//
// Under ThreadSanitizer the sink restates the hand-over from the thread that made it to the
// one that delivers: the message carrying it passes through Debian's uninstrumented
// libcaf_core, so without this everything the caller wrote before the request (the
// C facade's handles, the callback's captures) would look racy to the completion.
template <class Fn>
class callback_sink final : public actors::token_sink {
 public:
  explicit callback_sink(Fn fn) : fn_(std::move(fn)) {
#if defined(__SANITIZE_THREAD__)
    __tsan_release(this);
#endif
  }
  ~callback_sink() override {
    if (!done_) run(actors::token_reply{failure(actors::errc::aborted, "the request was dropped unanswered"), nullptr});
  }
  callback_sink(const callback_sink&) = delete;
  callback_sink& operator=(const callback_sink&) = delete;

  void deliver(actors::token_reply r) noexcept override {
    if (!done_) run(std::move(r));
  }

 private:
  void run(actors::token_reply r) noexcept {
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(this);
#endif
    done_ = true;  // one actor delivers; the destructor runs after the last owner let go
    completion_scope scope;
    try {
      fn_(std::move(r));
    } catch (...) {
    }
  }

  Fn fn_;
  bool done_ = false;
};

template <class Fn>
actors::token_sink_ptr make_sink(Fn fn) {
  return std::make_shared<callback_sink<Fn>>(std::move(fn));
}

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
