#include "measure.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <numeric>

namespace wst::bench {

std::uint64_t now_ns() noexcept {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

double cpu_seconds() noexcept {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

double process_cpu_seconds(int pid) noexcept {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  std::FILE* f = std::fopen(path, "r");
  if (!f) return 0;
  char buf[1024];
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = 0;
  // Fields after the command (which may hold spaces) start after the last ')': state is
  // field 3, utime and stime are fields 14 and 15.
  const char* p = std::strrchr(buf, ')');
  if (!p) return 0;
  unsigned long long utime = 0, stime = 0;
  if (std::sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
    return 0;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::size_t rss_bytes() noexcept {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

std::size_t peak_rss_bytes() noexcept {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::size_t>(u.ru_maxrss) * 1024;  // Linux reports KiB
}

latency_summary summarize(std::vector<std::uint64_t>& ns) {
  latency_summary s;
  if (ns.empty()) return s;
  std::sort(ns.begin(), ns.end());
  auto rank = [&](double p) {
    std::size_t k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(ns.size())));
    return static_cast<double>(ns[std::min(ns.size(), std::max<std::size_t>(k, 1)) - 1]) / 1e3;
  };
  s.p50 = rank(0.50);
  s.p90 = rank(0.90);
  s.p99 = rank(0.99);
  s.p999 = rank(0.999);
  s.max = static_cast<double>(ns.back()) / 1e3;
  s.mean = std::accumulate(ns.begin(), ns.end(), 0.0) / static_cast<double>(ns.size()) / 1e3;
  return s;
}

run_window::run_window(std::size_t warmup, std::size_t measured, int peer)
    : warmup_(warmup), total_(warmup + measured), peer_(peer), latencies_(measured) {}

void run_window::mark_start(std::uint64_t t) {
  if (peer_) peer_start_.store(process_cpu_seconds(peer_));
  cpu_start_.store(cpu_seconds());
  start_ns_.store(t);
}

void run_window::mark_end(std::uint64_t t) {
  end_ns_.store(t);
  cpu_end_.store(cpu_seconds());
  if (peer_) peer_end_.store(process_cpu_seconds(peer_));
}

void run_window::begin() {
  if (warmup_ == 0) mark_start(now_ns());
}

void run_window::complete(std::uint64_t t0_ns, std::uint64_t t1, std::string_view error) {
  const std::size_t k = completed_.fetch_add(1, std::memory_order_acq_rel);
  if (!error.empty()) {
    if (errors_.fetch_add(1, std::memory_order_relaxed) == 0) {
      std::lock_guard<std::mutex> lock(mu_);
      first_error_ = std::string(error);
    }
  }
  if (k + 1 == warmup_) mark_start(t1);
  if (k >= warmup_ && k < total_) latencies_[k - warmup_] = t1 - t0_ns;
  if (k + 1 == total_) mark_end(t1);
  // The last one to finish recording (not the last to start) announces the end, so every
  // latency written above is visible to the thread that wait()s.
  if (recorded_.fetch_add(1, std::memory_order_acq_rel) + 1 == total_) {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
}

void run_window::abandon(std::string_view why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_) return;
  stalled_ = true;
  done_ = true;
  if (first_error_.empty()) first_error_ = std::string(why);
  cv_.notify_all();
}

void run_window::wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return done_; });
}

bool run_window::wait_for(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, limit, [&] { return done_; });
}

run_result run_window::take() {
  std::lock_guard<std::mutex> lock(mu_);
  run_result r;
  r.stalled = stalled_;
  r.errors = errors_.load();
  r.first_error = first_error_;
  if (stalled_) {
    r.errors += total_ - std::min(total_, completed_.load());
    return r;
  }
  r.latencies_ns = std::move(latencies_);
  r.measured = r.latencies_ns.size();
  r.seconds = static_cast<double>(end_ns_.load() - start_ns_.load()) / 1e9;
  r.cpu_seconds = cpu_end_.load() - cpu_start_.load();
  r.peer_cpu_seconds = peer_end_.load() - peer_start_.load();
  return r;
}

rss_sampler::rss_sampler() {
  thread_ = std::thread([this] {
    while (!stop_.load(std::memory_order_relaxed)) {
      const std::size_t now = rss_bytes();
      std::size_t seen = peak_.load(std::memory_order_relaxed);
      while (now > seen && !peak_.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
}

rss_sampler::~rss_sampler() {
  stop_ = true;
  thread_.join();
}

void rss_sampler::reset() noexcept { peak_.store(rss_bytes()); }

progress_line::progress_line(std::string label, run_window& w, bool enabled,
                             std::chrono::seconds stall_limit)
    : label_(std::move(label)), window_(w) {
  thread_ = std::thread([this, enabled, stall_limit] {
    std::size_t last = 0;
    std::uint64_t last_change = now_ns(), last_print = now_ns();
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_; })) {
      const std::size_t done = window_.completed();
      const std::uint64_t t = now_ns();
      if (enabled) {
        const double rate = static_cast<double>(done - last) / (static_cast<double>(t - last_print) / 1e9);
        std::fprintf(stderr, "  %s: %zu/%zu done, %.0f/s\n", label_.c_str(), done, window_.total(), rate);
      }
      last_print = t;
      if (done != last) {
        last = done;
        last_change = t;
      } else if (t - last_change > static_cast<std::uint64_t>(stall_limit.count()) * 1000000000ull) {
        window_.abandon("no request completed for " + std::to_string(stall_limit.count()) + " s");
        break;
      }
    }
  });
}

progress_line::~progress_line() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace wst::bench
