// Closed-loop load through wst's public C++ API: keep `in_flight` token requests going until
// the run window is complete. The same loop shape as the raw floor client, so the two compare.
#pragma once

#include "measure.hpp"

#include <wst/client.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace wst::bench {

class client_load {
 public:
  // Requests take the options in turn (several options with different STS paths spread the
  // load over as many channels); `options` must not be empty and must outlive start()'s
  // requests. A result counts as an error unless it is a token with XML and, for symmetric
  // keys, a proof key of the requested size. The options must have been tried once: a request
  // that completes synchronously (invalid options do) would start the next from inside itself.
  client_load(wst::client& c, const std::vector<wst::request_options>& options, run_window& window);

  // Starts `in_flight` requests and returns; each completion (a callback on a wst thread)
  // starts the next until the window has all it wants, then the window ends by itself.
  void start(std::size_t in_flight);

  // Callbacks that ran for a request already completed (wst promises exactly one). Keep this
  // object and the window alive until the client is destroyed, so that a late second callback
  // is counted here instead of touching freed memory.
  std::size_t duplicate_callbacks() const noexcept { return duplicates_.load(); }

 private:
  void launch();
  std::string_view check(const wst::token_result& r) const;

  wst::client& client_;
  const std::vector<wst::request_options>& options_;
  run_window& window_;
  std::size_t key_bytes_ = 0;  // expected proof key size; 0 = not checked
  std::atomic<std::size_t> next_{0};
  std::vector<std::uint64_t> started_at_;             // per request
  std::unique_ptr<std::atomic<bool>[]> completed_;  // per request
  std::atomic<std::size_t> duplicates_{0};
};

}  // namespace wst::bench
