// How a Ws* operation that runs on the actor runtime completes: synchronously (no
// WS_ASYNC_CONTEXT: the caller waits), or through WS_ASYNC_CONTEXT (WS_S_ASYNC, then exactly
// one callback), or synchronously although a context was given, when the result is known
// before the initiating call returns (then the callback is not called: WWSAPI allows it).
//
//   auto op = std::make_shared<operation>(async_context, model);
//   ch->open([op, ...](actors::op_status s) { ...write WS_ERROR...; op->complete(hr); });
//   return op->initiated();        // waits (sync), or WS_S_ASYNC, or the inline result
//
// complete() runs on the thread that finishes the work (a runtime thread, or the initiating
// thread itself). Everything the caller reads (WS_ERROR, out-parameters, the channel state)
// must be written before complete(): it hands the result over with release semantics.
//
// Callback models (WS_CALLBACK_MODEL):
//   WS_SHORT_CALLBACK  the callback runs on the completing runtime thread; it must not block.
//   WS_LONG_CALLBACK   the callback runs on a thread of long_callback_threads, where blocking
//                      delays nothing but that callback. When no such thread can be had (all
//                      busy at the cap, or thread creation failed), it runs short instead and
//                      says so in its callbackModel argument, as WWSAPI's contract requires
//                      ("all callbacks must be able to deal with being invoked short").
#pragma once

#include <webservices.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>

namespace wst::detail::capi {

class call;

// The WS_ASYNC_CONTEXT rules shared by every entry point that takes one: a context needs a
// callback (E_INVALIDARG); a synchronous call (no context) on a wst runtime thread - inside a
// WS_SHORT_CALLBACK - is WS_E_INVALID_OPERATION, since it would block that thread. S_OK if fine.
HRESULT check_async(const call& c, const WS_ASYNC_CONTEXT* context) noexcept;

class operation {
 public:
  // `context` NULL: synchronous. The context is copied (the caller's struct may go away).
  operation(const WS_ASYNC_CONTEXT* context, WS_CALLBACK_MODEL model) noexcept;
  operation(const operation&) = delete;
  operation& operator=(const operation&) = delete;

  // The final HRESULT; exactly once per operation. Never throws.
  void complete(HRESULT hr) noexcept;

  // Called by the initiating Ws* function once the work is started; its result is what that
  // function returns: the final HRESULT (synchronous, or completed inline) or WS_S_ASYNC.
  // Synchronous operations wait here for complete().
  HRESULT initiated() noexcept;

 private:
  enum : int { running = 0, went_async = 1, done_inline = 2 };

  void deliver(HRESULT hr) noexcept;

  WS_ASYNC_CALLBACK callback_ = nullptr;
  void* callback_state_ = nullptr;
  WS_CALLBACK_MODEL model_;
  bool synchronous_;
  std::atomic<int> phase_{running};
  HRESULT result_ = S_OK;
  // Synchronous operations only.
  std::mutex mu_;
  std::condition_variable cv_;
  bool finished_ = false;
};

// The threads WS_LONG_CALLBACK callbacks run on: an idle one is reused, else a new one is
// started, up to max_threads at once. Threads idle for idle_timeout end. Never a runtime
// thread, so a callback that blocks (even on a synchronous Ws* call) starves no I/O and no
// actor.
class long_callback_threads {
 public:
  static constexpr std::size_t max_threads = 64;

  // Runs `task` on a long-callback thread; false (task not taken) when none is idle and no
  // new one may or can be started.
  static bool run(std::function<void()> task) noexcept;
};

}  // namespace wst::detail::capi
