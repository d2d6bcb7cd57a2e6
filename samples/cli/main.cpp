// wst-token: obtain a security token from a WS-Trust STS from the command line.
#include "cli.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace {

// Writes the whole token to a new 0600 file; on failure nothing is left behind.
bool write_token_file(const std::string& path, const std::string& xml, std::string& err) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    err = tmp + ": " + std::strerror(errno);
    return false;
  }
  std::size_t off = 0;
  while (off < xml.size()) {
    ssize_t n = ::write(fd, xml.data() + off, xml.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      err = tmp + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    err = path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace wst_token;
  cli_options opts;
  std::string message;
  if (auto code = parse_command_line(argc, argv, opts, message)) {
    (*code == exit_ok ? std::cout : std::cerr) << message << (*code == exit_ok ? "" : "\n");
    return *code;
  }

  wst::client_options co;
  co.scheduler_threads = 2;
  wst::token_result r = [&] {
    wst::client client(co);
    return client.request_token_sync(opts.request);
  }();

  if (!r) {
    int code = exit_code_for(r.failure());
    if (opts.json) print_error_json(std::cout, r.failure(), code);
    else std::cerr << "wst-token: " << r.failure().describe() << "\n";
    return code;
  }
  const wst::token& t = r.value();
  if (opts.output_file) {
    std::string err;
    if (!write_token_file(*opts.output_file, t.xml(), err)) {
      std::cerr << "wst-token: cannot write the token: " << err << "\n";
      return exit_internal;
    }
  }
  if (opts.json) print_json(std::cout, t, opts);
  else print_summary(std::cout, t, opts);
  return exit_ok;
}
