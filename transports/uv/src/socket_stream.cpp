#include <wst/uv/streams.hpp>

#include "dns_query.hpp"
#include "socket_stream.hpp"
#include "uv_error.hpp"

#include <wst/http/message.hpp>

#include <sys/socket.h>
#include <cstring>
#include <vector>

namespace wst::detail::uv {
namespace {

constexpr std::size_t read_buffer_size = 64 * 1024;

// The state of one socket stream. It outlives the byte_stream object that owns it while
// libuv still holds pointers into it (handles closing, posted tasks): `holds` counts those.
struct sock {
  enum class phase { fresh, connecting, connected, failed, closing, closed };

  loop_thread* lt = nullptr;
  bool tcp = true;
  std::string host;  // or the socket path
  std::uint16_t port = 0;
  tcp_options opt;

  phase st = phase::fresh;
  uv_stream_t* h = nullptr;  // the current handle
  int holds = 0;
  bool owner_gone = false;
  std::string detail;

  byte_stream::completion on_connect;
  dns_query* dns = nullptr;
  std::vector<sockaddr_storage> addrs;
  std::size_t next_addr = 0;
  uv_connect_t creq;
  event_loop::timer_id ctimer = 0;
  std::error_code last_ec;

  byte_stream::data_handler on_data;
  bool reading = false;
  bool dead = false;  // EOF or error seen on the read side

  std::uint64_t sent = 0;
  bool sent_exact = true;

  std::vector<byte_stream::completion> on_close;

  struct write_req {
    uv_write_t req;
    std::string data;
    std::size_t offset = 0;
    byte_stream::completion done;
    bool sensitive = false;
    sock* s = nullptr;
    ~write_req() {
      if (sensitive) http::wipe(data);
    }
  };

  uv_loop_t* loop() const { return static_cast<uv_loop_t*>(lt->native()); }
  void hold() { ++holds; }
  void release() {
    if (--holds == 0 && owner_gone) delete this;
  }

  // Runs `fn` later on the loop (keeps this alive meanwhile).
  template <class Fn>
  void later(Fn fn) {
    hold();
    lt->post([this, fn = std::move(fn)]() mutable {
      fn();
      release();
    });
  }

  static void free_handle(uv_handle_t* hd) {
    auto* s = static_cast<sock*>(hd->data);
    if (s->tcp)
      delete reinterpret_cast<uv_tcp_t*>(hd);
    else
      delete reinterpret_cast<uv_pipe_t*>(hd);
    s->release();
  }

  uv_stream_t* new_handle() {
    uv_stream_t* hd;
    if (tcp) {
      auto* t = new uv_tcp_t;
      uv_tcp_init(loop(), t);
      hd = reinterpret_cast<uv_stream_t*>(t);
    } else {
      auto* p = new uv_pipe_t;
      uv_pipe_init(loop(), p, 0);
      hd = reinterpret_cast<uv_stream_t*>(p);
    }
    hd->data = this;
    hold();
    return hd;
  }

  void drop_handle(uv_stream_t* hd) { uv_close(reinterpret_cast<uv_handle_t*>(hd), free_handle); }

  // --- connect -------------------------------------------------------------------------
  void connect(byte_stream::completion done) {
    if (st != phase::fresh) {
      std::error_code ec =
          st == phase::connected ? std::error_code() : std::error_code(transport_errc::aborted);
      later([done = std::move(done), ec]() { done(ec); });
      return;
    }
    st = phase::connecting;
    on_connect = std::move(done);
    if (!tcp) {
      start_connect_timer();
      hold();  // for the posted attempt
      lt->post([this]() {
        if (st == phase::connecting) try_pipe();
        release();
      });
      return;
    }
    dns = dns_query::start(
        *lt, host, port, opt.resolve,
        [this](std::error_code ec, std::string d, std::vector<sockaddr_storage> a) {
          dns = nullptr;
          if (ec) {
            finish_connect(ec, std::move(d));
            return;
          }
          addrs = std::move(a);
          start_connect_timer();
          try_next();
        });
  }

