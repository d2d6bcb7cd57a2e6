// WS_CHANNEL: WsCreateChannel, WsOpenChannel, WsCloseChannel, WsAbortChannel, WsResetChannel,
// WsFreeChannel, WsGetChannelProperty.
#include <wst/capi/async.hpp>
#include <wst/capi/call.hpp>
#include <wst/capi/channel.hpp>
#include <wst/capi/text.hpp>

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

namespace capi = wst::detail::capi;
namespace actors = wst::detail::actors;
namespace api = wst::detail::api;
using capi::errc;

namespace {

bool starts_with_scheme(const std::string& url, const char* scheme) {
  const std::size_t n = std::strlen(scheme);
  if (url.size() <= n || url[n] != ':') return false;
  for (std::size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return false;
  return true;
}

HRESULT wrong_state(const capi::call& c, WS_CHANNEL_STATE st, const char* needs) {
  return c.fail(errc::invalid_operation, std::string("the channel is ") + capi::state_name(st) +
                                             "; " + c.function() + " needs " + needs);
}

}  // namespace

extern "C" {

HRESULT WINAPI WsCreateChannel(WS_CHANNEL_TYPE channelType, WS_CHANNEL_BINDING channelBinding,
                               const WS_CHANNEL_PROPERTY* properties, ULONG propertyCount,
                               const WS_SECURITY_DESCRIPTION* securityDescription,
                               WS_CHANNEL** channel, WS_ERROR* error) {
  return capi::guard("WsCreateChannel", error, [&](capi::call& c) -> HRESULT {
    if (channel == nullptr) return c.fail(errc::invalid_argument, "channel is NULL");
    switch (capi::raw(channelType)) {
      case WS_CHANNEL_TYPE_REQUEST:
        break;
      case WS_CHANNEL_TYPE_INPUT:
      case WS_CHANNEL_TYPE_OUTPUT:
      case WS_CHANNEL_TYPE_INPUT_SESSION:
      case WS_CHANNEL_TYPE_OUTPUT_SESSION:
      case WS_CHANNEL_TYPE_DUPLEX:
      case WS_CHANNEL_TYPE_DUPLEX_SESSION:
      case WS_CHANNEL_TYPE_REPLY:
        return c.fail(errc::not_supported, "wst creates WS_CHANNEL_TYPE_REQUEST channels only");
      default:
        return c.fail(errc::invalid_argument,
                      "unknown WS_CHANNEL_TYPE " + std::to_string(capi::raw(channelType)));
    }
    const int binding = capi::raw(channelBinding);
    if (binding != WS_HTTP_CHANNEL_BINDING) {
      if (binding >= WS_TCP_CHANNEL_BINDING && binding <= WS_NAMEDPIPE_CHANNEL_BINDING)
        return c.fail(errc::not_supported, "wst speaks WS_HTTP_CHANNEL_BINDING only");
      return c.fail(errc::invalid_argument,
                    "unknown WS_CHANNEL_BINDING " + std::to_string(binding));
    }
    auto config = capi::make_channel_config(properties, propertyCount, securityDescription);
    if (!config) return c.fail(config.error());
    *channel = new _WS_CHANNEL(std::make_shared<capi::channel_core>(std::move(*config)));
    return S_OK;
  });
}

HRESULT WINAPI WsOpenChannel(WS_CHANNEL* channel, const WS_ENDPOINT_ADDRESS* endpointAddress,
                             const WS_ASYNC_CONTEXT* asyncContext, WS_ERROR* error) {
  return capi::guard("WsOpenChannel", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(channel) == nullptr) return c.bad_handle("channel", "WS_CHANNEL");
    if (endpointAddress == nullptr)
      return c.fail(errc::invalid_argument, "endpointAddress is NULL");
    if (HRESULT hr = capi::check_async(c, asyncContext); FAILED(hr)) return hr;
    if (endpointAddress->headers != nullptr || endpointAddress->extensions != nullptr)
      return c.fail(errc::not_supported,
                    "endpoint address headers and extensions are not supported by wst");
    if (endpointAddress->identity != nullptr)
      return c.fail(
          errc::not_supported,
          "endpoint identities are not supported by wst (TLS checks the host name instead)");
    auto url = capi::narrow(endpointAddress->url, "endpointAddress->url");
    if (!url) return c.fail(url.error());
    if (url->empty()) return c.fail(errc::invalid_argument, "endpointAddress->url is empty");
    capi::channel_core& core = *channel->core;
    const bool https = starts_with_scheme(*url, "https");
    if (core.config.ssl && !https)
      return c.fail(
          errc::invalid_argument,
          "the channel has a WS_SSL_TRANSPORT_SECURITY_BINDING, so its address must be https");
    if (!core.config.ssl && https)
      return c.fail(errc::invalid_argument,
                    "an https address needs a WS_SSL_TRANSPORT_SECURITY_BINDING in the channel's "
                    "security description");

    std::shared_ptr<api::channel> actor;
    std::uint64_t aborts = 0;
    {
      std::lock_guard<std::mutex> lock(core.mu);
      const WS_CHANNEL_STATE st = core.effective_state();
      if (st != WS_CHANNEL_STATE_CREATED) return wrong_state(c, st, "a created channel");
      actors::channel_settings settings = core.config.settings;
      settings.url = *url;
      core.actor = api::channel::create(core.engine, std::move(settings));
      core.url = std::move(*url);
      core.state = WS_CHANNEL_STATE_OPENING;
      actor = core.actor;
      aborts = core.aborts;
    }
    auto op = std::make_shared<capi::operation>(asyncContext, core.config.callback_model);
    std::weak_ptr<capi::channel_core> weak = channel->core;
    actor->open([op, weak, error, aborts,
                 actor = std::weak_ptr<api::channel>(actor)](actors::op_status s) {
      bool aborted = false;
      if (auto held = weak.lock()) {
        std::lock_guard<std::mutex> lock(held->mu);
        aborted = held->aborts != aborts;
        if (held->state == WS_CHANNEL_STATE_OPENING)
          held->state = s.ok() ? WS_CHANNEL_STATE_OPEN : WS_CHANNEL_STATE_FAULTED;
      }
      const capi::call done("WsOpenChannel", error);
      if (aborted) {
        // The abort reached the actor before the open did: fault the actor as well.
        if (auto a = actor.lock(); a && s.ok()) a->abort(nullptr);
        op->complete(done.report(WS_E_OPERATION_ABORTED, "the open was aborted by WsAbortChannel"));
        return;
      }
      op->complete(s.ok() ? S_OK : done.fail(s.error));
    });
    return op->initiated();
  });
}

