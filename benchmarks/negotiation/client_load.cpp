#include "client_load.hpp"

namespace wst::bench {

client_load::client_load(wst::client& c, const std::vector<wst::request_options>& options,
                         run_window& window)
    : client_(c), options_(options), window_(window) {
  const wst::request_options& o = options.front();
  if (o.key == wst::key_type::symmetric) key_bytes_ = o.key_size_bits.value_or(256) / 8;
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
  if (!window_.claim()) return;
  const wst::request_options& o =
      options_.size() == 1 ? options_.front()
                           : options_[next_.fetch_add(1, std::memory_order_relaxed) % options_.size()];
  const std::uint64_t t0 = now_ns();
  // Two words of capture: std::function keeps them without allocating.
  client_.request_token(o, [this, t0](wst::token_result r) {
    const std::uint64_t t1 = now_ns();
    launch();  // before complete(): after the last completion nothing may touch *this
    if (r.ok())
      window_.complete(t0, t1, check(r));
    else
      window_.complete(t0, t1, r.failure().describe());
  });
}

}  // namespace wst::bench
