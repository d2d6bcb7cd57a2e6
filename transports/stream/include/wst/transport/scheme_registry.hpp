// Which transport makes the streams for a URL scheme.
#pragma once

#include <wst/transport.hpp>

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wst::detail::transport {

// A thread-safe scheme -> transport table. A registry may fall back to another one for the
// schemes it does not hold: the exchange's registry holds the built-ins (http, https) and
// falls back to global(), where wst::register_transport puts the user's transports.
class scheme_registry {
 public:
  explicit scheme_registry(const scheme_registry* fallback = nullptr) : fallback_(fallback) {}
  scheme_registry(const scheme_registry&) = delete;
  scheme_registry& operator=(const scheme_registry&) = delete;

  // Adds `t` for `scheme` (case-insensitive). Errors as wst::register_transport; `builtin`
  // allows "http" and "https".
  std::error_code add(std::string_view scheme, std::shared_ptr<wst::transport> t,
                      bool builtin = false);
  bool remove(std::string_view scheme);
  // The transport for `scheme` (any case), here or in the fallback; nullptr when none.
  std::shared_ptr<wst::transport> find(std::string_view scheme) const;

  // The process-wide table behind wst::register_transport.
  static scheme_registry& global();

 private:
  const scheme_registry* fallback_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<wst::transport>> map_;
};

// RFC 3986 scheme syntax: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool valid_scheme(std::string_view s) noexcept;

// The built-in transport for plain HTTP: stream_context::tcp_stream(host, port), port 80.
std::shared_ptr<wst::transport> make_tcp_transport(std::uint16_t default_port = 80);

}  // namespace wst::detail::transport