  void start_connect_timer() {
    hold();
    ctimer = lt->start_timer(opt.connect, [this]() {
      ctimer = 0;
      if (h) {
        drop_handle(h);
        h = nullptr;
      }
      finish_connect(transport_errc::timed_out, "connecting to " + where() + " took over " +
                                                    std::to_string(opt.connect.count()) + " ms");
      release();  // the timer's own hold
    });
  }
  void stop_connect_timer() {
    if (ctimer && lt->cancel_timer(ctimer)) release();
    ctimer = 0;
  }

  std::string where() const { return tcp ? host + ":" + std::to_string(port) : "'" + host + "'"; }

  void try_next() {
    while (next_addr < addrs.size()) {
      const sockaddr_storage& a = addrs[next_addr++];
      h = new_handle();
      creq.data = this;
      int rc = uv_tcp_connect(&creq, reinterpret_cast<uv_tcp_t*>(h),
                              reinterpret_cast<const sockaddr*>(&a), on_connected);
      if (rc == 0) return;
      note_failure(rc, numeric(a));
      drop_handle(h);
      h = nullptr;
    }
    finish_connect(last_ec ? last_ec : std::error_code(transport_errc::host_not_found), detail);
  }

  void try_pipe() {
    h = new_handle();
    creq.data = this;
    uv_pipe_connect(&creq, reinterpret_cast<uv_pipe_t*>(h), host.c_str(), on_connected);
  }

  void note_failure(int rc, const std::string& addr) {
    last_ec = to_error(rc);
    detail =
        "connecting to " + addr + (tcp ? ":" + std::to_string(port) : "") + ": " + describe(rc);
  }

  static void on_connected(uv_connect_t* req, int status) {
    auto* s = static_cast<sock*>(req->data);
    if (s->st != phase::connecting || reinterpret_cast<uv_stream_t*>(req->handle) != s->h) return;
    if (status == 0) {
      if (s->tcp && s->opt.no_delay) uv_tcp_nodelay(reinterpret_cast<uv_tcp_t*>(s->h), 1);
      s->finish_connect({}, {});
      return;
    }
    s->note_failure(status, s->tcp ? numeric(s->addrs[s->next_addr - 1]) : s->host);
    s->drop_handle(s->h);
    s->h = nullptr;
    if (s->tcp)
      s->try_next();
    else
      s->finish_connect(s->last_ec, s->detail);
  }

  void finish_connect(std::error_code ec, std::string d) {
    stop_connect_timer();
    st = ec ? phase::failed : phase::connected;
    if (ec) detail = std::move(d);
    auto done = std::move(on_connect);
    on_connect = nullptr;
    if (done && !owner_gone) {
      hold();
      done(ec);
      release();
    }
  }

  // --- write ---------------------------------------------------------------------------
  void write(std::string bytes, byte_stream::completion done, bool sensitive) {
    if (st != phase::connected || !h) {
      std::error_code ec = (st == phase::closing || st == phase::closed)
                               ? std::error_code(transport_errc::aborted)
                               : std::error_code(transport_errc::connection_reset);
      if (sensitive) http::wipe(bytes);
      later([done = std::move(done), ec]() { done(ec); });
      return;
    }
    uv_buf_t b = uv_buf_init(bytes.data(), static_cast<unsigned>(bytes.size()));
    int n = bytes.empty() ? 0 : uv_try_write(h, &b, 1);
    if (n == UV_EAGAIN || n == UV_ENOSYS) n = 0;
    if (n < 0) {  // nothing left: the connection is dead
      detail = "writing to " + where() + ": " + describe(n);
      std::error_code ec = to_error(n);
      if (sensitive) http::wipe(bytes);
      later([this, done = std::move(done), ec]() {
        if (!owner_gone) done(ec);
      });
      return;
    }
    sent += static_cast<std::uint64_t>(n);
    if (static_cast<std::size_t>(n) == bytes.size()) {
      if (sensitive) http::wipe(bytes);
      later([this, done = std::move(done)]() {
        if (!owner_gone) done({});
      });
      return;
    }
    auto* w = new write_req;
    w->data = std::move(bytes);
    w->offset = static_cast<std::size_t>(n);
    w->done = std::move(done);
    w->sensitive = sensitive;
    w->s = this;
    w->req.data = w;
    uv_buf_t rest =
        uv_buf_init(w->data.data() + w->offset, static_cast<unsigned>(w->data.size() - w->offset));
    hold();
    int rc = uv_write(&w->req, h, &rest, 1, on_written);
    if (rc != 0) {
      release();
      sent_exact = false;
      detail = "writing to " + where() + ": " + describe(rc);
      std::error_code ec = to_error(rc);
      auto d = std::move(w->done);
      delete w;
      later([this, d = std::move(d), ec]() {
        if (!owner_gone) d(ec);
      });
    }
  }

