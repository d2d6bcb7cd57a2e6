// wst-soak: a long run of WS-Trust negotiations through the C facade (WsRequestSecurityToken
// with a WS_ASYNC_CONTEXT, the path ported WWSAPI code takes) against sample STS processes, a
// share of them meeting injected faults, checking that nothing is lost, leaked or left broken.
// See docs/benchmarks.md (Soak).
//
// What happens:
//  1. The facade sends one request to a capture listener: its exact bytes. The sample STS,
//     issuing for real on that port, answers them twice: as they are (a signed RSTR) and with
//     KeySize 999 (a SOAP fault). Both replies become --replay templates.
//  2. One STS per target: the healthy one replays the RSTR; one per fault kind (reset,
//     truncate, garbage, http500, stall, SOAP fault replay). One WS_CHANNEL each; the stall
//     channel has a short receive timeout.
//  3. `concurrency` slots keep requests in flight until `requests` have completed; request i
//     goes where the seeded draw says. A faulted channel is recovered as a WWSAPI application
//     does it (abort, close, reset, open - or a fresh channel, alternately) while the requests
//     drawn for it wait.
//  4. Progress on stderr every few seconds; then the table and JSON on stdout (and --json).
//     Exit code 0 only when every healthy request succeeded, every fault request failed, no
//     callback was lost or doubled, every recovery worked and RSS stayed flat.
#include "endpoint.hpp"
#include "fault_mix.hpp"
#include "soak_load.hpp"
#include "soak_report.hpp"

#include "measure.hpp"
#include "raw_http.hpp"
#include "replay_template.hpp"
#include "sts_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

using namespace wst::bench;
using namespace wst::bench::soak;

namespace {

const char* const usage_text = R"(usage: wst-soak [options]
  --requests N          negotiations in all (default 1000000)
  --concurrency C       requests in flight, 1..10000 (default 512)
  --fault-ratio F       share of requests sent to a faulty STS, 0..1 (default 0.1)
  --faults LIST         fault kinds, comma-separated (default all): reset, truncate, garbage,
                        http500, stall, soap-fault
  --seed S              seed of the draw of each request's target (default 1)
  --stall-timeout MS    receive timeout of the stall channel, 10..60000 (default 250)
  --callback short|long the channels' ASYNC_CALLBACK_MODEL (default short)
  --progress SECONDS    progress line period on stderr, 0 = none (default 5)
  --drain-timeout SECONDS  give up when nothing completes for this long (default 60)
  --rss-tolerance PCT   end RSS may exceed the middle one by PCT % ... (default 10)
  --rss-slack MIB       ... plus MIB MiB (default 2)
  --no-rss-check        report RSS without judging it (sanitizer builds: ASan's quarantine grows)
  --sts PATH            the wst-sample-sts binary (default: the one built alongside)
  --json FILE           also write the JSON summary to FILE
  --quiet               no progress line
)";

struct settings {
  std::uint64_t requests = 1000000;
  std::size_t concurrency = 512;
  double fault_ratio = 0.1;
  std::vector<target> faults{target::reset, target::truncate, target::garbage,
                             target::http500, target::stall, target::soap_fault};
  std::uint64_t seed = 1;
  unsigned stall_timeout_ms = 250;
  bool long_callbacks = false;
  unsigned progress_seconds = 5;
  unsigned drain_timeout_seconds = 60;
  double rss_tolerance = 0.10;
  std::size_t rss_slack = 2u << 20;
  bool rss_check = true;
  std::string sts = WST_STS_BINARY;
  std::string json;
  std::string command;
};

// The command line, one flag at a time; any mistake ends the program with exit code 2.
class arguments {
 public:
  arguments(int argc, char** argv) : argc_(argc), argv_(argv) {}
  bool next() { return ++at_ < argc_ && (flag_ = argv_[at_], true); }
  const std::string& flag() const { return flag_; }
  [[noreturn]] void refuse(const std::string& why) const {
    std::cerr << "wst-soak: " << why << "\n" << usage_text;
    std::exit(2);
  }
  std::string text() {
    if (at_ + 1 >= argc_) refuse(flag_ + " needs a value");
    return argv_[++at_];
  }
  // A whole number in lo..hi (decimal, nothing else around it).
  std::uint64_t whole(std::uint64_t lo, std::uint64_t hi) {
    const std::string v = text();
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi)
      refuse(flag_ + ": '" + v + "' is not a whole number in " + std::to_string(lo) + ".." + std::to_string(hi));
    return n;
  }
  // A decimal number in 0..hi.
  double real(double hi) {
    const std::string v = text();
    std::istringstream in(v);
    double d = -1;
    if (!(in >> d) || !in.eof() || d < 0 || d > hi) refuse(flag_ + ": '" + v + "' is not a number in 0.." + std::to_string(hi));
    return d;
  }

