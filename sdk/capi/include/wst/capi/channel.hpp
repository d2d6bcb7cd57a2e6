// WS_CHANNEL: a WS_CHANNEL_TYPE_REQUEST channel over WS_HTTP_CHANNEL_BINDING to one STS.
//
// WsCreateChannel turns the channel properties and the security description into a
// channel_config (immutable afterwards). WsOpenChannel creates a channel actor for the
// endpoint URL (api::channel, on the process-wide engine) and opens it; WsResetChannel drops
// it, so the next open may name another URL. WsRequestSecurityToken runs one negotiation on it.
//
// State. The WWSAPI state lives in channel_core::state, guarded by its mutex, and moves with
// the Ws* calls (open: created -> opening -> open | faulted; close: open | faulted -> closing
// -> closed; abort: opening | open -> faulted, closing -> closed; reset: created | closed ->
// created). A channel that the actor faulted on its own (a connection became unusable)
// shows as faulted from then on: effective_state() adopts what the actor published.
//
// Abort. WsAbortChannel moves the state at once and asks the actor to fail everything in
// flight; operations pending across an abort complete with WS_E_OPERATION_ABORTED (`aborts`).
//
// Lifetime. The WS_CHANNEL handle owns the channel_core; completions hold it weakly, so a
// WsFreeChannel while operations are pending frees the channel at once: the channel actor is
// stopped, and every pending operation completes (WS_E_OPERATION_ABORTED) through its own
// WS_ASYNC_CONTEXT, touching only what its caller gave it.
#pragma once

#include <wst/actors/messages.hpp>
#include <wst/api/channel.hpp>
#include <wst/capi/handle.hpp>
#include <wst/core/request.hpp>
#include <wst/core/rstr_reader.hpp>

#include <webservices.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace wst::detail::capi {

// Everything WsCreateChannel fixed. Values are kept as the caller gave them (or WWSAPI's
// defaults), so WsGetChannelProperty reports them back.
struct channel_config {
  // --- channel properties ---
  ULONG max_buffered_message_size = 65536;
  WS_ENVELOPE_VERSION envelope = WS_ENVELOPE_VERSION_SOAP_1_2;
  WS_ADDRESSING_VERSION addressing = WS_ADDRESSING_VERSION_1_0;
  WS_CALLBACK_MODEL callback_model = WS_LONG_CALLBACK;
  ULONG resolve_timeout = 60000;  // milliseconds; INFINITE = none
  ULONG connect_timeout = 30000;
  ULONG send_timeout = 30000;
  ULONG receive_response_timeout = 30000;
  ULONG receive_timeout = 30000;
  ULONG close_timeout = 5000;
  BOOL enable_timeouts = TRUE;

  // --- security description ---
  bool ssl = false;  // WS_SSL_TRANSPORT_SECURITY_BINDING: the URL must be https
  std::optional<core::username_credential> username;     // WS_USERNAME_MESSAGE_SECURITY_BINDING
  std::shared_ptr<const core::issued_token> supporting;  // WS_XML_TOKEN_MESSAGE_SECURITY_BINDING

  // What the channel actor gets, all but the URL (timeouts, limits, TLS, HTTP Basic).
  actors::channel_settings settings;
};

class channel_core {
 public:
  explicit channel_core(channel_config c) : config(std::move(c)) {}
  channel_core(const channel_core&) = delete;
  channel_core& operator=(const channel_core&) = delete;

  const channel_config config;

  // Keeps the process-wide actor runtime alive while any channel exists (it starts on the
  // first open), so closing and reopening channels does not restart it.
  const std::shared_ptr<api::engine> engine = api::engine::shared();

  std::mutex mu;  // guards everything below
  WS_CHANNEL_STATE state = WS_CHANNEL_STATE_CREATED;
  std::shared_ptr<api::channel> actor;  // from the open until the reset
  std::string url;                      // the STS address given to WsOpenChannel
  // WsAbortChannel calls so far. An operation remembers the count it started with; when it
  // ends after an abort (count changed) it reports WS_E_OPERATION_ABORTED if it failed, and an
  // open or close reports it whatever the actor answered. Open, close and abort reach the
  // channel actor through a requester actor each, requests from the calling thread, so an
  // abort may reach it before an operation started just before; this keeps WWSAPI's rule that an abort ends everything pending.
  std::uint64_t aborts = 0;

  // The state to report and check, with a fault the actor decided adopted. Requires `mu`.
  WS_CHANNEL_STATE effective_state() noexcept {
    if (state == WS_CHANNEL_STATE_OPEN && actor && actor->state() == actors::channel_state::faulted)
      state = WS_CHANNEL_STATE_FAULTED;
    return state;
  }
};

// English name of a state for messages ("open", "faulted", ...).
const char* state_name(WS_CHANNEL_STATE s) noexcept;

// Builds the config from WsCreateChannel's properties and security description
// (channel_config.cpp). Errors: invalid_argument (bad ids, sizes, values, combinations),
// not_supported (valid Windows options wst does not implement), with messages naming them.
result<channel_config> make_channel_config(const WS_CHANNEL_PROPERTY* properties,
                                           ULONG property_count,
                                           const WS_SECURITY_DESCRIPTION* security);

}  // namespace wst::detail::capi

struct _WS_CHANNEL {
  static constexpr std::uint32_t live_magic = 0x4E484357u;  // "WCHN"

  std::uint32_t magic = live_magic;
  std::shared_ptr<wst::detail::capi::channel_core> core;  // never null

  explicit _WS_CHANNEL(std::shared_ptr<wst::detail::capi::channel_core> c) : core(std::move(c)) {}
  _WS_CHANNEL(const _WS_CHANNEL&) = delete;
  _WS_CHANNEL& operator=(const _WS_CHANNEL&) = delete;
  ~_WS_CHANNEL() { wst::detail::capi::kill_magic(magic); }
};
