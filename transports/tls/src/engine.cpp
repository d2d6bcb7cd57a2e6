// The sans-I/O TLS engine: a Botan TLS::Client or TLS::Server driven by byte buffers.
#include <wst/tls/engine.hpp>
#include <wst/transport.hpp>

#include "botan_context.hpp"

#include <botan/exceptn.h>
#include <botan/hex.h>
#include <botan/mem_ops.h>
#include <botan/system_rng.h>
#include <botan/tls_callbacks.h>
#include <botan/tls_client.h>
#include <botan/tls_exceptn.h>
#include <botan/tls_extensions.h>
#include <botan/tls_messages.h>
#include <botan/tls_server.h>

#include <algorithm>
#include <optional>

namespace wst::detail::tls {

namespace {

// Largest record body TLS 1.2 allows on the wire (2^14 plaintext + 2048 expansion).
constexpr std::size_t max_record_body = 16384 + 2048;

// Follows the record framing of the peer's bytes (type, version, length) so that bytes that
// are not TLS at all are reported as such before Botan sees them.
class record_scanner {
 public:
  // Empty when `data` continues valid framing, else the reason it does not.
  std::string scan(const unsigned char* data, std::size_t size) {
    for (std::size_t i = 0; i < size;) {
      if (body_left_ > 0) {
        const std::size_t n = std::min(body_left_, size - i);
        body_left_ -= n;
        i += n;
        continue;
      }
      if (records_ == 0) preview_.push_back(static_cast<char>(data[i]));
      header_[have_++] = data[i++];
      if (have_ == 1 && (header_[0] < 20 || header_[0] > 23)) return garbage(i, size, data);
      if (have_ == 2 && header_[1] != 3) return garbage(i, size, data);
      if (have_ < 5) continue;
      have_ = 0;
      body_left_ = (std::size_t{header_[3]} << 8) | header_[4];
      if (body_left_ > max_record_body)
        return "the peer sent a TLS record of " + std::to_string(body_left_) + " bytes (at most " +
               std::to_string(max_record_body) + " allowed)";
      records_ += 1;
    }
    return {};
  }

 private:
  std::string garbage(std::size_t i, std::size_t size, const unsigned char* data) {
    if (records_ > 0) return "the peer's bytes stopped being TLS records";
    while (preview_.size() < 16 && i < size) preview_.push_back(static_cast<char>(data[i++]));
    std::string shown;
    for (const char c : preview_) {
      if (c >= 0x20 && c < 0x7f) {
        shown += c;
      } else {
        static const char digits[] = "0123456789abcdef";
        const auto u = static_cast<unsigned char>(c);
        shown += "\\x";
        shown += digits[u >> 4];
        shown += digits[u & 15];
      }
    }
    std::string reason = "the peer's bytes are not TLS (they start with \"" + shown + "\")";
    if (preview_.rfind("HTTP/", 0) == 0) reason += "; the server answered in plain HTTP";
    return reason;
  }

  unsigned char header_[5] = {};
  std::size_t have_ = 0;
  std::size_t body_left_ = 0;
  std::size_t records_ = 0;
  std::string preview_;
};

bool is_protocol_alert(Botan::TLS::Alert::Type t) {
  using A = Botan::TLS::Alert;
  return t == A::DECODE_ERROR || t == A::UNEXPECTED_MESSAGE || t == A::BAD_RECORD_MAC ||
         t == A::RECORD_OVERFLOW || t == A::DECRYPTION_FAILED || t == A::DECOMPRESSION_FAILURE;
}

// Lower case, without brackets or a trailing dot; empty when `host` is not a plausible host.
std::string normalize_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return {};
  std::string h;
  h.reserve(host.size());
  for (char c : host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == ':';
    if (!ok) return {};
    h += c;
  }
  if (h.find(':') != std::string::npos && ip_literal_bytes(h).empty()) return {};
  return h;
}

}  // namespace

struct engine::impl final : Botan::TLS::Callbacks {
  std::shared_ptr<const client_context> client_ctx;
  std::shared_ptr<const server_context> server_ctx;
  std::shared_ptr<session_cache> sessions;
  Botan::TLS::Session_Manager_Noop no_sessions;
  std::string host;      // client: normalized server host
  bool ip_host = false;  // client: host is an IP literal (no SNI then, RFC 6066)
  std::unique_ptr<Botan::TLS::Channel> channel;

  std::string out;    // ciphertext for the peer
  std::string plain;  // plaintext for the application
  record_scanner scanner;

