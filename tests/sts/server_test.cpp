// wst-sample-sts as a process: started on 127.0.0.1:0 (and a Unix socket), driven with raw
// sockets (plain, or TLS through wst's sans-I/O engine), stopped with SIGTERM.
#include "sts_fixture.hpp"

#include <wst/http/parser.hpp>
#include <wst/tls/context.hpp>
#include <wst/tls/engine.hpp>

#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

extern char** environ;

using namespace wst::test::sts;
namespace http = wst::detail::http;
namespace tls = wst::detail::tls;
using namespace std::chrono_literals;

namespace {

std::string temp_path(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/wst-sts-" + std::to_string(::getpid()) + "-" +
         name;
}

void write_file(const std::string& path, const std::string& content) {
  FILE* f = std::fopen(path.c_str(), "wb");
  BOOST_REQUIRE(f);
  BOOST_REQUIRE_EQUAL(std::fwrite(content.data(), 1, content.size(), f), content.size());
  std::fclose(f);
}

// The server process: its stdout is read line by line until the listening lines are in.
class sts_process {
 public:
  explicit sts_process(std::vector<std::string> args, std::size_t listeners = 1) {
    int out[2];
    BOOST_REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    args.insert(args.begin(), WST_STS_BINARY);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, WST_STS_BINARY, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    out_ = out[0];
    BOOST_REQUIRE_EQUAL(rc, 0);
    while (urls.size() < listeners) {
      std::string line = read_line(20s);
      if (line.empty()) break;
      BOOST_REQUIRE_MESSAGE(line.rfind("listening ", 0) == 0, "unexpected output: " + line);
      urls.push_back(line.substr(10));
    }
    BOOST_REQUIRE_EQUAL(urls.size(), listeners);
  }
  ~sts_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }

  // The port of the n-th http(s)://host:port/ URL.
  std::uint16_t port(std::size_t n = 0) const {
    const std::string& u = urls.at(n);
    const std::size_t colon = u.rfind(':');
    return static_cast<std::uint16_t>(std::stoul(u.substr(colon + 1)));
  }

  // SIGTERM, then the exit code (or -1 when it did not exit normally within 10 s).
  int stop() {
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }
  // Everything the process wrote after the listening lines (after stop()).
  std::string rest_of_output() {
    std::string s;
    for (std::string line; !(line = read_line(2s)).empty();) s += line + "\n";
    return s;
  }

  std::vector<std::string> urls;

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const std::size_t nl = buf_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {};
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
      char tmp[512];
      const ssize_t n = ::read(out_, tmp, sizeof tmp);
      if (n <= 0) return {};
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string buf_;
};