HRESULT WINAPI WsCloseChannel(WS_CHANNEL* channel, const WS_ASYNC_CONTEXT* asyncContext,
                              WS_ERROR* error) {
  return capi::guard("WsCloseChannel", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(channel) == nullptr) return c.bad_handle("channel", "WS_CHANNEL");
    if (HRESULT hr = capi::check_async(c, asyncContext); FAILED(hr)) return hr;
    capi::channel_core& core = *channel->core;
    std::shared_ptr<api::channel> actor;
    std::uint64_t aborts = 0;
    {
      std::lock_guard<std::mutex> lock(core.mu);
      const WS_CHANNEL_STATE st = core.effective_state();
      if (st != WS_CHANNEL_STATE_OPEN && st != WS_CHANNEL_STATE_FAULTED)
        return wrong_state(c, st, "an open or faulted channel");
      core.state = WS_CHANNEL_STATE_CLOSING;
      actor = core.actor;
      aborts = core.aborts;
    }
    auto op = std::make_shared<capi::operation>(asyncContext, core.config.callback_model);
    std::weak_ptr<capi::channel_core> weak = channel->core;
    // A close that fails (its timeout aborted requests, or an abort cut it short) still
    // leaves the channel closed, as in WWSAPI.
    actor->close([op, weak, error, aborts](actors::op_status s) {
      bool aborted = false;
      if (auto held = weak.lock()) {
        std::lock_guard<std::mutex> lock(held->mu);
        aborted = held->aborts != aborts;
        if (held->state == WS_CHANNEL_STATE_CLOSING) held->state = WS_CHANNEL_STATE_CLOSED;
      }
      const capi::call done("WsCloseChannel", error);
      if (aborted)
        op->complete(
            done.report(WS_E_OPERATION_ABORTED, "the close was aborted by WsAbortChannel"));
      else
        op->complete(s.ok() ? S_OK : done.fail(s.error));
    });
    return op->initiated();
  });
}