  bool activated = false;       // set by Botan when the session becomes usable
  bool reported_active = false; // handshake_completed already returned
  bool full_handshake = false;  // a ClientKeyExchange went by: not a resumption
  bool peer_closed = false;
  bool closed = false;
  bool dead = false;
  failure fail;
  std::string verification_failure;  // set when our certificate check rejected the peer
  std::optional<Botan::TLS::Alert> peer_fatal_alert;
  session_info info;

  ~impl() override {
    channel.reset();  // Botan may still call back while it shuts down
    plain.resize(plain.capacity());
    Botan::secure_scrub_memory(plain.data(), plain.size());
  }

  Botan::TLS::Session_Manager& session_manager() { return sessions ? sessions->manager() : no_sessions; }

  failure die(failure f) {
    if (!dead) {
      dead = true;
      fail = std::move(f);
    }
    return fail;
  }

  // Turns an exception thrown by Botan while processing peer bytes into the wst failure.
  failure classify(const std::exception& e, bool tls_alert, Botan::TLS::Alert::Type alert) {
    if (!verification_failure.empty())
      return failure(transport_errc::tls_verification_failed, verification_failure);
    const bool protocol = tls_alert ? is_protocol_alert(alert) : true;
    if (protocol || reported_active) return failure(transport_errc::tls_protocol_error, e.what());
    return failure(transport_errc::tls_handshake_failed, e.what());
  }

