// Peer certificate verification: Botan's path validation plus wst's own host name check
// (which, unlike Botan 2's, matches IP literals against IP address entries, IPv6 included).
#include "botan_context.hpp"

#include <botan/ber_dec.h>
#include <botan/x509_ext.h>
#include <botan/x509path.h>

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>

namespace wst::detail::tls {

namespace {

Botan::TLS::Alert::Type alert_for(Botan::Certificate_Status_Code code) {
  using C = Botan::Certificate_Status_Code;
  using A = Botan::TLS::Alert;
  switch (code) {
    case C::CERT_HAS_EXPIRED:
    case C::CERT_NOT_YET_VALID: return A::CERTIFICATE_EXPIRED;
    case C::CERT_IS_REVOKED: return A::CERTIFICATE_REVOKED;
    case C::CERT_ISSUER_NOT_FOUND:
    case C::CANNOT_ESTABLISH_TRUST:
    case C::CHAIN_LACKS_TRUST_ROOT: return A::UNKNOWN_CA;
    default: return A::BAD_CERTIFICATE;
  }
}

// The iPAddress entries (4 or 16 bytes each) of the leaf's subjectAltName extension.
std::vector<std::string> ip_entries(const Botan::X509_Certificate& leaf) {
  std::vector<std::string> out;
  const auto raw = leaf.v3_extensions().extensions_raw();
  const auto it = raw.find(Botan::Cert_Extension::Subject_Alternative_Name::static_oid());
  if (it == raw.end()) return out;
  try {
    Botan::BER_Decoder outer(it->second.first);
    Botan::BER_Decoder names = outer.start_cons(Botan::SEQUENCE);
    while (names.more_items()) {
      const Botan::BER_Object name = names.get_next_object();
      if (name.is_a(7, Botan::CONTEXT_SPECIFIC))  // iPAddress [7] IMPLICIT OCTET STRING
        out.emplace_back(reinterpret_cast<const char*>(name.bits()), name.length());
    }
  } catch (const std::exception&) {
    // A malformed extension names nothing (Botan rejects such certificates anyway).
  }
  return out;
}

std::string printable_ip(const std::string& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  const int family = bytes.size() == 4 ? AF_INET : AF_INET6;
  if (bytes.size() != 4 && bytes.size() != 16) return "(malformed address)";
  return inet_ntop(family, bytes.data(), text, sizeof text) ? text : "(malformed address)";
}

// "DNS:a, DNS:b, IP:1.2.3.4, CN:x" (at most 8 entries) for error messages.
std::string names_of(const Botan::X509_Certificate& leaf) {
  std::vector<std::string> names;
  for (const auto& dns : leaf.subject_info("DNS")) names.push_back("DNS:" + dns);
  for (const auto& ip : ip_entries(leaf)) names.push_back("IP:" + printable_ip(ip));
  for (const auto& cn : leaf.subject_info("X520.CommonName")) names.push_back("CN:" + cn);
  if (names.empty()) return "no names";
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < 8; ++i) s += (i ? ", " : "") + names[i];
  if (names.size() > 8) s += ", ...";
  return s;
}

}  // namespace

std::string ip_literal_bytes(std::string_view host) {
  const std::string h(host);
  unsigned char buf[16];
  if (inet_pton(AF_INET, h.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
  if (inet_pton(AF_INET6, h.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 16);
  return {};
}

bool certificate_names_host(const Botan::X509_Certificate& leaf, std::string_view host) {
  const std::string ip = ip_literal_bytes(host);
  if (ip.empty()) return leaf.matches_dns_name(std::string(host));
  const auto entries = ip_entries(leaf);
  return std::find(entries.begin(), entries.end(), ip) != entries.end();
}

verdict verify_chain(const std::vector<Botan::X509_Certificate>& chain,
                     const std::vector<std::shared_ptr<const Botan::OCSP::Response>>& ocsp,
                     const trust_store& trust, bool require_revocation, Botan::Usage_Type usage,
                     std::string_view host) {
  if (chain.empty()) return {"the peer sent no certificate", Botan::TLS::Alert::HANDSHAKE_FAILURE};
  try {
    const Botan::Path_Validation_Restrictions restrictions(require_revocation, 110);
    // Host name checked below (Botan 2 would compare IP literals with DNS names); no online
    // OCSP (timeout 0): it would block the event loop.
    const Botan::Path_Validation_Result result =
        Botan::x509_path_validate(chain, restrictions, trust.stores, "", usage,
                                  std::chrono::system_clock::now(), std::chrono::milliseconds(0), ocsp);
    if (!result.successful_validation())
      return {result.result_string() + " (certificate " + chain.front().subject_dn().to_string() + ")",
              alert_for(result.result())};
  } catch (const std::exception& e) {
    return {std::string("certificate validation error: ") + e.what(), Botan::TLS::Alert::BAD_CERTIFICATE};
  }
  if (!host.empty() && !certificate_names_host(chain.front(), host))
    return {"Certificate does not match the host name '" + std::string(host) + "' (it names " +
                names_of(chain.front()) + ")",
            Botan::TLS::Alert::BAD_CERTIFICATE};
  return {};
}

}  // namespace wst::detail::tls
