// The TLS filter: drives an engine with the bytes of a lower byte_stream.
#include <wst/tls/stream.hpp>

#include "botan_context.hpp"

#include <botan/mem_ops.h>

namespace wst::detail::tls {

struct stream::core : std::enable_shared_from_this<core> {
  enum class phase { idle, connecting, handshaking, open, done };

  std::unique_ptr<byte_stream> lower;
  event_loop* loop = nullptr;
  std::uint64_t app_bytes_handed = 0;                // plaintext bytes given to lower writes
  std::optional<std::uint64_t> lower_mark;           // lower->bytes_sent() before the first of them
  std::unique_ptr<engine> eng;
  bool connect_lower = true;

  phase ph = phase::idle;
  completion connect_done;
  data_handler reader;
  std::uint64_t reader_gen = 0;  // changes with every start_read/stop_read
  bool lower_reading = false;
  std::error_code end;  // how reading ended: eof (close_notify) or the failure; zero while open
  failure fail;         // why the stream failed; zero code while healthy
  bool closing = false;
  bool detached = false;  // the stream object is gone: drop user callbacks
  std::string chunk;      // plaintext being delivered (rotates with the engine's buffer)
  std::chrono::milliseconds handshake_timeout{0};
  event_loop::timer_id handshake_timer = 0;

  ~core() {
    chunk.resize(chunk.capacity());
    Botan::secure_scrub_memory(chunk.data(), chunk.size());
  }

  std::weak_ptr<core> weak() { return weak_from_this(); }

  // Runs `fn(core&)` later on the loop thread, unless the stream is gone by then.
  template <class F>
  void defer(F fn) {
    loop->post([w = weak(), fn = std::move(fn)]() mutable {
      if (auto c = w.lock(); c && !c->detached) fn(*c);
    });
  }
  void defer_completion(completion done, std::error_code ec) {
    if (done) defer([done = std::move(done), ec](core&) { done(ec); });
  }

  void finish_connect(std::error_code ec) {
    completion done = std::move(connect_done);
    connect_done = nullptr;
    if (done && !detached) done(ec);
  }

  // Sends whatever the engine produced (handshake messages, alerts). Failures of these
  // writes surface on the read side.
  void flush() {
    if (eng->has_ciphertext()) lower->write(eng->take_ciphertext(), [](std::error_code) {});
  }

  void start_lower_read() {
    if (lower_reading) return;
    lower_reading = true;
    lower->start_read([w = weak()](std::error_code ec, const char* data, std::size_t size) {
      if (auto c = w.lock()) c->on_lower_data(ec, data, size);
    });
  }
  void stop_lower_read() {
    if (!lower_reading) return;
    lower_reading = false;
    lower->stop_read();
  }

  void begin_handshake() {
    ph = phase::handshaking;
    if (handshake_timeout.count() > 0)
      handshake_timer = loop->start_timer(handshake_timeout, [w = weak()] {
        if (auto c = w.lock()) c->on_handshake_timeout();
      });
    flush();
    start_lower_read();
  }

  void disarm_handshake_timer() {
    if (handshake_timer != 0) loop->cancel_timer(handshake_timer);
    handshake_timer = 0;
  }

  void on_handshake_timeout() {
    handshake_timer = 0;
    if (closing || ph != phase::handshaking) return;
    fail_stream(failure(transport_errc::timed_out, "the TLS handshake did not complete within " +
                                                       std::to_string(handshake_timeout.count()) + " ms"));
  }

  void on_lower_connected(std::error_code ec) {
    if (ph != phase::connecting) return;
    if (closing) {
      finish_connect(make_error_code(transport_errc::aborted));
      return;
    }
    if (ec) {
      fail_stream(failure(ec, below("the connection below TLS failed")));
      return;
    }
    begin_handshake();
  }

  void on_lower_data(std::error_code ec, const char* data, std::size_t size) {
    const auto self = shared_from_this();  // user callbacks may drop the stream
    if (ec) {
      lower_reading = false;
      on_lower_end(ec);
      return;
    }
    if (closing || ph == phase::done) return;
    auto r = eng->receive(data, size);
    flush();
    if (!r) {
      fail_stream(r.error());
      return;
    }
    if (r->handshake_completed) {
      disarm_handshake_timer();
      ph = phase::open;
      finish_connect({});
      if (closing || ph != phase::open) return;
    }
    if (r->peer_closed) {
      end = make_error_code(transport_errc::eof);
      stop_lower_read();
    }
    if (ph == phase::open) deliver();
  }

