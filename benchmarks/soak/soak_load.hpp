// The soak load: `concurrency` request slots going round through WsRequestSecurityToken with a
// WS_ASYNC_CONTEXT until `total` requests have completed, each request sent to the endpoint
// its seeded draw names, faulted channels recovered on a thread of the load's own.
//
// What it counts, per target: successes (S_OK with a token of the requested key type) and
// failures by HRESULT with the first WS_ERROR text of each; and overall: calls, synchronous
// completions, callbacks, callbacks that came for a slot with no request in flight
// (duplicates), recoveries. issued (calls that returned WS_S_ASYNC) minus callbacks is what
// was lost once everything is drained.
#pragma once

#include "endpoint.hpp"
#include "fault_mix.hpp"

#include <webservices.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wst::bench::soak {

// The request every slot sends, in WS_REQUEST_SECURITY_TOKEN_PROPERTY terms: WS-Trust 1.3,
// SAML 2.0, AppliesTo, a 256-bit symmetric key from combined entropy.
class token_request {
 public:
  token_request(std::string applies_to, std::string token_type);
  token_request(const token_request&) = delete;
  token_request& operator=(const token_request&) = delete;
  const WS_REQUEST_SECURITY_TOKEN_PROPERTY* properties() const noexcept { return props_.data(); }
  ULONG count() const noexcept { return static_cast<ULONG>(props_.size()); }
  WS_SECURITY_KEY_TYPE key_type() const noexcept { return key_; }

 private:
  // The values the properties point to.
  std::string token_type_;
  std::wstring applies_to_chars_;
  WS_XML_STRING token_type_xml_{};
  WS_ENDPOINT_ADDRESS applies_to_{};
  WS_TRUST_VERSION trust_ = WS_TRUST_VERSION_1_3;
  WS_SECURITY_KEY_TYPE key_ = WS_SECURITY_KEY_TYPE_SYMMETRIC;
  ULONG key_bits_ = 256;
  WS_SECURITY_KEY_ENTROPY_MODE entropy_ = WS_SECURITY_KEY_ENTROPY_MODE_COMBINED;
  std::vector<WS_REQUEST_SECURITY_TOKEN_PROPERTY> props_;
};

struct error_count {
  std::uint64_t count = 0;
  std::string first_text;  // "0x803D0014 <WS_ERROR string>"
};

// One target's outcome.
struct target_tally {
  std::uint64_t successes = 0;
  std::uint64_t synchronous = 0;  // completions without a callback (refused at once)
  std::map<std::uint32_t, error_count> errors;  // by HRESULT
  std::uint64_t failures() const;
};

class soak_load {
 public:
  // `endpoints[t]` serves target t (all of target_count present). All references must outlive
  // the load.
  soak_load(std::array<endpoint*, target_count> endpoints, const fault_mix& mix,
            const token_request& request, std::uint64_t total, std::size_t concurrency);
  // Finishes the recoveries asked for and waits for callbacks still running; call after the
  // endpoints are shut, so no request is pending.
  ~soak_load();
  soak_load(const soak_load&) = delete;
  soak_load& operator=(const soak_load&) = delete;

  // Starts every slot; the load then runs by itself (from callbacks and the recovery thread).
  void start();
  // Runs the recoveries still queued and stops the recovery thread (before the endpoints are
  // shut: a recovery owns its endpoint's channel while it runs).
  void stop_recovering();

  std::uint64_t completed() const noexcept { return completed_.load(std::memory_order_relaxed); }
  std::uint64_t total() const noexcept { return total_; }
  std::uint64_t calls() const noexcept { return calls_.load(); }
  std::uint64_t issued() const noexcept { return calls_.load() - synchronous_.load(); }
  std::uint64_t callbacks() const noexcept { return callbacks_.load(); }
  std::uint64_t duplicates() const noexcept { return duplicates_.load(); }
  std::uint64_t failures() const noexcept { return failures_.load(std::memory_order_relaxed); }
  // A copy of target t's tally (consistent with itself).
  target_tally tally(target t) const;

  struct slot;

 private:
  friend struct slot_callback;
  void run(slot& s);
  bool claim(slot& s);
  bool issue(slot& s);
  void settle(slot& s, HRESULT hr, bool synchronous);
  void recover_loop();

  const std::array<endpoint*, target_count> endpoints_;
  const fault_mix& mix_;
  const token_request& request_;
  const std::uint64_t total_;
  const std::size_t concurrency_;
  std::unique_ptr<slot[]> slots_;

  std::atomic<std::uint64_t> next_{0}, completed_{0}, calls_{0}, synchronous_{0}, callbacks_{0},
      duplicates_{0}, failures_{0}, in_callback_{0};

  mutable std::array<std::mutex, target_count> tally_mu_;
  std::array<target_tally, target_count> tallies_;

  std::mutex recover_mu_;
  std::condition_variable recover_cv_;
  std::deque<target> to_recover_;
  bool stopping_ = false;
  std::thread recoverer_;
};

}  // namespace wst::bench::soak
