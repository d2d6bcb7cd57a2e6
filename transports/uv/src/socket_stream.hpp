// The libuv socket stream behind make_tcp_stream / make_unix_stream (private to wst_uv).
#pragma once

#include <wst/transport.hpp>
#include <wst/uv/runtime.hpp>

#include <uv.h>

#include <memory>

namespace wst::detail::uv {

// Wraps an accepted, connected handle (uv_tcp_t or uv_pipe_t allocated with new, its data
// unused); the stream owns and eventually closes and deletes it.
std::unique_ptr<wst::byte_stream> adopt_stream(loop_thread& loop, uv_stream_t* accepted, bool tcp);

}  // namespace wst::detail::uv
