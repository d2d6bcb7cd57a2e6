// http_bench: round trips per second of SOAP-sized HTTP/1.1 exchanges over loopback.
//
//   http_bench [--requests N] [--connections C] [--runs R] [--json FILE]
//
// Forks a server process (one libuv loop, wst's listener and http_server, a fixed 4 KiB
// response), then drives it from this process through transport::exchange with a pool of C
// keep-alive connections and C requests in flight, R times; prints a table and a JSON record
// with the median. Without --connections it measures 1 and 16 connections.
#include <wst/http/writer.hpp>
#include <wst/transport/exchange.hpp>
#include <wst/transport/http_server.hpp>
#include <wst/uv/listener.hpp>
#include <wst/uv/streams.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace wst::detail;

namespace {

constexpr std::size_t response_size = 4096;

// The child: serve until the parent closes the control pipe.
int serve(int port_fd, int control_fd) {
  uv::loop_thread loop;
  if (!loop.start()) return 1;
  std::string body(response_size, 'r');
  std::unique_ptr<uv::listener> l;
  std::unique_ptr<transport::http_server> server;
  std::uint16_t port = 0;
  loop.run_sync([&]() {
    server =
        std::make_unique<transport::http_server>(loop, [&body](const http::request&, auto done) {
          done(http::write_response(200, "OK", "application/soap+xml; charset=utf-8", body));
        });
    l = std::make_unique<uv::listener>(loop);
    if (l->listen_tcp(
            "127.0.0.1", 0, [&](auto s) { server->serve(std::move(s)); }, 512))
      port = l->port();
  });
  if (write(port_fd, &port, sizeof port) != sizeof port || port == 0) return 1;
  char c;
  while (read(control_fd, &c, 1) > 0) {
  }
  std::promise<void> closed;
  loop.run_sync([&]() {
    auto left = std::make_shared<int>(2);
    auto one = [left, &closed]() {
      if (--*left == 0) closed.set_value();
    };
    server->close(one);
    l->close(one);
  });
  closed.get_future().wait();
  loop.run_sync([&]() {
    server.reset();
    l.reset();
  });
  return loop.stop() ? 0 : 2;
}

struct run_result {
  double seconds = 0;
  std::size_t failures = 0;
  std::uint64_t connections = 0;
};

// One measured run: `requests` round trips with `conns` in flight on one loop thread.
run_result measure(uv::loop_thread& loop, transport::scheme_registry& schemes,
                   const std::string& url, std::size_t conns, std::size_t requests) {
  uv::loop_context ctx(loop);
  transport::exchange_options o;
  o.max_connections = conns;
  o.max_queued = conns;
  std::unique_ptr<transport::exchange> ex;
  std::promise<run_result> done;
  struct driver {
    transport::exchange* ex;
    std::string url, body;
    std::size_t target, started = 0, finished = 0, failures = 0, warmup;
    std::chrono::steady_clock::time_point t0;
    std::promise<run_result>* done;
    void next() {
      transport::soap_call c;
      c.url = url;
      c.action = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue";
      c.body = body;
      ++started;
      ex->send(std::move(c), [this](result<http::response> r) {
        if (!r || r->body.size() != response_size) ++failures;
        ++finished;
        if (finished == warmup) t0 = std::chrono::steady_clock::now();
        if (started < target) next();
        if (finished == target) {
          run_result rr;
          rr.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          rr.failures = failures;
          rr.connections = ex->statistics().connections_opened;
          done->set_value(rr);
        }
      });
    }
  };
  driver d;
  const std::size_t warmup = 2 * conns;
  loop.run_sync([&]() {
    ex = std::make_unique<transport::exchange>(ctx, schemes, o);
    d.ex = ex.get();
    d.url = url;
    d.body = std::string(1500, 'q');  // an RST-sized envelope
    d.target = requests + warmup;
    d.warmup = warmup;
    d.done = &done;
    d.t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < conns; ++i) d.next();
  });
  run_result r = done.get_future().get();
  std::promise<void> closed;
  loop.run_sync([&]() { ex->close([&](std::error_code) { closed.set_value(); }); });
  closed.get_future().wait();
  loop.run_sync([&]() { ex.reset(); });
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t requests = 20000, runs = 3;
  std::vector<std::size_t> conn_counts{1, 16};
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--requests")
      requests = std::stoul(value());
    else if (a == "--connections")
      conn_counts = {std::stoul(value())};
    else if (a == "--runs")
      runs = std::stoul(value());
    else if (a == "--json")
      json_path = value();
    else {
      std::cerr << "usage: http_bench [--requests N] [--connections C] [--runs R] [--json FILE]\n";
      return 2;
    }
  }
  if (requests == 0 || runs == 0 || conn_counts[0] == 0) {
    std::cerr << "requests, runs and connections must be positive\n";
    return 2;
  }

  int port_pipe[2], control_pipe[2];
  if (pipe(port_pipe) != 0 || pipe(control_pipe) != 0) return 1;
  pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    close(port_pipe[0]);
    close(control_pipe[1]);
    _exit(serve(port_pipe[1], control_pipe[0]));
  }
  close(port_pipe[1]);
  close(control_pipe[0]);
  std::uint16_t port = 0;
  if (read(port_pipe[0], &port, sizeof port) != sizeof port || port == 0) {
    std::cerr << "the server did not start\n";
    return 1;
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/sts";

  uv::loop_thread loop;
  if (!loop.start()) return 1;
  transport::scheme_registry schemes;
  (void)schemes.add("http", transport::make_tcp_transport(), true);

  std::ostringstream json;
  json << "{\"benchmark\":\"http_bench\",\"response_bytes\":" << response_size
       << ",\"request_body_bytes\":1500,\"requests\":" << requests << ",\"results\":[";
  std::printf("%-12s %-10s %-12s %-14s %s\n", "connections", "requests", "median s", "median req/s",
              "runs (req/s)");
  bool ok = true;
  for (std::size_t ci = 0; ci < conn_counts.size(); ++ci) {
    std::size_t c = conn_counts[ci];
    std::vector<double> rps;
    std::string each;
    for (std::size_t r = 0; r < runs; ++r) {
      run_result rr = measure(loop, schemes, url, c, requests);
      if (rr.failures) {
        std::cerr << rr.failures << " failed round trips\n";
        ok = false;
      }
      rps.push_back(static_cast<double>(requests) / rr.seconds);
      each += (each.empty() ? "" : " ") + std::to_string(static_cast<long>(rps.back()));
    }
    std::vector<double> sorted = rps;
    std::sort(sorted.begin(), sorted.end());
    double median = sorted[sorted.size() / 2];
    std::printf("%-12zu %-10zu %-12.3f %-14.0f %s\n", c, requests,
                static_cast<double>(requests) / median, median, each.c_str());
    json << (ci ? "," : "") << "{\"connections\":" << c
         << ",\"median_rps\":" << static_cast<long>(median) << ",\"runs_rps\":[";
    for (std::size_t r = 0; r < rps.size(); ++r)
      json << (r ? "," : "") << static_cast<long>(rps[r]);
    json << "]}";
  }
  json << "]}";
  std::cout << json.str() << std::endl;
  if (!json_path.empty()) std::ofstream(json_path) << json.str() << "\n";

  auto stopped = loop.stop();
  close(control_pipe[1]);
  int status = 0;
  waitpid(child, &status, 0);
  if (!stopped) {
    std::cerr << stopped.error().describe() << "\n";
    ok = false;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "the server exited with status " << status << "\n";
    ok = false;
  }
  return ok ? 0 : 1;
}