// A blocking client connection: TCP to 127.0.0.1 or a Unix socket, optionally TLS.
class client {
 public:
  static client tcp(std::uint16_t port) {
    client c = try_tcp(port);
    BOOST_REQUIRE(c.connected());
    return c;
  }
  // Without Boost.Test assertions (which are not thread-safe), for client threads.
  static client try_tcp(std::uint16_t port) {
    client c;
    c.fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (c.fd_ >= 0 && ::connect(c.fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(c.fd_);
      c.fd_ = -1;
    }
    return c;
  }
  bool connected() const { return fd_ >= 0; }
  static client unix_socket(const std::string& path) {
    client c;
    c.fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    BOOST_REQUIRE(::connect(c.fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    return c;
  }
  // TLS over TCP to 127.0.0.1, verifying the chain against `ca_pem` and the name `host`.
  static client tls_tcp(std::uint16_t port, const std::string& ca_pem,
                        const std::string& host = "localhost") {
    client c = tcp(port);
    tls::client_options o;
    o.trusted_ca.text = ca_pem;
    auto ctx = tls::make_client_context(o);
    BOOST_REQUIRE_MESSAGE(ctx.has_value(), (ctx ? std::string() : ctx.error().describe()));
    auto e = tls::engine::client(*ctx, host, port, nullptr);
    BOOST_REQUIRE(e);
    c.tls_ = std::move(*e);
    while (!c.tls_->established()) {
      BOOST_REQUIRE(c.raw_send(c.tls_->take_ciphertext()));
      std::string in = c.raw_recv(5s);
      BOOST_REQUIRE_MESSAGE(!in.empty(), "TLS handshake: connection closed");
      auto r = c.tls_->receive(in.data(), in.size());
      BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().describe()));
    }
    BOOST_REQUIRE(c.raw_send(c.tls_->take_ciphertext()));
    return c;
  }

  client(client&& o) noexcept : fd_(o.fd_), tls_(std::move(o.tls_)), error_(o.error_) {
    o.fd_ = -1;
  }
  ~client() {
    if (fd_ >= 0) ::close(fd_);
  }

  void send(const std::string& bytes) { BOOST_REQUIRE(try_send(bytes)); }
  bool try_send(const std::string& bytes) {
    if (!tls_) return raw_send(bytes);
    return tls_->send(bytes.data(), bytes.size()) && raw_send(tls_->take_ciphertext());
  }
  // Next bytes from the peer; empty on EOF, error or timeout (see error()).
  std::string recv(std::chrono::milliseconds timeout) {
    if (!tls_) return raw_recv(timeout);
    for (;;) {
      if (!tls_->plaintext().empty()) {
        std::string out;
        tls_->take_plaintext(out);
        return out;
      }
      std::string in = raw_recv(timeout);
      if (in.empty()) return {};
      if (!tls_->receive(in.data(), in.size())) return {};
      if (!raw_send(tls_->take_ciphertext())) return {};
    }
  }
  int error() const { return error_; }  // errno of the last failed receive; ETIMEDOUT; 0 = EOF
  std::string peer_subject() const { return tls_ ? tls_->info().peer_subject : std::string(); }

 private:
  client() = default;
  bool raw_send(const std::string& b) {
    std::size_t off = 0;
    while (off < b.size()) {
      const ssize_t n = ::send(fd_, b.data() + off, b.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  std::string raw_recv(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) {
      error_ = ETIMEDOUT;
      return {};
    }
    char tmp[16384];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) {
      error_ = n == 0 ? 0 : errno;
      return {};
    }
    return std::string(tmp, static_cast<std::size_t>(n));
  }

  int fd_ = -1;
  std::unique_ptr<tls::engine> tls_;
  int error_ = 0;
};

struct exchange_result {
  bool complete = false;
  http::response response;
  std::string raw;                   // every byte received
  wst::detail::failure parse_error;  // when the bytes were not HTTP
  bool parse_failed = false;
  int end_errno = -1;  // how the stream ended when incomplete
};

exchange_result read_response(client& c, std::chrono::milliseconds timeout = 10s) {
  exchange_result x;
  http::response_parser parser;
  for (;;) {
    std::string in = c.recv(timeout);
    if (in.empty()) {
      x.end_errno = c.error();
      if (x.end_errno == 0 && !x.parse_failed) {
        auto fin = parser.finish();
        x.complete = fin && parser.complete();
        if (x.complete) x.response = parser.get();
      }
      return x;
    }
    x.raw += in;
    auto used = parser.feed(in.data(), in.size());
    if (!used) {
      x.parse_failed = true;
      x.parse_error = used.error();
      return x;
    }
    if (parser.complete()) {
      x.complete = true;
      x.response = parser.get();
      return x;
    }
  }
}

std::string http_post(const std::string& body, const std::string& content_type,
                      const std::string& extra = {}) {
  return "POST /sts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

std::string rst_post(const rst_spec& sp = {}, const std::string& extra = {}) {
  auto r = make_request(sp);
  return http_post(r.body, r.content_type, extra);
}

std::string stats(std::uint16_t port) {
  client c = client::tcp(port);
  c.send("GET /stats HTTP/1.1\r\nHost: x\r\n\r\n");
  auto x = read_response(c);
  BOOST_REQUIRE(x.complete);
  return x.response.body;
}

// Checks an RSTR reply to rst_spec{} (SOAP 1.2, WS-Trust 1.3).
void check_rstr(const exchange_result& x, const rst_spec& sp = {}) {
  BOOST_REQUIRE_MESSAGE(x.complete, "incomplete reply: " + x.raw);
  BOOST_TEST(x.response.status == 200);
  s::http_response as;
  as.body = x.response.body;
  auto r = parse_reply(as);
  BOOST_TEST(std::string(r->header.child(wsa10, "RelatesTo").text()) == sp.message_id);
  auto rstr = rstr_of(*r, sp.trust_version);
  BOOST_TEST(bool(rstr.child(trust_uri(sp.trust_version), "RequestedSecurityToken")));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sts_server)

BOOST_AUTO_TEST_CASE(issues_over_http_keeps_alive_and_stops_on_sigterm) {
  sts_process sts({"--listen", "127.0.0.1:0", "--threads", "2"});
  BOOST_TEST(sts.urls[0].rfind("http://127.0.0.1:", 0) == 0u);
  BOOST_TEST(sts.port() != 0);
  client c = client::tcp(sts.port());
  for (int i = 0; i < 3; ++i) {
    c.send(rst_post());
    auto x = read_response(c);
    check_rstr(x);
    BOOST_TEST(x.response.keep_alive);
  }
  BOOST_TEST(stats(sts.port()) == "{\"served\":3,\"issued\":3,\"renewed\":0,\"faults\":0}\n");
  BOOST_TEST(sts.stop() == 0);
  BOOST_TEST(sts.rest_of_output() == "served 3 requests\n");
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  sts_process sts({});
  client c = client::tcp(sts.port());
  rst_spec a, b;
  b.message_id = "urn:uuid:second";
  c.send(rst_post(a) + rst_post(b));
  check_rstr(read_response(c), a);
  check_rstr(read_response(c), b);
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(many_concurrent_connections) {
  sts_process sts({"--threads", "4"});
  constexpr int clients = 64, each = 3;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    // No Boost.Test assertion in these threads: the framework is not thread-safe.
    threads.emplace_back([&, port = sts.port(), t] {
      client c = client::try_tcp(port);
      for (int i = 0; i < each && c.connected(); ++i) {
        rst_spec sp;
        sp.message_id = "urn:uuid:c" + std::to_string(t) + "-" + std::to_string(i);
        if (!c.try_send(rst_post(sp))) break;
        auto x = read_response(c);
        if (x.complete && x.response.status == 200 &&
            x.response.body.find(sp.message_id) != std::string::npos)
          ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(ok.load() == clients * each);
  BOOST_TEST(stats(sts.port()).find("\"served\":" + std::to_string(clients * each) + ",") !=
             std::string::npos);
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(unix_socket_and_tcp_side_by_side) {
  const std::string sock = temp_path("sts.sock");
  sts_process sts({"--listen", "127.0.0.1:0", "--listen", "unix:" + sock}, 2);
  BOOST_TEST(sts.urls[1].rfind("http+unix://", 0) == 0u);
  client u = client::unix_socket(sock);
  u.send(rst_post());
  check_rstr(read_response(u));
  client t = client::tcp(sts.port(0));
  t.send(rst_post());
  check_rstr(read_response(t));
  BOOST_TEST(sts.stop() == 0);
  BOOST_TEST(!wst::test::file_exists(sock));
}

BOOST_AUTO_TEST_CASE(https_with_generated_certificate) {
  for (const char* listen : {"localhost:0", "127.0.0.1:0"}) {
    BOOST_TEST_CONTEXT(listen) {
      const std::string ca_file = temp_path("ca.pem");
      sts_process sts({"--https", "--listen", listen, "--cert-out", ca_file});
      BOOST_TEST(sts.urls[0].rfind(std::string("https://") +
                                       std::string(listen).substr(0, std::strlen(listen) - 2),
                                   0) == 0u);
      // --cert-out wrote the CA that issued the server certificate; wst's TLS client verifies
      // the chain and both names the certificate carries.
      const std::string ca = wst::test::read_file(ca_file);
      for (const char* host : {"localhost", "127.0.0.1"}) {
        client c = client::tls_tcp(sts.port(), ca, host);
        BOOST_TEST(c.peer_subject().find("localhost") != std::string::npos);
        c.send(rst_post());
        check_rstr(read_response(c));
        c.send(rst_post());  // the same TLS session carries the next request
        check_rstr(read_response(c));
      }
      BOOST_TEST(sts.stop() == 0);
      ::unlink(ca_file.c_str());
    }
  }
}

// A CA-issued pair (tests/sts/data, see its README): wst's TLS client verifies the chain and
// the host name, and the assertions are signed with the same key.
BOOST_AUTO_TEST_CASE(https_with_a_ca_issued_certificate_verifies) {
  const std::string pki = WST_STS_TEST_PKI;
  sts_process sts({"--https", "--listen", "localhost:0", "--key", pki + "/localhost-key.pem",
                   "--cert", pki + "/localhost-cert.pem"});
  client c = client::tls_tcp(sts.port(), wst::test::read_file(pki + "/test-ca.pem"));
  rst_spec sp;
  sp.soap_version = soap::v11;
  c.send(rst_post(sp));
  auto x = read_response(c);
  check_rstr(x, sp);
  auto leaf = crypto::certificate::from_pem(wst::test::read_file(pki + "/localhost-cert.pem"));
  BOOST_REQUIRE(leaf);
  BOOST_TEST(x.response.body.find(crypto::base64_encode(leaf->der())) != std::string::npos);
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(https_fault_reset) {
  const std::string pki = WST_STS_TEST_PKI;
  sts_process sts({"--https", "--listen", "localhost:0", "--key", pki + "/localhost-key.pem",
                   "--cert", pki + "/localhost-cert.pem", "--fault", "reset"});
  client c = client::tls_tcp(sts.port(), wst::test::read_file(pki + "/test-ca.pem"));
  c.send(rst_post());
  auto x = read_response(c);
  BOOST_TEST(!x.complete);
  BOOST_TEST(x.raw.empty());
  BOOST_TEST(x.end_errno == ECONNRESET);
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(key_and_certificate_from_pem) {
  const std::string key = temp_path("key.pem"), cert = temp_path("given-cert.pem");
  write_file(key, test_identity().key);
  write_file(cert, test_identity().cert);
  sts_process sts(
      {"--key", key, "--cert", cert, "--lifetime", "120", "--issuer", "urn:test:issuer"});
  client c = client::tcp(sts.port());
  rst_spec sp;
  sp.token_type = token_saml11;
  c.send(rst_post(sp));
  auto x = read_response(c);
  check_rstr(x);
  auto id = load_identity();
  BOOST_TEST(x.response.body.find(crypto::base64_encode(id.cert.der())) != std::string::npos);
  BOOST_TEST(x.response.body.find("Issuer=\"urn:test:issuer\"") != std::string::npos);
  BOOST_TEST(sts.stop() == 0);
  ::unlink(key.c_str());
  ::unlink(cert.c_str());
}

BOOST_AUTO_TEST_CASE(users_file_and_http_basic) {
  const std::string users = temp_path("users");
  write_file(users, "alice:secret\n");
  sts_process sts({"--users", users});
  client c = client::tcp(sts.port());
  c.send(rst_post());
  auto none = read_response(c);
  BOOST_REQUIRE(none.complete);
  BOOST_TEST(none.response.status == 401);
  BOOST_TEST(none.response.headers.find("WWW-Authenticate") != nullptr);
  c.send(rst_post({}, "Authorization: Basic " +
                          crypto::base64_encode(std::string_view("alice:secret")) + "\r\n"));
  check_rstr(read_response(c));
  BOOST_TEST(sts.stop() == 0);
  ::unlink(users.c_str());
}

BOOST_AUTO_TEST_CASE(http_level_errors) {
  sts_process sts({"--max-request", "4096"});
  {
    client c = client::tcp(sts.port());
    c.send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
    auto x = read_response(c);
    BOOST_REQUIRE(x.complete);
    BOOST_TEST(x.response.status == 404);
    c.send("DELETE /sts HTTP/1.1\r\nHost: x\r\n\r\n");
    auto y = read_response(c);
    BOOST_REQUIRE(y.complete);
    BOOST_TEST(y.response.status == 405);
  }
  {
    client c = client::tcp(sts.port());
    c.send("this is not http\r\n\r\n");
    auto x = read_response(c);
    BOOST_REQUIRE(x.complete);
    BOOST_TEST(x.response.status == 400);
    BOOST_TEST(read_response(c).end_errno == 0);  // and the connection is closed
  }
  {
    client c = client::tcp(sts.port());
    c.send(http_post(std::string(30000, 'x'), "text/xml"));
    auto x = read_response(c);
    BOOST_REQUIRE(x.complete);
    BOOST_TEST(x.response.status == 413);
  }
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(replay_substitutes_the_message_id) {
  const std::string file = temp_path("replay.xml");
  write_file(
      file,
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
      "xmlns:a=\"http://www.w3.org/2005/08/addressing\"><s:Header><a:RelatesTo>{{MessageID}}"
      "</a:RelatesTo><a:MessageID>{{NewMessageID}}</a:MessageID></s:Header><s:Body><x>{{Created}}|"
      "{{Expires}}|{{Other}}</x></s:Body></s:Envelope>");
  sts_process sts({"--replay", file, "--lifetime", "60"});
  client c = client::tcp(sts.port());
  rst_spec sp;
  sp.message_id = "urn:uuid:replay-me";
  c.send(rst_post(sp));
  auto x = read_response(c);
  BOOST_REQUIRE(x.complete);
  BOOST_TEST(x.response.status == 200);
  BOOST_TEST(*x.response.headers.find("Content-Type") == "application/soap+xml; charset=utf-8");
  const std::string& b = x.response.body;
  BOOST_TEST(b.find("<a:RelatesTo>urn:uuid:replay-me</a:RelatesTo>") != std::string::npos);
  BOOST_TEST(b.find("<a:MessageID>urn:uuid:") != std::string::npos);
  BOOST_TEST(b.find("{{Other}}") != std::string::npos);
  BOOST_TEST(b.find("{{Created}}") == std::string::npos);
  BOOST_TEST(sts.stop() == 0);
  ::unlink(file.c_str());
}

BOOST_AUTO_TEST_CASE(fault_delay) {
  sts_process sts({"--fault", "delay:400"});
  client c = client::tcp(sts.port());
  const auto t0 = std::chrono::steady_clock::now();
  c.send(rst_post());
  auto x = read_response(c);
  const auto took = std::chrono::steady_clock::now() - t0;
  check_rstr(x);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(took).count() >= 400);
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(fault_reset) {
  sts_process sts({"--fault", "reset"});
  client c = client::tcp(sts.port());
  c.send(rst_post());
  auto x = read_response(c);
  BOOST_TEST(!x.complete);
  BOOST_TEST(x.raw.empty());
  BOOST_TEST(x.end_errno == ECONNRESET);
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(fault_truncate) {
  sts_process sts({"--fault", "truncate"});
  client c = client::tcp(sts.port());
  c.send(rst_post());
  auto x = read_response(c);
  BOOST_TEST(!x.complete);
  BOOST_TEST(x.end_errno == 0);  // closed cleanly, mid-body
  BOOST_TEST(x.raw.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
  BOOST_TEST(x.raw.find("</s:Envelope>") == std::string::npos);
  BOOST_TEST(sts.stop() == 0);

  sts_process cut({"--fault", "truncate:10"});
  client c2 = client::tcp(cut.port());
  c2.send(rst_post());
  auto y = read_response(c2);
  BOOST_TEST(y.raw == "HTTP/1.1 2");
  BOOST_TEST(cut.stop() == 0);
}

BOOST_AUTO_TEST_CASE(fault_garbage) {
  sts_process sts({"--fault", "garbage:100"});
  client c = client::tcp(sts.port());
  c.send(rst_post());
  auto x = read_response(c);
  BOOST_TEST(!x.complete);
  BOOST_TEST(x.parse_failed);
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(fault_http500) {
  sts_process sts({"--fault", "http500"});
  client c = client::tcp(sts.port());
  for (int i = 0; i < 2; ++i) {  // the connection stays usable
    c.send(rst_post());
    auto x = read_response(c);
    BOOST_REQUIRE(x.complete);
    BOOST_TEST(x.response.status == 500);
    BOOST_TEST(x.response.headers.find("Content-Type")->rfind("text/plain", 0) == 0u);
  }
  BOOST_TEST(sts.stop() == 0);
}

BOOST_AUTO_TEST_CASE(fault_stall) {
  sts_process sts({"--fault", "stall"});
  client c = client::tcp(sts.port());
  c.send(rst_post());
  auto x = read_response(c, 700ms);
  BOOST_TEST(!x.complete);
  BOOST_TEST(x.raw.empty());
  BOOST_TEST(x.end_errno == ETIMEDOUT);
  BOOST_TEST(sts.stop() == 0);  // a stalled connection does not hold up the stop
}

BOOST_AUTO_TEST_CASE(bad_command_lines) {
  auto run = [](std::vector<std::string> args) {
    args.insert(args.begin(), WST_STS_BINARY);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    BOOST_REQUIRE(::posix_spawn(&pid, WST_STS_BINARY, &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  BOOST_TEST(run({"--help"}) == 0);
  BOOST_TEST(run({"--bogus"}) == 2);
  BOOST_TEST(run({"--listen"}) == 2);
  BOOST_TEST(run({"--listen", "example.com:80"}) == 2);
  BOOST_TEST(run({"--listen", "127.0.0.1:70000"}) == 2);
  BOOST_TEST(run({"--fault", "explode"}) == 2);
  BOOST_TEST(run({"--fault", "delay"}) == 2);
  BOOST_TEST(run({"--key", "/nonexistent"}) == 2);  // --cert missing
  BOOST_TEST(run({"--users", "/nonexistent/users"}) == 1);
  BOOST_TEST(run({"--replay", "/nonexistent/file"}) == 1);
  BOOST_TEST(run({"--key", "/nonexistent", "--cert", "/nonexistent"}) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
