#include "client_load.hpp"

namespace wst::bench {

client_load::client_load(wst::client& c, const std::vector<wst::request_options>& options,
                         run_window& window)
    : client_(c),
      options_(options),
      window_(window),
      started_at_(window.total()),
      completed_(new std::atomic<bool>[window.total()]) {
  const wst::request_options& o = options.front();
  if (o.key == wst::key_type::symmetric) key_bytes_ = o.key_size_bits.value_or(256) / 8;
  for (std::size_t i = 0; i < window.total(); ++i) completed_[i].store(false, std::memory_order_relaxed);
}

void client_load::start(std::size_t in_flight) {
  window_.begin();
  for (std::size_t i = 0; i < in_flight; ++i) launch();
}

std::string_view client_load::check(const wst::token_result& r) const {
  const wst::token& t = r.value();
  if (t.xml().empty()) return "a token without XML";
  if (key_bytes_ && t.proof_key().size() != key_bytes_) return "a proof key of the wrong size";
  return {};
}

void client_load::launch() {
  std::size_t i = 0;
  if (!window_.claim(&i)) return;
  const wst::request_options& o = options_.size() == 1 ? options_.front() : options_[i % options_.size()];
  started_at_[i] = now_ns();
  // Two words of capture: std::function keeps them without allocating.
  client_.request_token(o, [this, i](wst::token_result r) {
    const std::uint64_t t1 = now_ns();
    if (completed_[i].exchange(true)) {
      duplicates_.fetch_add(1);
      return;
    }
    launch();  // before complete(): the window may end with it
    if (r.ok())
      window_.complete(started_at_[i], t1, check(r));
    else
      window_.complete(started_at_[i], t1, r.failure().describe());
  });
}

}  // namespace wst::bench