  static void on_written(uv_write_t* req, int status) {
    auto* w = static_cast<write_req*>(req->data);
    sock* s = w->s;
    if (status == 0) {
      s->sent += w->data.size() - w->offset;
    } else {
      s->sent_exact = false;  // an unknown part may have gone out
      if (status != UV_ECANCELED) s->detail = "writing to " + s->where() + ": " + describe(status);
    }
    auto done = std::move(w->done);
    delete w;
    if (done && !s->owner_gone) done(to_error(status));
    s->release();
  }

  // --- read ----------------------------------------------------------------------------
  void start_read(byte_stream::data_handler fn) {
    on_data = std::move(fn);
    if (st != phase::connected || !h || dead) {
      std::error_code ec = dead ? last_ec : std::error_code(transport_errc::aborted);
      if (!ec) ec = transport_errc::eof;
      reading = false;
      later([this, ec]() {
        if (!owner_gone && on_data) on_data(ec, nullptr, 0);
      });
      return;
    }
    if (reading) return;
    reading = true;
    uv_read_start(h, on_alloc, on_read);
  }

  void stop_read() {
    if (reading && h) uv_read_stop(h);
    reading = false;
  }

  // One read buffer per loop thread, shared by every socket of that loop: libuv calls
  // on_alloc and then on_read for the same socket with no other callback in between, and
  // on_data consumes the bytes before returning. Idle pooled connections hold no buffer.
  static char* loop_read_buffer() {
    thread_local std::unique_ptr<char[]> buffer(new char[read_buffer_size]);
    return buffer.get();
  }

  static void on_alloc(uv_handle_t*, std::size_t, uv_buf_t* buf) {
    *buf = uv_buf_init(loop_read_buffer(), static_cast<unsigned>(read_buffer_size));
  }

  static void on_read(uv_stream_t* hd, ssize_t n, const uv_buf_t* buf) {
    auto* s = static_cast<sock*>(hd->data);
    if (n == 0 || s->st != phase::connected) return;
    s->hold();
    if (n > 0) {
      if (s->reading && !s->owner_gone) s->on_data({}, buf->base, static_cast<std::size_t>(n));
    } else {
      s->dead = true;
      s->last_ec = to_error(static_cast<int>(n));
      if (n != UV_EOF)
        s->detail = "reading from " + s->where() + ": " + describe(static_cast<int>(n));
      uv_read_stop(hd);
      if (s->reading && !s->owner_gone) {
        s->reading = false;
        s->on_data(s->last_ec, nullptr, 0);
      }
      s->reading = false;
    }
    s->release();
  }

  // --- close ---------------------------------------------------------------------------
  void close(byte_stream::completion done) {
    if (st == phase::closed) {
      if (done)
        later([this, done = std::move(done)]() {
          if (!owner_gone) done({});
        });
      return;
    }
    if (done) on_close.push_back(std::move(done));
    if (st == phase::closing) return;
    st = phase::closing;
    stop_connect_timer();
    if (dns) {
      dns->cancel();
      dns = nullptr;
    }
    if (h) {
      uv_stream_t* hd = h;
      h = nullptr;
      hold();
      uv_close(reinterpret_cast<uv_handle_t*>(hd), [](uv_handle_t* x) {
        sock* s = static_cast<sock*>(x->data);
        free_handle(x);  // releases the handle's hold; ours keeps s alive
        s->closed_now();
        s->release();
      });
      return;
    }
    later([this]() { closed_now(); });
  }

