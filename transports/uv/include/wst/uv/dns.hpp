// Name resolution through uv_getaddrinfo (libuv's thread pool).
#pragma once

#include <wst/base/result.hpp>
#include <wst/uv/runtime.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wst::detail::uv {

// Resolves `host` for a TCP connection to `port`; on the loop thread (never inside this call)
// `done` gets the numeric addresses in the resolver's order, or transport_errc::host_not_found
// (unknown name), timed_out (after `timeout`) or io_error. IP literals skip the resolver.
// Loop thread only.
void resolve(loop_thread& loop, const std::string& host, std::uint16_t port,
             std::chrono::milliseconds timeout,
             std::function<void(result<std::vector<std::string>>)> done);

}  // namespace wst::detail::uv
