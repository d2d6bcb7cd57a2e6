#include <wst/actors/errors.hpp>

#include <string>

namespace wst::detail::actors {
namespace {

class actors_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.actors"; }

  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_state: return "the channel is not in a state that allows this operation";
      case errc::channel_faulted: return "the channel has faulted";
      case errc::aborted: return "the operation was aborted";
      case errc::timed_out: return "the negotiation timed out";
      case errc::server_fault: return "the STS reported a fault of its own (Receiver/Server)";
      case errc::token_expired: return "the issued token is expired";
      case errc::shutting_down: return "the wst runtime is shutting down";
      case errc::actor_down: return "the actor that should answer is gone";
      case errc::runtime_failure: return "the wst runtime could not start";
    }
    return "unknown wst.actors error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const actors_category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

}  // namespace wst::detail::actors
