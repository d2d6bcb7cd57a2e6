#include "channel_io.hpp"
#include "handoff.hpp"

#include <wst/actors/errors.hpp>
#include <wst/tls/stream.hpp>
#include <wst/transport/url.hpp>

#include <cctype>

namespace wst::detail::actors {
namespace {

// https: a TLS filter (the channel's context, one session cache per channel) over the loop's
// TCP stream.
class https_transport final : public wst::transport {
 public:
  https_transport(std::shared_ptr<const tls::client_context> ctx, std::shared_ptr<tls::session_cache> sessions)
      : ctx_(std::move(ctx)), sessions_(std::move(sessions)) {}

  std::unique_ptr<byte_stream> create_stream(const endpoint& where, stream_context& sc) override {
    auto lower = sc.tcp_stream(where.host, where.port);
    if (!lower) return nullptr;
    auto s = tls::stream::client(std::move(lower), sc.loop(), ctx_, where.host, where.port, sessions_);
    if (!s) return nullptr;
    return std::move(*s);
  }
  std::uint16_t default_port() const override { return 443; }

 private:
  std::shared_ptr<const tls::client_context> ctx_;
  std::shared_ptr<tls::session_cache> sessions_;
};

bool is_https(std::string_view url) {
  constexpr std::string_view prefix = "https:";
  if (url.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

channel_io::channel_io(channel_site site, const channel_settings& settings, channel_io_events events,
                       std::uint64_t generation)
    : site_(std::move(site)), settings_(settings), events_(std::move(events)), generation_(generation) {}

channel_io::~channel_io() = default;

void channel_io::open() {
  if (detached_) return;
  auto fail = [this](failure f) { events_.opened(generation_, op_status{std::move(f)}); };
  const transport::scheme_registry* fallback =
      site_.schemes ? site_.schemes : &transport::scheme_registry::global();
  schemes_ = std::make_unique<transport::scheme_registry>(fallback);
  if (auto ec = schemes_->add("http", transport::make_tcp_transport(80), true)) {
    fail(failure(ec, "registering http"));
    return;
  }
  if (is_https(settings_.url)) {
    auto ctx = tls::make_client_context(settings_.tls);
    if (!ctx) {
      fail(std::move(ctx).error());
      return;
    }
    auto t = std::make_shared<https_transport>(std::move(*ctx), tls::make_session_cache());
    if (auto ec = schemes_->add("https", std::move(t), true)) {
      fail(failure(ec, "registering https"));
      return;
    }
  }
  auto ep = transport::parse_url(settings_.url, *schemes_);
  if (!ep) {
    fail(std::move(ep).error());
    return;
  }
  streams_ = site_.make_streams(settings_);
  if (!streams_) {
    fail(failure(errc::runtime_failure, "no stream context for the channel's loop"));
    return;
  }
  transport::exchange_options o;
  o.time = settings_.time;
  o.max_connections = settings_.max_connections;
  o.max_queued = settings_.max_queued;
  o.idle_timeout = settings_.idle_timeout;
  o.limits = settings_.limits;
  exchange_ = std::make_unique<transport::exchange>(*streams_, *schemes_, std::move(o));
  events_.opened(generation_, op_status{});
}

void channel_io::send(std::uint64_t wire, soap_request req) {
  taken_over(req.body.data());  // built on the channel actor's thread, handed over in its outbox
  if (detached_) return;
  if (!exchange_) {
    events_.replied(wire, soap_reply{failure(errc::invalid_state, "the channel's connection pool is gone"), {}});
    return;
  }
  transport::soap_call call;
  call.url = settings_.url;
  call.version = req.version;
  call.action = std::move(req.action);
  call.body = std::move(req.body);
  call.credentials = settings_.basic;
  std::weak_ptr<channel_io> self = weak_from_this();
  auto id = exchange_->send(std::move(call), [self, wire](result<http::response> r) {
    auto io = self.lock();
    if (!io || io->detached_) return;
    io->wires_.erase(wire);
    soap_reply reply;
    if (r)
      reply.response = std::move(*r);
    else
      reply.error = std::move(r).error();
    io->events_.replied(wire, std::move(reply));
  });
  wires_.emplace(wire, id);
}

void channel_io::cancel(std::uint64_t wire) {
  auto it = wires_.find(wire);
  if (it == wires_.end() || !exchange_) return;
  exchange_->cancel(it->second);
}

void channel_io::abort_all() {
  if (exchange_) exchange_->abort_all();
}

void channel_io::close() {
  if (detached_) return;
  if (!exchange_) {
    events_.closed(generation_, op_status{});
    return;
  }
  std::weak_ptr<channel_io> self = weak_from_this();
  exchange_->close([self](std::error_code ec) {
    auto io = self.lock();
    if (!io || io->detached_) return;
    op_status st;
    if (ec) st.error = failure(ec, "closing the channel's connections");
    io->events_.closed(io->generation_, std::move(st));
  });
}

void channel_io::detach() {
  detached_ = true;
  wires_.clear();
  exchange_.reset();
}

}  // namespace wst::detail::actors
