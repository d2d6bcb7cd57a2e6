// The sans-I/O engine: a client and a server engine talk by shuttling their ciphertext in
// the test, so every handshake runs fully in-process and deterministically.
#include "fixture.hpp"

#include <wst/tls/engine.hpp>
#include <wst/transport.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include <unistd.h>

namespace wtls = wst::detail::tls;
using namespace wst::test::tls;
using wst::transport_errc;

namespace {

// One side of a conversation: its engine, its failure (if any), what it received.
struct side {
  std::unique_ptr<wtls::engine> eng;
  std::optional<wst::detail::failure> fail;
  bool up = false;
  bool peer_closed = false;
  std::string received;

  void feed(const std::string& bytes, std::size_t piece) {
    for (std::size_t i = 0; i < bytes.size() && !fail; i += piece) {
      auto r = eng->receive(bytes.data() + i, std::min(piece, bytes.size() - i));
      if (!r) {
        fail = r.error();
        return;
      }
      up = up || r->handshake_completed;
      peer_closed = peer_closed || r->peer_closed;
      std::string chunk;
      eng->take_plaintext(chunk);
      received += chunk;
    }
  }
};

struct conversation {
  side client, server;
  std::size_t piece = 1 << 20;  // bytes per receive() call

  // Shuttles ciphertext both ways until neither side has anything to say.
  void pump() {
    for (int round = 0; round < 10000; ++round) {
      const std::string c2s = client.eng->take_ciphertext();
      const std::string s2c = server.eng->take_ciphertext();
      if (c2s.empty() && s2c.empty()) return;
      if (!c2s.empty() && !server.fail) server.feed(c2s, piece);
      if (!s2c.empty() && !client.fail) client.feed(s2c, piece);
    }
    BOOST_FAIL("the conversation never went quiet");
  }
};

conversation talk(std::shared_ptr<const wtls::client_context> cc, std::shared_ptr<const wtls::server_context> sc,
                  const std::string& host = "localhost", std::shared_ptr<wtls::session_cache> client_cache = nullptr,
                  std::shared_ptr<wtls::session_cache> server_cache = nullptr) {
  conversation c;
  auto ce = wtls::engine::client(std::move(cc), host, 443, std::move(client_cache));
  BOOST_REQUIRE_MESSAGE(ce.has_value(), (ce ? "" : ce.error().describe()));
  auto se = wtls::engine::server(std::move(sc), std::move(server_cache));
  BOOST_REQUIRE(se.has_value());
  c.client.eng = std::move(*ce);
  c.server.eng = std::move(*se);
  c.pump();
  return c;
}

conversation talk(const wtls::client_options& co, const wtls::server_options& so, const std::string& host = "localhost") {
  return talk(client_context(co), server_context(so), host);
}

void require_up(const conversation& c) {
  BOOST_REQUIRE_MESSAGE(!c.client.fail, "client: " + (c.client.fail ? c.client.fail->describe() : ""));
  BOOST_REQUIRE_MESSAGE(!c.server.fail, "server: " + (c.server.fail ? c.server.fail->describe() : ""));
  BOOST_REQUIRE(c.client.up);
  BOOST_REQUIRE(c.server.up);
  BOOST_REQUIRE(c.client.eng->established());
  BOOST_REQUIRE(c.server.eng->established());
}

void require_failure(const side& s, transport_errc code, const std::string& text, bool during_handshake = true) {
  BOOST_REQUIRE_MESSAGE(s.fail.has_value(), "expected a failure containing '" + text + "'");
  BOOST_TEST(s.fail->code == make_error_code(code), s.fail->describe());
  BOOST_TEST(contains(s.fail->message, text), s.fail->describe());
  if (during_handshake) BOOST_TEST(!s.up);
  BOOST_TEST(s.eng->failed());
  BOOST_TEST(!s.eng->established());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls_engine)

BOOST_AUTO_TEST_CASE(handshake_with_valid_ecdsa_certificate) {
  const auto c = talk(trusting_test_ca(), serving(test_pki().server));
  require_up(c);
  const auto info = c.client.eng->info();
  BOOST_TEST(info.version == "TLS v1.2");
  BOOST_TEST(contains(info.cipher_suite, "ECDHE_ECDSA"), info.cipher_suite);
  BOOST_TEST((contains(info.cipher_suite, "GCM") || contains(info.cipher_suite, "CHACHA20")), info.cipher_suite);
  BOOST_TEST(!info.resumed);
  BOOST_TEST(contains(info.peer_subject, "localhost"), info.peer_subject);
  BOOST_TEST(c.server.eng->info().server_name == "localhost");
}

BOOST_AUTO_TEST_CASE(handshake_with_valid_rsa_certificate) {
  const auto c = talk(trusting_test_ca(), serving(test_pki().server_rsa));
  require_up(c);
  BOOST_TEST(contains(c.client.eng->info().cipher_suite, "ECDHE_RSA"), c.client.eng->info().cipher_suite);
}

BOOST_AUTO_TEST_CASE(ip_literal_hosts_match_ip_address_entries_and_send_no_sni) {
  for (const char* host : {"127.0.0.1", "::1", "[::1]", "[0:0:0:0:0:0:0:1]"}) {
    BOOST_TEST_CONTEXT(host) {
      const auto c = talk(trusting_test_ca(), serving(test_pki().server), host);
      require_up(c);
      BOOST_TEST(c.server.eng->info().server_name.empty());
    }
  }
  for (const char* host : {"127.0.0.2", "::2"}) {
    BOOST_TEST_CONTEXT(host) {
      const auto c = talk(trusting_test_ca(), serving(test_pki().server), host);
      require_failure(c.client, transport_errc::tls_verification_failed, "does not match the host name");
    }
  }
}

BOOST_AUTO_TEST_CASE(host_names_are_case_insensitive_and_may_end_with_a_dot) {
  require_up(talk(trusting_test_ca(), serving(test_pki().server), "LocalHost."));
}

BOOST_AUTO_TEST_CASE(expired_certificate_is_a_verification_failure) {
  const auto c = talk(trusting_test_ca(), serving(test_pki().server_expired));
  require_failure(c.client, transport_errc::tls_verification_failed, "expired");
  // The client told the server why: the server sees the alert.
  require_failure(c.server, transport_errc::tls_handshake_failed, "certificate_expired");
}

BOOST_AUTO_TEST_CASE(wrong_host_is_a_verification_failure_naming_both_hosts) {
  const auto c = talk(trusting_test_ca(), serving(test_pki().server_wrong_host));
  require_failure(c.client, transport_errc::tls_verification_failed, "does not match the host name 'localhost'");
  BOOST_TEST(contains(c.client.fail->message, "DNS:other.example"), c.client.fail->message);
  BOOST_TEST(c.server.fail.has_value());
}

BOOST_AUTO_TEST_CASE(unknown_ca_is_a_verification_failure) {
  const auto c = talk(trusting_test_ca(), serving(test_pki().server_unknown_ca));
  require_failure(c.client, transport_errc::tls_verification_failed, "server certificate rejected");
  require_failure(c.server, transport_errc::tls_handshake_failed, "unknown_ca");
}

BOOST_AUTO_TEST_CASE(system_trust_store_rejects_the_test_ca) {
  // Default options: the system bundle, which does not hold the test CA.
  const auto c = talk(wtls::client_options{}, serving(test_pki().server));
  require_failure(c.client, transport_errc::tls_verification_failed, "server certificate rejected");
}

BOOST_AUTO_TEST_CASE(verification_switches) {
  auto no_peer = trusting_test_ca();
  no_peer.verify_peer = false;
  require_up(talk(no_peer, serving(test_pki().server_unknown_ca)));
  require_up(talk(no_peer, serving(test_pki().server_expired)));

  auto no_host = trusting_test_ca();
  no_host.verify_host_name = false;
  require_up(talk(no_host, serving(test_pki().server_wrong_host)));
  // The chain is still checked.
  const auto c = talk(no_host, serving(test_pki().server_unknown_ca));
  require_failure(c.client, transport_errc::tls_verification_failed, "server certificate rejected");
}

BOOST_AUTO_TEST_CASE(client_certificate_required_and_missing) {
  auto so = serving(test_pki().server);
  so.require_client_certificate = true;
  so.client_ca = pem(test_pki().ca_pem);
  const auto c = talk(trusting_test_ca(), so);
  BOOST_REQUIRE(c.server.fail.has_value());
  BOOST_TEST(c.server.fail->code == make_error_code(transport_errc::tls_handshake_failed), c.server.fail->describe());
  require_failure(c.client, transport_errc::tls_handshake_failed, "fatal TLS alert");
}

BOOST_AUTO_TEST_CASE(client_certificate_required_and_given) {
  auto so = serving(test_pki().server);
  so.require_client_certificate = true;
  so.client_ca = pem(test_pki().ca_pem);
  auto co = trusting_test_ca();
  co.certificate_chain = pem(test_pki().client.chain_pem);
  co.private_key = pem(test_pki().client.key_pem);
  const auto c = talk(co, so);
  require_up(c);
  BOOST_TEST(contains(c.server.eng->info().peer_subject, "wst test client"), c.server.eng->info().peer_subject);
}

BOOST_AUTO_TEST_CASE(client_certificate_with_encrypted_key) {
  auto so = serving(test_pki().server);
  so.require_client_certificate = true;
  so.client_ca = pem(test_pki().ca_pem);
  auto co = trusting_test_ca();
  co.certificate_chain = pem(test_pki().client.chain_pem);
  co.private_key = pem(test_pki().encrypted_client_key_pem);
  co.private_key_password = "s3cret";
  require_up(talk(co, so));

  co.private_key_password = "wrong";
  auto ctx = wtls::make_client_context(co);
  BOOST_REQUIRE(!ctx.has_value());
  BOOST_TEST(ctx.error().code == make_error_code(wtls::errc::invalid_private_key), ctx.error().describe());
}

BOOST_AUTO_TEST_CASE(client_certificate_from_unknown_ca_is_rejected_by_the_server) {
  auto so = serving(test_pki().server);
  so.require_client_certificate = true;
  so.client_ca = pem(test_pki().ca_pem);
  auto co = trusting_test_ca();
  co.certificate_chain = pem(test_pki().client_unknown_ca.chain_pem);
  co.private_key = pem(test_pki().client_unknown_ca.key_pem);
  const auto c = talk(co, so);
  require_failure(c.server, transport_errc::tls_verification_failed, "client certificate rejected");
  // Botan's server reports every client certificate problem as bad_certificate.
  require_failure(c.client, transport_errc::tls_handshake_failed, "bad_certificate");
}

BOOST_AUTO_TEST_CASE(client_certificate_offered_but_not_requested) {
  auto co = trusting_test_ca();
  co.certificate_chain = pem(test_pki().client.chain_pem);
  co.private_key = pem(test_pki().client.key_pem);
  const auto c = talk(co, serving(test_pki().server));
  require_up(c);
  BOOST_TEST(c.server.eng->info().peer_subject.empty());
}

BOOST_AUTO_TEST_CASE(revocation_checking) {
  // Off by default: no revocation data needed.
  require_up(talk(trusting_test_ca(), serving(test_pki().server)));

  // On without revocation data: the chain fails.
  auto strict = trusting_test_ca();
  strict.check_revocation = true;
  auto c = talk(strict, serving(test_pki().server));
  require_failure(c.client, transport_errc::tls_verification_failed, "revocation");

  // On with a CRL that does not list the certificate.
  strict.crls = pem(test_pki().crl_empty_pem);
  require_up(talk(strict, serving(test_pki().server)));

  // A CRL that lists it is honoured whether checking is required or not.
  for (bool required : {true, false}) {
    auto o = trusting_test_ca();
    o.check_revocation = required;
    o.crls = pem(test_pki().crl_revoking_server_pem);
    c = talk(o, serving(test_pki().server));
    require_failure(c.client, transport_errc::tls_verification_failed, "revoked");
    // Other certificates of the same CA are still fine.
    require_up(talk(o, serving(test_pki().server_rsa)));
  }
}

BOOST_AUTO_TEST_CASE(session_resumption_with_a_shared_cache) {
  auto client_cache = wtls::make_session_cache();
  auto server_cache = wtls::make_session_cache();
  const auto co = client_context(trusting_test_ca());
  const auto so = server_context(serving(test_pki().server));
  const auto first = talk(co, so, "localhost", client_cache, server_cache);
  require_up(first);
  BOOST_TEST(!first.client.eng->info().resumed);
  BOOST_TEST(!first.server.eng->info().resumed);

  const auto second = talk(co, so, "localhost", client_cache, server_cache);
  require_up(second);
  const auto ci = second.client.eng->info();
  BOOST_TEST(ci.resumed);
  BOOST_TEST(second.server.eng->info().resumed);
  BOOST_TEST(!ci.session_id.empty());
  BOOST_TEST(ci.session_id == first.client.eng->info().session_id);
  BOOST_TEST(ci.session_id == second.server.eng->info().session_id);
  // The resumed session still knows the server's certificate.
  BOOST_TEST(contains(ci.peer_subject, "localhost"), ci.peer_subject);

  // Sessions are keyed by host: another name for the same server does a full handshake.
  const auto other = talk(co, so, "127.0.0.1", client_cache, server_cache);
  require_up(other);
  BOOST_TEST(!other.client.eng->info().resumed);

  // ... and by client context: a session verified under one context's rules is not reused
  // under another's, even with equal options.
  const auto fresh_context = talk(client_context(trusting_test_ca()), so, "localhost", client_cache, server_cache);
  require_up(fresh_context);
  BOOST_TEST(!fresh_context.client.eng->info().resumed);

  // Without a client cache nothing is resumed.
  const auto uncached = talk(co, so, "localhost", nullptr, server_cache);
  require_up(uncached);
  BOOST_TEST(!uncached.client.eng->info().resumed);

  // Without a server cache neither.
  const auto forgetful = talk(co, so, "localhost", client_cache, nullptr);
  require_up(forgetful);
  BOOST_TEST(!forgetful.client.eng->info().resumed);

  // A disabled cache (size 0) never resumes.
  auto off = wtls::make_session_cache(0);
  require_up(talk(co, so, "localhost", off, server_cache));
  const auto again = talk(co, so, "localhost", off, server_cache);
  require_up(again);
  BOOST_TEST(!again.client.eng->info().resumed);
}

BOOST_AUTO_TEST_CASE(data_round_trip_large_payloads_in_odd_pieces) {
  for (std::size_t piece : {std::size_t{7}, std::size_t{1000}, std::size_t{1} << 20}) {
    BOOST_TEST_CONTEXT("piece " << piece) {
      auto c = talk(trusting_test_ca(), serving(test_pki().server));
      c.piece = piece;
      require_up(c);
      const std::string up = pattern(piece == 7 ? 100000 : 1 << 20, 1);
      const std::string down = pattern(piece == 7 ? 150001 : (1 << 20) + 17, 2);
      BOOST_REQUIRE(c.client.eng->send(up.data(), up.size()).has_value());
      BOOST_REQUIRE(c.server.eng->send(down.data(), down.size()).has_value());
      c.pump();
      BOOST_TEST((c.server.received == up));
      BOOST_TEST((c.client.received == down));
      BOOST_TEST(!c.client.fail);
      BOOST_TEST(!c.server.fail);
    }
  }
}

BOOST_AUTO_TEST_CASE(close_notify_reaches_the_peer) {
  auto c = talk(trusting_test_ca(), serving(test_pki().server));
  require_up(c);
  const std::string last = "last words";
  BOOST_REQUIRE(c.server.eng->send(last.data(), last.size()).has_value());
  c.server.eng->close();
  c.server.eng->close();  // idempotent
  c.pump();
  BOOST_TEST(c.client.received == last);
  BOOST_TEST(c.client.peer_closed);
  BOOST_TEST(c.client.eng->peer_closed());
  BOOST_TEST(!c.client.eng->established());
  BOOST_TEST(!c.client.fail);
  const auto r = c.server.eng->send("x", 1);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == std::make_error_code(std::errc::not_connected));
}