  void on_lower_end(std::error_code ec) {
    if (closing || ph == phase::done) return;
    if (ph == phase::handshaking) {
      if (ec == transport_errc::eof)
        fail_stream(failure(transport_errc::tls_handshake_failed, "the peer closed the connection during the TLS handshake"));
      else
        fail_stream(failure(ec, below("the connection failed during the TLS handshake")));
      return;
    }
    if (end) return;  // close_notify came first: the lower end of stream is expected
    if (ec == transport_errc::eof)
      fail_stream(failure(transport_errc::connection_reset, "the peer closed the connection without TLS close_notify"));
    else
      fail_stream(failure(ec, below("the connection below TLS failed")));
  }

  // `what`, followed by the lower stream's own reason when it has one.
  std::string below(std::string what) const {
    std::string detail = lower->error_detail();
    if (!detail.empty()) {
      what += ": ";
      what += detail;
    }
    return what;
  }

  void fail_stream(failure f) {
    if (!fail.code) fail = std::move(f);
    end = fail.code;
    disarm_handshake_timer();
    ph = phase::done;
    stop_lower_read();
    finish_connect(fail.code);
    deliver();
  }

  // Hands buffered plaintext, then the end of reading, to the registered reader. Without a
  // reader, stops reading from below until one comes (back pressure).
  void deliver() {
    if (!reader || detached) {
      if (ph == phase::open) stop_lower_read();
      return;
    }
    const std::uint64_t gen = reader_gen;
    if (!eng->plaintext().empty()) {
      eng->take_plaintext(chunk);
      // Called from a local: the callback may stop, replace or drop the reader.
      data_handler h = std::move(reader);
      reader = nullptr;
      h({}, chunk.data(), chunk.size());
      if (reader_gen != gen || detached) return;  // stopped or replaced meanwhile
      reader = std::move(h);
    }
    if (end && !closing) {
      data_handler h = std::move(reader);
      reader = nullptr;
      h(end, nullptr, 0);
    }
  }

  // After start_read found something to hand over: deliver it from the loop, then keep reading.
  void schedule_delivery() {
    defer([gen = reader_gen](core& c) {
      if (!c.reader || c.reader_gen != gen) return;
      if (c.closing) {
        data_handler h = std::move(c.reader);
        c.reader = nullptr;
        h(make_error_code(transport_errc::aborted), nullptr, 0);
        return;
      }
      c.deliver();
      if (c.reader && c.ph == phase::open && !c.end) c.start_lower_read();
    });
  }

  void connect(completion done) {
    if (closing) return defer_completion(std::move(done), make_error_code(transport_errc::aborted));
    if (ph != phase::idle) return defer_completion(std::move(done), std::make_error_code(std::errc::already_connected));
    connect_done = std::move(done);
    if (!connect_lower) return begin_handshake();
    ph = phase::connecting;
    lower->connect([w = weak()](std::error_code ec) {
      if (auto c = w.lock()) c->on_lower_connected(ec);
    });
  }

  void write(std::string bytes, completion done) {
    if (closing) return defer_completion(std::move(done), make_error_code(transport_errc::aborted));
    if (fail.code) return defer_completion(std::move(done), fail.code);
    if (ph != phase::open) return defer_completion(std::move(done), std::make_error_code(std::errc::not_connected));
    if (bytes.empty()) return defer_completion(std::move(done), {});
    const std::size_t size = bytes.size();
    auto r = eng->send(bytes.data(), size);
    Botan::secure_scrub_memory(bytes.data(), bytes.size());  // may hold credentials
    if (!r) {
      if (eng->failed()) fail_stream(eng->last_failure());
      return defer_completion(std::move(done), r.error().code);
    }
    if (app_bytes_handed == 0) lower_mark = lower->bytes_sent();
    app_bytes_handed += size;
    lower->write(eng->take_ciphertext(), [w = weak(), done = std::move(done)](std::error_code ec) {
      auto c = w.lock();
      if (c && !c->detached && done) done(ec);
    });
  }

  void start_read(data_handler on_data) {
    reader = std::move(on_data);
    ++reader_gen;
    if (!reader) return;
    if (closing || end || !eng->plaintext().empty()) return schedule_delivery();
    if (ph == phase::open) start_lower_read();
    // Before the handshake completes, reading from below is already on (or will be).
  }

