// Test PKI for the TLS tests: CAs, server and client certificates and CRLs, generated with
// Botan when the test process starts (nothing is read from disk). Every piece is PEM text, ready
// for the inline `text` of a wst::detail::tls::pem_source.
#pragma once

#include <string>
#include <vector>

namespace wst::test::tls {

struct identity {
  std::string chain_pem;  // leaf first
  std::string key_pem;    // unencrypted PKCS#8
};

struct pki {
  std::string ca_pem;          // the trusted test CA (ECDSA P-256)
  std::string unknown_ca_pem;  // a CA no test trusts

  identity server;              // ECDSA leaf for DNS:localhost, IP:127.0.0.1, IP:::1 (serverAuth)
  identity server_rsa;          // same names, RSA-2048 key
  identity server_expired;      // expired yesterday
  identity server_wrong_host;   // DNS:other.example only
  identity server_unknown_ca;   // localhost leaf issued by the unknown CA
  identity client;              // clientAuth leaf "wst test client" from the test CA
  identity client_unknown_ca;   // clientAuth leaf from the unknown CA

  std::string crl_empty_pem;           // CRL of the test CA revoking nothing
  std::string crl_revoking_server_pem; // CRL of the test CA revoking `server`

  std::string encrypted_client_key_pem;  // `client`'s key, PKCS#8 encrypted with "s3cret"
};

// Generated once per process (key generation is the slow part).
const pki& test_pki();

}  // namespace wst::test::tls
