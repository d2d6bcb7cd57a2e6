// Replay mode: every POST is answered with the same file's bytes, so a test or a benchmark
// can put any reply (a capture from a real STS, a crafted fault, garbage XML) in front of a
// client. Placeholders in the file are replaced per request:
//   {{MessageID}}     the request's wsa:MessageID (XML-escaped; empty when it has none)
//   {{Context}}       the Context attribute of the request's RequestSecurityToken (XML-escaped;
//                     empty when it has none), so a canned RSTR can echo it as RSTR@Context
//   {{NewMessageID}}  a fresh urn:uuid for the reply's own MessageID
//   {{Created}}       now, as xsd:dateTime UTC with milliseconds
//   {{Expires}}       now + the configured lifetime
// Any other text between braces is left as it is.
#pragma once

#include <wst/base/result.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/sts/clock.hpp>
#include <wst/sts/responder.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wst::detail::sts {

class replay_responder final : public responder {
 public:
  static constexpr std::size_t max_file_bytes = 4 << 20;

  // The file's bytes as the reply template. Status 500 when the template's SOAP Body holds a
  // Fault, else 200; Content-Type application/soap+xml for a SOAP 1.2 envelope, text/xml
  // otherwise (a template that is not XML takes the request's SOAP version).
  replay_responder(std::string file_bytes, std::chrono::seconds lifetime, const clock& clk,
                   crypto::random_source& rng);
  // errc::bad_replay_file when the file cannot be read or exceeds max_file_bytes.
  static result<std::unique_ptr<replay_responder>> load(const std::string& path,
                                                        std::chrono::seconds lifetime,
                                                        const clock& clk,
                                                        crypto::random_source& rng);

  http_response respond(const http_request& req) override;

 private:
  enum class slot { literal, message_id, context, new_message_id, created, expires };
  struct piece {
    slot what;
    std::size_t begin = 0, size = 0;  // literal text in bytes_
  };
  std::string bytes_;
  std::vector<piece> pieces_;
  std::chrono::seconds lifetime_;
  const clock& clock_;
  crypto::random_source& rng_;
  int status_ = 200;
  enum class envelope { unknown, soap11, soap12 } envelope_ = envelope::unknown;
};

}  // namespace wst::detail::sts
