// Byte streams over libuv sockets, and the stream_context custom transports receive.
//
// Both streams follow the wst::byte_stream contract: used on their loop's thread only, every
// callback later on that thread (never inside the call), each operation completed once,
// close() completes pending operations with transport_errc::aborted before its own callback.
// bytes_sent() counts bytes the kernel accepted, so the exchange can retry a request that
// provably never left. write_sensitive() zeroes its buffer once written. Destroying a stream
// that is not closed closes it (no callback runs after destruction).
#pragma once

#include <wst/transport.hpp>
#include <wst/uv/runtime.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace wst::detail::uv {

struct tcp_options {
  std::chrono::milliseconds resolve{60000};  // name resolution (host_not_found / timed_out)
  std::chrono::milliseconds connect{30000};  // from the first connect attempt to success
  bool no_delay = true;                      // TCP_NODELAY: requests go out at once
};

// A TCP client stream to host:port: resolves the name (IP literals directly), then tries each
// address in turn until one accepts; the last failure is reported when none does.
std::unique_ptr<wst::byte_stream> make_tcp_stream(loop_thread& loop, std::string host,
                                                  std::uint16_t port, tcp_options o = {});

// A client stream over the Unix-domain socket at `path` (connection_refused when nobody
// listens there).
std::unique_ptr<wst::byte_stream> make_unix_stream(
    loop_thread& loop, std::string path,
    std::chrono::milliseconds connect_timeout = std::chrono::milliseconds(30000));

// Fault injection (the sample STS's --fault reset, tests): makes the next close() of `s` end
// the connection with a TCP reset (RST), as a crashed peer would, instead of an orderly FIN
// (SO_LINGER 0; unsent data is dropped). False, and nothing changes, when `s` is not a
// connected TCP stream of this layer. Loop thread only.
bool reset_on_close(wst::byte_stream& s);

// The stream_context of one loop: what a wst::transport gets in create_stream().
class loop_context final : public wst::stream_context {
 public:
  explicit loop_context(loop_thread& loop, tcp_options o = {}) : loop_(loop), opt_(o) {}
  wst::event_loop& loop() override { return loop_; }
  std::unique_ptr<wst::byte_stream> tcp_stream(const std::string& host,
                                               std::uint16_t port) override {
    return make_tcp_stream(loop_, host, port, opt_);
  }
  std::unique_ptr<wst::byte_stream> unix_stream(const std::string& path) override {
    return make_unix_stream(loop_, path, opt_.connect);
  }

 private:
  loop_thread& loop_;
  tcp_options opt_;
};

}  // namespace wst::detail::uv
