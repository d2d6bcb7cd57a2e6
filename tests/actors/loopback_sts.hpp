// A test STS served over loopback HTTP (the canned one, or any answer function): its own uv loop thread, a listener on
// 127.0.0.1:<free port> and the transports' http_server. Requests after hold_after(n) are
// kept unanswered until the server stops (to keep negotiations in flight).
#pragma once

#include "canned_sts.hpp"

#include <wst/http/message.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace wst::test {

class loopback_sts {
 public:
  // Turns one request into the complete HTTP response bytes (runs on the server's loop).
  using answer_fn = std::function<std::string(const detail::http::request&)>;

  // Starts serving `sts` (which must outlive this object). Fails the test when it cannot.
  explicit loopback_sts(canned_sts& sts);
  // Starts serving whatever `answer` says (for example the sample STS).
  explicit loopback_sts(answer_fn answer);
  // Closes the listener and every connection, drops held requests, stops the loop (checking
  // it ended empty).
  ~loopback_sts();
  loopback_sts(const loopback_sts&) = delete;
  loopback_sts& operator=(const loopback_sts&) = delete;

  // "http://127.0.0.1:<port>/sts"
  const std::string& url() const { return url_; }
  // Answers the first n requests (counting from now on) and holds every later one.
  void hold_after(std::size_t n);
  std::size_t requests() const { return requests_.load(); }
  std::size_t held() const { return held_.load(); }

 private:
  struct impl;
  std::unique_ptr<impl> p_;
  std::string url_;
  std::atomic<std::size_t> requests_{0}, held_{0};
};

}  // namespace wst::test
