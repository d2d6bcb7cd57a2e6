// One sample STS as the soak program sees it: its URL, the WS_CHANNEL that talks to it, and
// the recovery a WWSAPI application performs when that channel faults.
//
// Lease protocol. A request borrows the channel (lease) for the duration of one
// WsRequestSecurityToken or WsGetChannelProperty call and returns it (release). While the
// endpoint recovers, lease refuses and parks the caller's slot instead; recovery waits until
// no lease is out, then owns the channel alone - no Ws* call races a reset or a free - and
// hands the parked slots back when the channel is open again.
//
// Recovery, alternating between the two ways WWSAPI code does it:
//   reset path: WsAbortChannel, WsCloseChannel, WsResetChannel, WsOpenChannel (same handle);
//   fresh path: WsAbortChannel, WsFreeChannel, WsCreateChannel, WsOpenChannel (new handle).
#pragma once

#include <wst/base/result.hpp>

#include <webservices.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace wst::bench::soak {

// How the channels are created (all endpoints alike, except the receive timeout).
struct channel_shape {
  WS_CALLBACK_MODEL callback_model = WS_SHORT_CALLBACK;
  ULONG receive_timeout_ms = 0;  // 0 = the channel's default (30 s)
};

// "0x803D0013 <newest WS_ERROR string>" (the string narrowed to ASCII, '?' for the rest), and
// resets `error`.
std::string take_error_text(HRESULT hr, WS_ERROR* error);

// A created and opened channel to `url` (synchronous calls); the text of the failure otherwise.
detail::result<WS_CHANNEL*> open_channel(const std::string& url, const channel_shape& shape,
                                         WS_ERROR* error);

class endpoint {
 public:
  endpoint(std::string url, channel_shape shape);
  ~endpoint();  // closes (or aborts) and frees the channel
  endpoint(const endpoint&) = delete;
  endpoint& operator=(const endpoint&) = delete;

  // Opens the first channel.
  detail::result<void> open();

  struct lease_t {
    WS_CHANNEL* channel = nullptr;  // null: the caller was parked
    std::uint64_t generation = 0;   // which channel it was (recoveries so far)
  };
  // Borrows the channel, or parks `parked` (returned later by recover()) while recovering.
  lease_t lease(void* parked);
  void release() noexcept;

  // After a failed request on channel `generation`: looks at the channel's state and, if it
  // faulted, marks the endpoint recovering. True when the caller must now call recover()
  // (exactly one caller is told so per fault).
  bool needs_recovery(std::uint64_t generation);

  // The recovery itself (blocking: call it from a thread of your own, never from a wst
  // callback). Returns the parked slots to relaunch. Retries a failed step up to 50 times,
  // 100 ms apart, counting each failure.
  std::vector<void*> recover();

  // Closes the channel for good (end of the run): WsCloseChannel, or WsAbortChannel when the
  // close fails; requests still pending complete with WS_E_OPERATION_ABORTED.
  void shut();

  const std::string& url() const noexcept { return url_; }
  std::uint64_t recoveries() const noexcept { return recoveries_.load(); }
  std::uint64_t reset_path() const noexcept { return reset_path_.load(); }
  std::uint64_t fresh_path() const noexcept { return fresh_path_.load(); }
  std::uint64_t failed_steps() const noexcept { return failed_steps_.load(); }
  std::size_t parked() const;
  // The first failed recovery step's text (empty when none failed).
  std::string first_failure() const;

 private:
  detail::result<void> reopen(bool fresh);

  const std::string url_;
  const channel_shape shape_;
  WS_ERROR* error_ = nullptr;  // for recovery steps only (one recovery at a time)

  mutable std::mutex mu_;
  std::condition_variable idle_;
  WS_CHANNEL* channel_ = nullptr;
  std::uint64_t generation_ = 0;
  bool recovering_ = false;
  std::size_t leases_ = 0;
  std::vector<void*> parked_;
  std::string first_failure_;

  std::atomic<std::uint64_t> recoveries_{0}, reset_path_{0}, fresh_path_{0}, failed_steps_{0};
};

}  // namespace wst::bench::soak
