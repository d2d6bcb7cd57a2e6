#include "facade_load.hpp"

#include <webservices.h>

#include <cstdio>
#include <vector>

namespace wst::bench {
namespace {

detail::failure fail(std::string what) {
  return detail::failure(std::make_error_code(std::errc::io_error), std::move(what));
}

std::wstring widen(const std::string& s) { return std::wstring(s.begin(), s.end()); }

// "0x803D0013 <newest WS_ERROR string>", the string narrowed to ASCII (the rest as '?').
std::string describe(HRESULT hr, WS_ERROR* error) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%08X", static_cast<unsigned>(hr));
  std::string out = code;
  WS_STRING s{};
  if (error && WsGetErrorString(error, 0, &s) == S_OK) {
    out += ' ';
    for (ULONG i = 0; i < s.length && i < 500; ++i)
      out += (s.chars[i] > 0 && s.chars[i] < 0x80) ? static_cast<char>(s.chars[i]) : '?';
  }
  return out;
}

}  // namespace

struct facade_channel::state {
  WS_CHANNEL* channel = nullptr;
  WS_ERROR* error = nullptr;  // for open, close and the probe
  WS_TRUST_VERSION trust = WS_TRUST_VERSION_1_3;
  WS_SECURITY_KEY_TYPE key = WS_SECURITY_KEY_TYPE_SYMMETRIC;
  ULONG key_size = 256;
  WS_SECURITY_KEY_ENTROPY_MODE entropy = WS_SECURITY_KEY_ENTROPY_MODE_COMBINED;
  std::string token_type;
  WS_XML_STRING token_type_xml{};
  std::wstring applies_to_chars, url_chars;
  WS_ENDPOINT_ADDRESS applies_to{};
  std::vector<WS_REQUEST_SECURITY_TOKEN_PROPERTY> properties;

  void add(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID id, void* value, ULONG size) {
    properties.push_back(WS_REQUEST_SECURITY_TOKEN_PROPERTY{id, value, size});
  }
  HRESULT request(WS_SECURITY_TOKEN** token, const WS_ASYNC_CONTEXT* async, WS_ERROR* e) {
    return WsRequestSecurityToken(channel, properties.data(), static_cast<ULONG>(properties.size()), token,
                                  async, e);
  }
};

detail::result<std::unique_ptr<facade_channel>> facade_channel::open(const facade_exchange& x) {
  auto s = std::make_unique<state>();
  if (WsCreateError(nullptr, 0, &s->error) != S_OK) return fail("WsCreateError failed");
  WS_ENVELOPE_VERSION envelope = x.soap12 ? WS_ENVELOPE_VERSION_SOAP_1_2 : WS_ENVELOPE_VERSION_SOAP_1_1;
  WS_CALLBACK_MODEL model = x.long_callbacks ? WS_LONG_CALLBACK : WS_SHORT_CALLBACK;
  WS_CHANNEL_PROPERTY props[2] = {
      {WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &envelope, sizeof envelope},
      {WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, &model, sizeof model},
  };
  HRESULT hr = WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, props, 2, nullptr, &s->channel,
                               s->error);
  if (hr != S_OK) {
    auto f = fail("WsCreateChannel: " + describe(hr, s->error));
    WsFreeError(s->error);
    return f;
  }
  std::unique_ptr<facade_channel> c(new facade_channel(std::move(s)));
  state& st = *c->s_;
  st.url_chars = widen(x.url);
  WS_ENDPOINT_ADDRESS address{};
  address.url.length = static_cast<ULONG>(st.url_chars.size());
  address.url.chars = st.url_chars.data();
  hr = WsOpenChannel(st.channel, &address, nullptr, st.error);
  if (hr != S_OK) return fail("WsOpenChannel: " + describe(hr, st.error));

  st.trust = x.trust13 ? WS_TRUST_VERSION_1_3 : WS_TRUST_VERSION_FEBRUARY_2005;
  st.add(WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &st.trust, sizeof st.trust);
  st.applies_to_chars = widen(x.applies_to);
  st.applies_to.url.length = static_cast<ULONG>(st.applies_to_chars.size());
  st.applies_to.url.chars = st.applies_to_chars.data();
  st.add(WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO, &st.applies_to, sizeof st.applies_to);
  st.token_type = x.token_type;
  st.token_type_xml.length = static_cast<ULONG>(st.token_type.size());
  st.token_type_xml.bytes = reinterpret_cast<BYTE*>(st.token_type.data());
  st.add(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE, &st.token_type_xml, sizeof st.token_type_xml);
  st.key = x.symmetric ? WS_SECURITY_KEY_TYPE_SYMMETRIC : WS_SECURITY_KEY_TYPE_NONE;
  st.add(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, &st.key, sizeof st.key);
  if (x.symmetric) {
    st.key_size = x.key_size_bits;
    st.add(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_SIZE, &st.key_size, sizeof st.key_size);
  }
  st.entropy = static_cast<WS_SECURITY_KEY_ENTROPY_MODE>(x.entropy);
  st.add(WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY, &st.entropy, sizeof st.entropy);
  return c;
}

