// core_bench: throughput of the sans-I/O WS-Trust core on the tests/data/bench transcript
// (WS-Trust 1.3, SOAP 1.2, UsernameToken, symmetric key with combined entropy, a signed
// 4.7 KB SAML 2.0 assertion in a 7.5 KB RSTRC).
//   BM_write_rst/fixed    RST envelopes per second, fixed environment (no RNG cost)
//   BM_write_rst/system   the same with the production environment (CSPRNG ids + entropy)
//   BM_read_rstr          RSTR parses per second, including P_SHA1 of the proof key
//   BM_parse_xml          the XML part of BM_read_rstr alone: xml::parse of the same reply
//   BM_p_sha1             the proof key part alone: P_SHA1 of the bench's entropies, 256 bits
//   BM_negotiation        start() + on_reply(): one full exchange without I/O
//   BM_write_rst/signed   federation: the RST to a second STS presenting the bench's SAML 2.0
//                         token as a supporting token, HMAC-SHA1 signed with its proof key
//                         (tests/data/t13-issue-supporting-saml20-hok-soap12-wsa10)
// The data directory defaults to the source tree's tests/data/bench; WST_CORE_BENCH_DATA in
// the environment overrides it. Before measuring, the program checks that it writes exactly
// tests/data/bench/request.xml and reads the expected proof key, so it measures the verified
// path.
#include <wst/core/negotiation.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/xml/reader.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;

namespace {

std::string data_dir() {
  const char* env = std::getenv("WST_CORE_BENCH_DATA");
  return env && *env ? env : WST_CORE_BENCH_DATA;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "core_bench: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Mirrors tests/data/bench/description.txt.
core::request_description bench_description() {
  core::request_description d;
  d.sts_address = "https://sts.contoso.test/adfs/services/trust/13/usernamemixed";
  d.soap = core::soap_version::soap12;
  d.addressing = core::addressing_version::v1_0;
  d.trust = core::trust_version::v1_3;
  d.applies_to = "https://app.contoso.test/";
  d.key = core::key_type::symmetric;
  d.entropy = core::key_entropy::combined;
  d.issued_token_type = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";
  core::username_credential u;
  u.username = "alice@contoso.test";
  const std::string pw = "correct horse battery staple";
  u.password = crypto::secure_bytes(reinterpret_cast<const std::uint8_t*>(pw.data()), pw.size());
  d.username = std::move(u);
  return d;
}

std::chrono::system_clock::time_point bench_now() {
  return core::parse_xsd_datetime("2024-02-14T02:05:51.482Z")->to_time_point();
}

struct fixture {
  core::request_description d = bench_description();
  std::string request = slurp(data_dir() + "/request.xml");
  std::string response = slurp(data_dir() + "/response.xml");
  core::pending_request pending;

  fixture() {
    core::fixed_environment env(bench_now());
    auto w = core::write_rst(d, env);
    if (!w || w->message.bytes != request) {
      std::fprintf(stderr, "core_bench: the RST differs from %s/request.xml\n", data_dir().c_str());
      std::exit(2);
    }
    pending = std::move(w->pending);
    auto tok = core::read_rstr(response, d, pending);
    if (!tok || tok->key_size_bits != 256 || tok->xml.size() < 4000) {
      std::fprintf(stderr, "core_bench: the bench response does not parse: %s\n",
                   tok ? "unexpected token" : tok.error().describe().c_str());
      std::exit(2);
    }
  }
};

const fixture& data() {
  static const fixture f;
  return f;
}

// Mirrors tests/data/t13-issue-supporting-saml20-hok-soap12-wsa10/description.txt: the bench
// exchange's token and proof key present themselves to a second STS.
struct signed_fixture {
  std::string dir = data_dir() + "/../t13-issue-supporting-saml20-hok-soap12-wsa10";
  std::string request = slurp(dir + "/request.xml");
  core::request_description d;

  signed_fixture() {
    const auto& b = data();
    auto tok = core::read_rstr(b.response, b.d, b.pending);
    d.sts_address =
        "https://sts.fabrikam.test/adfs/services/trust/13/issuedtokenmixedsymmetricbasic256";
    d.trust = core::trust_version::v1_3;
    d.applies_to = "https://api.fabrikam.test/";
    d.key = core::key_type::symmetric;
    d.entropy = core::key_entropy::combined;
    d.issued_token_type =
        "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1";
    d.supporting.emplace();
    d.supporting->xml = slurp(dir + "/supporting_token.xml");
    d.supporting->proof_key = tok->proof_key;
    core::fixed_environment env(now(), 0x21);
    auto w = core::write_rst(d, env);
    if (!w || w->message.bytes != request) {
      std::fprintf(stderr, "core_bench: the signed RST differs from %s/request.xml\n", dir.c_str());
      std::exit(2);
    }
  }

  static std::chrono::system_clock::time_point now() {
    return core::parse_xsd_datetime("2024-02-14T02:05:52.016Z")->to_time_point();
  }
};

const signed_fixture& signed_data() {
  static const signed_fixture f;
  return f;
}

void BM_write_rst_fixed(benchmark::State& state) {
  const auto& f = data();
  core::fixed_environment env(bench_now());
  for (auto _ : state) {
    auto w = core::write_rst(f.d, env);
    benchmark::DoNotOptimize(w);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.request.size()));
}
BENCHMARK(BM_write_rst_fixed)->Name("BM_write_rst/fixed");

void BM_write_rst_system(benchmark::State& state) {
  const auto& f = data();
  for (auto _ : state) {
    auto w = core::write_rst(f.d, core::system_environment());
    benchmark::DoNotOptimize(w);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.request.size()));
}
BENCHMARK(BM_write_rst_system)->Name("BM_write_rst/system");

void BM_write_rst_signed(benchmark::State& state) {
  const auto& f = signed_data();
  core::fixed_environment env(signed_fixture::now());
  for (auto _ : state) {
    auto w = core::write_rst(f.d, env);
    benchmark::DoNotOptimize(w);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.request.size()));
}
BENCHMARK(BM_write_rst_signed)->Name("BM_write_rst/signed");

void BM_read_rstr(benchmark::State& state) {
  const auto& f = data();
  for (auto _ : state) {
    auto tok = core::read_rstr(f.response, f.d, f.pending);
    benchmark::DoNotOptimize(tok);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.response.size()));
}
BENCHMARK(BM_read_rstr);

void BM_parse_xml(benchmark::State& state) {
  const auto& f = data();
  for (auto _ : state) {
    auto doc = wst::detail::xml::parse(f.response);
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.response.size()));
}
BENCHMARK(BM_parse_xml);

void BM_p_sha1(benchmark::State& state) {
  const auto& f = data();
  const std::uint8_t server[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
  for (auto _ : state) {
    auto key = crypto::p_sha1(f.pending.client_entropy, crypto::byte_view(server, sizeof server), 32);
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_p_sha1);

void BM_negotiation(benchmark::State& state) {
  const auto& f = data();
  core::fixed_environment env(bench_now());
  for (auto _ : state) {
    // The fixed environment's counters move on; the bench reply carries no RelatesTo or
    // Context, so any message id is answered.
    core::negotiation n(f.d, env);
    auto out = n.start();
    auto tok = n.on_reply(f.response);
    benchmark::DoNotOptimize(out);
    benchmark::DoNotOptimize(tok);
  }
}
BENCHMARK(BM_negotiation);

}  // namespace

BENCHMARK_MAIN();
