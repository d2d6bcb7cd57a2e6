// secure_bytes: a byte vector whose memory is scrubbed before it is released or reused.
#include <wst/crypto/crypto.hpp>

#include <botan/mem_ops.h>

namespace wst::detail::crypto {
namespace {

// Scrubs the whole allocation (not only size()) and hands the memory back.
void wipe(std::vector<std::uint8_t>& v) noexcept {
  if (v.capacity() != 0) Botan::secure_scrub_memory(v.data(), v.capacity());
  std::vector<std::uint8_t>().swap(v);
}

}  // namespace

secure_bytes::secure_bytes(std::size_t n) : v_(n) {}

secure_bytes::secure_bytes(const std::uint8_t* p, std::size_t n) : v_(p, p + n) {}

secure_bytes::secure_bytes(const secure_bytes& o) : v_(o.v_) {}

// A moved-from std::vector is empty: the buffer itself changes hands, no bytes stay behind.
secure_bytes::secure_bytes(secure_bytes&& o) noexcept : v_(std::move(o.v_)) {}

secure_bytes& secure_bytes::operator=(const secure_bytes& o) {
  if (this != &o) {
    std::vector<std::uint8_t> copy(o.v_);  // may throw: leave *this intact until it succeeds
    wipe(v_);
    v_.swap(copy);
  }
  return *this;
}

secure_bytes& secure_bytes::operator=(secure_bytes&& o) noexcept {
  if (this != &o) {
    wipe(v_);
    v_.swap(o.v_);
  }
  return *this;
}

secure_bytes::~secure_bytes() { wipe(v_); }

void secure_bytes::clear() noexcept { wipe(v_); }

bool secure_bytes::operator==(const secure_bytes& o) const noexcept {
  return v_.size() == o.v_.size() &&
         Botan::constant_time_compare(v_.data(), o.v_.data(), v_.size());
}

}  // namespace wst::detail::crypto