  void stop_read() {
    reader = nullptr;
    ++reader_gen;
    if (ph == phase::open) stop_lower_read();
  }

  void close(completion done) {
    if (closing) return defer_completion(std::move(done), {});
    closing = true;
    disarm_handshake_timer();
    if (eng->established()) {
      eng->close();
      flush();
    }
    lower_reading = false;
    // The callback keeps the core (and so the lower stream) alive until the lower close is done.
    lower->close([self = shared_from_this(), done = std::move(done)](std::error_code ec) {
      self->finish_connect(make_error_code(transport_errc::aborted));
      if (data_handler h = std::move(self->reader); h) {
        self->reader = nullptr;
        if (!self->detached) h(make_error_code(transport_errc::aborted), nullptr, 0);
      }
      self->ph = phase::done;
      if (done && !self->detached) done(ec);
    });
  }
};

namespace {

template <class Context>
result<void> check_arguments(const std::unique_ptr<byte_stream>& lower, const std::shared_ptr<const Context>& context) {
  if (!lower || !context)
    return failure(std::make_error_code(std::errc::invalid_argument), "a TLS stream needs a lower stream and a context");
  return {};
}

}  // namespace

stream::stream(std::shared_ptr<core> c) : core_(std::move(c)) {}

stream::~stream() {
  core_->detached = true;
  core_->connect_done = nullptr;
  core_->reader = nullptr;
  if (!core_->closing) core_->close(nullptr);
}

result<std::unique_ptr<stream>> stream::client(std::unique_ptr<byte_stream> lower, event_loop& loop,
                                               std::shared_ptr<const client_context> context, std::string_view host,
                                               std::uint16_t port, std::shared_ptr<session_cache> sessions,
                                               bool connect_lower) {
  if (auto r = check_arguments(lower, context); !r) return std::move(r).error();
  const auto timeout = context->handshake_timeout;
  auto eng = engine::client(std::move(context), host, port, std::move(sessions));
  if (!eng) return std::move(eng).error();
  auto c = std::make_shared<core>();
  c->lower = std::move(lower);
  c->loop = &loop;
  c->eng = std::move(*eng);
  c->connect_lower = connect_lower;
  c->handshake_timeout = timeout;
  return std::unique_ptr<stream>(new stream(std::move(c)));
}

result<std::unique_ptr<stream>> stream::server(std::unique_ptr<byte_stream> lower, event_loop& loop,
                                               std::shared_ptr<const server_context> context,
                                               std::shared_ptr<session_cache> sessions) {
  if (auto r = check_arguments(lower, context); !r) return std::move(r).error();
  const auto timeout = context->handshake_timeout;
  auto eng = engine::server(std::move(context), std::move(sessions));
  if (!eng) return std::move(eng).error();
  auto c = std::make_shared<core>();
  c->lower = std::move(lower);
  c->loop = &loop;
  c->eng = std::move(*eng);
  c->connect_lower = false;
  c->handshake_timeout = timeout;
  return std::unique_ptr<stream>(new stream(std::move(c)));
}

void stream::connect(completion done) { core_->connect(std::move(done)); }
void stream::write(std::string bytes, completion done) { core_->write(std::move(bytes), std::move(done)); }
void stream::start_read(data_handler on_data) { core_->start_read(std::move(on_data)); }
void stream::stop_read() { core_->stop_read(); }
void stream::close(completion done) { core_->close(std::move(done)); }
void stream::write_sensitive(std::string bytes, completion done) { core_->write(std::move(bytes), std::move(done)); }

std::optional<std::uint64_t> stream::bytes_sent() const {
  const core& c = *core_;
  if (c.app_bytes_handed == 0) return 0;
  if (c.lower_mark && c.lower->bytes_sent() == c.lower_mark) return 0;
  return c.app_bytes_handed;
}

bool stream::is_reusable() const {
  const core& c = *core_;
  return c.ph == core::phase::open && !c.closing && !c.fail.code && !c.end && c.eng->plaintext().empty() &&
         c.lower->is_reusable();
}

const failure& stream::last_failure() const noexcept { return core_->fail; }

std::string stream::error_detail() const {
  const core& c = *core_;
  // A failure of the filter (or one it took over from below, with the lower reason in it);
  // otherwise an error the lower stream reported and the filter passed through (a write).
  return c.fail.code ? c.fail.message : c.lower->error_detail();
}
session_info stream::info() const { return core_->eng->info(); }

}  // namespace wst::detail::tls
