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
#pragma once

#include <wst/version.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

namespace wst {

// Errors a stream reports. Retryable ones say so; all others mean the connection is unusable.
enum class transport_errc {
  eof = 1,                 // the peer closed the connection cleanly (read side)
  connection_refused,      // nobody listens at the address (retryable on another address)
  connection_reset,        // the peer reset or dropped the connection mid-exchange
  host_not_found,          // name resolution found no address
  timed_out,               // resolve, connect, send or receive exceeded its timeout
  aborted,                 // the operation was cancelled by close() or an abort
  tls_verification_failed, // the peer's certificate chain or host name did not verify
  tls_handshake_failed,    // TLS negotiation failed for another reason (alert, version)
  tls_protocol_error,      // the peer sent bytes that are not valid TLS
  message_too_large,       // a message exceeded the configured maximum size
  queue_full,              // every pooled connection is busy and the wait queue is full
  invalid_url,             // the endpoint URL cannot be parsed or its scheme is unknown
  io_error,                // any other operating-system level failure (message has errno text)
};
WST_API const std::error_category& transport_category() noexcept;
WST_API std::error_code make_error_code(transport_errc e) noexcept;

class byte_stream {
 public:
  using completion = std::function<void(std::error_code)>;
  // Receives each chunk as it arrives; on failure or end of stream one final call with a
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
};

}  // namespace wst

namespace std {
template <>
struct is_error_code_enum<wst::transport_errc> : true_type {};
}  // namespace std
