#include <wst/core/negotiation.hpp>

#include <wst/core/errors.hpp>

namespace wst::detail::core {

negotiation::negotiation(request_description d, environment& env, xml::limits limits)
    : desc_(std::move(d)), env_(&env), limits_(limits) {}

result<outgoing_message> negotiation::start() {
  if (state_ != state::idle) {
    return failure(errc::invalid_state, "start() called twice");
  }
  auto written = write_rst(desc_, *env_);
  if (!written) {
    state_ = state::failed;
    return std::move(written).error();
  }
  pending_ = std::move(written->pending);
  state_ = state::waiting;
  return std::move(written->message);
}

result<issued_token> negotiation::on_reply(std::string_view reply) {
  if (state_ == state::idle) return failure(errc::invalid_state, "on_reply() before start()");
  if (state_ != state::waiting) {
    return failure(errc::invalid_state, "on_reply() after the negotiation completed");
  }
  soap_fault fault;
  auto token = read_rstr(reply, desc_, pending_, limits_, &fault);
  pending_.client_entropy.clear();  // the key (if any) now lives in the token only
  if (!token) {
    if (token.error().code == errc::fault_received) fault_ = std::move(fault);
    state_ = state::failed;
    return token;
  }
  state_ = state::done;
  return token;
}

}  // namespace wst::detail::core
