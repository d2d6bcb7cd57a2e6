// negotiation_bench's results: medians over runs, the table, the JSON record and the plot.
#pragma once

#include "measure.hpp"

#include <wst/base/result.hpp>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace wst::bench {

// One client's figures in one cell: the median over the runs of each quantity.
struct figures {
  std::string client;          // "wst", "floor" (raw libuv + llhttp), "facade", "cache"
  std::size_t runs = 0;
  std::size_t measured = 0;    // completions measured per run
  std::size_t errors = 0;      // over all runs, warm-up included
  std::string first_error;
  double per_second = 0;
  latency_summary latency;     // microseconds
  double cpu_per_1000 = 0;     // client process CPU seconds per 1,000 completions
  double sts_cpu_per_1000 = 0; // the STS process's CPU seconds per 1,000 completions
  std::size_t rss_peak = 0;    // highest RSS sampled in any run, bytes
  double rss_per_in_flight = 0;  // (run peak - RSS before the run) / in flight, bytes
  std::vector<double> runs_per_second;
};

// Medians of `runs` (latencies are summarized per run first; `runs` is consumed).
figures aggregate(std::string client, std::vector<run_result>& runs, std::size_t in_flight);

// One (mode, concurrency) point of the benchmark.
struct cell {
  std::string mode;            // "replay", "issue", "cache"
  std::size_t concurrency = 0;
  std::size_t connections = 0;
  std::vector<figures> clients;
  const figures* find(const std::string& client) const;
};

struct report {
  std::vector<std::pair<std::string, std::string>> settings;  // what was measured, how
  std::vector<cell> cells;
  std::vector<std::string> problems;  // anything that makes the figures invalid
  std::vector<std::string> targets;   // "met: ..." / "MISSED: ..." (see evaluate_targets)
  std::size_t peak_rss = 0;
};

// Issue 7's targets, for the cells that measure them: wst at least 0.8 x the floor's
// throughput and at most 2 x its p99 at concurrency 64 (replay mode: the client's cost);
// at most 16 KiB of RSS per in-flight negotiation at 10,000 in flight; zero errors anywhere.
void evaluate_targets(report& r);

void print_table(std::FILE* out, const report& r);
std::string to_json(const report& r);
// Throughput and p99 against concurrency, one line per mode and client, as a PNG (gnuplot).
detail::result<void> plot(const report& r, const std::string& png_path);

}  // namespace wst::bench
