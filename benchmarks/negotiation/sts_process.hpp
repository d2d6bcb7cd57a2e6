// The sample STS (wst-sample-sts) as a child process of the benchmark.
#pragma once

#include <wst/base/result.hpp>

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace wst::bench {

class sts_process {
 public:
  // Starts `binary` with `args` (stdout read by us, stderr shared with ours; the kernel kills
  // it when this process dies, crash included) and waits up to ten seconds for its
  // `listening <url>` line.
  static detail::result<sts_process> start(const std::string& binary,
                                           const std::vector<std::string>& args);

  sts_process(sts_process&& o) noexcept;
  sts_process& operator=(sts_process&&) = delete;
  sts_process(const sts_process&) = delete;
  // Stops the process (SIGTERM) if stop() was not called.
  ~sts_process();

  // "http://127.0.0.1:PORT/" as printed by the server.
  const std::string& url() const noexcept { return url_; }
  std::uint16_t port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }

  // SIGTERM, then waits for a clean exit (code 0) and the `served N` line; N.
  detail::result<std::uint64_t> stop();

  // The pid of every STS still running, for an emergency kill before exiting on a stall.
  static std::vector<pid_t> running();

 private:
  sts_process(pid_t pid, int out_fd, std::string url, std::uint16_t port);
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string url_;
  std::uint16_t port_ = 0;
};

}  // namespace wst::bench
