#include <wst/transport/scheme_registry.hpp>

#include <mutex>

namespace wst::detail::transport {
namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return r;
}

class tcp_transport final : public wst::transport {
 public:
  explicit tcp_transport(std::uint16_t port) : port_(port) {}
  std::unique_ptr<byte_stream> create_stream(const endpoint& where, stream_context& ctx) override {
    return ctx.tcp_stream(where.host, where.port);
  }
  std::uint16_t default_port() const override { return port_; }

 private:
  std::uint16_t port_;
};

}  // namespace

bool valid_scheme(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!alpha && (i == 0 || !other)) return false;
  }
  return true;
}

std::error_code scheme_registry::add(std::string_view scheme, std::shared_ptr<wst::transport> t,
                                     bool builtin) {
  if (!t) return std::make_error_code(std::errc::invalid_argument);
  if (!valid_scheme(scheme)) return transport_errc::invalid_url;
  std::string key = lower(scheme);
  if (!builtin && (key == "http" || key == "https")) return transport_errc::invalid_url;
  std::unique_lock lock(mu_);
  if (!map_.emplace(std::move(key), std::move(t)).second) return transport_errc::scheme_registered;
  return {};
}

bool scheme_registry::remove(std::string_view scheme) {
  std::unique_lock lock(mu_);
  return map_.erase(lower(scheme)) != 0;
}

std::shared_ptr<wst::transport> scheme_registry::find(std::string_view scheme) const {
  std::string key = lower(scheme);
  {
    std::shared_lock lock(mu_);
    auto it = map_.find(key);
    if (it != map_.end()) return it->second;
  }
  return fallback_ ? fallback_->find(key) : nullptr;
}

scheme_registry& scheme_registry::global() {
  static scheme_registry instance;
  return instance;
}

std::shared_ptr<wst::transport> make_tcp_transport(std::uint16_t default_port) {
  return std::make_shared<tcp_transport>(default_port);
}

}  // namespace wst::detail::transport

namespace wst {

std::error_code register_transport(const std::string& scheme, std::shared_ptr<transport> t) {
  return detail::transport::scheme_registry::global().add(scheme, std::move(t));
}

bool unregister_transport(const std::string& scheme) {
  return detail::transport::scheme_registry::global().remove(scheme);
}

}  // namespace wst
