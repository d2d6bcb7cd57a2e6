#include <wst/uv/dns.hpp>

#include "dns_query.hpp"
#include "uv_error.hpp"

#include <cstring>

namespace wst::detail::uv {

std::string numeric(const sockaddr_storage& a) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (a.ss_family == AF_INET6)
    uv_ip6_name(reinterpret_cast<const sockaddr_in6*>(&a), buf, sizeof buf);
  else
    uv_ip4_name(reinterpret_cast<const sockaddr_in*>(&a), buf, sizeof buf);
  return buf;
}

dns_query* dns_query::start(loop_thread& loop, const std::string& host, std::uint16_t port,
                            std::chrono::milliseconds timeout, handler h) {
  auto* q = new dns_query();
  q->loop_ = &loop;
  q->h_ = std::move(h);
  q->host_ = host;
  q->timeout_ = timeout;

  // IP literals need no resolver.
  sockaddr_storage lit;
  std::memset(&lit, 0, sizeof lit);
  if (uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&lit)) == 0 ||
      uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&lit)) == 0) {
    loop.post([q, lit]() { q->deliver({}, {}, {lit}); });
    return q;
  }
  addrinfo hints;
  std::memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  q->req_.data = q;
  std::string service = std::to_string(port);
  int rc = uv_getaddrinfo(static_cast<uv_loop_t*>(loop.native()), &q->req_, on_resolved,
                          host.c_str(), service.c_str(), &hints);
  if (rc != 0) {
    loop.post([q, rc]() {
      q->deliver(to_error(rc), "resolving '" + q->host_ + "': " + describe(rc), {});
    });
    return q;
  }
  q->in_flight_ = true;
  q->timer_ = loop.start_timer(timeout, [q]() {
    q->timer_ = 0;
    uv_cancel(reinterpret_cast<uv_req_t*>(&q->req_));  // may be too late; the result is ignored
    q->deliver(
        transport_errc::timed_out,
        "resolving '" + q->host_ + "' took over " + std::to_string(q->timeout_.count()) + " ms",
        {});
  });
  return q;
}

void dns_query::on_resolved(uv_getaddrinfo_t* req, int status, addrinfo* res) {
  auto* q = static_cast<dns_query*>(req->data);
  q->in_flight_ = false;
  std::vector<sockaddr_storage> out;
  for (addrinfo* a = res; a; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    sockaddr_storage s;
    std::memset(&s, 0, sizeof s);
    std::memcpy(&s, a->ai_addr, a->ai_addrlen);
    out.push_back(s);
  }
  uv_freeaddrinfo(res);
  if (status == 0 && out.empty()) status = UV_EAI_NODATA;
  if (status != 0)
    q->deliver(to_error(status), "resolving '" + q->host_ + "': " + describe(status), {});
  else
    q->deliver({}, {}, std::move(out));
}

// Runs the handler at most once; frees the query when libuv no longer needs it.
void dns_query::deliver(std::error_code ec, std::string detail, std::vector<sockaddr_storage> a) {
  if (timer_) {
    loop_->cancel_timer(timer_);
    timer_ = 0;
  }
  handler h = std::move(h_);
  h_ = nullptr;
  if (!in_flight_) delete this;
  if (h) h(ec, std::move(detail), std::move(a));
}

void dns_query::cancel() {
  h_ = nullptr;
  if (timer_) {
    loop_->cancel_timer(timer_);
    timer_ = 0;
  }
  if (in_flight_) {
    uv_cancel(reinterpret_cast<uv_req_t*>(&req_));  // on_resolved still runs and frees us
    return;
  }
  // A posted delivery (IP literal or immediate failure) is still queued: it frees us.
}

void resolve(loop_thread& loop, const std::string& host, std::uint16_t port,
             std::chrono::milliseconds timeout,
             std::function<void(result<std::vector<std::string>>)> done) {
  dns_query::start(loop, host, port, timeout,
                   [done = std::move(done)](std::error_code ec, std::string detail,
                                            std::vector<sockaddr_storage> addrs) {
                     if (ec) {
                       done(failure(ec, std::move(detail)));
                       return;
                     }
                     std::vector<std::string> out;
                     out.reserve(addrs.size());
                     for (const auto& a : addrs) out.push_back(numeric(a));
                     done(std::move(out));
                   });
}

}  // namespace wst::detail::uv
