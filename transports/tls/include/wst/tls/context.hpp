// wst TLS configuration: options, the loaded contexts built from them, and the session cache.
//
// A context holds everything that is the same for every connection to (or from) one
// endpoint: the wst TLS policy, the trust store, the own certificate and key. Building it
// reads and parses files once; afterwards it is immutable and may be shared by any number of
// connections on any threads. A session_cache lets later connections to the same endpoint
// resume an earlier TLS session (abbreviated handshake); share one per endpoint.
//
// The wst policy is fixed: TLS 1.2 only, ECDHE key exchange, AEAD ciphers (AES-GCM,
// ChaCha20-Poly1305), SHA-2 signatures, RSA keys of at least 2048 bits, no renegotiation.
//
// Only std types appear here; Botan stays inside transports/tls/src.
#pragma once

#include <wst/base/result.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <system_error>

namespace wst::detail::tls {

// Configuration errors (building a context). Connection outcomes use wst::transport_errc.
enum class errc {
  file_unreadable = 1,      // a certificate, key or CRL file cannot be read or is too large
  invalid_certificate,      // PEM data holds no certificate, or one that cannot be parsed
  invalid_private_key,      // the key cannot be parsed or decrypted, or does not match the certificate
  invalid_crl,              // PEM data meant to hold CRLs holds none, or one that cannot be parsed
  trust_store_unavailable,  // the system CA bundle cannot be loaded
  missing_credentials,      // a certificate was given without its key (or the reverse), or a server has none
};
const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

// PEM data given inline or read from a file. `text` wins when both are set; both empty means
// "not configured".
struct pem_source {
  std::string file;  // path of a PEM file (read once, when the context is built)
  std::string text;  // the PEM text itself

  bool empty() const noexcept { return file.empty() && text.empty(); }
};

// Largest PEM file a context reads (a full system bundle is about 200 KiB).
inline constexpr std::size_t max_pem_size = 8 * 1024 * 1024;

// How a client verifies the server and authenticates itself.
struct client_options {
  // Verify the server's certificate chain against the trust store. Off only for tests and
  // diagnostics: without it anyone on the path can read and change the traffic.
  bool verify_peer = true;
  // Check that the server's certificate names the host the client connects to: a DNS name
  // (wildcards in the leftmost label allowed) or, for an IP literal, an IP address entry.
  bool verify_host_name = true;
  // Require revocation data for every certificate of the chain (an OCSP response stapled by
  // the server or a CRL from `crls`); a chain without it fails. When false, revocation data
  // that is present is still honoured. No online OCSP/CRL fetch is ever made.
  bool check_revocation = false;
  // CA certificates to trust instead of the system bundle (/etc/ssl/certs/ca-certificates.crt).
  pem_source trusted_ca;
  // Certificate revocation lists ("X509 CRL" PEM blocks) issued by the trusted CAs.
  pem_source crls;
  // Client certificate for mutual TLS: chain in PEM (leaf first) and its private key
  // (PKCS#8 PEM, "PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" with `private_key_password`).
  pem_source certificate_chain;
  pem_source private_key;
  std::string private_key_password;
  // Longest a TLS stream waits for its handshake once the lower stream is connected; then
  // connect() fails with transport_errc::timed_out. Zero disables the limit.
  std::chrono::milliseconds handshake_timeout{30000};
};

// How a server presents itself and which client certificates it accepts.
struct server_options {
  pem_source certificate_chain;  // required: leaf first, then intermediates
  pem_source private_key;        // required
  std::string private_key_password;
  // Ask clients for a certificate and reject the handshake when none (or an invalid one) comes.
  bool require_client_certificate = false;
  // CAs whose client certificates are accepted; empty means the system bundle.
  pem_source client_ca;
  pem_source crls;
  bool check_revocation = false;  // as in client_options, for client certificates
  // Longest a server stream waits for a client to complete its handshake (slow or silent
  // clients); zero disables the limit.
  std::chrono::milliseconds handshake_timeout{30000};
};

// Loaded configuration (opaque; defined in the implementation). Immutable and thread-safe.
class client_context;
class server_context;
// Sessions kept for resumption; thread-safe. Clients key sessions by host and port.
class session_cache;

// Reads and checks every file the options name. Failures use tls::errc with the path and
// the parser's reason in the message.
result<std::shared_ptr<const client_context>> make_client_context(const client_options& options);
result<std::shared_ptr<const server_context>> make_server_context(const server_options& options);

// A cache of at most `max_sessions` sessions, each usable for `lifetime` (0 = nothing is
// cached). Session secrets are kept encrypted in memory and erased with the cache.
std::shared_ptr<session_cache> make_session_cache(std::size_t max_sessions = 64,
                                                  std::chrono::seconds lifetime = std::chrono::hours(2));

}  // namespace wst::detail::tls

namespace std {
template <>
struct is_error_code_enum<wst::detail::tls::errc> : true_type {};
}  // namespace std