 private:
  int argc_;
  char** argv_;
  int at_ = 0;
  std::string flag_;
};

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 0; i < argc; ++i) s.command += (i ? " " : "") + std::string(argv[i]);
  arguments args(argc, argv);
  while (args.next()) {
    const std::string& a = args.flag();
    if (a == "--requests") {
      s.requests = args.whole(1, 1000000000);
    } else if (a == "--concurrency") {
      s.concurrency = args.whole(1, 10000);
    } else if (a == "--fault-ratio") {
      s.fault_ratio = args.real(1.0);
    } else if (a == "--faults") {
      s.faults.clear();
      std::stringstream in(args.text());
      for (std::string name; std::getline(in, name, ',');) {
        target t{};
        if (!parse_target(name, t) || t == target::healthy) args.refuse("--faults: unknown fault kind '" + name + "'");
        s.faults.push_back(t);
      }
    } else if (a == "--seed") {
      s.seed = args.whole(0, ~0ull);
    } else if (a == "--stall-timeout") {
      s.stall_timeout_ms = static_cast<unsigned>(args.whole(10, 60000));
    } else if (a == "--callback") {
      const std::string v = args.text();
      if (v != "short" && v != "long") args.refuse("--callback short|long");
      s.long_callbacks = v == "long";
    } else if (a == "--progress") {
      s.progress_seconds = static_cast<unsigned>(args.whole(0, 3600));
    } else if (a == "--drain-timeout") {
      s.drain_timeout_seconds = static_cast<unsigned>(args.whole(1, 3600));
    } else if (a == "--rss-tolerance") {
      s.rss_tolerance = args.real(1000.0) / 100.0;
    } else if (a == "--rss-slack") {
      s.rss_slack = static_cast<std::size_t>(args.whole(0, 65536)) << 20;
    } else if (a == "--no-rss-check") {
      s.rss_check = false;
    } else if (a == "--sts") {
      s.sts = args.text();
    } else if (a == "--json") {
      s.json = args.text();
    } else if (a == "--quiet") {
      s.progress_seconds = 0;
    } else if (a == "--help" || a == "-h") {
      std::cout << usage_text;
      std::exit(0);
    } else {
      args.refuse("unknown option " + a);
    }
  }
  return s;
}

std::vector<std::string> temp_files;  // removed at exit

[[noreturn]] void give_up(const std::string& why) {
  std::cerr << "wst-soak: " << why << "\n";
  for (const std::string& f : temp_files) ::unlink(f.c_str());
  for (pid_t pid : sts_process::running()) ::kill(pid, SIGKILL);
  std::_Exit(1);
}

