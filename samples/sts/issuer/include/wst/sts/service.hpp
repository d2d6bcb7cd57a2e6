// The sample STS's front door, still sans-I/O: routes each HTTP request and counts them.
//   POST <any path>  the responder (issuer or replay), or the http500 fault's canned reply
//   GET /stats       {"served":N,"issued":N,"renewed":N,"faults":N} (application/json);
//                    the last three are 0 in replay mode
//   anything else    404 (GET elsewhere) or 405 (other methods)
#pragma once

#include <wst/sts/exchange.hpp>
#include <wst/sts/fault.hpp>
#include <wst/sts/issuer.hpp>
#include <wst/sts/responder.hpp>

#include <atomic>
#include <cstdint>
#include <memory>

namespace wst::detail::sts {

class service {
 public:
  // `r` answers POSTs; `counters_from` (may be null, usually the same object as `r` when it
  // is an issuer) feeds /stats.
  service(std::unique_ptr<responder> r, const issuer* counters_from, fault_spec fault);

  // Thread-safe.
  http_response handle(const http_request& req);

  // POST requests answered so far (whatever the answer was).
  std::uint64_t served() const noexcept { return served_.load(std::memory_order_relaxed); }
  const fault_spec& fault() const noexcept { return fault_; }

 private:
  std::unique_ptr<responder> responder_;
  const issuer* counters_from_;
  fault_spec fault_;
  std::atomic<std::uint64_t> served_{0};
};

}  // namespace wst::detail::sts
