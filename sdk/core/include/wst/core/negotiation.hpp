// One WS-Trust negotiation as a state machine without I/O (MS-LWSSP: single leg only).
//
//        start()            on_reply(bytes)
//   idle ───────► waiting ───────────────► done
//     │              │                       ▲
//     └──────────────┴── any failure ────────┘ (failed)
//
// The caller (the negotiator actor, a test, a sample) sends what start() returns, feeds the
// reply bytes to on_reply(), and gets the issued token or an error. Calling on_reply() before
// start(), or either of them a second time, is errc::invalid_state; the machine does not
// move. The client entropy lives in the negotiation only between start() and on_reply()
// (wiped on completion, failure or destruction). Not thread-safe: one owner at a time.
#pragma once

#include <wst/base/result.hpp>
#include <wst/core/environment.hpp>
#include <wst/core/request.hpp>
#include <wst/core/rst_writer.hpp>
#include <wst/core/rstr_reader.hpp>
#include <wst/xml/reader.hpp>

#include <optional>

namespace wst::detail::core {

class negotiation {
 public:
  enum class state { idle, waiting, done, failed };

  // `env` must outlive the negotiation; `limits` bound the reply.
  negotiation(request_description d, environment& env, xml::limits limits = {});

  negotiation(negotiation&&) noexcept = default;
  negotiation& operator=(negotiation&&) noexcept = default;
  negotiation(const negotiation&) = delete;
  negotiation& operator=(const negotiation&) = delete;

  // idle -> waiting: validates the description and returns the RST to send.
  result<outgoing_message> start();

  // waiting -> done: the token, or the reply's error (state failed). On fault_received,
  // fault() holds the parsed SOAP fault.
  result<issued_token> on_reply(std::string_view reply);

  state current_state() const noexcept { return state_; }
  const request_description& description() const noexcept { return desc_; }
  // wsa:MessageID of the RST (empty before start()).
  const std::string& message_id() const noexcept { return pending_.message_id; }
  const std::optional<soap_fault>& fault() const noexcept { return fault_; }
  // True while the client entropy is held (between start() and on_reply()).
  bool holds_client_entropy() const noexcept { return !pending_.client_entropy.empty(); }

 private:
  request_description desc_;
  environment* env_;
  xml::limits limits_;
  pending_request pending_;
  std::optional<soap_fault> fault_;
  state state_ = state::idle;
};

}  // namespace wst::detail::core
