#include "soak_load.hpp"

#include <chrono>

namespace wst::bench::soak {

token_request::token_request(std::string applies_to, std::string token_type)
    : token_type_(std::move(token_type)), applies_to_chars_(applies_to.begin(), applies_to.end()) {
  token_type_xml_.length = static_cast<ULONG>(token_type_.size());
  token_type_xml_.bytes = reinterpret_cast<BYTE*>(token_type_.data());
  applies_to_.url.length = static_cast<ULONG>(applies_to_chars_.size());
  applies_to_.url.chars = applies_to_chars_.data();
  props_ = {
      {WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION, &trust_, sizeof trust_},
      {WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO, &applies_to_, sizeof applies_to_},
      {WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE, &token_type_xml_, sizeof token_type_xml_},
      {WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE, &key_, sizeof key_},
      {WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_SIZE, &key_bits_, sizeof key_bits_},
      {WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY, &entropy_, sizeof entropy_},
  };
}

std::uint64_t target_tally::failures() const {
  std::uint64_t n = 0;
  for (const auto& [hr, e] : errors) n += e.count;
  return n;
}

struct soak_load::slot {
  soak_load* owner = nullptr;
  WS_SECURITY_TOKEN* token = nullptr;
  WS_ERROR* error = nullptr;
  target to = target::healthy;  // of the current request
  std::uint64_t generation = 0;  // of the channel it was sent on
  std::atomic<bool> in_flight{false};
};

// The WS_ASYNC_CALLBACK of every request.
struct slot_callback {
  static void CALLBACK done(HRESULT hr, WS_CALLBACK_MODEL, void* state) {
    auto& s = *static_cast<soak_load::slot*>(state);
    soak_load& load = *s.owner;
    load.in_callback_.fetch_add(1);
    load.callbacks_.fetch_add(1);
    if (s.in_flight.exchange(false)) {
      load.settle(s, hr, false);
      load.run(s);
    } else {
      load.duplicates_.fetch_add(1);
    }
    load.in_callback_.fetch_sub(1);
  }
};

soak_load::soak_load(std::array<endpoint*, target_count> endpoints, const fault_mix& mix,
                     const token_request& request, std::uint64_t total, std::size_t concurrency)
    : endpoints_(endpoints),
      mix_(mix),
      request_(request),
      total_(total),
      concurrency_(concurrency),
      slots_(new slot[concurrency]) {
  for (std::size_t i = 0; i < concurrency_; ++i) {
    slots_[i].owner = this;
    (void)WsCreateError(nullptr, 0, &slots_[i].error);
  }
  recoverer_ = std::thread([this] { recover_loop(); });
}

soak_load::~soak_load() {
  stop_recovering();
  while (in_callback_.load() != 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (std::size_t i = 0; i < concurrency_; ++i) {
    WsFreeSecurityToken(slots_[i].token);
    WsFreeError(slots_[i].error);
  }
}

void soak_load::stop_recovering() {
  {
    std::lock_guard<std::mutex> lock(recover_mu_);
    stopping_ = true;
  }
  recover_cv_.notify_all();
  if (recoverer_.joinable()) recoverer_.join();
}

void soak_load::start() {
  for (std::size_t i = 0; i < concurrency_; ++i) run(slots_[i]);
}

target_tally soak_load::tally(target t) const {
  const auto i = static_cast<std::size_t>(t);
  std::lock_guard<std::mutex> lock(tally_mu_[i]);
  return tallies_[i];
}

void soak_load::run(slot& s) {
  // A request that ends at once frees the slot for the next one: loop, do not recurse.
  while (claim(s) && issue(s)) {
  }
}

bool soak_load::claim(slot& s) {
  const std::uint64_t i = next_.fetch_add(1, std::memory_order_relaxed);
  if (i >= total_) return false;
  s.to = mix_.draw(i);
  return true;
}

bool soak_load::issue(slot& s) {
  endpoint& e = *endpoints_[static_cast<std::size_t>(s.to)];
  const endpoint::lease_t lease = e.lease(&s);
  if (lease.channel == nullptr) return false;  // parked until the recovery hands it back
  s.generation = lease.generation;
  s.in_flight.store(true);
  calls_.fetch_add(1);
  const WS_ASYNC_CONTEXT async{&slot_callback::done, &s};
  const HRESULT hr = WsRequestSecurityToken(lease.channel, request_.properties(), request_.count(),
                                            &s.token, &async, s.error);
  e.release();
  if (hr == WS_S_ASYNC) return false;  // `s` may already be another request's: hands off
  s.in_flight.store(false);
  synchronous_.fetch_add(1);
  settle(s, hr, true);
  return true;
}

void soak_load::settle(slot& s, HRESULT hr, bool synchronous) {
  std::string why;
  if (hr != S_OK) {
    why = take_error_text(hr, s.error);
  } else {
    WS_SECURITY_KEY_TYPE type = WS_SECURITY_KEY_TYPE_NONE;
    if (s.token == nullptr ||
        WsGetSecurityTokenProperty(s.token, WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &type, sizeof type,
                                   nullptr, nullptr) != S_OK ||
        type != request_.key_type())
      why = "0x00000000 S_OK without a token of the requested key type";
  }
  WsFreeSecurityToken(s.token);
  s.token = nullptr;
  const auto t = static_cast<std::size_t>(s.to);
  {
    std::lock_guard<std::mutex> lock(tally_mu_[t]);
    target_tally& tally = tallies_[t];
    if (synchronous) ++tally.synchronous;
    if (why.empty()) {
      ++tally.successes;
    } else {
      error_count& e = tally.errors[static_cast<std::uint32_t>(hr)];
      if (e.count++ == 0) e.first_text = std::move(why);
    }
  }
  if (hr != S_OK) {
    failures_.fetch_add(1, std::memory_order_relaxed);
    if (endpoints_[t]->needs_recovery(s.generation)) {
      std::lock_guard<std::mutex> lock(recover_mu_);
      to_recover_.push_back(s.to);
      recover_cv_.notify_one();
    }
  }
  completed_.fetch_add(1);
}

void soak_load::recover_loop() {
  std::unique_lock<std::mutex> lock(recover_mu_);
  for (;;) {
    recover_cv_.wait(lock, [&] { return stopping_ || !to_recover_.empty(); });
    if (to_recover_.empty()) return;  // stopping, nothing left
    const target t = to_recover_.front();
    to_recover_.pop_front();
    lock.unlock();
    for (void* parked : endpoints_[static_cast<std::size_t>(t)]->recover()) {
      slot& s = *static_cast<slot*>(parked);
      if (issue(s)) run(s);
    }
    lock.lock();
  }
}

}  // namespace wst::bench::soak
