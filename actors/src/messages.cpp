#include <wst/actors/messages.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/http/errc.hpp>

namespace wst::detail::actors {

std::string_view to_string(channel_state s) noexcept {
  switch (s) {
    case channel_state::created: return "created";
    case channel_state::opening: return "opening";
    case channel_state::open: return "open";
    case channel_state::faulted: return "faulted";
    case channel_state::closing: return "closing";
    case channel_state::closed: return "closed";
  }
  return "unknown";
}

std::uint64_t next_ticket() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

bool leaves_channel_unusable(std::error_code ec) noexcept {
  if (ec.category() == transport_category()) {
    switch (static_cast<transport_errc>(ec.value())) {
      case transport_errc::eof:
      case transport_errc::connection_refused:
      case transport_errc::connection_reset:
      case transport_errc::host_not_found:
      case transport_errc::timed_out:
      case transport_errc::tls_verification_failed:
      case transport_errc::tls_handshake_failed:
      case transport_errc::tls_protocol_error:
      case transport_errc::io_error:
        return true;
      default:
        return false;
    }
  }
  return ec == http::errc::malformed || ec == http::errc::truncated;
}

namespace {

// Length-prefixed fields, so no two different descriptions serialize alike.
class identity_writer {
 public:
  ~identity_writer() { http::wipe(buf_); }
  void field(std::string_view v) {
    const std::uint64_t n = v.size();
    for (int i = 0; i < 8; ++i) buf_.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    buf_.append(v);
  }
  void number(std::uint64_t v) { field(std::to_string(v)); }
  template <class T>
  void optional(const std::optional<T>& v) {
    number(v.has_value());
    if (v) field(*v);
  }
  const std::string& bytes() const { return buf_; }

 private:
  std::string buf_;
};

}  // namespace

std::string identity_key(const core::request_description& d, std::string_view channel_identity) {
  identity_writer w;
  w.field("wst-token-identity-1");
  w.field(channel_identity);
  w.field(d.sts_address);
  w.number(static_cast<std::uint64_t>(d.soap));
  w.number(static_cast<std::uint64_t>(d.addressing));
  w.optional(d.applies_to);
  w.number(static_cast<std::uint64_t>(d.trust));
  w.number(static_cast<std::uint64_t>(d.secure_conversation));
  w.optional(d.issued_token_type);
  w.number(static_cast<std::uint64_t>(d.action));
  w.number(d.key ? static_cast<std::uint64_t>(*d.key) : 0);
  w.number(d.key_size_bits ? *d.key_size_bits + 1ull : 0);
  w.number(static_cast<std::uint64_t>(d.entropy));
  w.number(static_cast<std::uint64_t>(d.bearer_version));
  w.field(d.local_parameters);
  w.field(d.service_parameters);
  w.number(d.username.has_value());
  if (d.username) {
    w.field(d.username->username);
    auto digest = crypto::sha256(d.username->password);
    w.field(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  }
  w.number(d.supporting.has_value());
  if (d.supporting) w.field(d.supporting->xml);
  w.number(d.existing.has_value());
  if (d.existing) w.field(d.existing->xml);
  auto key = crypto::sha256(w.bytes());
  return crypto::hex_encode(crypto::byte_view(key.data(), key.size()));
}

}  // namespace wst::detail::actors