  // Completes what was pending with aborted, then the close callbacks.
  void closed_now() {
    st = phase::closed;
    auto connect_done = std::move(on_connect);
    on_connect = nullptr;
    auto reader = reading ? std::move(on_data) : byte_stream::data_handler();
    reading = false;
    on_data = nullptr;
    auto waiters = std::move(on_close);
    on_close.clear();
    if (owner_gone) return;
    hold();
    if (connect_done) connect_done(transport_errc::aborted);
    if (reader && !owner_gone) reader(transport_errc::aborted, nullptr, 0);
    for (auto& w : waiters)
      if (!owner_gone) w({});
    release();
  }
};

class socket_stream final : public wst::byte_stream {
 public:
  explicit socket_stream(sock* s) : s_(s) { s_->hold(); }
  ~socket_stream() override {
    s_->owner_gone = true;
    if (s_->st != sock::phase::closed && s_->st != sock::phase::closing) s_->close(nullptr);
    s_->release();
  }
  void connect(completion done) override { s_->connect(std::move(done)); }
  void write(std::string bytes, completion done) override {
    s_->write(std::move(bytes), std::move(done), false);
  }
  void write_sensitive(std::string bytes, completion done) override {
    s_->write(std::move(bytes), std::move(done), true);
  }
  void start_read(data_handler on_data) override { s_->start_read(std::move(on_data)); }
  void stop_read() override { s_->stop_read(); }
  void close(completion done) override { s_->close(std::move(done)); }
  bool is_reusable() const override {
    return s_->st == sock::phase::connected && !s_->dead && s_->h;
  }
  std::optional<std::uint64_t> bytes_sent() const override {
    if (!s_->sent_exact) return std::nullopt;
    return s_->sent;
  }
  std::string error_detail() const override { return s_->detail; }

  // SO_LINGER with a zero timeout: the next close sends a TCP reset (see reset_on_close).
  bool linger_zero() {
    if (!s_->tcp || !s_->h || s_->st != sock::phase::connected) return false;
    uv_os_fd_t fd;
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(s_->h), &fd) != 0) return false;
    const linger l{1, 0};
    return ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) == 0;
  }

 private:
  sock* s_;
};

}  // namespace

std::unique_ptr<wst::byte_stream> make_tcp_stream(loop_thread& loop, std::string host,
                                                  std::uint16_t port, tcp_options o) {
  auto* s = new sock;
  s->lt = &loop;
  s->tcp = true;
  s->host = std::move(host);
  s->port = port;
  s->opt = o;
  return std::make_unique<socket_stream>(s);
}

std::unique_ptr<wst::byte_stream> make_unix_stream(loop_thread& loop, std::string path,
                                                   std::chrono::milliseconds connect_timeout) {
  auto* s = new sock;
  s->lt = &loop;
  s->tcp = false;
  s->host = std::move(path);
  s->opt.connect = connect_timeout;
  return std::make_unique<socket_stream>(s);
}

std::unique_ptr<wst::byte_stream> adopt_stream(loop_thread& loop, uv_stream_t* accepted, bool tcp) {
  auto* s = new sock;
  s->lt = &loop;
  s->tcp = tcp;
  s->host = tcp ? "peer" : "unix peer";
  s->st = sock::phase::connected;
  s->h = accepted;
  accepted->data = s;
  s->hold();  // the handle's hold, as new_handle() takes
  if (tcp) uv_tcp_nodelay(reinterpret_cast<uv_tcp_t*>(accepted), 1);
  return std::make_unique<socket_stream>(s);
}

bool reset_on_close(wst::byte_stream& s) {
  auto* socket = dynamic_cast<socket_stream*>(&s);
  return socket && socket->linger_zero();
}

}  // namespace wst::detail::uv
