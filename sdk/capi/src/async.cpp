// operation (WS_ASYNC_CONTEXT completion) and the long-callback threads.
#include <wst/api/channel.hpp>
#include <wst/capi/async.hpp>
#include <wst/capi/call.hpp>

#include <chrono>
#include <deque>
#include <thread>
#include <utility>

namespace wst::detail::capi {
namespace {

void invoke(WS_ASYNC_CALLBACK callback, HRESULT hr, WS_CALLBACK_MODEL model, void* state) noexcept {
  try {
    callback(hr, model, state);
  } catch (...) {
    // A C callback cannot throw; a C++ one that does must not take a wst thread down.
  }
}

class thread_pool {
 public:
  bool run(std::function<void()>& task) noexcept {
    try {
      std::unique_lock<std::mutex> lock(mu_);
      if (idle_ <= tasks_.size()) {
        if (threads_ >= long_callback_threads::max_threads) return false;
        std::thread(&thread_pool::work, this).detach();
        ++threads_;
      }
      tasks_.push_back(std::move(task));
      cv_.notify_one();
      return true;
    } catch (...) {
      return false;  // no thread or no memory: the caller runs the callback short
    }
  }

 private:
  static constexpr std::chrono::seconds idle_timeout{30};

  void work() noexcept {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      ++idle_;
      const bool got = cv_.wait_for(lock, idle_timeout, [this] { return !tasks_.empty(); });
      --idle_;
      if (!got) {
        --threads_;
        return;
      }
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      try {
        task();
      } catch (...) {
      }
      task = nullptr;  // whatever the task held goes here, not under the lock
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::size_t idle_ = 0;
  std::size_t threads_ = 0;
};

// Never destroyed: detached threads may still wait on it while the process exits.
thread_pool& pool() {
  static thread_pool* instance = new thread_pool;
  return *instance;
}

}  // namespace

HRESULT check_async(const call& c, const WS_ASYNC_CONTEXT* context) noexcept {
  if (context != nullptr && context->callback == nullptr)
    return c.fail(errc::invalid_argument, "asyncContext->callback is NULL");
  if (context == nullptr && api::in_completion())
    return c.fail(errc::invalid_operation,
                  "a synchronous call on a wst runtime thread (inside a WS_SHORT_CALLBACK) would "
                  "block it; pass a WS_ASYNC_CONTEXT");
  return S_OK;
}

bool long_callback_threads::run(std::function<void()> task) noexcept { return pool().run(task); }

operation::operation(const WS_ASYNC_CONTEXT* context, WS_CALLBACK_MODEL model) noexcept
    : model_(model), synchronous_(context == nullptr) {
  if (context != nullptr) {
    callback_ = context->callback;
    callback_state_ = context->callbackState;
  }
}

void operation::complete(HRESULT hr) noexcept {
  if (synchronous_) {
    std::lock_guard<std::mutex> lock(mu_);
    result_ = hr;
    finished_ = true;
    cv_.notify_all();
    return;
  }
  result_ = hr;  // read by initiated() only when the exchange below wins
  int expected = running;
  if (phase_.compare_exchange_strong(expected, done_inline, std::memory_order_acq_rel)) return;
  deliver(hr);
}

HRESULT operation::initiated() noexcept {
  if (synchronous_) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return finished_; });
    return result_;
  }
  int expected = running;
  if (phase_.compare_exchange_strong(expected, went_async, std::memory_order_acq_rel))
    return WS_S_ASYNC;
  return result_;
}

void operation::deliver(HRESULT hr) noexcept {
  WS_ASYNC_CALLBACK callback = callback_;
  void* state = callback_state_;
  if (model_ == WS_LONG_CALLBACK) {
    std::function<void()> task;
    try {
      task = [callback, state, hr] { invoke(callback, hr, WS_LONG_CALLBACK, state); };
    } catch (...) {
    }
    if (task && long_callback_threads::run(std::move(task))) return;
  }
  invoke(callback, hr, WS_SHORT_CALLBACK, state);
}

}  // namespace wst::detail::capi
