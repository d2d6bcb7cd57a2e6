// The core's only window on the world: a clock, randomness and message identifiers.
//
// The core never reads the system clock or an RNG directly. Everything that varies between
// two runs of the same exchange - the wsu:Timestamp, the client entropy, wsa:MessageID and
// the RST Context - comes from an environment, so a test that injects fixed_environment
// gets the same RST bytes every time and can compare them with a golden transcript.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace wst::detail::core {

class environment {
 public:
  virtual ~environment() = default;

  // The current time (UTC). Used for wsu:Timestamp Created/Expires.
  virtual std::chrono::system_clock::time_point now() = 0;

  // Fills out[0..n) with random bytes. Production implementations must use a CSPRNG: these
  // bytes become key entropy.
  virtual void fill_random(std::uint8_t* out, std::size_t n) = 0;

  // A fresh "urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (lower-case hex). The default
  // builds an RFC 4122 version 4 UUID from 16 bytes of fill_random().
  virtual std::string message_id();
};

// Formats 16 bytes as an RFC 4122 version-4 "urn:uuid:..." string (the version and variant
// bits are forced, so any 16 bytes give a valid UUID).
std::string uuid_urn_from_bytes(const std::uint8_t (&bytes)[16]);

// The production environment: std::chrono::system_clock and crypto::system_random().
// Stateless and thread-safe; one shared instance serves every negotiation.
environment& system_environment();

// A deterministic environment for tests and transcripts.
//   - now() returns the time set by the constructor or set_time(), unchanged until set again;
//   - fill_random() first hands out bytes queued with queue_random() (in order), then the
//     counter sequence next, next+1, ... (mod 256), starting at the constructor's first_byte;
//   - message_id() first hands out ids queued with queue_message_id(), then
//     "urn:uuid:00000000-0000-4000-8000-" followed by a 12-digit decimal counter from 1.
// Not thread-safe (tests use one per exchange).
class fixed_environment final : public environment {
 public:
  explicit fixed_environment(std::chrono::system_clock::time_point t = {},
                             std::uint8_t first_byte = 0)
      : now_(t), next_byte_(first_byte) {}

  void set_time(std::chrono::system_clock::time_point t) { now_ = t; }
  void queue_random(const std::vector<std::uint8_t>& bytes);
  void queue_message_id(std::string id) { ids_.push_back(std::move(id)); }

  std::chrono::system_clock::time_point now() override { return now_; }
  void fill_random(std::uint8_t* out, std::size_t n) override;
  std::string message_id() override;

 private:
  std::chrono::system_clock::time_point now_;
  std::uint8_t next_byte_;
  std::deque<std::uint8_t> queued_;
  std::deque<std::string> ids_;
  std::uint64_t id_counter_ = 0;
};

}  // namespace wst::detail::core
