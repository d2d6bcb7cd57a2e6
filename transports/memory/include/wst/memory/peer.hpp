// An in-process peer: a function turns each request's bytes into the response's bytes, and
// faults can be injected on the way (delay, reset before or after the headers, truncation,
// garbage, stall, failing the Nth operation, a connect that never completes, closing after a
// response). Its streams follow the wst::byte_stream contract on any wst::event_loop: every
// callback is posted to the loop, never run inside the call that started it.
//
// Use: register peer.transport() for a scheme (a scheme_registry or wst::register_transport)
// and send requests to "scheme://any-host/path". A peer and its streams are used on one loop
// thread.
#pragma once

#include <wst/transport.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace wst::detail::memory {

enum class fault_kind {
  none,
  delay,                 // the response comes after `delay`
  reset_before_headers,  // the request is consumed, then the connection resets, no byte back
  reset_after_headers,   // the status line and headers come, then the connection resets
  truncate,              // the first `truncate_at` bytes come (half when 0), then EOF
  garbage,               // bytes that are not HTTP come instead of the response
  stall,                 // the request is consumed and nothing ever comes back
};

struct fault {
  fault_kind kind = fault_kind::none;
  std::chrono::milliseconds delay{0};
  std::size_t truncate_at = 0;
};

class peer {
 public:
  // Receives one complete request (request line to the end of its body) and returns the
  // complete response bytes.
  using responder = std::function<std::string(std::string_view request)>;

  explicit peer(responder r);

  // The fault applied to the n-th request the peer receives (1-based, over every connection).
  void fault_for_request(std::size_t n, fault f);
  // The fault applied to requests without their own (default: none).
  void default_fault(fault f);
  // The n-th operation (a connect() or write() on any stream of this peer, 1-based) fails
  // with `ec` and transfers nothing (bytes_sent() does not move). Call again for more.
  void fail_operation(std::size_t n, std::error_code ec = transport_errc::connection_reset);
  // connect() never completes (only close() ends it, with aborted).
  void stall_connect(bool on);
  // close() on a stream does not complete until release_closes() (for close timeouts).
  void stall_close(bool on);
  // Completes every close() held back by stall_close, in order.
  void release_closes();
  // After each response the peer closes the connection (the client reads EOF).
  void close_after_response(bool on);
  // Delivers responses in pieces of at most n bytes (0: in one piece).
  void split_responses(std::size_t n);

  std::size_t connections() const;   // streams that connected
  std::size_t requests() const;      // complete requests received
  std::size_t operations() const;    // connect() and write() calls so far
  std::size_t open_streams() const;  // streams not yet closed or destroyed

  // The factory for a scheme: every stream it makes talks to this peer.
  std::shared_ptr<wst::transport> transport() const;

  struct state;

 private:
  std::shared_ptr<state> s_;
};

}  // namespace wst::detail::memory
