#include "raw_http.hpp"

#include <llhttp.h>
#include <uv.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace wst::bench {
namespace {

detail::failure fail(std::string what) {
  return detail::failure(std::make_error_code(std::errc::io_error), std::move(what));
}

std::string uv_text(int code) { return std::string(uv_err_name(code)) + " (" + uv_strerror(code) + ")"; }

constexpr std::size_t read_buffer_size = 64 * 1024;
// Connects in progress at most: more at once overflow a listen backlog (the STS's is 128), and
// a dropped SYN costs a second (TCP's initial retransmission timeout).
constexpr std::size_t connect_window = 64;

// ---- the load ---------------------------------------------------------------------------------

struct load_state;

struct connection {
  uv_tcp_t tcp;
  uv_connect_t connect_req;
  uv_write_t write_req;
  llhttp_t parser;
  load_state* load = nullptr;
  std::uint64_t t0 = 0;  // when the request on this connection was started
  bool busy = false;     // a request is on the wire
  bool writing = false;  // write_req is in use (its callback has not run yet)
  bool dispatch_after_write = false;  // the response came before the write callback
  bool closing = false;
};

struct load_state {
  uv_loop_t loop;
  uv_timer_t watchdog;
  const raw_load* spec = nullptr;
  run_window* window = nullptr;
  raw_response* keep = nullptr;  // exchange_once: the last response
  std::chrono::milliseconds stall_limit{45000};
  llhttp_settings_t settings;
  uv_buf_t request;
  std::vector<std::unique_ptr<connection>> conns;  // every connection ever opened
  std::deque<std::uint64_t> queue;                 // start times of requests awaiting a connection
  std::vector<connection*> idle;
  std::size_t live = 0;         // connections not closed (connecting or open)
  std::size_t connecting = 0;   // connects in progress
  std::size_t to_open = 0;      // connections of the initial pool not opened yet
  std::size_t finished = 0;     // requests completed (ok or not)
  std::size_t reconnects = 0;   // budget for replacing lost connections
  std::size_t last_finished = 0;
  std::uint64_t last_progress_ns = 0;
  bool finishing = false;
  char read_buffer[read_buffer_size];

  // Starts the next request of the closed loop, if the window wants one: it waits in the queue
  // and an idle connection, if any, takes it.
  void start_request() {
    if (!window->claim()) return;
    queue.push_back(now_ns());
    if (!idle.empty()) {
      connection* c = idle.back();
      idle.pop_back();
      dispatch(c);
    }
  }
  void complete(std::uint64_t t0, std::string_view error) {
    ++finished;
    window->complete(t0, error);
    if (finished == window->total()) finish();
  }
  void finish();
  void open_connection();
  // Opens pool connections while fewer than connect_window are connecting.
  void open_more() {
    while (to_open > 0 && connecting < connect_window && !finishing) {
      --to_open;
      open_connection();
    }
  }
  void dispatch(connection* c);
  void lost(connection* c, std::string_view why);
};

void on_closed(uv_handle_t*) {}

void close_connection(connection* c) {
  if (c->closing) return;
  c->closing = true;
  --c->load->live;
  uv_close(reinterpret_cast<uv_handle_t*>(&c->tcp), on_closed);
}

void load_state::finish() {
  if (finishing) return;
  finishing = true;
  for (auto& c : conns) close_connection(c.get());
  uv_close(reinterpret_cast<uv_handle_t*>(&watchdog), on_closed);
}

// A connection failed (connect, write, read, framing): its request fails, a replacement is
// opened while requests remain and the budget lasts; with no connection left every waiting
// request fails, so the run always ends.
void load_state::lost(connection* c, std::string_view why) {
  const bool had_request = c->busy;
  c->busy = false;
  idle.erase(std::remove(idle.begin(), idle.end(), c), idle.end());
  close_connection(c);
  if (had_request) {
    complete(c->t0, why);
    if (finishing) return;
    start_request();
  }
  if (finishing) return;
  if (!queue.empty() && reconnects > 0) {
    --reconnects;
    open_connection();
    return;
  }
  if (live == 0) {
    while (!queue.empty() && !finishing) {
      const std::uint64_t t0 = queue.front();
      queue.pop_front();
      complete(t0, why);
      if (!finishing) start_request();
    }
  }
}

void on_write(uv_write_t* w, int status) {
  auto* c = static_cast<connection*>(w->data);
  c->writing = false;
  if (c->closing) return;
  if (status < 0) {
    c->load->lost(c, "write: " + uv_text(status));
  } else if (c->dispatch_after_write) {
    c->dispatch_after_write = false;
    c->load->dispatch(c);
  }
}

void load_state::dispatch(connection* c) {
  if (finishing || c->closing) return;
  // The answer can be read before libuv runs the write callback (its pending queue runs on the
  // next loop turn, reads of the same turn come first): write_req may not be reused until then.
  if (c->writing) {
    c->dispatch_after_write = true;
    return;
  }
  if (queue.empty()) {
    idle.push_back(c);
    return;
  }
  c->t0 = queue.front();
  queue.pop_front();
  c->busy = true;
  c->writing = true;
  c->write_req.data = c;
  const int rc = uv_write(&c->write_req, reinterpret_cast<uv_stream_t*>(&c->tcp), &request, 1, on_write);
  if (rc < 0) {
    c->writing = false;
    lost(c, "write: " + uv_text(rc));
  }
}

void on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
  auto* c = static_cast<connection*>(h->data);
  *buf = uv_buf_init(c->load->read_buffer, read_buffer_size);
}