  // ---- Botan::TLS::Callbacks ----
  void tls_emit_data(const uint8_t data[], size_t size) override {
    out.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_record_received(uint64_t, const uint8_t data[], size_t size) override {
    plain.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_alert(Botan::TLS::Alert alert) override {
    if (alert.type() == Botan::TLS::Alert::CLOSE_NOTIFY)
      peer_closed = true;
    else if (alert.is_fatal() && !peer_fatal_alert)
      peer_fatal_alert = alert;
    // Warning alerts (no_renegotiation, user_canceled) change nothing for us.
  }
  bool tls_session_established(const Botan::TLS::Session& session) override {
    info.session_id = Botan::hex_encode(session.session_id());
    info.cipher_suite = session.ciphersuite().to_string();
    info.version = session.version().to_string();
    return sessions != nullptr;
  }
  void tls_session_activated() override { activated = true; }
  void tls_inspect_handshake_msg(const Botan::TLS::Handshake_Message& message) override {
    if (message.type() == Botan::TLS::CLIENT_KEX) full_handshake = true;
  }
  void tls_modify_extensions(Botan::TLS::Extensions& extensions, Botan::TLS::Connection_Side side) override {
    if (side == Botan::TLS::CLIENT && ip_host)
      extensions.remove_extension(Botan::TLS::TLSEXT_SERVER_NAME_INDICATION);
  }
  void tls_examine_extensions(const Botan::TLS::Extensions& extensions, Botan::TLS::Connection_Side side) override {
    if (server_ctx && side == Botan::TLS::CLIENT) {
      if (const auto* sni = extensions.get<Botan::TLS::Server_Name_Indicator>()) info.server_name = sni->host_name();
    }
  }
  void tls_verify_cert_chain(const std::vector<Botan::X509_Certificate>& chain,
                             const std::vector<std::shared_ptr<const Botan::OCSP::Response>>& ocsp,
                             const std::vector<Botan::Certificate_Store*>&, Botan::Usage_Type usage,
                             const std::string&, const Botan::TLS::Policy&) override {
    verdict v;
    if (client_ctx) {
      if (!client_ctx->verify_peer) return;
      v = verify_chain(chain, ocsp, client_ctx->creds.trust, client_ctx->check_revocation, usage,
                       client_ctx->verify_host_name ? std::string_view(host) : std::string_view());
      if (!v.reason.empty()) verification_failure = "server certificate rejected: " + v.reason;
    } else {
      v = verify_chain(chain, ocsp, server_ctx->creds.trust, server_ctx->check_revocation, usage, {});
      if (!v.reason.empty()) verification_failure = "client certificate rejected: " + v.reason;
    }
    if (!v.reason.empty()) throw Botan::TLS::TLS_Exception(v.alert, verification_failure);
  }
};

engine::engine(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
engine::~engine() = default;

result<std::unique_ptr<engine>> engine::client(std::shared_ptr<const client_context> context, std::string_view host,
                                               std::uint16_t port, std::shared_ptr<session_cache> sessions) {
  auto s = std::make_unique<impl>();
  s->host = normalize_host(host);
  if (s->host.empty()) return failure(transport_errc::invalid_url, "'" + std::string(host) + "' is not a valid TLS host name");
  s->ip_host = !ip_literal_bytes(s->host).empty();
  s->client_ctx = std::move(context);
  s->sessions = std::move(sessions);
  try {
    // Botan writes the ClientHello through tls_emit_data from inside the constructor.
    s->channel = std::make_unique<Botan::TLS::Client>(
        *s, s->session_manager(), s->client_ctx->creds, s->client_ctx->tls_policy, Botan::system_rng(),
        Botan::TLS::Server_Information(s->host, s->client_ctx->session_scope, port),
        Botan::TLS::Protocol_Version::TLS_V12);
  } catch (const std::exception& e) {
    return failure(transport_errc::tls_handshake_failed, std::string("cannot start the TLS client: ") + e.what());
  }
  return std::unique_ptr<engine>(new engine(std::move(s)));
}

result<std::unique_ptr<engine>> engine::server(std::shared_ptr<const server_context> context,
                                               std::shared_ptr<session_cache> sessions) {
  auto s = std::make_unique<impl>();
  s->server_ctx = std::move(context);
  s->sessions = std::move(sessions);
  try {
    s->channel = std::make_unique<Botan::TLS::Server>(*s, s->session_manager(), s->server_ctx->creds,
                                                      s->server_ctx->tls_policy, Botan::system_rng());
  } catch (const std::exception& e) {
    return failure(transport_errc::tls_handshake_failed, std::string("cannot start the TLS server: ") + e.what());
  }
  return std::unique_ptr<engine>(new engine(std::move(s)));
}

result<engine::progress> engine::receive(const char* data, std::size_t size) {
  impl& s = *impl_;
  if (s.dead) return s.fail;
  progress p;
  if (s.peer_closed || size == 0) return p;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  if (std::string bad = s.scanner.scan(bytes, size); !bad.empty()) {
    try {
      if (!s.channel->is_closed()) s.channel->send_fatal_alert(Botan::TLS::Alert::DECODE_ERROR);
    } catch (const std::exception&) {
      // The alert is a courtesy; the failure below is what matters.
    }
    return s.die(failure(transport_errc::tls_protocol_error, std::move(bad)));
  }
  try {
    s.channel->received_data(bytes, size);
  } catch (const Botan::TLS::TLS_Exception& e) {
    return s.die(s.classify(e, true, e.type()));
  } catch (const std::exception& e) {
    return s.die(s.classify(e, false, Botan::TLS::Alert::NULL_ALERT));
  }
  if (s.peer_fatal_alert) {
    const std::string what = "the peer sent the fatal TLS alert '" + s.peer_fatal_alert->type_string() + "'";
    if (!s.reported_active) return s.die(failure(transport_errc::tls_handshake_failed, what));
    return s.die(failure(transport_errc::connection_reset, what));
  }
  if (s.activated && !s.reported_active) {
    s.reported_active = true;
    p.handshake_completed = true;
    s.info.resumed = !s.full_handshake;
    const auto peer = s.channel->peer_cert_chain();
    if (!peer.empty()) s.info.peer_subject = peer.front().subject_dn().to_string();
  }
  if (s.peer_closed) {
    if (!s.reported_active)
      return s.die(failure(transport_errc::tls_handshake_failed, "the peer closed the session during the handshake"));
    p.peer_closed = true;
  }
  return p;
}

result<void> engine::send(const char* data, std::size_t size) {
  impl& s = *impl_;
  if (s.dead) return s.fail;
  if (!s.reported_active || s.closed || s.peer_closed)
    return failure(std::make_error_code(std::errc::not_connected),
                   s.reported_active ? "the TLS session is closed" : "the TLS handshake has not completed");
  try {
    s.channel->send(reinterpret_cast<const std::uint8_t*>(data), size);
  } catch (const std::exception& e) {
    return s.die(failure(transport_errc::tls_protocol_error, std::string("cannot encrypt: ") + e.what()));
  }
  return {};
}

void engine::close() {
  impl& s = *impl_;
  if (s.closed) return;
  s.closed = true;
  if (s.dead) return;
  try {
    if (!s.channel->is_closed()) s.channel->close();
  } catch (const std::exception&) {
    // Nothing more to say to a peer we cannot talk to.
  }
}

std::string engine::take_ciphertext() {
  std::string out;
  out.swap(impl_->out);
  return out;
}
bool engine::has_ciphertext() const noexcept { return !impl_->out.empty(); }
std::string_view engine::plaintext() const noexcept { return impl_->plain; }
void engine::take_plaintext(std::string& into) noexcept {
  into.clear();
  into.swap(impl_->plain);
}
bool engine::established() const noexcept {
  return impl_->reported_active && !impl_->dead && !impl_->closed && !impl_->peer_closed;
}
bool engine::peer_closed() const noexcept { return impl_->peer_closed; }
bool engine::failed() const noexcept { return impl_->dead; }
const failure& engine::last_failure() const noexcept { return impl_->fail; }
session_info engine::info() const { return impl_->info; }

}  // namespace wst::detail::tls
