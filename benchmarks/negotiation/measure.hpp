// What negotiation_bench measures and how: the closed-loop run window shared by every load
// generator (wst::client, the C facade, the raw floor client), process CPU time, resident set
// size, latency percentiles and the progress line on stderr.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace wst::bench {

// Monotonic nanoseconds (steady_clock).
std::uint64_t now_ns() noexcept;
// CPU time this process used so far, user + system, in seconds (getrusage RUSAGE_SELF).
double cpu_seconds() noexcept;
// CPU time another process (the STS) used so far, user + system, in seconds
// (/proc/PID/stat); 0 when unreadable.
double process_cpu_seconds(int pid) noexcept;
// Resident set size now (/proc/self/statm), bytes; 0 when unreadable.
std::size_t rss_bytes() noexcept;
// Peak resident set size of the process so far (getrusage ru_maxrss), bytes.
std::size_t peak_rss_bytes() noexcept;

// Latency percentiles (nearest rank) of one run, microseconds.
struct latency_summary {
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;
};
// Sorts `ns` in place. All zero for an empty sample.
latency_summary summarize(std::vector<std::uint64_t>& ns);

// The outcome of one measured run.
struct run_result {
  std::size_t measured = 0;      // completions inside the window (latencies_ns.size())
  std::size_t errors = 0;        // failed requests, warm-up included
  std::string first_error;       // the first failure's text
  double seconds = 0;            // window length
  double cpu_seconds = 0;        // process CPU used inside the window
  double peer_cpu_seconds = 0;   // CPU the peer process (the STS) used inside the window
  std::size_t rss_before = 0;    // RSS just before the run started
  std::size_t rss_peak = 0;      // highest RSS sampled during the run
  std::vector<std::uint64_t> latencies_ns;  // one per measured completion
  bool stalled = false;          // the run was given up (no completion for too long)

  double per_second() const { return seconds > 0 ? static_cast<double>(measured) / seconds : 0; }
  double cpu_per_1000() const {
    return measured ? cpu_seconds * 1000.0 / static_cast<double>(measured) : 0;
  }
  double peer_cpu_per_1000() const {
    return measured ? peer_cpu_seconds * 1000.0 / static_cast<double>(measured) : 0;
  }
};

// Book-keeping of one closed-loop run: `concurrency` requests are kept in flight until
// `warmup + measured` have completed. The first `warmup` completions open connections and
// warm caches; the window (throughput, CPU, latencies) covers the `measured` ones after
// them. Generators call claim() before starting a request and complete() when it ends, from
// any threads.
class run_window {
 public:
  // `peer`: a process whose CPU time is also taken over the window (0 = none).
  run_window(std::size_t warmup, std::size_t measured, int peer = 0);
  run_window(const run_window&) = delete;
  run_window& operator=(const run_window&) = delete;

  // Opens the window now when there is no warm-up. Call once, before the first request.
  void begin();
  // True when another request should start (fewer than warmup + measured started); `index`
  // (optional) receives its number, 0 .. total() - 1.
  bool claim(std::size_t* index = nullptr) noexcept {
    const std::size_t i = started_.fetch_add(1, std::memory_order_relaxed);
    if (index) *index = i;
    return i < total_;
  }
  // One request, started at `t0_ns`, ended at `t1_ns`. `error` is empty on success. The last
  // completion wakes wait(); after that nothing may call into the window.
  void complete(std::uint64_t t0_ns, std::uint64_t t1_ns, std::string_view error);
  void complete(std::uint64_t t0_ns, std::string_view error) { complete(t0_ns, now_ns(), error); }
  // Gives up on the requests still missing (a stalled run); wait() then returns.
  void abandon(std::string_view why);
  // Blocks until every request completed or the run was abandoned.
  void wait();
  // Blocks up to `limit`; true when the run is over.
  bool wait_for(std::chrono::milliseconds limit);

  std::size_t completed() const noexcept { return completed_.load(std::memory_order_relaxed); }
  std::size_t total() const noexcept { return total_; }
  // The result; only after wait().
  run_result take();

 private:
  void mark_start(std::uint64_t t);
  void mark_end(std::uint64_t t);
  const std::size_t warmup_, total_;
  const int peer_;
  std::atomic<std::size_t> started_{0}, completed_{0}, recorded_{0}, errors_{0};
  std::vector<std::uint64_t> latencies_;
  std::atomic<std::uint64_t> start_ns_{0}, end_ns_{0};
  std::atomic<double> cpu_start_{0}, cpu_end_{0}, peer_start_{0}, peer_end_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false, stalled_ = false;
  std::string first_error_;
};

// Samples the RSS every few milliseconds on its own thread and keeps the highest value seen
// since the last reset(): the peak of one run, which getrusage cannot give (its peak never goes
// down).
class rss_sampler {
 public:
  rss_sampler();
  ~rss_sampler();
  rss_sampler(const rss_sampler&) = delete;
  rss_sampler& operator=(const rss_sampler&) = delete;
  void reset() noexcept;
  std::size_t peak() const noexcept { return peak_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::size_t> peak_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Prints "label: done/total, rate/s" on stderr about once a second while it lives (nothing
// when `enabled` is false), and abandons the run when nothing completed for `stall_limit`.
class progress_line {
 public:
  progress_line(std::string label, run_window& w, bool enabled,
                std::chrono::seconds stall_limit = std::chrono::seconds(60));
  ~progress_line();
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;

 private:
  std::string label_;
  run_window& window_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Runs one measured run: resets the sampler, notes the RSS, calls `drive(window)` (which starts
// the requests and returns; the window then ends by itself), waits and fills the RSS fields.
template <class Drive>
run_result measure_run(run_window& w, rss_sampler& rss, const std::string& label, bool progress,
                       Drive&& drive) {
  rss.reset();
  const std::size_t before = rss_bytes();
  {
    progress_line line(label, w, progress);
    drive(w);
    w.wait();
  }
  run_result r = w.take();
  r.rss_before = before;
  r.rss_peak = std::max(rss.peak(), rss_bytes());
  return r;
}

}  // namespace wst::bench
