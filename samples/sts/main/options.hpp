// wst-sample-sts command line: what the server is asked to do, parsed without side effects.
#pragma once

#include <wst/base/result.hpp>
#include <wst/sts/fault.hpp>
#include <wst/sts/issuer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wst::detail::sts {

// One --listen value.
struct listen_address {
  bool unix_socket = false;
  std::string path;       // unix_socket
  std::string host;       // as given ("127.0.0.1", "localhost", "::1" without brackets)
  std::string bind_host;  // the numeric address bound ("localhost" binds 127.0.0.1)
  std::uint16_t port = 0;
  bool ipv6 = false;
};

struct server_options {
  std::vector<listen_address> listen;  // at least one (default 127.0.0.1:0)
  bool https = false;
  std::string users_file;
  std::string key_file, cert_file;  // both or neither
  std::string cert_out;
  std::string replay_file;
  fault_spec fault;
  std::size_t threads = 2;  // reply-building worker threads
  std::size_t max_connections = 10000;
  std::chrono::seconds idle_timeout{60};
  issuer_options issuer;
  bool help = false;
};

// Parses argv[1..argc). A failure (std::errc::invalid_argument) carries the message for the
// user: the flag and what is wrong with it.
result<server_options> parse_command_line(int argc, const char* const* argv);

// The --help text.
const char* usage() noexcept;

// "host:port", "[v6]:port" or "unix:PATH".
result<listen_address> parse_listen_address(const std::string& text);

}  // namespace wst::detail::sts
