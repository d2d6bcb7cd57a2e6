// The sample STS reads time only through this interface, so tests fix it and every issued
// byte is reproducible (randomness comes in the same way, as crypto::random_source).
#pragma once

#include <chrono>

namespace wst::detail::sts {

class clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~clock() = default;
  // The current UTC time. Must be callable from several threads at once.
  virtual time_point now() const = 0;
};

// std::chrono::system_clock.
const clock& system_clock() noexcept;

}  // namespace wst::detail::sts
