// Fault mode: how the server misbehaves on purpose, so a client's every error path can be
// driven. Chosen with --fault KIND[:ARG] and applied to every POST:
//   delay:MS     answer normally after MS milliseconds (0..600000)
//   reset[:N]    read the request, then reset the connection (TCP RST); with N, the first N
//                bytes of the response go out before the reset (N past the header block: a
//                reset in the middle of the body), without N nothing is sent
//   truncate[:N] send the first N bytes of the response (default: the header block and half
//                the body), then close the connection
//   garbage[:N]  send N bytes (default 64, at most 65536) that are not HTTP, then close
//   http500      answer 500 Internal Server Error with a text/plain body (no SOAP fault)
//   stall        read the request and never answer; the connection stays open until the
//                client gives up or the server stops
//   ctype:VALUE  the normal reply with its Content-Type header replaced by VALUE (printable
//                ASCII, at most 256 bytes); an empty VALUE ("ctype:") sends no Content-Type
#pragma once

#include <wst/base/result.hpp>
#include <wst/crypto/crypto.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wst::detail::sts {

enum class fault_kind { none, delay, reset, truncate, garbage, http500, stall, content_type };

struct fault_spec {
  fault_kind kind = fault_kind::none;
  std::chrono::milliseconds delay{0};  // delay
  std::optional<std::size_t> bytes;    // reset / truncate / garbage: byte count, when given
  std::string content_type;            // content_type: the Content-Type sent (empty: none)

  // "KIND[:ARG]" as above; errc::bad_fault_spec for an unknown kind, a missing, extra or
  // out-of-range argument.
  static result<fault_spec> parse(std::string_view text);
};

// What a connection does with one response.
struct reply_plan {
  // After `bytes` are written: keep the connection for the next request, close it, reset it
  // (TCP RST), or leave it open and silent.
  enum class after_send { keep_alive, close, reset, stall };
  std::chrono::milliseconds delay{0};  // wait this long before writing
  std::string bytes;                   // written as they are (may be empty)
  after_send after = after_send::keep_alive;
};

// Applies `fault` to a response already on the wire form (`wire`, see serialize()).
// `keep_alive` is whether the request allowed another one on the connection; `rng` fills
// garbage. http500 and ctype are not handled here (the service shapes the response before it
// is serialized).
reply_plan plan_reply(const fault_spec& fault, std::string wire, bool keep_alive,
                      crypto::random_source& rng);

}  // namespace wst::detail::sts