std::string write_temp(const std::string& tag, const std::string& bytes) {
  const char* dir = std::getenv("TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/wst-soak-" + std::to_string(::getpid()) + "-" + tag + ".xml";
  temp_files.push_back(path);
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  out.close();
  if (!out) give_up("cannot write " + path);
  return path;
}

// The exact bytes the facade sends for `request`, through a capture listener (its 503 fails
// the request); and the port it listened on.
std::pair<std::string, std::uint16_t> capture_request(const token_request& request) {
  auto cap = request_capture::start();
  if (!cap) give_up(cap.error().describe());
  const std::uint16_t port = (*cap)->port();
  WS_ERROR* error = nullptr;
  (void)WsCreateError(nullptr, 0, &error);
  auto ch = open_channel("http://127.0.0.1:" + std::to_string(port) + "/sts", channel_shape{}, error);
  if (!ch) give_up("capture: " + ch.error().describe());
  WS_SECURITY_TOKEN* token = nullptr;
  const HRESULT hr = WsRequestSecurityToken(*ch, request.properties(), request.count(), &token, nullptr, error);
  if (hr == S_OK) give_up("the capture listener's 503 was taken for a token");
  WsFreeChannel(*ch);
  WsFreeError(error);
  auto bytes = (*cap)->wait(std::chrono::seconds(10));
  if (!bytes) give_up(bytes.error().describe());
  return {std::move(*bytes), port};
}

// A real reply of the issuing STS to `request` sent as is, and with KeySize 999 (a fault),
// as replay templates: {ok, fault}.
std::pair<std::string, std::string> real_replies(const settings& s, const std::string& request, std::uint16_t port) {
  auto id = message_id_of(request);
  if (!id) give_up(id.error().describe());
  auto sts = sts_process::start(s.sts, {"--listen", "127.0.0.1:" + std::to_string(port)});
  if (!sts) give_up(sts.error().describe());
  auto ok = exchange_once(port, request, std::chrono::seconds(30));
  if (!ok || ok->status != 200) give_up("the issuing STS did not answer the captured request with 200");
  auto ok_template = make_replay_template(ok->body, *id);
  if (!ok_template) give_up(ok_template.error().describe());
  // Same length, so Content-Length still holds; 999 bits is no multiple of 8: InvalidRequest.
  std::string bad = request;
  const std::size_t at = bad.find("KeySize>256<");
  if (at == std::string::npos) give_up("the captured request has no KeySize 256");
  bad.replace(at + 8, 3, "999");
  auto fault = exchange_once(port, bad, std::chrono::seconds(30));
  if (!fault || fault->status != 500) give_up("the issuing STS did not refuse KeySize 999 with a 500");
  auto fault_template = make_fault_replay_template(fault->body, *id);
  if (!fault_template) give_up(fault_template.error().describe());
  if (auto served = sts->stop(); !served) give_up(served.error().describe());
  return {std::move(*ok_template), std::move(*fault_template)};
}

std::vector<std::string> sts_arguments(target t, const std::string& ok_file, const std::string& fault_file) {
  std::vector<std::string> a{"--listen", "127.0.0.1:0", "--replay", t == target::soap_fault ? fault_file : ok_file};
  if (t != target::healthy) a.insert(a.end(), {"--threads", "1"});
  switch (t) {
    case target::reset: a.insert(a.end(), {"--fault", "reset"}); break;
    case target::truncate: a.insert(a.end(), {"--fault", "truncate"}); break;
    case target::garbage: a.insert(a.end(), {"--fault", "garbage"}); break;
    case target::http500: a.insert(a.end(), {"--fault", "http500"}); break;
    case target::stall: a.insert(a.end(), {"--fault", "stall"}); break;
    case target::healthy:
    case target::soap_fault: break;
  }
  return a;
}

std::string with_commas(std::uint64_t n) {
  std::string d = std::to_string(n);
  for (int i = static_cast<int>(d.size()) - 3; i > 0; i -= 3) d.insert(static_cast<std::size_t>(i), ",");
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  const settings s = parse(argc, argv);
  ::signal(SIGPIPE, SIG_IGN);
  const token_request request("https://rp.example/soak",
                              "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0");

  // 1. The request bytes and the two real replies.
  auto [captured, port] = capture_request(request);
  auto [ok_template, fault_template] = real_replies(s, captured, port);
  const std::string ok_file = write_temp("ok", ok_template);
  const std::string fault_file = write_temp("fault", fault_template);

  // 2. One STS and one endpoint per target.
  const fault_mix mix(s.seed, s.fault_ratio, s.faults);
  std::array<bool, target_count> used{};
  used[0] = true;
  for (target t : mix.faults()) used[static_cast<std::size_t>(t)] = mix.fault_ratio() > 0;
  std::array<std::unique_ptr<sts_process>, target_count> sts;
  std::array<std::unique_ptr<endpoint>, target_count> endpoints;
  std::array<endpoint*, target_count> endpoint_of{};
  for (std::size_t i = 0; i < target_count; ++i) {
    if (!used[i]) continue;
    const auto t = static_cast<target>(i);
    auto p = sts_process::start(s.sts, sts_arguments(t, ok_file, fault_file));
    if (!p) give_up(std::string(name_of(t)) + " STS: " + p.error().describe());
    sts[i] = std::make_unique<sts_process>(std::move(*p));
    channel_shape shape;
    shape.callback_model = s.long_callbacks ? WS_LONG_CALLBACK : WS_SHORT_CALLBACK;
    if (t == target::stall) shape.receive_timeout_ms = s.stall_timeout_ms;
    endpoints[i] = std::make_unique<endpoint>(sts[i]->url() + "sts", shape);
    if (auto ok = endpoints[i]->open(); !ok) give_up(std::string(name_of(t)) + " channel: " + ok.error().describe());
  }
  // Unused targets never get a request; their slot points at the healthy endpoint.
  for (std::size_t i = 0; i < target_count; ++i) endpoint_of[i] = endpoints[i] ? endpoints[i].get() : endpoints[0].get();
  {
    // The probe: one synchronous request to the healthy STS must work before anything else.
    WS_ERROR* error = nullptr;
    (void)WsCreateError(nullptr, 0, &error);
    const endpoint::lease_t lease = endpoints[0]->lease(nullptr);
    WS_SECURITY_TOKEN* token = nullptr;
    const HRESULT hr = WsRequestSecurityToken(lease.channel, request.properties(), request.count(), &token, nullptr, error);
    endpoints[0]->release();
    if (hr != S_OK) give_up("the probe request failed: " + take_error_text(hr, error));
    WsFreeSecurityToken(token);
    WsFreeError(error);
  }
  if (s.progress_seconds)
    std::cerr << "wst-soak: request " << captured.size() << " bytes; " << mix.faults().size()
              << " fault kinds; templates " << ok_file << ", " << fault_file << "\n";

  // 3. The run.
  soak_summary sum;
  sum.requests = s.requests;
  sum.concurrency = s.concurrency;
  sum.fault_ratio = mix.fault_ratio();
  sum.seed = s.seed;
  sum.callback_model = s.long_callbacks ? "long" : "short";
  sum.stall_timeout_ms = s.stall_timeout_ms;
  sum.command = s.command;
  sum.rss.checked = s.rss_check;
  sum.rss.tolerance = s.rss_tolerance;
  sum.rss.slack = s.rss_slack;
  {
    soak_load load(endpoint_of, mix, request, s.requests, s.concurrency);
    sum.rss.start = rss_bytes();
    const std::uint64_t t0 = now_ns();
    load.start();
    std::uint64_t last_done = 0, last_change = t0, last_print = t0, printed_done = 0;
    bool middle = false;
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const std::uint64_t done = load.completed(), now = now_ns();
      if (!middle && done >= s.requests / 2) {
        sum.rss.middle = rss_bytes();
        middle = true;
      }
      if (done == s.requests) break;
      if (done != last_done) {
        last_done = done;
        last_change = now;
      } else if (now - last_change > s.drain_timeout_seconds * 1000000000ull) {
        std::cerr << "wst-soak: nothing completed for " << s.drain_timeout_seconds << " s; draining stops\n";
        break;
      }
      if (s.progress_seconds && now - last_print >= s.progress_seconds * 1000000000ull) {
        std::uint64_t recoveries = 0, parked = 0;
        for (const auto& e : endpoints)
          if (e) {
            recoveries += e->recoveries();
            parked += e->parked();
          }
        const double rate = static_cast<double>(done - printed_done) / (static_cast<double>(now - last_print) / 1e9);
        std::fprintf(stderr,
                     "wst-soak: %s/%s (%.0f%%) %.0f/s, failed %s (healthy %s), recoveries %s, parked %s, "
                     "RSS %.1f MiB\n",
                     with_commas(done).c_str(), with_commas(s.requests).c_str(),
                     100.0 * static_cast<double>(done) / static_cast<double>(s.requests), rate,
                     with_commas(load.failures()).c_str(),
                     with_commas(load.tally(target::healthy).failures()).c_str(), with_commas(recoveries).c_str(),
                     with_commas(parked).c_str(), static_cast<double>(rss_bytes()) / (1 << 20));
        last_print = now;
        printed_done = done;
      }
    }
    sum.seconds = static_cast<double>(now_ns() - t0) / 1e9;
    sum.rss.end = rss_bytes();
    if (!middle) sum.rss.middle = sum.rss.end;
    // Lost callbacks are counted now, before closing the channels aborts what is pending.
    sum.completed = load.completed();
    sum.calls = load.calls();
    sum.issued = load.issued();
    sum.callbacks = load.callbacks();
    load.stop_recovering();
    for (const auto& e : endpoints)
      if (e) {
        sum.parked_at_end += e->parked();
        e->shut();
      }
    sum.duplicates = load.duplicates();
    for (std::size_t i = 0; i < target_count; ++i) {
      target_figures& f = sum.targets[i];
      f.used = used[i];
      f.tally = load.tally(static_cast<target>(i));
      if (!endpoints[i]) continue;
      f.recoveries = endpoints[i]->recoveries();
      f.reset_path = endpoints[i]->reset_path();
      f.fresh_path = endpoints[i]->fresh_path();
      f.failed_steps = endpoints[i]->failed_steps();
      f.first_recovery_failure = endpoints[i]->first_failure();
    }
  }

  // 4. The STS processes' own counts, the verdict, the report.
  for (std::size_t i = 0; i < target_count; ++i) {
    if (!sts[i]) continue;
    auto served = sts[i]->stop();
    if (!served) {
      sum.problems.push_back(std::string(name_of(static_cast<target>(i))) + " STS: " + served.error().describe());
      continue;
    }
    sum.targets[i].served = *served;
  }
  const target_figures& healthy = sum.targets[0];
  // Every healthy request reached its STS once, plus the probe.
  if (healthy.served && *healthy.served != healthy.tally.successes + healthy.tally.failures() + 1)
    sum.problems.push_back("the healthy STS served " + std::to_string(*healthy.served) + " requests, " +
                           std::to_string(healthy.tally.successes + healthy.tally.failures() + 1) + " were sent");
  for (const std::string& f : temp_files) ::unlink(f.c_str());
  evaluate(sum);
  return publish(sum, s.json) && sum.problems.empty() ? 0 : 1;
}
