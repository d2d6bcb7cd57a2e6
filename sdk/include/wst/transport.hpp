// wst transport extension point: the byte stream every connection is made of.
//
// wst's own streams (TCP on libuv, TLS as a filter over any stream, the in-memory test peer)
// implement byte_stream, and so can a user's: register a factory for a URL scheme and
// channels whose endpoint uses that scheme get their connections from it (the C++
// counterpart of a WWSAPI custom channel binding). HTTP/1.1 framing runs on top of the
// stream, so a custom stream only moves bytes.
//
// Threading: a stream belongs to one event loop. Every member function is called on that
// loop's thread and every callback runs on it, never from inside the call that started the
// operation (no re-entrancy surprises). Each operation completes exactly once.
//
// The pieces, bottom up:
//   byte_stream   one connection: connect, write, read, close (mandatory) + optional hooks
//   event_loop    the loop a stream lives on: post work, one-shot timers (wst provides it)
//   stream_context what a factory gets: the loop plus wst's built-in TCP and Unix streams
//   transport     a user's factory for one URL scheme (create_stream mandatory, rest optional)
//   register_transport / unregister_transport   the process-wide scheme table
// docs/transports.md walks through writing a custom transport.
#pragma once

#include <wst/version.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

namespace wst {

// Errors a stream reports. Retryable ones say so; all others mean the connection is unusable.
enum class transport_errc {
  eof = 1,                  // the peer closed the connection cleanly (read side)
  connection_refused,       // nobody listens at the address (retryable on another address)
  connection_reset,         // the peer reset or dropped the connection mid-exchange
  host_not_found,           // name resolution found no address
  timed_out,                // resolve, connect, send or receive exceeded its timeout
  aborted,                  // the operation was cancelled by close() or an abort
  tls_verification_failed,  // the peer's certificate chain or host name did not verify
  tls_handshake_failed,     // TLS negotiation failed for another reason (alert, version)
  tls_protocol_error,       // the peer sent bytes that are not valid TLS
  message_too_large,        // a message exceeded the configured maximum size
  queue_full,               // every pooled connection is busy and the wait queue is full
  invalid_url,              // the endpoint URL cannot be parsed or its scheme is unknown
  io_error,                 // any other operating-system level failure (message has errno text)
  scheme_registered,        // register_transport: the scheme already has a transport
  shutting_down,            // the exchange is closing and accepts no new request
};
WST_API const std::error_category& transport_category() noexcept;
WST_API std::error_code make_error_code(transport_errc e) noexcept;

class byte_stream {
 public:
  using completion = std::function<void(std::error_code)>;
  // Receives each chunk as it arrives (the bytes are valid only during the call: copy what
  // must outlive it); on failure or end of stream one final call with a
  // non-zero error (transport_errc::eof for a clean close) and no data.
  using data_handler = std::function<void(std::error_code, const char* data, std::size_t size)>;

  virtual ~byte_stream() = default;

  // Establishes the connection (for a filter such as TLS: performs its handshake over the
  // already-connected lower stream).
  virtual void connect(completion done) = 0;
  // Sends all of `bytes`; done fires once they are handed to the lower layer.
  virtual void write(std::string bytes, completion done) = 0;
  // Starts delivering received bytes to on_data until stop_read(), close() or an error.
  virtual void start_read(data_handler on_data) = 0;
  virtual void stop_read() = 0;
  // Closes the connection; pending operations complete with transport_errc::aborted first.
  // Safe to call more than once.
  virtual void close(completion done) = 0;

  // Optional: whether a pooled idle connection still looks usable (no pending EOF/reset).
  virtual bool is_reusable() const { return true; }

  // Optional: like write(), for bytes that carry a secret (an HTTP Authorization header).
  // A stream that can should zero its copy of `bytes` once they are sent or dropped. The
  // default forwards to write().
  virtual void write_sensitive(std::string bytes, completion done) {
    write(std::move(bytes), std::move(done));
  }

  // Optional: how many bytes of written data this stream has handed towards the peer since
  // connect() (for a filter: application bytes, not record overhead), or nullopt when it
  // cannot tell. The HTTP exchange retries a request on a fresh connection only when the
  // count proves that none of it left; with nullopt it never retries.
  virtual std::optional<std::uint64_t> bytes_sent() const { return std::nullopt; }

