// A fixed pool of threads running posted jobs in FIFO order: where the sample STS builds its
// replies (parsing, signing) off the network loop.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wst::detail::sts {

class work_queue {
 public:
  explicit work_queue(std::size_t threads);
  // stop().
  ~work_queue();
  work_queue(const work_queue&) = delete;
  work_queue& operator=(const work_queue&) = delete;

  // Queues `job`; dropped (destroyed unrun) after stop(). Any thread.
  void push(std::function<void()> job);
  // Lets running jobs finish, drops the queued ones and joins the threads. Idempotent.
  void stop();

 private:
  void run();
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace wst::detail::sts