void on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  auto* c = static_cast<connection*>(s->data);
  load_state* l = c->load;
  if (c->closing) return;
  if (n < 0) {
    l->lost(c, n == UV_EOF ? std::string("the server closed the connection") : "read: " + uv_text(static_cast<int>(n)));
    return;
  }
  if (n == 0) return;
  if (!c->busy) {
    l->lost(c, "bytes from the server with no request outstanding");
    return;
  }
  const llhttp_errno_t e = llhttp_execute(&c->parser, buf->base, static_cast<std::size_t>(n));
  if (e != HPE_OK && !c->closing)
    l->lost(c, std::string("bad HTTP response: ") + llhttp_errno_name(e) + " " + llhttp_get_error_reason(&c->parser));
}

int on_message_begin(llhttp_t* p) {
  auto* c = static_cast<connection*>(p->data);
  if (c->load->keep) c->load->keep->body.clear();
  return HPE_OK;
}

int on_body(llhttp_t* p, const char* at, std::size_t n) {
  auto* c = static_cast<connection*>(p->data);
  if (c->load->keep) c->load->keep->body.append(at, n);
  return HPE_OK;
}

int on_message_complete(llhttp_t* p) {
  auto* c = static_cast<connection*>(p->data);
  load_state* l = c->load;
  const int status = p->status_code;
  const bool keep_alive = llhttp_should_keep_alive(p) != 0;
  if (l->keep) l->keep->status = status;
  c->busy = false;
  if (status == 200)
    l->complete(c->t0, {});
  else
    l->complete(c->t0, "HTTP status " + std::to_string(status));
  if (l->finishing) return HPE_OK;
  l->start_request();
  if (keep_alive) {
    l->dispatch(c);
  } else {
    close_connection(c);
    l->open_connection();
  }
  return HPE_OK;
}

void on_connect(uv_connect_t* req, int status) {
  auto* c = static_cast<connection*>(req->data);
  load_state* l = c->load;
  --l->connecting;
  l->open_more();
  if (c->closing) return;
  if (status < 0) {
    // Nothing was sent: one waiting request fails in its place, so a refused server ends the
    // run instead of spinning.
    c->busy = !l->queue.empty();
    if (c->busy) {
      c->t0 = l->queue.front();
      l->queue.pop_front();
    }
    l->lost(c, "connect: " + uv_text(status));
    return;
  }
  uv_tcp_nodelay(&c->tcp, 1);
  const int rc = uv_read_start(reinterpret_cast<uv_stream_t*>(&c->tcp), on_alloc, on_read);
  if (rc < 0) {
    l->lost(c, "read start: " + uv_text(rc));
    return;
  }
  l->dispatch(c);
}

void load_state::open_connection() {
  if (finishing) return;
  auto c = std::make_unique<connection>();
  c->load = this;
  llhttp_init(&c->parser, HTTP_RESPONSE, &settings);
  c->parser.data = c.get();
  uv_tcp_init(&loop, &c->tcp);
  c->tcp.data = c.get();
  c->connect_req.data = c.get();
  ++live;
  ++connecting;
  sockaddr_in addr{};
  uv_ip4_addr("127.0.0.1", spec->port, &addr);
  connection* raw = c.get();
  conns.push_back(std::move(c));
  const int rc = uv_tcp_connect(&raw->connect_req, &raw->tcp, reinterpret_cast<const sockaddr*>(&addr), on_connect);
  if (rc < 0) {
    --connecting;
    close_connection(raw);
    while (!queue.empty() && live == 0 && !finishing) {
      const std::uint64_t t0 = queue.front();
      queue.pop_front();
      complete(t0, "connect: " + uv_text(rc));
      if (!finishing) start_request();
    }
  }
}

