// Crypto layer throughput: the per-negotiation P_SHA1 proof-key derivation and HMAC-SHA1 as
// used for message signatures.
//   crypto_bench [--benchmark_filter=...]
#include <wst/crypto/crypto.hpp>

#include <benchmark/benchmark.h>

#include <vector>

namespace crypto = wst::detail::crypto;

namespace {

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t first) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(first + i);
  return v;
}

// A 256-bit CK/PSHA1 key from 32 bytes of client and 32 bytes of server entropy.
void p_sha1_32_from_32_32(benchmark::State& state) {
  const auto client = pattern(32, 0x00), server = pattern(32, 0x20);
  for (auto _ : state) {
    auto key = crypto::p_sha1(client, server, 32);
    benchmark::DoNotOptimize(key.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(p_sha1_32_from_32_32);

void hmac_sha1_1k(benchmark::State& state) {
  const auto key = pattern(32, 0x40), data = pattern(1024, 0x00);
  for (auto _ : state) {
    auto mac = crypto::hmac_sha1(key, data);
    benchmark::DoNotOptimize(mac.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(data.size()));
}
BENCHMARK(hmac_sha1_1k);

}  // namespace

BENCHMARK_MAIN();
