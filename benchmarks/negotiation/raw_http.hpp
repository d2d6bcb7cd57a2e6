// The floor: HTTP/1.1 with nothing above it. libuv for the sockets, llhttp for the response
// framing, and the same request bytes sent again and again over keep-alive connections; no
// XML, no actors, no allocation per request. Whatever wst adds on top of this is its cost.
//
// Also the two raw tools the benchmark needs around it: one exchange of given bytes (to get a
// real signed response out of the STS, and its /stats), and a listener that captures the
// exact bytes wst sends.
#pragma once

#include "measure.hpp"

#include <wst/base/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace wst::bench {

// A closed-loop raw load against 127.0.0.1:port: `connections` keep-alive connections, requests
// started as the window allows (the window's concurrency = `in_flight`; requests beyond the
// connection count wait in a FIFO queue, as they do in wst's connection pool), each answer
// checked for status 200.
struct raw_load {
  std::uint16_t port = 0;
  std::string request;  // one complete HTTP/1.1 request
  std::size_t connections = 1;
  std::size_t in_flight = 1;
};

// Runs the load on the calling thread (its own libuv loop) until the window is complete, then
// closes every connection. Fails only when the loop cannot be set up; failed requests are
// counted in the window.
detail::result<void> run_raw(const raw_load& load, run_window& window);

struct raw_response {
  int status = 0;
  std::string body;
};

// Sends `request` once over a new connection to 127.0.0.1:port and returns the response.
detail::result<raw_response> exchange_once(std::uint16_t port, const std::string& request,
                                           std::chrono::milliseconds limit);

// Listens on 127.0.0.1 (any free port) and keeps the exact bytes of the first complete HTTP
// request received; that request is answered 503 (Connection: close). Runs its own loop thread.
class request_capture {
 public:
  static detail::result<std::unique_ptr<request_capture>> start();
  ~request_capture();
  request_capture(const request_capture&) = delete;
  request_capture& operator=(const request_capture&) = delete;

  std::uint16_t port() const noexcept;
  // The captured request, waiting up to `limit` for it.
  detail::result<std::string> wait(std::chrono::milliseconds limit);

  struct state;

 private:
  explicit request_capture(std::unique_ptr<state> s);
  std::unique_ptr<state> s_;
};

}  // namespace wst::bench
