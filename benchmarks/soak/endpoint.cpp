#include "endpoint.hpp"

#include <chrono>
#include <cstdio>
#include <system_error>
#include <thread>

namespace wst::bench::soak {
namespace {

// Both the address and its characters must live until WsOpenChannel returns.
struct wide_address {
  std::wstring chars;
  WS_ENDPOINT_ADDRESS address{};
  explicit wide_address(const std::string& url) : chars(url.begin(), url.end()) {
    address.url.length = static_cast<ULONG>(chars.size());
    address.url.chars = chars.data();
  }
};

detail::failure step_failed(const char* step, HRESULT hr, WS_ERROR* error) {
  return detail::failure(std::make_error_code(std::errc::io_error),
                         std::string(step) + ": " + take_error_text(hr, error));
}

WS_CHANNEL_STATE state_of(WS_CHANNEL* channel) {
  WS_CHANNEL_STATE st = WS_CHANNEL_STATE_CREATED;
  if (WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_STATE, &st, sizeof st, nullptr) != S_OK)
    return WS_CHANNEL_STATE_FAULTED;
  return st;
}

}  // namespace

std::string take_error_text(HRESULT hr, WS_ERROR* error) {
  char code[12];
  std::snprintf(code, sizeof code, "0x%08X", static_cast<unsigned>(hr));
  std::string text(code);
  WS_STRING newest{};
  if (error != nullptr && WsGetErrorString(error, 0, &newest) == S_OK && newest.length > 0) {
    text.push_back(' ');
    for (ULONG i = 0; i < newest.length && i < 400; ++i) {
      const WCHAR c = newest.chars[i];
      text.push_back(c > 0 && c < 0x80 ? static_cast<char>(c) : '?');
    }
  }
  if (error != nullptr) WsResetError(error);
  return text;
}

detail::result<WS_CHANNEL*> open_channel(const std::string& url, const channel_shape& shape,
                                         WS_ERROR* error) {
  WS_ENVELOPE_VERSION soap12 = WS_ENVELOPE_VERSION_SOAP_1_2;
  WS_CALLBACK_MODEL model = shape.callback_model;
  ULONG receive = shape.receive_timeout_ms;
  WS_CHANNEL_PROPERTY props[3] = {
      {WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &soap12, sizeof soap12},
      {WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, &model, sizeof model},
      {WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, &receive, sizeof receive},
  };
  const ULONG count = receive != 0 ? 3 : 2;
  WS_CHANNEL* channel = nullptr;
  HRESULT hr = WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, props, count,
                               nullptr, &channel, error);
  if (hr != S_OK) return step_failed("WsCreateChannel", hr, error);
  const wide_address to(url);
  hr = WsOpenChannel(channel, &to.address, nullptr, error);
  if (hr != S_OK) {
    auto f = step_failed("WsOpenChannel", hr, error);
    WsFreeChannel(channel);
    return f;
  }
  return channel;
}

endpoint::endpoint(std::string url, channel_shape shape) : url_(std::move(url)), shape_(shape) {
  (void)WsCreateError(nullptr, 0, &error_);
}

endpoint::~endpoint() {
  shut();
  WsFreeError(error_);
}

detail::result<void> endpoint::open() {
  auto ch = open_channel(url_, shape_, error_);
  if (!ch) return std::move(ch).error();
  std::lock_guard<std::mutex> lock(mu_);
  channel_ = *ch;
  return {};
}

endpoint::lease_t endpoint::lease(void* parked) {
  std::lock_guard<std::mutex> lock(mu_);
  if (recovering_ || channel_ == nullptr) {
    parked_.push_back(parked);
    return {};
  }
  ++leases_;
  return {channel_, generation_};
}

void endpoint::release() noexcept {
  std::lock_guard<std::mutex> lock(mu_);
  if (--leases_ == 0 && recovering_) idle_.notify_all();
}

bool endpoint::needs_recovery(std::uint64_t generation) {
  WS_CHANNEL* ch = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (recovering_ || generation != generation_ || channel_ == nullptr) return false;
    ++leases_;
    ch = channel_;
  }
  const WS_CHANNEL_STATE st = state_of(ch);
  std::lock_guard<std::mutex> lock(mu_);
  const bool first = st == WS_CHANNEL_STATE_FAULTED && !recovering_ && generation == generation_;
  if (first) recovering_ = true;
  if (--leases_ == 0 && recovering_) idle_.notify_all();
  return first;
}

detail::result<void> endpoint::reopen(bool fresh) {
  // The channel is ours alone here (recovering, no lease out).
  WS_CHANNEL* ch = channel_;
  if (HRESULT hr = WsAbortChannel(ch, error_); hr != S_OK) return step_failed("WsAbortChannel", hr, error_);
  if (fresh) {
    WsFreeChannel(ch);
    channel_ = nullptr;
    auto made = open_channel(url_, shape_, error_);
    if (!made) return std::move(made).error();
    channel_ = *made;
    return {};
  }
  // Aborted: faulted. A failing close still leaves the channel closed, as in WWSAPI.
  if (HRESULT hr = WsCloseChannel(ch, nullptr, error_); hr != S_OK && state_of(ch) != WS_CHANNEL_STATE_CLOSED)
    return step_failed("WsCloseChannel", hr, error_);
  WsResetError(error_);
  if (HRESULT hr = WsResetChannel(ch, error_); hr != S_OK) return step_failed("WsResetChannel", hr, error_);
  const wide_address to(url_);
  if (HRESULT hr = WsOpenChannel(ch, &to.address, nullptr, error_); hr != S_OK)
    return step_failed("WsOpenChannel", hr, error_);
  return {};
}

std::vector<void*> endpoint::recover() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    idle_.wait(lock, [&] { return leases_ == 0; });
  }
  const bool fresh = recoveries_.load() % 2 == 1;
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (channel_ == nullptr) {  // a fresh path that failed after the free
      auto made = open_channel(url_, shape_, error_);
      if (made) channel_ = *made;
    }
    auto ok = channel_ != nullptr ? reopen(fresh) : detail::result<void>(detail::failure(
                                                        std::make_error_code(std::errc::io_error),
                                                        "no channel could be created"));
    if (ok) break;
    ++failed_steps_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (first_failure_.empty()) first_failure_ = ok.error().describe();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ++(fresh ? fresh_path_ : reset_path_);
  ++recoveries_;
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  recovering_ = false;
  std::vector<void*> relaunch;
  relaunch.swap(parked_);
  return relaunch;
}

void endpoint::shut() {
  WS_CHANNEL* ch = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ch = channel_;
    channel_ = nullptr;
  }
  if (ch == nullptr) return;
  const WS_CHANNEL_STATE st = state_of(ch);
  if (st == WS_CHANNEL_STATE_OPEN || st == WS_CHANNEL_STATE_FAULTED)
    if (WsCloseChannel(ch, nullptr, error_) != S_OK) (void)WsAbortChannel(ch, error_);
  WsFreeChannel(ch);
  WsResetError(error_);
}

std::size_t endpoint::parked() const {
  std::lock_guard<std::mutex> lock(mu_);
  return parked_.size();
}

std::string endpoint::first_failure() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_failure_;
}

}  // namespace wst::bench::soak