  // Optional: readable detail about the last error this stream reported (for example the
  // resolver's or the operating system's words), appended to the message the caller sees.
  // Never contains secrets. Empty when the error code says it all.
  virtual std::string error_detail() const { return {}; }
};

// The event loop a stream lives on. wst implements it (one per loop thread); a custom stream
// uses it to defer its callbacks and to time things.
class event_loop {
 public:
  using timer_id = std::uint64_t;
  using task = std::function<void()>;

  virtual ~event_loop() = default;

  // Runs `fn` on the loop thread later, never inside this call. Callable from any thread.
  // Tasks posted from one thread run in the order posted.
  virtual void post(task fn) = 0;
  // Loop thread only: calls `fn` once after `delay` (>= 0) on the loop thread. Returns an id
  // (never 0) for cancel_timer.
  virtual timer_id start_timer(std::chrono::milliseconds delay, task fn) = 0;
  // Loop thread only: stops a timer before it fires; true when it was still pending. Unknown
  // or already fired ids are ignored (false).
  virtual bool cancel_timer(timer_id id) = 0;
  // Whether the calling thread is this loop's thread.
  virtual bool in_loop_thread() const = 0;
};

// A parsed endpoint URL, as a transport sees it.
struct endpoint {
  std::string scheme;      // lower case, e.g. "http", "https", "http+unix"
  std::string host;        // percent-decoded; an IPv6 literal without its brackets
  std::uint16_t port = 0;  // the URL's port or the scheme's default (0 when it has none)
  std::string target;      // path and query as sent in the request line, at least "/"
  bool ipv6_literal = false;
  bool explicit_port = false;  // whether the URL named the port

  // host[:port] for an HTTP Host header: brackets around IPv6, port only when explicit.
  WST_API std::string authority() const;
};

// Given to a transport when it creates a stream: the loop the stream must live on, plus the
// streams wst has built in, for a transport that wraps or reuses them.
class stream_context {
 public:
  virtual ~stream_context() = default;
  virtual event_loop& loop() = 0;
  // A TCP stream to host:port (resolves the name, tries each address in turn, TCP_NODELAY),
  // bound by the exchange's resolve and connect timeouts. Not yet connected.
  virtual std::unique_ptr<byte_stream> tcp_stream(const std::string& host, std::uint16_t port) = 0;
  // A stream over the Unix-domain socket at `path`. Not yet connected.
  virtual std::unique_ptr<byte_stream> unix_stream(const std::string& path) = 0;
};

// A custom transport: makes the streams for one URL scheme (WWSAPI's custom channel binding).
// One instance serves every loop thread, so create_stream may run on several loop threads at
// once; keep it free of unguarded shared state.
class transport {
 public:
  virtual ~transport() = default;

  // Mandatory: a new, not yet connected stream to `where`, living on ctx.loop(). The caller
  // calls connect() and owns the stream. nullptr means "cannot reach this endpoint" and fails
  // the request with transport_errc::invalid_url.
  virtual std::unique_ptr<byte_stream> create_stream(const endpoint& where,
                                                     stream_context& ctx) = 0;

  // Optional: the port assumed when the URL names none; 0 means a URL without a port is
  // accepted and endpoint::port stays 0 (for example a socket path in the host part).
  virtual std::uint16_t default_port() const { return 0; }

  // Optional: the Host header sent to `where` (default: where.authority()).
  virtual std::string host_header(const endpoint& where) const { return where.authority(); }
};

// Registers `t` for URL scheme `scheme` (RFC 3986 scheme syntax, compared case-insensitively)
// in the process-wide table that channels consult. Thread-safe; affects connections opened
// afterwards. Errors: transport_errc::invalid_url for a malformed scheme or a built-in one
// ("http", "https"), transport_errc::scheme_registered when the scheme is taken,
// std::errc::invalid_argument for a null transport.
WST_API std::error_code register_transport(const std::string& scheme, std::shared_ptr<transport> t);
// Removes a registration; false when the scheme had none. Streams already made live on.
WST_API bool unregister_transport(const std::string& scheme);

}  // namespace wst

namespace std {
template <>
struct is_error_code_enum<wst::transport_errc> : true_type {};
}  // namespace std
