#include <wst/transport/http_server.hpp>

#include <wst/http/parser.hpp>
#include <wst/http/writer.hpp>

#include <unordered_map>

namespace wst::detail::transport {
namespace {

// Whether the header block of a response says "Connection: close".
bool says_close(const std::string& response) {
  std::size_t end = response.find("\r\n\r\n");
  std::string_view head(response.data(), end == std::string::npos ? response.size() : end);
  std::size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string_view::npos) {
    pos += 2;
    std::string_view line = head.substr(pos, head.find("\r\n", pos) - pos);
    if (line.size() >= 11 && http::iequals(line.substr(0, 11), "Connection:")) {
      std::string_view v = line.substr(11);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      if (v.size() >= 5 && http::iequals(v.substr(0, 5), "close")) return true;
    }
  }
  return false;
}

}  // namespace

struct http_server::state : std::enable_shared_from_this<http_server::state> {
  struct session {
    std::unique_ptr<byte_stream> stream;
    http::request_parser parser;
    std::string pending;  // bytes that arrived while a response was outstanding
    bool busy = false;    // a request is being answered
    bool closing = false;
    bool close_after = false;
    explicit session(const http::limits& l) : parser(l) {}
  };

  state(event_loop& l, handler h, http::limits lim)
      : loop(l), on_request(std::move(h)), limits(lim) {}

  event_loop& loop;
  handler on_request;
  http::limits limits;
  std::unordered_map<session*, std::shared_ptr<session>> sessions;
  std::size_t closing_count = 0;
  std::function<void()> on_closed;
  std::uint64_t served = 0;

  // Closes a session. Its close completion owns the session until the stream is done, so the
  // server may be destroyed meanwhile.
  void end(session* s) {
    if (s->closing) return;
    s->closing = true;
    ++closing_count;
    std::weak_ptr<state> self = weak_from_this();
    std::shared_ptr<session> keep = sessions.at(s);
    s->stream->close([self, keep, lp = &loop](std::error_code) mutable {
      session* raw = keep.get();
      lp->post([k = std::move(keep)]() {});  // release the stream after its callback returned
      auto st = self.lock();
      if (!st) return;
      st->sessions.erase(raw);
      if (--st->closing_count == 0 && st->sessions.empty() && st->on_closed) {
        auto done = std::move(st->on_closed);
        st->on_closed = nullptr;
        done();
      }
    });
  }

  void on_data(session* s, std::error_code ec, const char* d, std::size_t n) {
    if (s->closing) return;
    if (ec) {
      end(s);
      return;
    }
    if (s->busy) {
      if (s->pending.size() + n > limits.max_message_size) {
        end(s);
        return;
      }
      s->pending.append(d, n);
      return;
    }
    feed(s, d, n);
  }

  void feed(session* s, const char* d, std::size_t n) {
    auto used = s->parser.feed(d, n);
    if (!used) {
      const bool big = used.error().code == http::errc::message_too_large;
      s->close_after = true;
      s->busy = true;
      write(s, http::write_response(big ? 413 : 400, big ? "Payload Too Large" : "Bad Request",
                                    "text/plain", used.error().describe(), false));
      return;
    }
    if (!s->parser.complete()) return;
    s->pending.assign(d + *used, n - *used);
    s->busy = true;
    ++served;
    s->close_after = !s->parser.get().keep_alive;
    std::weak_ptr<session> ws = sessions.at(s);
    std::weak_ptr<state> self = weak_from_this();
    on_request(s->parser.get(), [ws, self](std::string response) {
      auto st = self.lock();
      auto sp = ws.lock();
      if (!st || !sp || sp->closing) return;
      if (says_close(response)) sp->close_after = true;
      st->write(sp.get(), std::move(response));
    });
  }

  void write(session* s, std::string bytes) {
    s->stream->write(std::move(bytes), [this, s](std::error_code ec) {
      if (s->closing) return;
      if (ec || s->close_after) {
        end(s);
        return;
      }
      s->busy = false;
      s->parser.reset();
      if (!s->pending.empty()) {
        std::string more = std::move(s->pending);
        s->pending.clear();
        feed(s, more.data(), more.size());
      }
    });
  }
};

http_server::http_server(event_loop& loop, handler h, http::limits limits)
    : s_(std::make_shared<state>(loop, std::move(h), limits)) {}

http_server::~http_server() {
  std::vector<state::session*> all;
  for (auto& [p, sp] : s_->sessions) all.push_back(p);
  for (auto* p : all) s_->end(p);
}

void http_server::serve(std::unique_ptr<byte_stream> stream) {
  auto sp = std::make_shared<state::session>(s_->limits);
  sp->stream = std::move(stream);
  state::session* raw = sp.get();
  s_->sessions.emplace(raw, std::move(sp));
  state* st = s_.get();
  raw->stream->start_read([st, raw](std::error_code ec, const char* d, std::size_t n) {
    if (!raw->closing) st->on_data(raw, ec, d, n);
  });
}

void http_server::close(std::function<void()> done) {
  std::vector<state::session*> all;
  for (auto& [p, sp] : s_->sessions) all.push_back(p);
  for (auto* p : all) s_->end(p);
  if (s_->sessions.empty()) {
    if (done) s_->loop.post(std::move(done));
    return;
  }
  s_->on_closed = std::move(done);
}

std::size_t http_server::connections() const { return s_->sessions.size() - s_->closing_count; }
std::uint64_t http_server::requests_served() const { return s_->served; }

}  // namespace wst::detail::transport
