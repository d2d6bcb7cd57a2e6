#include <wst/uv/listener.hpp>

#include "socket_stream.hpp"
#include "uv_error.hpp"

#include <unistd.h>

namespace wst::detail::uv {

struct listener::impl {
  loop_thread* lt = nullptr;
  uv_stream_t* server = nullptr;
  bool tcp = true;
  bool accepting = true;
  int waiting = 0;  // connections libuv announced but we did not accept
  accept_handler on_accept;
  std::function<void()> on_closed;
  bool closing = false;
  bool orphaned = false;  // the listener object is gone

  uv_loop_t* loop() const { return static_cast<uv_loop_t*>(lt->native()); }

  static void on_connection(uv_stream_t* server, int status) {
    auto* p = static_cast<impl*>(server->data);
    if (status < 0 || p->closing) return;
    ++p->waiting;
    if (p->accepting) p->accept_waiting();
  }

  void accept_waiting() {
    while (waiting > 0 && !closing) {
      uv_stream_t* client;
      if (tcp) {
        auto* t = new uv_tcp_t;
        uv_tcp_init(loop(), t);
        client = reinterpret_cast<uv_stream_t*>(t);
      } else {
        auto* pp = new uv_pipe_t;
        uv_pipe_init(loop(), pp, 0);
        client = reinterpret_cast<uv_stream_t*>(pp);
      }
      --waiting;
      if (uv_accept(server, client) != 0) {
        uv_close_cb free_tcp = [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); };
        uv_close_cb free_pipe = [](uv_handle_t* h) { delete reinterpret_cast<uv_pipe_t*>(h); };
        uv_close(reinterpret_cast<uv_handle_t*>(client), tcp ? free_tcp : free_pipe);
        continue;
      }
      auto stream = adopt_stream(*lt, client, tcp);
      if (on_accept) on_accept(std::move(stream));
    }
  }

  void close() {
    if (closing) return;
    closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(server), [](uv_handle_t* h) {
      auto* p = static_cast<impl*>(h->data);
      if (p->tcp)
        delete reinterpret_cast<uv_tcp_t*>(h);
      else
        delete reinterpret_cast<uv_pipe_t*>(h);
      auto done = std::move(p->on_closed);
      if (p->orphaned)
        delete p;
      else
        p->server = nullptr;
      if (done) done();
    });
  }
};

listener::listener(loop_thread& loop) : p_(new impl) { p_->lt = &loop; }

listener::~listener() {
  if (p_->server && !p_->closing) {
    p_->on_closed = nullptr;
    p_->close();
  }
  if (p_->server) {
    p_->orphaned = true;  // the close callback frees it
    p_->on_accept = nullptr;
  } else {
    delete p_;
  }
}

result<void> listener::listen_tcp(const std::string& host, std::uint16_t port,
                                  accept_handler on_accept, int backlog) {
  if (p_->server) return failure(transport_errc::io_error, "already listening");
  sockaddr_storage addr;
  if (uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&addr)) != 0 &&
      uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&addr)) != 0)
    return failure(transport_errc::invalid_url,
                   "listen address '" + host + "' is not an IP literal");
  auto* t = new uv_tcp_t;
  uv_tcp_init(p_->loop(), t);
  p_->server = reinterpret_cast<uv_stream_t*>(t);
  p_->server->data = p_;
  p_->tcp = true;
  p_->closing = false;
  int rc = uv_tcp_bind(t, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc == 0) rc = uv_listen(p_->server, backlog, impl::on_connection);
  if (rc != 0) {
    p_->close();
    return failure(to_error(rc),
                   "listening on " + host + ":" + std::to_string(port) + ": " + describe(rc));
  }
  p_->on_accept = std::move(on_accept);
  return {};
}

result<void> listener::listen_unix(const std::string& path, accept_handler on_accept, int backlog) {
  if (p_->server) return failure(transport_errc::io_error, "already listening");
  auto* pp = new uv_pipe_t;
  uv_pipe_init(p_->loop(), pp, 0);
  p_->server = reinterpret_cast<uv_stream_t*>(pp);
  p_->server->data = p_;
  p_->tcp = false;
  p_->closing = false;
  ::unlink(path.c_str());
  int rc = uv_pipe_bind(pp, path.c_str());
  if (rc == 0) rc = uv_listen(p_->server, backlog, impl::on_connection);
  if (rc != 0) {
    p_->close();
    return failure(to_error(rc), "listening on '" + path + "': " + describe(rc));
  }
  p_->on_accept = std::move(on_accept);
  return {};
}

void listener::accept_connections(bool on) {
  p_->accepting = on;
  if (on && p_->server) p_->accept_waiting();
}

std::uint16_t listener::port() const noexcept {
  if (!p_->server || !p_->tcp) return 0;
  sockaddr_storage a;
  int len = sizeof a;
  if (uv_tcp_getsockname(reinterpret_cast<uv_tcp_t*>(p_->server), reinterpret_cast<sockaddr*>(&a),
                         &len) != 0)
    return 0;
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&a)->sin_port);
}

void listener::close(std::function<void()> done) {
  if (!p_->server || p_->closing) {
    if (done) {
      if (p_->closing && p_->server)
        p_->on_closed = std::move(done);
      else
        p_->lt->post(std::move(done));
    }
    return;
  }
  p_->on_closed = std::move(done);
  p_->close();
}

}  // namespace wst::detail::uv
