// A minimal listening socket (TCP or Unix domain) for tests, benchmarks and the sample STS:
// every accepted connection is handed over as a connected wst::byte_stream.
#pragma once

#include <wst/base/result.hpp>
#include <wst/transport.hpp>
#include <wst/uv/runtime.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace wst::detail::uv {

class listener {
 public:
  // Receives each accepted connection (already connected: connect() completes at once).
  using accept_handler = std::function<void(std::unique_ptr<wst::byte_stream>)>;

  // Loop thread only, like every member.
  explicit listener(loop_thread& loop);
  // Closes the socket if still open (no callback).
  ~listener();
  listener(const listener&) = delete;
  listener& operator=(const listener&) = delete;

  // Binds host:port (port 0 picks a free one, see port()) and starts accepting. `backlog` is
  // passed to listen(2); accept_connections(false) with a small backlog leaves connections
  // waiting in the kernel queue (a full backlog makes further connects hang: how tests
  // provoke a connect timeout on loopback).
  result<void> listen_tcp(const std::string& host, std::uint16_t port, accept_handler on_accept,
                          int backlog = 128);
  // Binds a Unix-domain socket at `path` (an existing socket file there is replaced).
  result<void> listen_unix(const std::string& path, accept_handler on_accept, int backlog = 128);
  // Whether connections are accepted (default) or left in the kernel's queue.
  void accept_connections(bool on);
  std::uint16_t port() const noexcept;
  // Stops listening; `done` runs once the socket is closed.
  void close(std::function<void()> done);

 private:
  struct impl;
  impl* p_;
};

}  // namespace wst::detail::uv