BOOST_AUTO_TEST_CASE(send_before_the_handshake_is_refused) {
  auto ce = wtls::engine::client(client_context(trusting_test_ca()), "localhost", 443, nullptr);
  BOOST_REQUIRE(ce.has_value());
  BOOST_TEST((*ce)->has_ciphertext());  // the ClientHello
  const auto r = (*ce)->send("x", 1);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == std::make_error_code(std::errc::not_connected));
  BOOST_TEST(!(*ce)->failed());
}

BOOST_AUTO_TEST_CASE(plain_http_answer_is_a_protocol_error) {
  auto ce = wtls::engine::client(client_context(trusting_test_ca()), "localhost", 443, nullptr);
  BOOST_REQUIRE(ce.has_value());
  auto& e = **ce;
  (void)e.take_ciphertext();
  const std::string answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
  const auto r = e.receive(answer.data(), answer.size());
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == make_error_code(transport_errc::tls_protocol_error));
  BOOST_TEST(contains(r.error().message, "plain HTTP"), r.error().message);
  BOOST_TEST(contains(r.error().message, "HTTP/1.1 400 Bad"), r.error().message);
  BOOST_TEST(e.failed());
  // Later calls repeat the failure.
  const auto again = e.receive("\x16\x03\x03\x00\x01x", 6);
  BOOST_REQUIRE(!again.has_value());
  BOOST_TEST(again.error().code == make_error_code(transport_errc::tls_protocol_error));
}

