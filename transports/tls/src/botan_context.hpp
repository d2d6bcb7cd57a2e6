// Private: the Botan objects behind client_context, server_context and session_cache, the wst
// TLS policy, and certificate verification. Only transports/tls/src includes this header.
#pragma once

#include <wst/tls/context.hpp>

#include <botan/certstor.h>
#include <botan/credentials_manager.h>
#include <botan/ocsp.h>
#include <botan/pkix_enums.h>
#include <botan/tls_alert.h>
#include <botan/tls_policy.h>
#include <botan/tls_session_manager.h>
#include <botan/x509cert.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wst::detail::tls {

// The fixed wst policy (see context.hpp); only revocation and client authentication vary.
class policy final : public Botan::TLS::Policy {
 public:
  policy(bool require_revocation, bool require_client_certificate)
      : require_revocation_(require_revocation),
        require_client_certificate_(require_client_certificate) {}

  std::vector<std::string> allowed_ciphers() const override;
  std::vector<std::string> allowed_signature_hashes() const override;
  std::vector<std::string> allowed_macs() const override;
  std::vector<std::string> allowed_key_exchange_methods() const override;
  std::vector<std::string> allowed_signature_methods() const override;
  std::vector<Botan::TLS::Group_Params> key_exchange_groups() const override;
  bool require_cert_revocation_info() const override { return require_revocation_; }
  bool require_client_certificate_authentication() const override {
    return require_client_certificate_;
  }
  bool request_client_certificate_authentication() const override {
    return require_client_certificate_;
  }
  bool allow_tls10() const override { return false; }
  bool allow_tls11() const override { return false; }
  bool allow_tls12() const override { return true; }
  bool allow_dtls10() const override { return false; }
  bool allow_dtls12() const override { return false; }
  bool allow_insecure_renegotiation() const override { return false; }
  bool allow_client_initiated_renegotiation() const override { return false; }
  bool allow_server_initiated_renegotiation() const override { return false; }
  bool include_time_in_hello_random() const override { return false; }
  bool server_uses_own_ciphersuite_preferences() const override { return true; }
  std::size_t minimum_rsa_bits() const override { return 2048; }
  std::size_t minimum_signature_strength() const override { return 110; }
  std::size_t maximum_certificate_chain_size() const override { return 64 * 1024; }

 private:
  bool require_revocation_;
  bool require_client_certificate_;
};

// Certificates and CRLs to verify peers against. `stores` lists what path validation sees.
struct trust_store {
  std::shared_ptr<Botan::Certificate_Store> system;        // shared process-wide bundle, or null
  std::unique_ptr<Botan::Certificate_Store_In_Memory> own;  // configured CAs and CRLs
  std::vector<Botan::Certificate_Store*> stores;
};

// What Botan asks a TLS endpoint for: trusted CAs, the own certificate chain and key.
// Read-only after construction, so one instance serves connections on any thread.
class credentials final : public Botan::Credentials_Manager {
 public:
  trust_store trust;
  std::vector<Botan::X509_Certificate> chain;  // own chain, leaf first (may be empty)
  std::unique_ptr<Botan::Private_Key> key;

  std::vector<Botan::Certificate_Store*> trusted_certificate_authorities(
      const std::string& type, const std::string& context) override;
  std::vector<Botan::X509_Certificate> cert_chain(const std::vector<std::string>& key_types,
                                                  const std::string& type,
                                                  const std::string& context) override;
  Botan::Private_Key* private_key_for(const Botan::X509_Certificate& cert,
                                      const std::string& type,
                                      const std::string& context) override;
};

// Botan's TLS objects take non-const references to these; they are used read-only.
class client_context {
 public:
  explicit client_context(const client_options& o);
  bool verify_peer;
  bool verify_host_name;
  bool check_revocation;
  std::chrono::milliseconds handshake_timeout;
  // Distinguishes contexts in a shared session_cache: a session verified under one context's
  // rules is never resumed under another's.
  std::string session_scope;
  policy tls_policy;
  mutable credentials creds;
};

class server_context {
 public:
  explicit server_context(const server_options& o)
      : check_revocation(o.check_revocation),
        handshake_timeout(o.handshake_timeout),
        tls_policy(o.check_revocation, o.require_client_certificate) {}
  bool check_revocation;
  std::chrono::milliseconds handshake_timeout;
  policy tls_policy;
  mutable credentials creds;
};

class session_cache {
 public:
  session_cache(std::size_t max_sessions, std::chrono::seconds lifetime);
  Botan::TLS::Session_Manager& manager() { return *manager_; }

 private:
  std::unique_ptr<Botan::TLS::Session_Manager> manager_;
};

// Outcome of checking a peer's certificate chain: an empty `reason` means accepted.
struct verdict {
  std::string reason;
  Botan::TLS::Alert::Type alert = Botan::TLS::Alert::BAD_CERTIFICATE;
};

// Validates `chain` (leaf first) for `usage` against `trust` at the current time, then, when
// `host` is not empty, checks that the leaf names it (DNS name, or IP address entry for an
// IP literal). Uses stapled `ocsp` responses and the trust store's CRLs; never goes online.
verdict verify_chain(const std::vector<Botan::X509_Certificate>& chain,
                     const std::vector<std::shared_ptr<const Botan::OCSP::Response>>& ocsp,
                     const trust_store& trust, bool require_revocation, Botan::Usage_Type usage,
                     std::string_view host);

// Whether the leaf certificate names `host` (lower case, no brackets, no trailing dot).
bool certificate_names_host(const Botan::X509_Certificate& leaf, std::string_view host);

// The 4 or 16 address bytes when `host` is an IPv4 or IPv6 literal, else empty.
std::string ip_literal_bytes(std::string_view host);

}  // namespace wst::detail::tls
