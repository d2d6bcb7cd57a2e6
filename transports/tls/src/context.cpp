// Building contexts from options: reading PEM files, parsing certificates, keys and CRLs,
// the shared system trust store, the wst policy, and what Botan asks the credentials for.
#include "botan_context.hpp"

#include <botan/certstor_system.h>
#include <botan/data_src.h>
#include <botan/mem_ops.h>
#include <botan/pkcs8.h>
#include <botan/system_rng.h>
#include <botan/x509_crl.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>

namespace wst::detail::tls {

namespace {

class errc_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.tls"; }
  std::string message(int c) const override {
    switch (static_cast<errc>(c)) {
      case errc::file_unreadable: return "TLS configuration file cannot be read";
      case errc::invalid_certificate: return "invalid certificate";
      case errc::invalid_private_key: return "invalid private key";
      case errc::invalid_crl: return "invalid certificate revocation list";
      case errc::trust_store_unavailable: return "system CA bundle unavailable";
      case errc::missing_credentials: return "incomplete TLS credentials";
    }
    return "unknown wst.tls error";
  }
};

// Most certificates or CRLs one PEM source may hold.
constexpr std::size_t max_pem_objects = 4096;

// A string whose bytes are wiped when it goes away (key material).
struct wiped_string {
  std::string s;
  ~wiped_string() { Botan::secure_scrub_memory(s.data(), s.size()); }
};

result<void> read_pem(const pem_source& src, const char* what, std::string& out) {
  if (!src.text.empty()) {
    if (src.text.size() > max_pem_size)
      return failure(errc::file_unreadable, std::string(what) + " PEM text is larger than 8 MiB");
    out = src.text;
    return {};
  }
  std::ifstream in(src.file, std::ios::binary);
  if (!in) return failure(errc::file_unreadable, std::string(what) + " file '" + src.file + "' cannot be opened");
  out.clear();
  char buf[16384];
  bool too_large = false;
  while (!too_large && (in.read(buf, sizeof buf) || in.gcount() > 0)) {
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    too_large = out.size() > max_pem_size;
  }
  Botan::secure_scrub_memory(buf, sizeof buf);  // may have held key bytes
  if (too_large) {
    Botan::secure_scrub_memory(out.data(), out.size());
    out.clear();
    return failure(errc::file_unreadable, std::string(what) + " file '" + src.file + "' is larger than 8 MiB");
  }
  if (in.bad()) return failure(errc::file_unreadable, std::string(what) + " file '" + src.file + "' cannot be read");
  return {};
}

std::string origin(const pem_source& src, const char* what) {
  return src.text.empty() ? std::string(what) + " file '" + src.file + "'" : std::string(what) + " PEM text";
}

// Every "-----BEGIN <label>-----" ... "-----END <label>-----" block of `text`, in order.
std::vector<std::string_view> pem_blocks(std::string_view text, std::string_view label) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  std::vector<std::string_view> blocks;
  std::size_t pos = 0;
  while ((pos = text.find(begin, pos)) != std::string_view::npos) {
    const std::size_t stop = text.find(end, pos + begin.size());
    if (stop == std::string_view::npos) break;  // unterminated block: reported by the caller
    blocks.push_back(text.substr(pos, stop + end.size() - pos));
    pos = stop + end.size();
  }
  return blocks;
}

