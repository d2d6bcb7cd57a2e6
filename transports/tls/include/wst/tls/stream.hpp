// wst::detail::tls::stream: TLS as a filter over any wst::byte_stream (client or server side).
//
//   client: connect() connects the lower stream (unless told it already is), runs the
//           handshake with SNI and certificate verification, then completes.
//   server: connect() waits for the ClientHello on the already-connected (accepted) lower
//           stream and completes once the handshake is done (the client certificate, when
//           required, has been verified).
// write() encrypts and hands the records to the lower stream; it completes when the lower
// write does. start_read() delivers decrypted bytes as records arrive. close() sends
// close_notify (when the session is up) and closes the lower stream.
//
// Threading and completion follow wst::byte_stream: every call on the loop thread, every
// callback on it and never from inside the call that started the operation, each operation
// completes exactly once. Completions the filter decides by itself (a write on a failed
// stream, buffered data for a new reader) are deferred through the stream's event_loop.
// Written plaintext is zeroed once encrypted (write and write_sensitive alike).
//
// The handshake is bounded by the context's handshake_timeout (a timer on the stream's loop,
// from the moment the lower stream is connected): transport_errc::timed_out.
//
// Errors: those of the engine (see engine.hpp); errors of the lower stream pass through
// unchanged (timed_out, connection_reset, ...); the lower stream's end of stream becomes
// tls_handshake_failed during the handshake and connection_reset afterwards unless the peer
// sent close_notify first (a close without close_notify may hide a truncation attack).
// Misuse (write before connect completed, connect twice) fails with std::errc::not_connected
// or std::errc::already_connected. last_failure() has the readable reason of the stream's
// failure, and error_detail() reports it to whoever holds the stream as a byte_stream (the
// HTTP exchange, which puts it into WS_ERROR).
//
// Received plaintext is buffered only while a reader is registered or for one lower chunk;
// with no reader the filter stops reading from the lower stream (back pressure).
#pragma once

#include <wst/base/result.hpp>
#include <wst/tls/context.hpp>
#include <wst/tls/engine.hpp>
#include <wst/transport.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace wst::detail::tls {

class stream final : public byte_stream {
 public:
  // Client side. With connect_lower = false the lower stream is already connected (for
  // example a proxy tunnel) and connect() only runs the handshake.
  // `loop` is the loop the lower stream lives on; it must outlive the stream.
  static result<std::unique_ptr<stream>> client(std::unique_ptr<byte_stream> lower,
                                                event_loop& loop,
                                                std::shared_ptr<const client_context> context,
                                                std::string_view host, std::uint16_t port,
                                                std::shared_ptr<session_cache> sessions,
                                                bool connect_lower = true);
  // Server side over an accepted (connected) lower stream.
  static result<std::unique_ptr<stream>> server(std::unique_ptr<byte_stream> lower,
                                                event_loop& loop,
                                                std::shared_ptr<const server_context> context,
                                                std::shared_ptr<session_cache> sessions);

  // Closes the lower stream if close() was not called; pending callbacks are dropped.
  ~stream() override;

  void connect(completion done) override;
  void write(std::string bytes, completion done) override;
  void start_read(data_handler on_data) override;
  void stop_read() override;
  void close(completion done) override;
  void write_sensitive(std::string bytes, completion done) override;
  // Application bytes handed to the lower stream since connect(); 0 also when the lower
  // stream proves that none of the records carrying them left.
  std::optional<std::uint64_t> bytes_sent() const override;
  // Open, not failed, no close_notify received, nothing unread, and the lower stream agrees.
  bool is_reusable() const override;

  // The failure that ended the stream (code zero while healthy), with its readable reason.
  const failure& last_failure() const noexcept;
  // last_failure()'s reason once the stream failed (e.g. "server certificate rejected:
  // Certificate has expired (...)", "the peer's bytes are not TLS (...)", "the TLS handshake
  // did not complete within 30000 ms"; a lower failure's reason follows "the connection below
  // TLS failed: "); before that, the lower stream's error_detail() for an error it reported
  // through the filter (a failed write). What the exchange puts into WS_ERROR.
  std::string error_detail() const override;
  // Facts about the session once connect() succeeded.
  session_info info() const;


 private:
  struct core;  // the state, shared with in-flight lower-stream callbacks
  explicit stream(std::shared_ptr<core> c);
  std::shared_ptr<core> core_;
};

}  // namespace wst::detail::tls
