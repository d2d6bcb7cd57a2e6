#include <wst/sts/clock.hpp>

namespace wst::detail::sts {

namespace {
class system_time final : public clock {
 public:
  time_point now() const override { return std::chrono::system_clock::now(); }
};
}  // namespace

const clock& system_clock() noexcept {
  static const system_time c;
  return c;
}

}  // namespace wst::detail::sts
