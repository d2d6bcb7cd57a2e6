// SHA-1, SHA-256, HMAC over them, P_SHA1 and constant-time comparison.
#include "backend.hpp"

#include <botan/exceptn.h>
#include <botan/hash.h>
#include <botan/mac.h>
#include <botan/mem_ops.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace wst::detail::crypto {
namespace {

constexpr std::size_t sha_block_size = 64;  // SHA-1 and SHA-256 alike
constexpr std::size_t sha1_size = 20;

// Botan reports an error for input that cannot be wrong (an algorithm missing from the
// library it was built with). There is no correct digest to return: stop.
[[noreturn]] void backend_broken(const char* where, const std::exception& e) noexcept {
  std::fprintf(stderr, "wst crypto: %s: Botan failed: %s\n", where, e.what());
  std::abort();
}

enum class sha { sha1, sha256 };

// One unkeyed prototype per algorithm, looked up once; cloning skips Botan's name lookup and
// is safe from several threads (clone() is const).
const Botan::HashFunction& hash_prototype(sha which) {
  static const auto sha1 = Botan::HashFunction::create_or_throw("SHA-1");
  static const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
  return which == sha::sha1 ? *sha1 : *sha256;
}

const Botan::MessageAuthenticationCode& hmac_prototype(sha which) {
  static const auto sha1 = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-1)");
  static const auto sha256 = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
  return which == sha::sha1 ? *sha1 : *sha256;
}

template <std::size_t N>
std::array<std::uint8_t, N> digest(sha which, byte_view data) {
  std::array<std::uint8_t, N> out{};
  try {
    std::unique_ptr<Botan::HashFunction> h(hash_prototype(which).clone());
    h->update(data.data, data.size);
    h->final(out.data());
  } catch (const Botan::Exception& e) {
    backend_broken("hash", e);
  }
  return out;
}

// This thread's HMAC object for `which`, keyed with `key` (a clone per call would cost a
// handful of allocations). The user calls clear() when done, which wipes the key schedule.
// A key longer than the hash's block is replaced by its hash, which is what HMAC (RFC 2104)
// does anyway; doing it here lifts Botan's 4096-byte key limit.
Botan::MessageAuthenticationCode& keyed_hmac(sha which, byte_view key) {
  thread_local std::unique_ptr<Botan::MessageAuthenticationCode> sha1_mac, sha256_mac;
  auto& slot = which == sha::sha1 ? sha1_mac : sha256_mac;
  if (!slot) slot.reset(hmac_prototype(which).clone());
  Botan::MessageAuthenticationCode* mac = slot.get();
  if (key.size > sha_block_size) {
    std::array<std::uint8_t, 32> short_key{};
    std::unique_ptr<Botan::HashFunction> h(hash_prototype(which).clone());
    h->update(key.data, key.size);
    h->final(short_key.data());
    mac->set_key(short_key.data(), h->output_length());
    Botan::secure_scrub_memory(short_key.data(), short_key.size());
  } else {
    mac->set_key(key.data, key.size);
  }
  return *mac;
}

template <std::size_t N>
std::array<std::uint8_t, N> hmac(sha which, byte_view key, byte_view data) {
  std::array<std::uint8_t, N> out{};
  try {
    auto& mac = keyed_hmac(which, key);
    mac.update(data.data, data.size);
    mac.final(out.data());
    mac.clear();
  } catch (const Botan::Exception& e) {
    backend_broken("HMAC", e);
  }
  return out;
}

// P_SHA1 for a length already known to be in range.
secure_bytes p_sha1_unchecked(byte_view secret, byte_view seed, std::size_t length) {
  secure_bytes out(length);
  if (length == 0) return out;
  std::uint8_t a[sha1_size];     // A(i)
  std::uint8_t tail[sha1_size];  // the last, partial output block
  try {
    auto& mac = keyed_hmac(sha::sha1, secret);
    mac.update(seed.data, seed.size);
    mac.final(a);  // A(1)
    for (std::size_t done = 0;;) {
      mac.update(a, sha1_size);
      mac.update(seed.data, seed.size);
      const std::size_t take = std::min(sha1_size, length - done);
      if (take == sha1_size) {
        mac.final(out.data() + done);
      } else {
        mac.final(tail);
        std::copy_n(tail, take, out.data() + done);
      }
      done += take;
      if (done == length) break;
      mac.update(a, sha1_size);
      mac.final(a);  // A(i + 1)
    }
    mac.clear();
  } catch (const Botan::Exception& e) {
    backend_broken("P_SHA1", e);
  }
  Botan::secure_scrub_memory(a, sizeof a);
  Botan::secure_scrub_memory(tail, sizeof tail);
  return out;
}

}  // namespace

std::array<std::uint8_t, 20> sha1(byte_view data) { return digest<20>(sha::sha1, data); }

std::array<std::uint8_t, 32> sha256(byte_view data) { return digest<32>(sha::sha256, data); }

std::array<std::uint8_t, 20> hmac_sha1(byte_view key, byte_view data) {
  return hmac<20>(sha::sha1, key, data);
}

std::array<std::uint8_t, 32> hmac_sha256(byte_view key, byte_view data) {
  return hmac<32>(sha::sha256, key, data);
}

secure_bytes p_sha1(byte_view secret, byte_view seed, std::size_t length) {
  if (length > p_sha1_max_length) {
    std::fprintf(stderr, "wst crypto: p_sha1: length %zu exceeds p_sha1_max_length %zu\n", length,
                 p_sha1_max_length);
    std::abort();
  }
  return p_sha1_unchecked(secret, seed, length);
}

result<secure_bytes> p_sha1_checked(byte_view secret, byte_view seed, std::size_t length) {
  if (length > p_sha1_max_length) {
    return failure(errc::bad_length, "P_SHA1 output of " + std::to_string(length) +
                                         " bytes requested; at most " +
                                         std::to_string(p_sha1_max_length) + " allowed");
  }
  return p_sha1_unchecked(secret, seed, length);
}

bool constant_time_equal(byte_view a, byte_view b) {
  return a.size == b.size && Botan::constant_time_compare(a.data, b.data, a.size);
}

}  // namespace wst::detail::crypto
