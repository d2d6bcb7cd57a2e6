#include <wst/core/environment.hpp>

#include <wst/crypto/crypto.hpp>


namespace wst::detail::core {

std::string uuid_urn_from_bytes(const std::uint8_t (&bytes)[16]) {
  static constexpr char digits[] = "0123456789abcdef";
  std::uint8_t b[16];
  for (int i = 0; i < 16; ++i) b[i] = bytes[i];
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string s;
  s.reserve(45);
  s += "urn:uuid:";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += digits[b[i] >> 4];
    s += digits[b[i] & 15];
  }
  return s;
}

std::string environment::message_id() {
  std::uint8_t b[16];
  fill_random(b, sizeof b);
  return uuid_urn_from_bytes(b);
}

namespace {

class system_environment_impl final : public environment {
 public:
  std::chrono::system_clock::time_point now() override { return std::chrono::system_clock::now(); }
  void fill_random(std::uint8_t* out, std::size_t n) override {
    crypto::system_random().fill(out, n);
  }
};

}  // namespace

environment& system_environment() {
  static system_environment_impl instance;
  return instance;
}

void fixed_environment::queue_random(const std::vector<std::uint8_t>& bytes) {
  queued_.insert(queued_.end(), bytes.begin(), bytes.end());
}

void fixed_environment::fill_random(std::uint8_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!queued_.empty()) {
      out[i] = queued_.front();
      queued_.pop_front();
    } else {
      out[i] = next_byte_++;
    }
  }
}

std::string fixed_environment::message_id() {
  if (!ids_.empty()) {
    std::string id = std::move(ids_.front());
    ids_.pop_front();
    return id;
  }
  // urn:uuid:00000000-0000-4000-8000-<the counter as 12 decimal digits>
  std::string id = "urn:uuid:00000000-0000-4000-8000-000000000000";
  auto n = static_cast<unsigned long long>(++id_counter_ % 1000000000000ULL);
  for (std::size_t i = id.size(); n != 0; n /= 10) id[--i] = static_cast<char>('0' + n % 10);
  return id;
}

}  // namespace wst::detail::core