HRESULT WINAPI WsAbortChannel(WS_CHANNEL* channel, WS_ERROR* error) {
  return capi::guard("WsAbortChannel", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(channel) == nullptr) return c.bad_handle("channel", "WS_CHANNEL");
    capi::channel_core& core = *channel->core;
    std::shared_ptr<api::channel> actor;
    {
      std::lock_guard<std::mutex> lock(core.mu);
      ++core.aborts;
      switch (core.effective_state()) {
        case WS_CHANNEL_STATE_OPENING:
        case WS_CHANNEL_STATE_OPEN:
          core.state = WS_CHANNEL_STATE_FAULTED;
          break;
        case WS_CHANNEL_STATE_CLOSING:
          core.state = WS_CHANNEL_STATE_CLOSED;
          break;
        default:
          break;
      }
      actor = core.actor;
    }
    if (!actor) return S_OK;
    // The actor fails everything in flight (WS_E_OPERATION_ABORTED) and answers at once. Wait
    // for that, so whatever the caller does next reaches an aborted channel - except on a
    // runtime thread (inside a short callback), which must not block.
    struct done_flag {
      std::mutex mu;
      std::condition_variable cv;
      bool done = false;
    };
    auto flag = std::make_shared<done_flag>();
    actor->abort([flag](actors::op_status) {
      std::lock_guard<std::mutex> lock(flag->mu);
      flag->done = true;
      flag->cv.notify_all();
    });
    if (!api::in_completion()) {
      std::unique_lock<std::mutex> lock(flag->mu);
      flag->cv.wait_for(lock, std::chrono::seconds(10), [&] { return flag->done; });
    }
    return S_OK;
  });
}

HRESULT WINAPI WsResetChannel(WS_CHANNEL* channel, WS_ERROR* error) {
  return capi::guard("WsResetChannel", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(channel) == nullptr) return c.bad_handle("channel", "WS_CHANNEL");
    capi::channel_core& core = *channel->core;
    std::shared_ptr<api::channel> dropped;
    {
      std::lock_guard<std::mutex> lock(core.mu);
      const WS_CHANNEL_STATE st = core.effective_state();
      if (st != WS_CHANNEL_STATE_CREATED && st != WS_CHANNEL_STATE_CLOSED)
        return wrong_state(c, st, "a created or closed channel");
      dropped = std::move(core.actor);
      core.actor = nullptr;
      core.url.clear();
      core.state = WS_CHANNEL_STATE_CREATED;
    }
    return S_OK;  // `dropped` stops the old channel actor here, outside the lock
  });
}

void WINAPI WsFreeChannel(WS_CHANNEL* channel) {
  if (capi::live(channel) != nullptr) delete channel;
}

HRESULT WINAPI WsGetChannelProperty(WS_CHANNEL* channel, WS_CHANNEL_PROPERTY_ID id, void* value,
                                    ULONG valueSize, WS_ERROR* error) {
  return capi::guard("WsGetChannelProperty", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(channel) == nullptr) return c.bad_handle("channel", "WS_CHANNEL");
    capi::channel_core& core = *channel->core;
    const capi::channel_config& cfg = core.config;
    auto write = [&](const auto& v) { return c.write_value(value, valueSize, v); };
    const int raw_id = capi::raw(id);
    switch (raw_id) {
      case WS_CHANNEL_PROPERTY_STATE: {
        std::lock_guard<std::mutex> lock(core.mu);
        return write(core.effective_state());
      }
      case WS_CHANNEL_PROPERTY_CHANNEL_TYPE:
        return write(WS_CHANNEL_TYPE_REQUEST);
      case WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE:
        return write(cfg.max_buffered_message_size);
      case WS_CHANNEL_PROPERTY_ENCODING:
        return write(WS_ENCODING_XML_UTF8);
      case WS_CHANNEL_PROPERTY_ENVELOPE_VERSION:
        return write(cfg.envelope);
      case WS_CHANNEL_PROPERTY_ADDRESSING_VERSION:
        return write(cfg.addressing);
      case WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL:
        return write(cfg.callback_model);
      case WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT:
        return write(cfg.resolve_timeout);
      case WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT:
        return write(cfg.connect_timeout);
      case WS_CHANNEL_PROPERTY_SEND_TIMEOUT:
        return write(cfg.send_timeout);
      case WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT:
        return write(cfg.receive_response_timeout);
      case WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT:
        return write(cfg.receive_timeout);
      case WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT:
        return write(cfg.close_timeout);
      case WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS:
        return write(cfg.enable_timeouts);
      case WS_CHANNEL_PROPERTY_TRANSFER_MODE:
        return write(WS_BUFFERED_TRANSFER_MODE);
      case WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE:
        return write(WS_HTTP_PROXY_SETTING_MODE_NONE);
    }
    if (raw_id < 0 || raw_id > WS_CHANNEL_PROPERTY_MAX_HTTP_REQUEST_HEADERS_BUFFER_SIZE)
      return c.fail(errc::invalid_argument,
                    "unknown WS_CHANNEL_PROPERTY_ID " + std::to_string(raw_id));
    return c.fail(errc::not_supported, "WS_CHANNEL_PROPERTY id " + std::to_string(raw_id) +
                                           " is not available on wst channels");
  });
}

}  // extern "C"
