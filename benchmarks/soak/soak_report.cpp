#include "soak_report.hpp"

#include <webservices.h>

#include <cinttypes>

namespace wst::bench::soak {
namespace {

std::string hex(std::uint32_t hr) {
  char b[12];
  std::snprintf(b, sizeof b, "0x%08X", static_cast<unsigned>(hr));
  return b;
}

double mib(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned>(c));
      out += b;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::uint64_t soak_summary::recoveries() const noexcept {
  std::uint64_t n = 0;
  for (const target_figures& t : targets) n += t.recoveries;
  return n;
}

const char* hresult_name(std::uint32_t hr) noexcept {
  switch (static_cast<HRESULT>(hr)) {
    case S_OK: return "S_OK";
    case E_FAIL: return "E_FAIL";
    case E_INVALIDARG: return "E_INVALIDARG";
    case E_OUTOFMEMORY: return "E_OUTOFMEMORY";
    case WS_E_INVALID_FORMAT: return "WS_E_INVALID_FORMAT";
    case WS_E_OBJECT_FAULTED: return "WS_E_OBJECT_FAULTED";
    case WS_E_INVALID_OPERATION: return "WS_E_INVALID_OPERATION";
    case WS_E_OPERATION_ABORTED: return "WS_E_OPERATION_ABORTED";
    case WS_E_ENDPOINT_ACCESS_DENIED: return "WS_E_ENDPOINT_ACCESS_DENIED";
    case WS_E_OPERATION_TIMED_OUT: return "WS_E_OPERATION_TIMED_OUT";
    case WS_E_QUOTA_EXCEEDED: return "WS_E_QUOTA_EXCEEDED";
    case WS_E_SECURITY_VERIFICATION_FAILURE: return "WS_E_SECURITY_VERIFICATION_FAILURE";
    case WS_E_ENDPOINT_NOT_FOUND: return "WS_E_ENDPOINT_NOT_FOUND";
    case WS_E_ENDPOINT_FAILURE: return "WS_E_ENDPOINT_FAILURE";
    case WS_E_ENDPOINT_UNREACHABLE: return "WS_E_ENDPOINT_UNREACHABLE";
    case WS_E_ENDPOINT_TOO_BUSY: return "WS_E_ENDPOINT_TOO_BUSY";
    case WS_E_ENDPOINT_FAULT_RECEIVED: return "WS_E_ENDPOINT_FAULT_RECEIVED";
    case WS_E_ENDPOINT_DISCONNECTED: return "WS_E_ENDPOINT_DISCONNECTED";
    case WS_E_NOT_SUPPORTED: return "WS_E_NOT_SUPPORTED";
    case WS_E_OTHER: return "WS_E_OTHER";
    case WS_E_SECURITY_SYSTEM_FAILURE: return "WS_E_SECURITY_SYSTEM_FAILURE";
    default: return "HRESULT";
  }
}

void evaluate(soak_summary& s) {
  auto& p = s.problems;
  const target_figures& healthy = s.targets[static_cast<std::size_t>(target::healthy)];
  if (const std::uint64_t n = healthy.tally.failures())
    p.push_back(std::to_string(n) + " healthy requests failed (first: " +
                healthy.tally.errors.begin()->second.first_text + ")");
  for (std::size_t i = 1; i < target_count; ++i) {
    const target_figures& t = s.targets[i];
    if (!t.used) continue;
    const char* name = name_of(static_cast<target>(i));
    if (t.tally.successes)
      p.push_back(std::to_string(t.tally.successes) + " requests to the " + name + " STS succeeded");
    if (t.tally.failures() == 0)
      p.push_back(std::string("no request met the ") + name + " fault");
  }
  for (std::size_t i = 0; i < target_count; ++i)
    if (s.targets[i].failed_steps)
      p.push_back(std::to_string(s.targets[i].failed_steps) + " recovery steps failed on the " +
                  name_of(static_cast<target>(i)) + " channel (first: " +
                  s.targets[i].first_recovery_failure + ")");
  if (s.completed != s.requests)
    p.push_back(std::to_string(s.requests - s.completed) + " requests never completed (" +
                std::to_string(s.parked_at_end) + " parked behind a recovery)");
  if (s.lost()) p.push_back(std::to_string(s.lost()) + " callbacks lost (issued minus completed after drain)");
  if (s.callbacks > s.issued)
    p.push_back(std::to_string(s.callbacks - s.issued) + " more callbacks than asynchronous requests");
  if (s.duplicates) p.push_back(std::to_string(s.duplicates) + " callbacks fired for a request already completed");
  if (s.rss.checked && !s.rss.flat())
    p.push_back("RSS not flat: " + std::to_string(s.rss.end) + " bytes at the end > " +
                std::to_string(s.rss.limit()) + " (middle + tolerance)");
}

void print_table(std::FILE* out, const soak_summary& s) {
  std::fprintf(out, "wst-soak: %" PRIu64 " negotiations, concurrency %zu, fault ratio %.3f, seed %" PRIu64
                    ", C facade (%s callbacks), stall timeout %u ms\n",
               s.requests, s.concurrency, s.fault_ratio, s.seed, s.callback_model.c_str(), s.stall_timeout_ms);
  std::fprintf(out, "%-11s %10s %10s %9s %7s %10s  %s\n", "target", "requests", "successes", "errors",
               "sync", "recoveries", "errors by HRESULT");
  for (std::size_t i = 0; i < target_count; ++i) {
    const target_figures& t = s.targets[i];
    if (!t.used) continue;
    const std::uint64_t failed = t.tally.failures();
    std::string by;
    for (const auto& [hr, e] : t.tally.errors)
      by += (by.empty() ? "" : ", ") + std::string(hresult_name(hr)) + " " + std::to_string(e.count);
    std::fprintf(out, "%-11s %10" PRIu64 " %10" PRIu64 " %9" PRIu64 " %7" PRIu64 " %10" PRIu64 "  %s\n",
                 name_of(static_cast<target>(i)), t.tally.successes + failed, t.tally.successes, failed,
                 t.tally.synchronous, t.recoveries, by.empty() ? "-" : by.c_str());
  }
  std::fprintf(out, "callbacks:  %" PRIu64 " calls, %" PRIu64 " asynchronous, %" PRIu64 " callbacks, lost %" PRIu64
                    ", duplicate %" PRIu64 "\n",
               s.calls, s.issued, s.callbacks, s.lost(), s.duplicates);
  std::uint64_t reset = 0, fresh = 0;
  for (const target_figures& t : s.targets) {
    reset += t.reset_path;
    fresh += t.fresh_path;
  }
  std::fprintf(out, "recoveries: %" PRIu64 " (abort/close/reset/open %" PRIu64 ", abort/free/create/open %" PRIu64 ")\n",
               s.recoveries(), reset, fresh);
  std::fprintf(out, "RSS:        start %.1f MiB, middle %.1f MiB, end %.1f MiB; limit %.1f MiB: %s\n", mib(s.rss.start),
               mib(s.rss.middle), mib(s.rss.end), mib(s.rss.limit()),
               !s.rss.checked ? "not judged" : s.rss.flat() ? "flat" : "GROWING");
  std::fprintf(out, "time:       %.1f s, %.0f negotiations/s\n", s.seconds, s.per_second());
  for (std::size_t i = 0; i < target_count; ++i)
    for (const auto& [hr, e] : s.targets[i].tally.errors)
      std::fprintf(out, "  %s, first %s: %s\n", name_of(static_cast<target>(i)), hresult_name(hr),
                   e.first_text.c_str());
  if (s.problems.empty()) {
    std::fprintf(out, "verdict:    PASS\n");
  } else {
    std::fprintf(out, "verdict:    FAIL\n");
    for (const std::string& p : s.problems) std::fprintf(out, "  - %s\n", p.c_str());
  }
}

std::string to_json(const soak_summary& s) {
  std::string j = "{";
  auto num = [&](const char* key, auto v, bool comma = true) {
    j += std::string("\"") + key + "\":" + std::to_string(v) + (comma ? "," : "");
  };
  num("requests", s.requests);
  num("concurrency", s.concurrency);
  num("fault_ratio", s.fault_ratio);
  num("seed", s.seed);
  j += "\"callback_model\":" + quoted(s.callback_model) + ",";
  num("stall_timeout_ms", s.stall_timeout_ms);
  j += "\"command\":" + quoted(s.command) + ",";
  num("completed", s.completed);
  num("seconds", s.seconds);
  num("per_second", s.per_second());
  j += "\"targets\":{";
  bool first = true;
  for (std::size_t i = 0; i < target_count; ++i) {
    const target_figures& t = s.targets[i];
    if (!t.used) continue;
    j += std::string(first ? "" : ",") + quoted(name_of(static_cast<target>(i))) + ":{";
    first = false;
    num("requests", t.tally.successes + t.tally.failures());
    num("successes", t.tally.successes);
    num("errors", t.tally.failures());
    num("synchronous", t.tally.synchronous);
    num("recoveries", t.recoveries);
    num("recoveries_reset_path", t.reset_path);
    num("recoveries_fresh_channel", t.fresh_path);
    num("recovery_failed_steps", t.failed_steps);
    if (t.served) num("sts_served", *t.served);
    j += "\"errors_by_hresult\":{";
    bool first_error = true;
    for (const auto& [hr, e] : t.tally.errors) {
      j += std::string(first_error ? "" : ",") + quoted(hex(hr)) + ":{\"name\":" + quoted(hresult_name(hr)) +
           ",\"count\":" + std::to_string(e.count) + ",\"first\":" + quoted(e.first_text) + "}";
      first_error = false;
    }
    j += "}}";
  }
  j += "},\"callbacks\":{";
  num("calls", s.calls);
  num("issued", s.issued);
  num("completed", s.callbacks);
  num("lost", s.lost());
  num("duplicates", s.duplicates, false);
  j += "},";
  num("recoveries", s.recoveries());
  num("parked_at_end", s.parked_at_end);
  j += "\"rss\":{";
  num("start", s.rss.start);
  num("middle", s.rss.middle);
  num("end", s.rss.end);
  num("limit", s.rss.limit());
  j += std::string("\"checked\":") + (s.rss.checked ? "true" : "false") + ",\"flat\":" + (s.rss.flat() ? "true" : "false");
  j += "},\"problems\":[";
  for (std::size_t i = 0; i < s.problems.size(); ++i) j += (i ? "," : "") + quoted(s.problems[i]);
  j += std::string("],\"pass\":") + (s.problems.empty() ? "true" : "false") + "}";
  return j;
}

bool publish(const soak_summary& s, const std::string& json_file) {
  print_table(stdout, s);
  const std::string json = to_json(s) + "\n";
  std::fputs(json.c_str(), stdout);
  std::fflush(stdout);
  if (json_file.empty()) return true;
  std::FILE* f = std::fopen(json_file.c_str(), "w");
  const bool written = f != nullptr && std::fputs(json.c_str(), f) >= 0;
  if (f != nullptr && std::fclose(f) != 0) return false;
  if (!written) std::fprintf(stderr, "wst-soak: cannot write %s\n", json_file.c_str());
  return written;
}

}  // namespace wst::bench::soak
