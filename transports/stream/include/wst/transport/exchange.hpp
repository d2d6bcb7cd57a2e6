// The HTTP request/reply exchange: one SOAP POST over a pooled keep-alive connection.
//
// This is what the channel actor calls. An exchange belongs to one event loop: create it,
// call it and destroy it on that loop's thread. Each send() ends in exactly one call of its
// reply handler, on the loop thread, never from inside send(), cancel(), abort_all() or
// close() themselves. A handler may call back into the exchange (even destroy it).
//
// Pooling, per endpoint (scheme + host + port):
//   - an idle keep-alive connection is reused (most recently used first) if its stream still
//     reports is_reusable() and the idle read saw no EOF, reset or stray byte;
//   - otherwise a new connection is opened while fewer than max_connections are open;
//   - otherwise the request waits in a FIFO queue of at most max_queued requests; a request
//     that finds it full fails at once with transport_errc::queue_full;
//   - an idle connection is closed after idle_timeout;
//   - a request on a reused connection that fails with nothing of it sent (the stream's
//     bytes_sent() did not move, no response byte came) is retried once on a fresh
//     connection; once any byte was sent it is never retried (a POST is not idempotent).
// Timeouts (WWSAPI defaults): connect() of a stream must finish within resolve + connect
// (the TCP stream enforces each one precisely on its own), the request must be written within
// send, the whole response must arrive within receive after that, close() waits at most close.
#pragma once

#include <wst/base/result.hpp>
#include <wst/http/message.hpp>
#include <wst/http/writer.hpp>
#include <wst/transport.hpp>
#include <wst/transport/scheme_registry.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace wst::detail::transport {

struct timeouts {
  std::chrono::milliseconds resolve{60000};
  std::chrono::milliseconds connect{30000};
  std::chrono::milliseconds send{30000};
  std::chrono::milliseconds receive{30000};
  std::chrono::milliseconds close{5000};
};

struct exchange_options {
  timeouts time;
  std::size_t max_connections = 16;               // open connections per endpoint (>= 1)
  std::size_t max_queued = 1024;                  // requests waiting per endpoint for a connection
  std::chrono::milliseconds idle_timeout{60000};  // an idle pooled connection is closed after
  http::limits limits;  // response limits (max message size 65,536 by default)
};

// One SOAP request. The body and credentials are kept until the reply (a retry resends them);
// the credentials are wiped when the request is done.
struct soap_call {
  std::string url;
  http::soap_version version = http::soap_version::soap12;
  std::string action;
  std::string body;
  std::optional<http::basic_credentials> credentials;
};

// The reply: a final response that passed http::check_soap_reply for the call's SOAP version
// (a 2xx with the SOAP media type, or a 400/500 that may carry a SOAP fault), or a failure:
// transport_errc (connection, timeouts, queue_full, aborted, invalid_url, shutting_down) or
// http::errc (malformed, too large, redirect, 401..., wrong_content_type, unsupported_charset).
// A failure of the stream itself carries what the exchange was doing and the stream's own
// reason (byte_stream::error_detail()), e.g. "connecting to 'https://sts.example': server
// certificate rejected: Certificate has expired (...)".
using reply_handler = std::function<void(result<http::response>)>;

class exchange {
 public:
  using request_id = std::uint64_t;

  struct stats {
    std::uint64_t connections_opened = 0;  // streams created since construction
    std::uint64_t retries = 0;             // requests resent after a dead keep-alive connection
    std::size_t open = 0;                  // connections open now (connecting, busy or idle)
    std::size_t idle = 0;
    std::size_t queued = 0;
    std::size_t in_flight = 0;  // requests not yet answered (queued included)
  };

  // `ctx` and `schemes` must outlive the exchange; ctx.loop() is the loop it runs on.
  exchange(stream_context& ctx, const scheme_registry& schemes, exchange_options options = {});
  // Aborts what is in flight (handlers still called, with aborted) and closes every connection
  // without waiting: the streams finish closing on the loop afterwards.
  ~exchange();
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;

  // Sends `call` and reports its reply to `on_reply`. Returns an id for cancel().
  request_id send(soap_call call, reply_handler on_reply);
  // Ends one request with transport_errc::aborted (closing its connection if it had one).
  // False when the id is unknown or already answered.
  bool cancel(request_id id);
  // Ends every request in flight or queued with transport_errc::aborted.
  void abort_all();
  // Aborts everything, refuses new requests (shutting_down) and closes every connection;
  // `done` gets {} once all are closed or transport_errc::timed_out after the close timeout.
  void close(std::function<void(std::error_code)> done);

  stats statistics() const;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace wst::detail::transport