BOOST_AUTO_TEST_CASE(garbage_is_a_protocol_error_byte_by_byte_too) {
  const std::string samples[] = {
      std::string("\x00\x00\x00\x00\x00", 5),       // content type 0
      std::string("\x16\x07\x03\x00\x10", 5),       // major version 7
      std::string("\x17\x03\x03\xff\xff", 5),       // record of 65535 bytes
      std::string("SSH-2.0-OpenSSH_9.2\r\n"),
  };
  for (const auto& garbage : samples) {
    for (std::size_t piece : {std::size_t{1}, garbage.size()}) {
      auto ce = wtls::engine::client(client_context(trusting_test_ca()), "localhost", 443, nullptr);
      BOOST_REQUIRE(ce.has_value());
      std::optional<wst::detail::failure> f;
      for (std::size_t i = 0; i < garbage.size() && !f; i += piece) {
        auto r = (*ce)->receive(garbage.data() + i, std::min(piece, garbage.size() - i));
        if (!r) f = r.error();
      }
      BOOST_REQUIRE(f.has_value());
      BOOST_TEST(f->code == make_error_code(transport_errc::tls_protocol_error), f->describe());
    }
  }
}

BOOST_AUTO_TEST_CASE(handshake_record_with_bad_contents_is_a_protocol_error) {
  auto ce = wtls::engine::client(client_context(trusting_test_ca()), "localhost", 443, nullptr);
  BOOST_REQUIRE(ce.has_value());
  // A well-framed record holding a ServerHello of one byte: Botan's decode error.
  const std::string record("\x16\x03\x03\x00\x05\x02\x00\x00\x01\x00", 10);
  const auto r = (*ce)->receive(record.data(), record.size());
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == make_error_code(transport_errc::tls_protocol_error), r.error().describe());
  BOOST_TEST((*ce)->has_ciphertext());  // the decode_error alert for the peer
}

