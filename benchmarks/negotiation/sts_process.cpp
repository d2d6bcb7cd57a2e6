#include "sts_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <system_error>
#include <thread>

namespace wst::bench {
namespace {

detail::failure fail(std::string what) {
  return detail::failure(std::make_error_code(std::errc::io_error), std::move(what));
}

std::mutex running_mu;
std::vector<pid_t> running_pids;

void forget(pid_t pid) {
  std::lock_guard<std::mutex> lock(running_mu);
  running_pids.erase(std::remove(running_pids.begin(), running_pids.end(), pid), running_pids.end());
}

// Reads one line (without '\n') from `fd` within `limit`; empty on EOF or timeout.
std::string read_line(int fd, std::string& buffer, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const std::size_t nl = buffer.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
    char chunk[512];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return {};
    buffer.append(chunk, static_cast<std::size_t>(n));
    if (buffer.size() > 64 * 1024) return {};  // not the server we expect
  }
}

}  // namespace

detail::result<sts_process> sts_process::start(const std::string& binary,
                                               const std::vector<std::string>& args) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return fail("pipe: " + std::system_category().message(errno));
  std::vector<std::string> all{binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  int status_pipe[2];  // the child reports a failed exec through it (closed on success)
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return fail("pipe: " + std::system_category().message(errno));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The STS dies with us, even when we crash.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out[1], 1);
    ::execv(binary.c_str(), argv.data());
    const int e = errno;
    (void)!::write(status_pipe[1], &e, sizeof e);
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(status_pipe[1]);
  if (pid < 0) {
    ::close(out[0]);
    ::close(status_pipe[0]);
    return fail("fork: " + std::system_category().message(errno));
  }
  int exec_errno = 0;
  const bool exec_failed = ::read(status_pipe[0], &exec_errno, sizeof exec_errno) == sizeof exec_errno;
  ::close(status_pipe[0]);
  if (exec_failed) {
    ::waitpid(pid, nullptr, 0);
    ::close(out[0]);
    return fail("cannot start " + binary + ": " + std::system_category().message(exec_errno));
  }
  {
    std::lock_guard<std::mutex> lock(running_mu);
    running_pids.push_back(pid);
  }
  sts_process p(pid, out[0], {}, 0);
  std::string buffer;
  const std::string line = read_line(out[0], buffer, std::chrono::seconds(10));
  const std::string prefix = "listening http://";
  if (line.rfind(prefix, 0) != 0)
    return fail(binary + " did not start (first line: '" + line.substr(0, 200) + "')");
  p.url_ = line.substr(10);
  const std::size_t colon = p.url_.rfind(':');
  if (colon != std::string::npos)
    p.port_ = static_cast<std::uint16_t>(std::strtoul(p.url_.c_str() + colon + 1, nullptr, 10));
  if (p.port_ == 0) return fail("no port in '" + line + "'");
  return p;
}

sts_process::sts_process(pid_t pid, int out_fd, std::string url, std::uint16_t port)
    : pid_(pid), out_fd_(out_fd), url_(std::move(url)), port_(port) {}

sts_process::sts_process(sts_process&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)),
      out_fd_(std::exchange(o.out_fd_, -1)),
      url_(std::move(o.url_)),
      port_(o.port_) {}

sts_process::~sts_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    forget(pid_);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
}

detail::result<std::uint64_t> sts_process::stop() {
  if (pid_ <= 0) return fail("the STS is not running");
  ::kill(pid_, SIGTERM);
  std::string buffer, served;
  for (std::string line; !(line = read_line(out_fd_, buffer, std::chrono::seconds(15))).empty();)
    if (line.rfind("served ", 0) == 0) served = line.substr(7);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  pid_t done = 0;
  while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (done != pid_) return fail("the STS did not stop within 15 s");
  forget(pid_);
  pid_ = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return fail("the STS exited with status " + std::to_string(status));
  if (served.empty()) return fail("the STS did not print 'served N'");
  return static_cast<std::uint64_t>(std::strtoull(served.c_str(), nullptr, 10));
}

std::vector<pid_t> sts_process::running() {
  std::lock_guard<std::mutex> lock(running_mu);
  return running_pids;
}

}  // namespace wst::bench
