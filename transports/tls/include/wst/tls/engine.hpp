// wst::detail::tls::engine: a sans-I/O TLS 1.2 endpoint (client or server) over Botan.
//
// The engine never touches a socket. Feed it the bytes the peer sent (receive) and the bytes
// the application wants to send (send); it produces ciphertext for the peer
// (take_ciphertext) and decrypted bytes for the application (plaintext). A client emits its
// ClientHello as soon as it is created, so take_ciphertext() after creation has bytes.
//
// Failures are wst::transport_errc values, with the reason in the failure's message:
//   tls_verification_failed  the peer's certificate chain or host name did not verify
//   tls_handshake_failed     negotiation failed otherwise (alert from the peer, no common
//                            cipher suite, missing client certificate, peer closed early)
//   tls_protocol_error       the peer's bytes are not valid TLS (bad framing, bad MAC, ...)
//   connection_reset         the peer aborted an established session with a fatal alert
// After a failure the engine is dead: later calls fail with the same failure. Its
// take_ciphertext() may still hold the fatal alert to send to the peer before closing.
//
// An engine is used by one thread at a time; it is cheap compared to its context.
#pragma once

#include <wst/base/result.hpp>
#include <wst/tls/context.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace wst::detail::tls {

// Facts about an established session.
struct session_info {
  bool resumed = false;        // abbreviated handshake: an earlier session was resumed
  std::string session_id;      // hex; equal across a resumption by session id
  std::string cipher_suite;    // e.g. "ECDHE_RSA_WITH_AES_256_GCM_SHA384"
  std::string version;         // "TLS v1.2"
  std::string server_name;     // the SNI the client sent (server side; empty when none)
  std::string peer_subject;    // subject DN of the peer's leaf certificate (empty when none)
};

class engine {
 public:
  // What one receive() produced besides plaintext.
  struct progress {
    bool handshake_completed = false;  // the session became usable during this call
    bool peer_closed = false;          // the peer sent close_notify: no more data follows
  };

  // A client for `host` (DNS name or IP literal, brackets allowed; used for SNI, host name
  // verification and as session key together with `port`). `sessions` may be null (no
  // resumption). Fails with transport_errc::invalid_url on an empty or malformed host.
  static result<std::unique_ptr<engine>> client(std::shared_ptr<const client_context> context,
                                                std::string_view host, std::uint16_t port,
                                                std::shared_ptr<session_cache> sessions);
  // A server waiting for a ClientHello. `sessions` may be null (no resumption).
  static result<std::unique_ptr<engine>> server(std::shared_ptr<const server_context> context,
                                                std::shared_ptr<session_cache> sessions);

  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // Processes bytes from the peer. Decrypted bytes are appended to plaintext(); handshake
  // replies and alerts to the ciphertext buffer. Data after close_notify is ignored.
  result<progress> receive(const char* data, std::size_t size);
  // Encrypts application bytes (only once established() and before close()).
  result<void> send(const char* data, std::size_t size);
  // Queues close_notify; afterwards send() fails. Idempotent.
  void close();

  // Ciphertext produced so far (moved out; the buffer is left empty).
  std::string take_ciphertext();
  bool has_ciphertext() const noexcept;
  // Plaintext received and not yet taken.
  std::string_view plaintext() const noexcept;
  // Moves the received plaintext into `into` (its old content is discarded) and leaves the
  // engine with `into`'s old storage: two buffers in rotation, no allocation per record.
  void take_plaintext(std::string& into) noexcept;

  bool established() const noexcept;  // handshake done, no failure, not closed
  bool peer_closed() const noexcept;  // close_notify received
  bool failed() const noexcept;
  const failure& last_failure() const noexcept;  // meaningful when failed()
  session_info info() const;                      // meaningful once established

 private:
  struct impl;
  explicit engine(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace wst::detail::tls