void on_watchdog(uv_timer_t* t) {
  auto* l = static_cast<load_state*>(t->data);
  const std::uint64_t now = now_ns();
  if (l->finished != l->last_finished) {
    l->last_finished = l->finished;
    l->last_progress_ns = now;
    return;
  }
  if (now - l->last_progress_ns < static_cast<std::uint64_t>(l->stall_limit.count()) * 1000000ull) return;
  // Stalled: fail everything in flight and waiting; the run ends with these as errors.
  const std::string why = "no response for " + std::to_string(l->stall_limit.count()) + " ms";
  l->reconnects = 0;
  l->to_open = 0;
  for (std::size_t i = 0; i < l->conns.size() && !l->finishing; ++i)
    if (!l->conns[i]->closing) l->lost(l->conns[i].get(), why);
  while (!l->finishing && !l->queue.empty()) {
    const std::uint64_t t0 = l->queue.front();
    l->queue.pop_front();
    l->complete(t0, why);
    if (!l->finishing) l->start_request();
  }
}

detail::result<void> run_load(const raw_load& spec, run_window& window, raw_response* keep,
                              std::chrono::milliseconds stall_limit) {
  if (spec.connections == 0 || spec.in_flight == 0 || spec.request.empty())
    return fail("the raw load needs a request, connections and requests in flight");
  auto l = std::make_unique<load_state>();
  l->spec = &spec;
  l->window = &window;
  l->keep = keep;
  l->stall_limit = stall_limit;
  l->reconnects = 4 * spec.connections + 16;
  l->request = uv_buf_init(const_cast<char*>(spec.request.data()), static_cast<unsigned>(spec.request.size()));
  llhttp_settings_init(&l->settings);
  l->settings.on_message_begin = on_message_begin;
  l->settings.on_body = on_body;
  l->settings.on_message_complete = on_message_complete;
  if (const int rc = uv_loop_init(&l->loop); rc < 0) return fail("uv_loop_init: " + uv_text(rc));
  uv_timer_init(&l->loop, &l->watchdog);
  l->watchdog.data = l.get();
  l->last_progress_ns = now_ns();
  uv_timer_start(&l->watchdog, on_watchdog, 1000, 1000);
  window.begin();
  for (std::size_t i = 0; i < spec.in_flight; ++i) l->start_request();
  if (l->queue.empty()) {
    l->finish();
  } else {
    l->to_open = std::min(spec.connections, l->queue.size());
    l->open_more();
  }
  uv_run(&l->loop, UV_RUN_DEFAULT);
  const int rc = uv_loop_close(&l->loop);
  if (rc < 0) return fail("the raw client's loop did not close clean: " + uv_text(rc));
  return {};
}

}  // namespace

detail::result<void> run_raw(const raw_load& load, run_window& window) {
  return run_load(load, window, nullptr, std::chrono::milliseconds(45000));
}

detail::result<raw_response> exchange_once(std::uint16_t port, const std::string& request,
                                           std::chrono::milliseconds limit) {
  raw_load spec;
  spec.port = port;
  spec.request = request;
  run_window window(0, 1);
  raw_response response;
  if (auto ok = run_load(spec, window, &response, limit); !ok) return std::move(ok).error();
  window.wait();
  run_result r = window.take();
  if (response.status == 0) return fail(r.first_error.empty() ? "no response" : r.first_error);
  return response;
}

// ---- the capture --------------------------------------------------------------------------------

struct request_capture::state {
  struct peer {
    uv_tcp_t tcp;
    uv_write_t write_req;
    llhttp_t parser;
    state* owner = nullptr;
    std::string bytes;
    bool closing = false;
  };
  static constexpr std::size_t max_request = 1 << 20;
  static constexpr const char reply[] =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

  uv_loop_t loop;
  uv_tcp_t server;
  uv_async_t stop;
  llhttp_settings_t settings;
  std::vector<std::unique_ptr<peer>> peers;
  std::uint16_t port = 0;
  std::thread thread;
  char read_buffer[read_buffer_size];

  std::mutex mu;
  std::condition_variable cv;
  bool have = false;
  std::string captured, error;

  void deliver(std::string bytes, std::string why) {
    std::lock_guard<std::mutex> lock(mu);
    if (have) return;
    have = true;
    captured = std::move(bytes);
    error = std::move(why);
    cv.notify_all();
  }
  static void close_peer(peer* p) {
    if (p->closing) return;
    p->closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&p->tcp), on_closed);
  }
};

namespace {

using capture_state = request_capture::state;

void capture_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
  auto* p = static_cast<capture_state::peer*>(h->data);
  *buf = uv_buf_init(p->owner->read_buffer, read_buffer_size);
}

void capture_written(uv_write_t* w, int) {
  capture_state::close_peer(static_cast<capture_state::peer*>(w->data));
}

