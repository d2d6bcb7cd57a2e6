// The data the actors exchange and are configured with. Plain C++ (no CAF here), so code
// outside actors/ can build them; interfaces.hpp turns them into actor messages.
#pragma once

#include <wst/base/result.hpp>
#include <wst/core/environment.hpp>
#include <wst/core/request.hpp>
#include <wst/core/rstr_reader.hpp>
#include <wst/http/message.hpp>
#include <wst/http/writer.hpp>
#include <wst/tls/context.hpp>
#include <wst/transport.hpp>
#include <wst/transport/exchange.hpp>
#include <wst/transport/scheme_registry.hpp>
#include <wst/xml/reader.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wst::detail::actors {

// --- channel ----------------------------------------------------------------------------------

// WS_CHANNEL_STATE, same numbers (accepting = 2 belongs to listening channels: wst has none).
enum class channel_state : int { created = 0, opening = 1, open = 3, faulted = 4, closing = 5, closed = 6 };
std::string_view to_string(channel_state s) noexcept;

// Everything about how a channel reaches its STS. Fixed for the channel's life.
struct channel_settings {
  std::string url;  // the STS endpoint (http, https or a registered custom scheme)
  transport::timeouts time;  // resolve/connect/send/receive per request; close for close()
  std::size_t max_connections = 16;   // pooled keep-alive connections (>= 1)
  std::size_t max_queued = 8192;      // requests waiting for a connection before queue_full
  std::chrono::milliseconds idle_timeout{60000};
  http::limits limits;                // response limits (max message size 65,536 by default)
  std::optional<http::basic_credentials> basic;  // HTTP Basic on every request
  tls::client_options tls;            // used when the URL is https
};

// Where a channel's I/O runs. The loop must outlive the channel's I/O side, which is destroyed
// on the loop after the channel actor ends.
struct channel_site {
  wst::event_loop* loop = nullptr;
  // Makes the stream context of one channel's exchange on `loop` (called on the loop thread
  // when the channel opens; the settings carry the resolve and connect timeouts).
  std::function<std::unique_ptr<wst::stream_context>(const channel_settings&)> make_streams;
  // Where schemes other than http/https are looked up; nullptr = scheme_registry::global()
  // (what wst::register_transport fills). Must outlive the channel's I/O side.
  const transport::scheme_registry* schemes = nullptr;
};

// The channel's state and load as last published by the channel actor; readable from any
// thread without asking the actor (WsGetChannelProperty, the client's faulted-channel check,
// metrics).
class channel_observer {
 public:
  channel_state state() const noexcept { return state_.load(std::memory_order_acquire); }
  // Requests accepted and not yet answered (waiting for the open, queued or on the wire).
  std::size_t in_flight() const noexcept { return in_flight_.load(std::memory_order_acquire); }

  void publish(channel_state s) noexcept { state_.store(s, std::memory_order_release); }
  void publish_in_flight(std::size_t n) noexcept { in_flight_.store(n, std::memory_order_release); }

 private:
  std::atomic<channel_state> state_{channel_state::created};
  std::atomic<std::size_t> in_flight_{0};
};

// Whether a failure leaves a channel's connection unusable (it faults an open channel):
// refused, reset, EOF, DNS, timeouts, TLS failures, I/O errors, garbled or truncated HTTP.
bool leaves_channel_unusable(std::error_code ec) noexcept;

// One SOAP request as a caller (or a negotiation of the channel) hands it to the channel.
struct soap_request {
  std::string action;
  std::string body;
  http::soap_version version = http::soap_version::soap12;
};

// The channel's answer: an HTTP response that carries a SOAP reply (2xx, or 400/500 that may
// hold a fault), or the failure (transport, http, or actors errc).
struct soap_reply {
  failure error;  // error.code zero: `response` is valid
  http::response response;
  bool ok() const noexcept { return !error.code; }
};

// Outcome of open/close/abort/reset.
struct op_status {
  failure error;  // error.code zero: success
  bool ok() const noexcept { return !error.code; }
};

// --- negotiations -------------------------------------------------------------------------------

// A ticket no other caller in this process uses: what a negotiation or request is cancelled
// by on its channel (and a waiter by on a token store). Never 0.
std::uint64_t next_ticket() noexcept;

// What one negotiation needs besides its channel.
struct negotiation_job {
  core::request_description description;
  // Clock, randomness and message ids; nullptr = core::system_environment(). A custom one must
  // be safe to use from the scheduler threads, and outlive the negotiation.
  core::environment* env = nullptr;
  xml::limits limits;                    // bounds on the reply's XML
  std::chrono::milliseconds deadline{0};  // whole negotiation; 0 = only the channel's timeouts
};

// A negotiation's single answer: the issued token, or why there is none.
struct token_reply {
  failure error;  // error.code zero: `token` is set
  std::shared_ptr<const core::issued_token> token;
  bool ok() const noexcept { return !error.code; }
};

// Where the single answer of a token request goes when the caller is no actor (wst::client,
// the C facade): the actor that takes the request calls deliver() exactly once - with the
// result, or with the failure that ended it (cancel, abort, shutdown). A sink whose request
// was dropped unanswered (its message never reached a live actor) is destroyed without a
// deliver(): its owner's destructor then answers (wst's own sinks answer aborted), so the
// caller's completion still runs exactly once. deliver() runs on a scheduler thread and must
// not block.
class token_sink {
 public:
  virtual ~token_sink() = default;
  virtual void deliver(token_reply r) noexcept = 0;
};
using token_sink_ptr = std::shared_ptr<token_sink>;

// --- token store --------------------------------------------------------------------------------

struct store_options {
  std::size_t max_entries = 1024;  // keys kept; the least recently used idle one goes first
  // A token is renewed once this fraction of its usable lifetime (from receipt to expiry
  // minus the clock skew) has passed, if it was handed out since it arrived. (0, 1].
  double renew_fraction = 0.8;
  // A token counts as expired this long before its wsu:Expires (clocks of client and STS
  // disagree; a token handed out must still be valid when it reaches the relying party).
  std::chrono::milliseconds clock_skew{60000};
  // After a failed background renewal, the next attempt (while the old token is valid).
  std::chrono::milliseconds renew_retry{30000};
  // The wall clock at start (now()); the store then follows the actor clock, so CAF's test
  // scheduler moves it. nullptr = core::system_environment().
  core::environment* env = nullptr;
};

// Counters of a token store (for tests, metrics and benchmarks).
struct store_stats {
  std::size_t entries = 0;        // keys known (with a token, a flight, or both)
  std::size_t tokens = 0;         // entries holding a usable token
  std::uint64_t hits = 0;         // gets answered from the cache
  std::uint64_t misses = 0;       // gets that had to wait for a negotiation
  std::uint64_t negotiations = 0; // negotiations started (issue, renew and reissue)
  std::uint64_t renewals = 0;     // background renewals started
  std::uint64_t renew_failures = 0;
  std::uint64_t evictions = 0;
  std::uint64_t expirations = 0;  // tokens dropped because they expired unused
};

// The cache key of a request: a SHA-256 (hex) over everything that makes tokens differ - the
// channel identity (caller-defined: URL, TLS and HTTP credentials), SOAP and WS-Addressing
// versions, STS address, applies-to, trust and SC versions, token type, action, key type, key
// size, entropy mode, bearer version, parameters, the supporting token presented, and the
// UsernameToken user and a digest of its password (two callers with different passwords never
// share a token). Holds no secret.
std::string identity_key(const core::request_description& d, std::string_view channel_identity);

}  // namespace wst::detail::actors