facade_channel::facade_channel(std::unique_ptr<state> s) : s_(std::move(s)) {}

facade_channel::~facade_channel() {
  if (s_->channel) {
    WS_CHANNEL_STATE st = WS_CHANNEL_STATE_CREATED;
    if (WsGetChannelProperty(s_->channel, WS_CHANNEL_PROPERTY_STATE, &st, sizeof st, nullptr) == S_OK &&
        (st == WS_CHANNEL_STATE_OPEN || st == WS_CHANNEL_STATE_FAULTED))
      (void)WsCloseChannel(s_->channel, nullptr, nullptr);
    WsFreeChannel(s_->channel);
  }
  WsFreeError(s_->error);
}

detail::result<void> facade_channel::request_once() {
  WS_SECURITY_TOKEN* token = nullptr;
  const HRESULT hr = s_->request(&token, nullptr, s_->error);
  if (hr != S_OK) {
    auto f = fail("WsRequestSecurityToken: " + describe(hr, s_->error));
    WsResetError(s_->error);
    return f;
  }
  WsFreeSecurityToken(token);
  return {};
}

struct facade_load::slot {
  facade_load* owner = nullptr;
  WS_SECURITY_TOKEN* token = nullptr;
  WS_ERROR* error = nullptr;
  std::uint64_t t0 = 0;
  std::atomic<bool> in_flight{false};
};

// The completion side: the async callback, and what a finished request amounts to.
struct facade_completion {
  // Empty on success; consumes the token and resets the slot's WS_ERROR.
  static std::string settle(facade_load::slot& s, HRESULT hr, WS_SECURITY_KEY_TYPE wanted) {
    std::string why;
    if (hr != S_OK) {
      why = describe(hr, s.error);
      WsResetError(s.error);
    } else if (!s.token) {
      why = "S_OK without a token";
    } else {
      WS_SECURITY_KEY_TYPE type = WS_SECURITY_KEY_TYPE_NONE;
      if (WsGetSecurityTokenProperty(s.token, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &type, sizeof type, nullptr,
                                     nullptr) != S_OK ||
          type != wanted)
        why = "a token of the wrong key type";
    }
    WsFreeSecurityToken(s.token);
    s.token = nullptr;
    return why;
  }

  static void CALLBACK done(HRESULT hr, WS_CALLBACK_MODEL, void* state) {
    auto& s = *static_cast<facade_load::slot*>(state);
    facade_load& load = *s.owner;
    const std::uint64_t t1 = now_ns();
    if (!s.in_flight.exchange(false)) {
      load.duplicates_.fetch_add(1);
      return;
    }
    const std::uint64_t t0 = s.t0;
    const std::string why = settle(s, hr, load.channel_.internals().key);
    load.launch(s);  // before complete(): the window may end with it
    load.window_.complete(t0, t1, why);
  }
};

facade_load::facade_load(facade_channel& channel, run_window& window, std::size_t in_flight)
    : channel_(channel), window_(window), slots_(new slot[in_flight]), count_(in_flight) {
  for (std::size_t i = 0; i < count_; ++i) {
    slots_[i].owner = this;
    (void)WsCreateError(nullptr, 0, &slots_[i].error);
  }
}

facade_load::~facade_load() {
  for (std::size_t i = 0; i < count_; ++i) {
    WsFreeSecurityToken(slots_[i].token);
    WsFreeError(slots_[i].error);
  }
}

void facade_load::start() {
  window_.begin();
  for (std::size_t i = 0; i < count_; ++i) launch(slots_[i]);
}

void facade_load::launch(slot& s) {
  facade_channel::state& ch = channel_.internals();
  // A request that finishes at once (no callback) is settled here and the slot goes round
  // again, in this loop rather than by recursion.
  while (window_.claim()) {
    s.t0 = now_ns();
    s.in_flight.store(true);
    const WS_ASYNC_CONTEXT async{&facade_completion::done, &s};
    const HRESULT hr = ch.request(&s.token, &async, s.error);
    if (hr == WS_S_ASYNC) return;
    s.in_flight.store(false);
    const std::uint64_t t1 = now_ns();
    window_.complete(s.t0, t1, facade_completion::settle(s, hr, ch.key));
  }
}

}  // namespace wst::bench
