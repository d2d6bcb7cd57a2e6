// Which sample-STS behaviour each soak request meets: the healthy STS (replaying a real signed
// reply) or one of the injected faults, each served by an STS process of its own.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wst::bench::soak {

// The STS behaviours, in report order. `healthy` must succeed; every other one must fail.
enum class target : std::uint8_t {
  healthy,    // --replay of a real signed RSTR
  reset,      // --fault reset: the request is read, then TCP RST
  truncate,   // --fault truncate: headers and half the body, then close
  garbage,    // --fault garbage: 64 bytes that are not HTTP, then close
  http500,    // --fault http500: 500 text/plain, no SOAP, the connection stays usable
  stall,      // --fault stall: never answers; the channel's receive timeout ends the request
  soap_fault, // --replay of a real SOAP fault (HTTP 500, wst:InvalidRequest)
};
inline constexpr std::size_t target_count = 7;

// "healthy", "reset", ..., "soap-fault".
const char* name_of(target t) noexcept;
// The kind named `name` (as name_of spells it); false when there is none.
bool parse_target(const std::string& name, target& out) noexcept;

// The draw: request i goes to a fault with probability `fault_ratio`, then uniformly to one
// of `faults`; else to the healthy STS. A pure function of (seed, i), so a run is the same
// whatever order the requests start in and whichever thread starts them.
class fault_mix {
 public:
  fault_mix(std::uint64_t seed, double fault_ratio, std::vector<target> faults);
  target draw(std::uint64_t request_index) const noexcept;
  const std::vector<target>& faults() const noexcept { return faults_; }
  double fault_ratio() const noexcept { return ratio_; }

 private:
  std::uint64_t seed_;
  double ratio_;
  std::uint64_t threshold_;  // a draw below it is a fault
  std::vector<target> faults_;
};

}  // namespace wst::bench::soak