BOOST_AUTO_TEST_CASE(tampered_application_record_is_a_protocol_error) {
  auto c = talk(trusting_test_ca(), serving(test_pki().server));
  require_up(c);
  const std::string msg = pattern(300, 9);
  BOOST_REQUIRE(c.server.eng->send(msg.data(), msg.size()).has_value());
  std::string wire = c.server.eng->take_ciphertext();
  BOOST_REQUIRE(wire.size() > 100);
  wire[wire.size() / 2] = static_cast<char>(wire[wire.size() / 2] ^ 0x20);
  c.client.feed(wire, wire.size());
  require_failure(c.client, transport_errc::tls_protocol_error, "", false);
  BOOST_TEST(c.client.received.empty());
  // The client answers with a fatal alert; the server sees the session aborted.
  c.pump();
  BOOST_REQUIRE(c.server.fail.has_value());
  BOOST_TEST(c.server.fail->code == make_error_code(transport_errc::connection_reset), c.server.fail->describe());
  BOOST_TEST(contains(c.server.fail->message, "bad_record_mac"), c.server.fail->message);
}

BOOST_AUTO_TEST_CASE(invalid_hosts_are_refused) {
  const auto ctx = client_context(trusting_test_ca());
  for (const char* host : {"", ".", "exa mple.com", "[::1", "ho\nst", "1:2:3", "a/b"}) {
    BOOST_TEST_CONTEXT(host) {
      auto e = wtls::engine::client(ctx, host, 443, nullptr);
      BOOST_REQUIRE(!e.has_value());
      BOOST_TEST(e.error().code == make_error_code(transport_errc::invalid_url));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tls_context)

BOOST_AUTO_TEST_CASE(configuration_errors_are_precise) {
  const auto& p = test_pki();
  struct client_case {
    const char* name;
    wtls::client_options o;
    wtls::errc expected;
    const char* text;
  };
  auto with = [](auto change) {
    wtls::client_options o;
    change(o);
    return o;
  };
  const client_case cases[] = {
      {"missing CA file", with([](auto& o) { o.trusted_ca.file = "/nonexistent/ca.pem"; }), wtls::errc::file_unreadable,
       "/nonexistent/ca.pem"},
      {"CA text without certificate", with([](auto& o) { o.trusted_ca.text = "hello"; }),
       wtls::errc::invalid_certificate, "no PEM certificate"},
      {"corrupt certificate",
       with([](auto& o) { o.trusted_ca.text = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"; }),
       wtls::errc::invalid_certificate, "certificate 1"},
      {"key without certificate", with([&](auto& o) { o.private_key.text = p.client.key_pem; }),
       wtls::errc::missing_credentials, "without its certificate"},
      {"certificate without key", with([&](auto& o) { o.certificate_chain.text = p.client.chain_pem; }),
       wtls::errc::missing_credentials, "without its private key"},
      {"key of another certificate",
       with([&](auto& o) {
         o.certificate_chain.text = p.client.chain_pem;
         o.private_key.text = p.server.key_pem;
       }),
       wtls::errc::invalid_private_key, "does not belong"},
      {"garbage key",
       with([&](auto& o) {
         o.certificate_chain.text = p.client.chain_pem;
         o.private_key.text = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
       }),
       wtls::errc::invalid_private_key, "PKCS#8"},
      {"garbage CRL", with([&](auto& o) { o.trusted_ca.text = p.ca_pem; o.crls.text = "no crl"; }),
       wtls::errc::invalid_crl, "no PEM CRL"},
      {"oversized PEM", with([](auto& o) { o.trusted_ca.text = std::string(wtls::max_pem_size + 1, 'A'); }),
       wtls::errc::file_unreadable, "larger than"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      auto r = wtls::make_client_context(c.o);
      BOOST_REQUIRE(!r.has_value());
      BOOST_TEST(r.error().code == make_error_code(c.expected), r.error().describe());
      BOOST_TEST(contains(r.error().message, c.text), r.error().message);
    }
  }

  auto no_creds = wtls::make_server_context(wtls::server_options{});
  BOOST_REQUIRE(!no_creds.has_value());
  BOOST_TEST(no_creds.error().code == make_error_code(wtls::errc::missing_credentials));
  BOOST_TEST(wtls::make_error_code(wtls::errc::invalid_crl).category().name() == std::string("wst.tls"));
}

BOOST_AUTO_TEST_CASE(pem_files_are_read) {
  const std::string dir = "/tmp/wst-tls-test-" + std::to_string(::getpid());
  BOOST_REQUIRE(std::system(("mkdir -p " + dir).c_str()) == 0);
  auto write = [&](const std::string& name, const std::string& text) {
    const std::string path = dir + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    BOOST_REQUIRE(f != nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    return path;
  };
  wtls::client_options co;
  // A bundle with text around the blocks, as system bundles have.
  co.trusted_ca.file = write("ca.pem", "# test CAs\n" + test_pki().unknown_ca_pem + "\n# next\n" + test_pki().ca_pem);
  co.certificate_chain.file = write("client.pem", test_pki().client.chain_pem);
  co.private_key.file = write("client.key", test_pki().client.key_pem);
  co.crls.file = write("crl.pem", test_pki().crl_empty_pem);
  wtls::server_options so;
  so.certificate_chain.file = write("server.pem", test_pki().server.chain_pem);
  so.private_key.file = write("server.key", test_pki().server.key_pem);
  so.require_client_certificate = true;
  so.client_ca.file = co.trusted_ca.file;

  auto cc = wtls::make_client_context(co);
  BOOST_REQUIRE_MESSAGE(cc.has_value(), (cc ? "" : cc.error().describe()));
  auto sc = wtls::make_server_context(so);
  BOOST_REQUIRE_MESSAGE(sc.has_value(), (sc ? "" : sc.error().describe()));
  auto ce = wtls::engine::client(*cc, "localhost", 443, nullptr);
  auto se = wtls::engine::server(*sc, nullptr);
  BOOST_REQUIRE(ce.has_value());
  BOOST_REQUIRE(se.has_value());
  for (int i = 0; i < 20; ++i) {
    const std::string a = (*ce)->take_ciphertext();
    const std::string b = (*se)->take_ciphertext();
    if (!a.empty()) BOOST_REQUIRE((*se)->receive(a.data(), a.size()).has_value());
    if (!b.empty()) BOOST_REQUIRE((*ce)->receive(b.data(), b.size()).has_value());
  }
  BOOST_TEST((*ce)->established());
  BOOST_TEST((*se)->established());
  BOOST_REQUIRE(std::system(("rm -rf " + dir).c_str()) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