result<std::vector<Botan::X509_Certificate>> load_certificates(const pem_source& src, const char* what) {
  std::string text;
  if (auto r = read_pem(src, what, text); !r) return std::move(r).error();
  const auto blocks = pem_blocks(text, "CERTIFICATE");
  if (blocks.empty()) return failure(errc::invalid_certificate, origin(src, what) + " holds no PEM certificate");
  if (blocks.size() > max_pem_objects)
    return failure(errc::invalid_certificate, origin(src, what) + " holds more than 4096 certificates");
  std::vector<Botan::X509_Certificate> certs;
  certs.reserve(blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    try {
      Botan::DataSource_Memory in(reinterpret_cast<const std::uint8_t*>(blocks[i].data()), blocks[i].size());
      certs.emplace_back(in);
    } catch (const std::exception& e) {
      return failure(errc::invalid_certificate,
                     origin(src, what) + ": certificate " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  return certs;
}

result<std::unique_ptr<Botan::Private_Key>> load_private_key(const pem_source& src,
                                                             const std::string& password) {
  wiped_string text;
  if (auto r = read_pem(src, "private key", text.s); !r) return std::move(r).error();
  try {
    Botan::DataSource_Memory in(reinterpret_cast<const std::uint8_t*>(text.s.data()), text.s.size());
    auto key = password.empty() ? Botan::PKCS8::load_key(in) : Botan::PKCS8::load_key(in, password);
    if (!key) return failure(errc::invalid_private_key, origin(src, "private key") + " holds no key");
    return key;
  } catch (const std::exception& e) {
    return failure(errc::invalid_private_key,
                   origin(src, "private key") + " (PKCS#8 PEM expected): " + e.what());
  }
}

result<void> load_crls(const pem_source& src, Botan::Certificate_Store_In_Memory& into) {
  std::string text;
  if (auto r = read_pem(src, "CRL", text); !r) return std::move(r).error();
  const auto blocks = pem_blocks(text, "X509 CRL");
  if (blocks.empty()) return failure(errc::invalid_crl, origin(src, "CRL") + " holds no PEM CRL");
  if (blocks.size() > max_pem_objects)
    return failure(errc::invalid_crl, origin(src, "CRL") + " holds more than 4096 CRLs");
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    try {
      Botan::DataSource_Memory in(reinterpret_cast<const std::uint8_t*>(blocks[i].data()), blocks[i].size());
      into.add_crl(Botan::X509_CRL(in));
    } catch (const std::exception& e) {
      return failure(errc::invalid_crl, origin(src, "CRL") + ": CRL " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  return {};
}

// The system bundle, parsed once per process and shared by every context that uses it.
result<std::shared_ptr<Botan::Certificate_Store>> system_store() {
  static std::mutex mutex;
  static std::shared_ptr<Botan::Certificate_Store> store;
  std::lock_guard<std::mutex> lock(mutex);
  if (!store) {
    try {
      store = std::make_shared<Botan::System_Certificate_Store>();
    } catch (const std::exception& e) {
      return failure(errc::trust_store_unavailable, std::string("system CA bundle: ") + e.what());
    }
  }
  return store;
}

// Fills `trust` with the given CAs (or the system bundle) plus CRLs.
result<void> build_trust(const pem_source& cas, const pem_source& crls, const char* what, trust_store& trust) {
  if (cas.empty()) {
    auto sys = system_store();
    if (!sys) return std::move(sys).error();
    trust.system = std::move(*sys);
    trust.stores.push_back(trust.system.get());
  } else {
    auto certs = load_certificates(cas, what);
    if (!certs) return std::move(certs).error();
    trust.own = std::make_unique<Botan::Certificate_Store_In_Memory>();
    for (auto& c : *certs) trust.own->add_certificate(c);
  }
  if (!crls.empty()) {
    if (!trust.own) trust.own = std::make_unique<Botan::Certificate_Store_In_Memory>();
    if (auto r = load_crls(crls, *trust.own); !r) return r;
  }
  if (trust.own) trust.stores.push_back(trust.own.get());
  return {};
}

// Loads the own chain and key; both or neither (unless `required`).
result<void> load_identity(const pem_source& chain_src, const pem_source& key_src, const std::string& password,
                           bool required, credentials& creds) {
  if (chain_src.empty() && key_src.empty()) {
    if (required) return failure(errc::missing_credentials, "a TLS server needs a certificate chain and a private key");
    return {};
  }
  if (chain_src.empty()) return failure(errc::missing_credentials, "a private key was given without its certificate");
  if (key_src.empty()) return failure(errc::missing_credentials, "a certificate was given without its private key");
  auto chain = load_certificates(chain_src, "certificate chain");
  if (!chain) return std::move(chain).error();
  auto key = load_private_key(key_src, password);
  if (!key) return std::move(key).error();
  if ((*key)->public_key_bits() != chain->front().subject_public_key_bitstring())
    return failure(errc::invalid_private_key, origin(key_src, "private key") + " does not belong to the certificate " +
                                                  chain->front().subject_dn().to_string());
  creds.chain = std::move(*chain);
  creds.key = std::move(*key);
  return {};
}

}  // namespace

const std::error_category& category() noexcept {
  static const errc_category c;
  return c;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

client_context::client_context(const client_options& o)
    : verify_peer(o.verify_peer),
      verify_host_name(o.verify_host_name),
      check_revocation(o.check_revocation),
      handshake_timeout(o.handshake_timeout),
      tls_policy(o.check_revocation, false) {
  static std::atomic<std::uint64_t> serial{0};
  session_scope = "wst-tls-" + std::to_string(++serial);
}

result<std::shared_ptr<const client_context>> make_client_context(const client_options& options) {
  auto ctx = std::make_shared<client_context>(options);
  // Without peer verification no trust store is needed (and none is loaded).
  if (options.verify_peer) {
    if (auto r = build_trust(options.trusted_ca, options.crls, "trusted CA", ctx->creds.trust); !r)
      return std::move(r).error();
  }
  if (auto r = load_identity(options.certificate_chain, options.private_key, options.private_key_password, false,
                             ctx->creds);
      !r)
    return std::move(r).error();
  return std::shared_ptr<const client_context>(std::move(ctx));
}

result<std::shared_ptr<const server_context>> make_server_context(const server_options& options) {
  auto ctx = std::make_shared<server_context>(options);
  if (auto r = load_identity(options.certificate_chain, options.private_key, options.private_key_password, true,
                             ctx->creds);
      !r)
    return std::move(r).error();
  if (options.require_client_certificate) {
    if (auto r = build_trust(options.client_ca, options.crls, "client CA", ctx->creds.trust); !r)
      return std::move(r).error();
  }
  return std::shared_ptr<const server_context>(std::move(ctx));
}

session_cache::session_cache(std::size_t max_sessions, std::chrono::seconds lifetime) {
  if (max_sessions == 0 || lifetime.count() <= 0)
    manager_ = std::make_unique<Botan::TLS::Session_Manager_Noop>();
  else
    manager_ = std::make_unique<Botan::TLS::Session_Manager_In_Memory>(Botan::system_rng(), max_sessions, lifetime);
}

std::shared_ptr<session_cache> make_session_cache(std::size_t max_sessions, std::chrono::seconds lifetime) {
  return std::make_shared<session_cache>(max_sessions, lifetime);
}

// ---- policy ----

std::vector<std::string> policy::allowed_ciphers() const {
  return {"AES-256/GCM", "AES-128/GCM", "ChaCha20Poly1305"};
}
std::vector<std::string> policy::allowed_signature_hashes() const { return {"SHA-512", "SHA-384", "SHA-256"}; }
std::vector<std::string> policy::allowed_macs() const { return {"AEAD"}; }
std::vector<std::string> policy::allowed_key_exchange_methods() const { return {"ECDH"}; }
std::vector<std::string> policy::allowed_signature_methods() const { return {"ECDSA", "RSA"}; }
std::vector<Botan::TLS::Group_Params> policy::key_exchange_groups() const {
  using G = Botan::TLS::Group_Params;
  return {G::X25519, G::SECP256R1, G::SECP384R1, G::SECP521R1};
}

// ---- credentials ----

std::vector<Botan::Certificate_Store*> credentials::trusted_certificate_authorities(const std::string&,
                                                                                     const std::string&) {
  return trust.stores;
}

std::vector<Botan::X509_Certificate> credentials::cert_chain(const std::vector<std::string>& key_types,
                                                             const std::string&, const std::string&) {
  if (chain.empty() || !key) return {};
  const std::string algo = key->algo_name();
  if (std::find(key_types.begin(), key_types.end(), algo) == key_types.end()) return {};
  return chain;
}

Botan::Private_Key* credentials::private_key_for(const Botan::X509_Certificate& cert, const std::string&,
                                                 const std::string&) {
  return (!chain.empty() && cert == chain.front()) ? key.get() : nullptr;
}

}  // namespace wst::detail::tls
