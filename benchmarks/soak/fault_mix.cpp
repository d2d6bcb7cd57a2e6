#include "fault_mix.hpp"

#include <cmath>

namespace wst::bench::soak {
namespace {

constexpr std::array<const char*, target_count> names{"healthy",  "reset", "truncate",  "garbage",
                                                      "http500", "stall", "soap-fault"};

// SplitMix64's finalizer: consecutive inputs give independent-looking 64-bit outputs.
std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

const char* name_of(target t) noexcept { return names[static_cast<std::size_t>(t)]; }

bool parse_target(const std::string& name, target& out) noexcept {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (name == names[i]) {
      out = static_cast<target>(i);
      return true;
    }
  return false;
}

fault_mix::fault_mix(std::uint64_t seed, double fault_ratio, std::vector<target> faults)
    : seed_(seed), ratio_(faults.empty() ? 0.0 : fault_ratio), faults_(std::move(faults)) {
  // ratio 1 must make every draw a fault: 2^64 - 1 is below no draw only when ratio < 1.
  threshold_ = ratio_ >= 1.0 ? ~0ull : static_cast<std::uint64_t>(std::ldexp(ratio_, 64));
}

target fault_mix::draw(std::uint64_t request_index) const noexcept {
  const std::uint64_t a = mix64(seed_ ^ mix64(request_index));
  if (faults_.empty() || (a >= threshold_ && threshold_ != ~0ull)) return target::healthy;
  const std::uint64_t b = mix64(a);
  return faults_[b % faults_.size()];
}

}  // namespace wst::bench::soak
