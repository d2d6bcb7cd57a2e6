// A small HTTP/1.1 server over accepted byte streams, for the sample STS, tests and benchmarks.
// Not a general web server: one request at a time per connection, bodies in memory, the
// same limits as the client (http::limits), keep-alive as the client asks.
#pragma once

#include <wst/http/message.hpp>
#include <wst/transport.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace wst::detail::transport {

class http_server {
 public:
  // Completes a request with the complete response bytes (http::write_response makes them).
  // Call it once, on the loop thread, now or later. A response that carries
  // "Connection: close" or answers a request that asked for it ends the connection.
  using respond = std::function<void(std::string response)>;
  using handler = std::function<void(const http::request& req, respond done)>;

  // Lives on `loop`; every member is called on its thread.
  http_server(event_loop& loop, handler h, http::limits limits = {});
  // Closes every connection still open without waiting for the closes to finish.
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Serves requests on an accepted, connected stream until the client closes it or an error.
  // A malformed request gets 400 (413 when too large) and the connection is closed.
  void serve(std::unique_ptr<byte_stream> s);
  // Closes every connection; `done` runs once all have closed.
  void close(std::function<void()> done);

  std::size_t connections() const;
  std::uint64_t requests_served() const;

 private:
  struct state;
  std::shared_ptr<state> s_;
};

}  // namespace wst::detail::transport
