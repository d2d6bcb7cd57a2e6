// Shared helpers of the TLS tests: contexts built from the test PKI.
#pragma once

#include "pki.hpp"

#include <wst/tls/context.hpp>

#include <boost/test/unit_test.hpp>

namespace wst::test::tls {

namespace wtls = wst::detail::tls;

inline wtls::pem_source pem(const std::string& text) { return {{}, text}; }

// Client options trusting the test CA, everything else default.
inline wtls::client_options trusting_test_ca() {
  wtls::client_options o;
  o.trusted_ca = pem(test_pki().ca_pem);
  return o;
}

inline wtls::server_options serving(const identity& id) {
  wtls::server_options o;
  o.certificate_chain = pem(id.chain_pem);
  o.private_key = pem(id.key_pem);
  return o;
}

inline std::shared_ptr<const wtls::client_context> client_context(const wtls::client_options& o) {
  auto c = wtls::make_client_context(o);
  BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? std::string() : c.error().describe()));
  return *c;
}

inline std::shared_ptr<const wtls::server_context> server_context(const wtls::server_options& o) {
  auto c = wtls::make_server_context(o);
  BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? std::string() : c.error().describe()));
  return *c;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A recognisable byte pattern of `n` bytes (differs per `seed`).
inline std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::uint32_t x = 2166136261u ^ seed;
  for (auto& c : s) {
    x = x * 16777619u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

}  // namespace wst::test::tls
