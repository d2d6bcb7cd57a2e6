#include "conversion.hpp"

#include <wst/actors/errors.hpp>
#include <wst/core/errors.hpp>
#include <wst/core/request.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/http/message.hpp>

namespace wst::detail::api {
namespace {

constexpr std::size_t max_url_size = 8192;
constexpr std::size_t max_connections_limit = 1024;
constexpr std::size_t min_message_size = 1024;
constexpr std::size_t max_message_size_limit = 64u << 20;

failure bad(std::string what) { return failure(core::errc::invalid_description, std::move(what)); }

// Length-prefixed fields hashed with SHA-256: the identity of a channel configuration.
class identity {
 public:
  ~identity() { http::wipe(buf_); }
  void add(std::string_view v) {
    buf_ += std::to_string(v.size());
    buf_ += ':';
    buf_.append(v);
  }
  void add(std::int64_t v) { add(std::string_view(std::to_string(v))); }
  // A secret enters only as its digest.
  void secret(std::string_view v) {
    auto d = crypto::sha256(v);
    add(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
  }
  std::string finish() const {
    auto d = crypto::sha256(buf_);
    return crypto::hex_encode(crypto::byte_view(d.data(), d.size()));
  }

 private:
  std::string buf_;
};

std::string channel_identity(const request_options& o) {
  identity id;
  id.add(o.sts_url);
  for (auto t : {o.time.resolve, o.time.connect, o.time.send, o.time.receive, o.time.close}) id.add(t.count());
  id.add(static_cast<std::int64_t>(o.max_connections));
  id.add(static_cast<std::int64_t>(o.max_message_size));
  id.add(o.basic ? 1 : 0);
  if (o.basic) {
    id.add(o.basic->user);
    id.secret(o.basic->password);
  }
  const tls_options& t = o.tls;
  id.add((t.verify_peer ? 1 : 0) | (t.verify_host_name ? 2 : 0) | (t.check_revocation ? 4 : 0));
  id.add(t.ca_file);
  id.add(t.crl_file);
  id.add(t.client_certificate_file);
  id.add(t.client_key_file);
  id.secret(t.client_key_password);
  return id.finish();
}

result<void> check_limits(const request_options& o) {
  if (o.sts_url.empty()) return bad("sts_url is empty");
  if (o.sts_url.size() > max_url_size)
    return bad("sts_url is longer than " + std::to_string(max_url_size) + " characters");
  if (o.max_connections < 1 || o.max_connections > max_connections_limit)
    return bad("max_connections must be 1.." + std::to_string(max_connections_limit));
  if (o.max_message_size < min_message_size || o.max_message_size > max_message_size_limit)
    return bad("max_message_size must be " + std::to_string(min_message_size) + ".." +
               std::to_string(max_message_size_limit) + " bytes");
  const std::pair<const char*, std::chrono::milliseconds> positive[] = {
      {"resolve", o.time.resolve}, {"connect", o.time.connect}, {"send", o.time.send},
      {"receive", o.time.receive}, {"close", o.time.close}};
  for (const auto& [name, t] : positive)
    if (t.count() <= 0) return bad(std::string("the ") + name + " timeout must be positive");
  if (o.time.negotiation.count() < 0) return bad("the negotiation timeout must not be negative");
  if (o.existing_token && !token_access::get(*o.existing_token))
    return failure(core::errc::invalid_existing_token, "existing_token is an empty token");
  if (o.supporting_token && !token_access::get(*o.supporting_token))
    return bad("supporting_token is an empty token");
  if (o.username && o.username->user.empty()) return bad("the username credential has an empty user name");
  return {};
}

core::request_description describe(const request_options& o) {
  core::request_description d;
  d.sts_address = o.sts_url;
  d.soap = o.soap == soap_version::soap11 ? core::soap_version::soap11 : core::soap_version::soap12;
  d.addressing =
      o.addressing == addressing_version::aug2004 ? core::addressing_version::aug2004 : core::addressing_version::v1_0;
  if (o.username) {
    const auto& pw = o.username->password;
    d.username = core::username_credential{
        o.username->user, crypto::secure_bytes(reinterpret_cast<const std::uint8_t*>(pw.data()), pw.size())};
  }
  d.applies_to = o.applies_to;
  d.trust = static_cast<core::trust_version>(static_cast<int>(o.trust));
  d.secure_conversation = static_cast<core::secure_conversation_version>(static_cast<int>(o.secure_conversation));
  d.issued_token_type = o.token_type;
  d.action = static_cast<core::request_action>(static_cast<int>(o.action));
  if (o.existing_token) d.existing = core::existing_token_from(*token_access::get(*o.existing_token));
  if (o.supporting_token) d.supporting = core::supporting_token_from(*token_access::get(*o.supporting_token));
  if (o.key) d.key = static_cast<core::key_type>(static_cast<int>(*o.key));
  d.key_size_bits = o.key_size_bits;
  d.entropy = static_cast<core::key_entropy>(static_cast<int>(o.entropy));
  d.local_parameters = o.local_parameters;
  d.service_parameters = o.service_parameters;
  d.bearer_version = static_cast<core::bearer_key_type_version>(static_cast<int>(o.bearer_version));
  return d;
}

actors::channel_settings settings_of(const request_options& o) {
  actors::channel_settings s;
  s.url = o.sts_url;
  s.time.resolve = o.time.resolve;
  s.time.connect = o.time.connect;
  s.time.send = o.time.send;
  s.time.receive = o.time.receive;
  s.time.close = o.time.close;
  s.max_connections = o.max_connections;
  s.limits.max_message_size = o.max_message_size;
  if (o.basic) s.basic.emplace(o.basic->user, o.basic->password);
  s.tls.verify_peer = o.tls.verify_peer;
  s.tls.verify_host_name = o.tls.verify_host_name;
  s.tls.check_revocation = o.tls.check_revocation;
  s.tls.trusted_ca.file = o.tls.ca_file;
  s.tls.crls.file = o.tls.crl_file;
  s.tls.certificate_chain.file = o.tls.client_certificate_file;
  s.tls.private_key.file = o.tls.client_key_file;
  s.tls.private_key_password = o.tls.client_key_password;
  return s;
}

}  // namespace

result<prepared_request> prepare(const request_options& o) {
  if (auto ok = check_limits(o); !ok) return std::move(ok).error();
  prepared_request p;
  p.job.description = describe(o);
  if (auto ok = core::validate(p.job.description); !ok) return std::move(ok).error();
  p.settings = settings_of(o);
  p.channel_id = channel_identity(o);
  p.job.limits.max_bytes = o.max_message_size;
  p.job.deadline = o.time.negotiation;
  if (o.use_cache && o.action != request_action::renew_context)
    p.key = actors::identity_key(p.job.description, p.channel_id);
  return p;
}

}  // namespace wst::detail::api
