// system_random() and the bridge from random_source to Botan's generator interface.
#include "backend.hpp"

#include <botan/system_rng.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace wst::detail::crypto {
namespace {

class system_random_source final : public random_source {
 public:
  void fill(std::uint8_t* out, std::size_t n) override {
    try {
      Botan::system_rng().randomize(out, n);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "wst crypto: the system random generator failed: %s\n", e.what());
      std::abort();
    }
  }
};

system_random_source& system_source() noexcept {
  static system_random_source instance;
  return instance;
}

}  // namespace

random_source& system_random() { return system_source(); }

botan_rng::botan_rng(random_source& source) noexcept : source_(source) {}

void botan_rng::randomize(std::uint8_t out[], std::size_t len) { source_.fill(out, len); }

Botan::RandomNumberGenerator& botan_rng::get() noexcept {
  if (&source_ == &system_source()) return Botan::system_rng();
  return *this;
}

}  // namespace wst::detail::crypto
