// The soak program's figures, its verdict, and their two forms: a table for people and JSON
// for scripts.
#pragma once

#include "fault_mix.hpp"
#include "soak_load.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace wst::bench::soak {

struct rss_figures {
  std::size_t start = 0, middle = 0, end = 0;  // bytes (VmRSS)
  bool checked = true;                         // false: reported, not judged
  double tolerance = 0.10;                     // end may exceed middle by this share ...
  std::size_t slack = 2u << 20;                // ... plus this many bytes
  std::size_t limit() const noexcept {
    return middle + static_cast<std::size_t>(static_cast<double>(middle) * tolerance) + slack;
  }
  bool flat() const noexcept { return end <= limit(); }
};

struct target_figures {
  bool used = false;  // drawn by the mix (healthy always is)
  target_tally tally;
  std::uint64_t recoveries = 0, reset_path = 0, fresh_path = 0, failed_steps = 0;
  std::string first_recovery_failure;
  std::optional<std::uint64_t> served;  // POSTs the STS answered (its `served N` at exit)
};

struct soak_summary {
  // What was asked.
  std::uint64_t requests = 0;
  std::size_t concurrency = 0;
  double fault_ratio = 0;
  std::uint64_t seed = 0;
  std::string callback_model;
  unsigned stall_timeout_ms = 0;
  std::string command;
  // What happened.
  std::uint64_t completed = 0, calls = 0, issued = 0, callbacks = 0, duplicates = 0;
  std::uint64_t parked_at_end = 0;
  std::array<target_figures, target_count> targets;
  rss_figures rss;
  double seconds = 0;
  std::vector<std::string> problems;  // empty = pass

  std::uint64_t lost() const noexcept { return issued > callbacks ? issued - callbacks : 0; }
  std::uint64_t recoveries() const noexcept;
  double per_second() const noexcept { return seconds > 0 ? static_cast<double>(completed) / seconds : 0; }
};

// Adds to `problems` what the figures show: errors on healthy requests, a fault request that
// succeeded or a fault kind never hit, requests not completed, lost or duplicate callbacks,
// failed recovery steps, RSS not flat.
void evaluate(soak_summary& s);

// WS_E_* / E_* name of an HRESULT ("HRESULT" when unknown).
const char* hresult_name(std::uint32_t hr) noexcept;

void print_table(std::FILE* out, const soak_summary& s);
std::string to_json(const soak_summary& s);
// The table and the JSON line on stdout, and the JSON in `json_file` too unless it is empty.
// False when the file cannot be written.
bool publish(const soak_summary& s, const std::string& json_file);

}  // namespace wst::bench::soak
