// One uv_getaddrinfo with a timeout, for the TCP stream and resolve() (private to wst_uv).
#pragma once

#include <wst/uv/runtime.hpp>

#include <uv.h>

#include <chrono>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

namespace wst::detail::uv {

class dns_query {
 public:
  using handler =
      std::function<void(std::error_code, std::string detail, std::vector<sockaddr_storage>)>;

  // Starts resolving; `h` runs once on the loop thread, never inside start(), unless
  // cancel() came first.
  static dns_query* start(loop_thread& loop, const std::string& host, std::uint16_t port,
                          std::chrono::milliseconds timeout, handler h);
  // The handler will not run; the query frees itself once libuv is done with it.
  void cancel();

 private:
  dns_query() = default;
  static void on_resolved(uv_getaddrinfo_t* req, int status, addrinfo* res);
  void deliver(std::error_code ec, std::string detail, std::vector<sockaddr_storage> a);

  uv_getaddrinfo_t req_;
  loop_thread* loop_ = nullptr;
  handler h_;
  event_loop::timer_id timer_ = 0;
  bool in_flight_ = false;  // libuv still owns req_
  std::string host_;
  std::chrono::milliseconds timeout_{0};
};

// "a.b.c.d" / "x:y::z" for an address from a query.
std::string numeric(const sockaddr_storage& a);

}  // namespace wst::detail::uv
