// Closed-loop load through the C facade (webservices.h): WsRequestSecurityToken with a
// WS_ASYNC_CONTEXT on one open WS_CHANNEL, the same exchange as the C++ API run - what a
// program ported from WWSAPI gets, and what the facade costs on top of wst::client.
#pragma once

#include "measure.hpp"

#include <wst/base/result.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

namespace wst::bench {

// The exchange, in the facade's terms (WS_REQUEST_SECURITY_TOKEN_PROPERTY_* and channel
// properties).
struct facade_exchange {
  std::string url;
  bool soap12 = true;                  // ENVELOPE_VERSION (addressing stays 1.0)
  bool trust13 = true;                 // TRUST_VERSION
  bool symmetric = true;               // ISSUED_TOKEN_KEY_TYPE SYMMETRIC, else NONE (bearer)
  unsigned key_size_bits = 256;        // ISSUED_TOKEN_KEY_SIZE (symmetric only)
  int entropy = 3;                     // WS_SECURITY_KEY_ENTROPY_MODE: 1 client, 2 server, 3 combined
  std::string token_type;              // ISSUED_TOKEN_TYPE
  std::string applies_to;              // APPLIES_TO
  bool long_callbacks = false;         // ASYNC_CALLBACK_MODEL: WS_LONG_CALLBACK, else WS_SHORT_CALLBACK
};

// One WS_CHANNEL, created and opened at the exchange's URL; closed and freed by the
// destructor (pending requests complete with WS_E_OPERATION_ABORTED first).
class facade_channel {
 public:
  static detail::result<std::unique_ptr<facade_channel>> open(const facade_exchange& x);
  ~facade_channel();
  facade_channel(const facade_channel&) = delete;
  facade_channel& operator=(const facade_channel&) = delete;

  // One synchronous WsRequestSecurityToken (the probe before the runs).
  detail::result<void> request_once();

  struct state;
  state& internals() noexcept { return *s_; }

 private:
  explicit facade_channel(std::unique_ptr<state> s);
  std::unique_ptr<state> s_;
};

// `in_flight` request slots (token, WS_ERROR, async context each), each going round until the
// window has all it wants. A success is a token of the requested key type (freed at once); a
// failure's HRESULT and WS_ERROR string are the error text. Must outlive the channel (declare
// it first), so that a callback the facade might run late finds it.
class facade_load {
 public:
  facade_load(facade_channel& channel, run_window& window, std::size_t in_flight);
  ~facade_load();
  facade_load(const facade_load&) = delete;
  facade_load& operator=(const facade_load&) = delete;

  // Starts every slot and returns; the window then ends by itself.
  void start();
  // Callbacks for a slot with no request in flight (the facade promises exactly one).
  std::size_t duplicate_callbacks() const noexcept { return duplicates_.load(); }

  struct slot;

 private:
  friend struct facade_completion;
  void launch(slot& s);

  facade_channel& channel_;
  run_window& window_;
  std::unique_ptr<slot[]> slots_;
  std::size_t count_;
  std::atomic<std::size_t> duplicates_{0};
};

}  // namespace wst::bench