int capture_complete(llhttp_t* parser) {
  auto* p = static_cast<capture_state::peer*>(parser->data);
  p->owner->deliver(p->bytes, {});
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&p->tcp));
  uv_buf_t b = uv_buf_init(const_cast<char*>(capture_state::reply), sizeof capture_state::reply - 1);
  p->write_req.data = p;
  if (uv_write(&p->write_req, reinterpret_cast<uv_stream_t*>(&p->tcp), &b, 1, capture_written) < 0)
    capture_state::close_peer(p);
  return HPE_PAUSED;
}

void capture_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  auto* p = static_cast<capture_state::peer*>(s->data);
  if (p->closing) return;
  if (n < 0) {
    capture_state::close_peer(p);
    return;
  }
  const std::size_t before = p->bytes.size();
  p->bytes.append(buf->base, static_cast<std::size_t>(n));
  if (p->bytes.size() > capture_state::max_request) {
    p->owner->deliver({}, "the captured request exceeds 1 MiB");
    capture_state::close_peer(p);
    return;
  }
  const llhttp_errno_t e = llhttp_execute(&p->parser, p->bytes.data() + before, static_cast<std::size_t>(n));
  if (e == HPE_PAUSED) {
    // Keep exactly the bytes of the request, not anything sent after it.
    p->bytes.resize(static_cast<std::size_t>(llhttp_get_error_pos(&p->parser) - p->bytes.data()));
    return;
  }
  if (e != HPE_OK) {
    p->owner->deliver({}, std::string("the captured request is not HTTP: ") + llhttp_errno_name(e));
    capture_state::close_peer(p);
  }
}

void capture_accept(uv_stream_t* server, int status) {
  auto* s = static_cast<capture_state*>(server->data);
  if (status < 0) return;
  auto p = std::make_unique<capture_state::peer>();
  p->owner = s;
  uv_tcp_init(&s->loop, &p->tcp);
  p->tcp.data = p.get();
  llhttp_init(&p->parser, HTTP_REQUEST, &s->settings);
  p->parser.data = p.get();
  capture_state::peer* raw = p.get();
  s->peers.push_back(std::move(p));
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&raw->tcp)) < 0 ||
      uv_read_start(reinterpret_cast<uv_stream_t*>(&raw->tcp), capture_alloc, capture_read) < 0)
    capture_state::close_peer(raw);
}

void capture_stop(uv_async_t* a) {
  auto* s = static_cast<capture_state*>(a->data);
  for (auto& p : s->peers) capture_state::close_peer(p.get());
  uv_close(reinterpret_cast<uv_handle_t*>(&s->server), on_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&s->stop), on_closed);
}

}  // namespace

detail::result<std::unique_ptr<request_capture>> request_capture::start() {
  auto s = std::make_unique<state>();
  if (const int rc = uv_loop_init(&s->loop); rc < 0) return fail("uv_loop_init: " + uv_text(rc));
  llhttp_settings_init(&s->settings);
  s->settings.on_message_complete = capture_complete;
  uv_tcp_init(&s->loop, &s->server);
  s->server.data = s.get();
  uv_async_init(&s->loop, &s->stop, capture_stop);
  s->stop.data = s.get();
  sockaddr_in addr{};
  uv_ip4_addr("127.0.0.1", 0, &addr);
  int rc = uv_tcp_bind(&s->server, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc == 0) rc = uv_listen(reinterpret_cast<uv_stream_t*>(&s->server), 16, capture_accept);
  if (rc == 0) {
    sockaddr_storage bound{};
    int len = sizeof bound;
    rc = uv_tcp_getsockname(&s->server, reinterpret_cast<sockaddr*>(&bound), &len);
    s->port = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  if (rc < 0) {
    capture_stop(&s->stop);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    uv_loop_close(&s->loop);
    return fail("capture listener: " + uv_text(rc));
  }
  state* raw = s.get();
  s->thread = std::thread([raw] { uv_run(&raw->loop, UV_RUN_DEFAULT); });
  return std::unique_ptr<request_capture>(new request_capture(std::move(s)));
}

request_capture::request_capture(std::unique_ptr<state> s) : s_(std::move(s)) {}

request_capture::~request_capture() {
  uv_async_send(&s_->stop);
  s_->thread.join();
  uv_loop_close(&s_->loop);
}

std::uint16_t request_capture::port() const noexcept { return s_->port; }

detail::result<std::string> request_capture::wait(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(s_->mu);
  if (!s_->cv.wait_for(lock, limit, [&] { return s_->have; }))
    return fail("no request reached the capture listener");
  if (!s_->error.empty()) return fail(s_->error);
  return s_->captured;
}

}  // namespace wst::bench
