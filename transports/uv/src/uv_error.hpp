// libuv status codes -> wst::transport_errc (private to wst_uv).
#pragma once

#include <wst/transport.hpp>

#include <uv.h>

#include <string>

namespace wst::detail::uv {

inline std::error_code to_error(int status) {
  switch (status) {
    case 0:
      return {};
    case UV_EOF:
      return transport_errc::eof;
    case UV_ECONNREFUSED:
      return transport_errc::connection_refused;
    case UV_ECONNRESET:
    case UV_EPIPE:
    case UV_ECONNABORTED:
      return transport_errc::connection_reset;
    case UV_ETIMEDOUT:
      return transport_errc::timed_out;
    case UV_ECANCELED:
      return transport_errc::aborted;
    case UV_EAI_NONAME:
    case UV_EAI_NODATA:
    case UV_EAI_FAIL:
      return transport_errc::host_not_found;
    case UV_ENOENT:
      return transport_errc::connection_refused;  // no socket file at the path
    default:
      return transport_errc::io_error;
  }
}

inline std::string describe(int status) {
  return std::string(uv_err_name(status)) + " (" + uv_strerror(status) + ")";
}

}  // namespace wst::detail::uv
