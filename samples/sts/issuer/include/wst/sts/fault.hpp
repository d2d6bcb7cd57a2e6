// Fault mode: how the server misbehaves on purpose, so a client's every error path can be
// driven. Chosen with --fault KIND[:ARG] and applied to every POST:
//   delay:MS     answer normally after MS milliseconds (0..600000)
//   reset        read the request, then reset the connection (TCP RST) without answering
//   truncate[:N] send the first N bytes of the response (default: the header block and half
//                the body), then close the connection
//   garbage[:N]  send N bytes (default 64, at most 65536) that are not HTTP, then close
//   http500      answer 500 Internal Server Error with a text/plain body (no SOAP fault)
//   stall        read the request and never answer; the connection stays open until the
//                client gives up or the server stops
#pragma once

#include <wst/base/result.hpp>
#include <wst/crypto/crypto.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wst::detail::sts {

enum class fault_kind { none, delay, reset, truncate, garbage, http500, stall };

struct fault_spec {
  fault_kind kind = fault_kind::none;
  std::chrono::milliseconds delay{0};  // delay
  std::optional<std::size_t> bytes;    // truncate / garbage: byte count, when given

  // "KIND[:ARG]" as above; errc::bad_fault_spec for an unknown kind, a missing, extra or
  // out-of-range argument.
  static result<fault_spec> parse(std::string_view text);
};

// What a connection does with one response.
struct reply_plan {
  enum class after_send { keep_alive, close, reset, stall };
  std::chrono::milliseconds delay{0};  // wait this long before writing
  std::string bytes;                   // written as they are (may be empty)
  after_send after = after_send::keep_alive;
};

// Applies `fault` to a response already on the wire form (`wire`, see serialize()).
// `keep_alive` is whether the request allowed another one on the connection; `rng` fills
// garbage. http500 is not handled here (the service answers it before serializing).
reply_plan plan_reply(const fault_spec& fault, std::string wire, bool keep_alive,
                      crypto::random_source& rng);

}  // namespace wst::detail::sts
