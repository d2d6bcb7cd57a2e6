// negotiation_bench: WS-Trust negotiations per second through wst::client and the C facade
// against the sample STS in a child process, measured against the raw HTTP floor in the same
// run. See docs/benchmarks.md for what each figure means and how to read the results.
//
// What happens:
//  1. wst::client sends one request to a capture listener: those exact bytes become the
//     floor's request (same headers, same envelope, same size as every wst request).
//  2. wst-sample-sts starts issuing for real on that port; the captured request gets a real
//     signed response, which becomes the --replay template ({{MessageID}} etc. substituted).
//  3. Per mode: the STS starts (replay: --replay template; issue: issuing, RSA signing per
//     request), and per concurrency C and run: the floor, then wst::client, then the facade
//     (WsRequestSecurityToken with a WS_ASYNC_CONTEXT), each keeping C requests in flight
//     over min(C, --max-connections) keep-alive connections (the facade: its channel's 16).
//     cache: wst::client with use_cache = true, every request a token-store hit.
//  4. Medians per point: table on stdout, JSON (--json), plot (--plot).
#include "client_load.hpp"
#include "facade_load.hpp"
#include "measure.hpp"
#include "raw_http.hpp"
#include "replay_template.hpp"
#include "report.hpp"
#include "sts_process.hpp"

#include <wst/client.hpp>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <list>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace wst::bench;

namespace {

const char* const usage_text = R"(usage: negotiation_bench [options]
  --mode LIST            replay, issue, cache (comma-separated; default replay)
                           replay: the STS answers with a real signed response (client cost)
                           issue:  the STS issues and signs every token (end to end)
                           cache:  use_cache = true, every request a token-store hit
  --concurrency LIST     requests in flight, 1..10000 (comma-separated; default 64)
  --sweep                concurrency 1,4,16,64,256,1024,4096,10000
  --requests N           measured completions per run (default max(5000, 3 x C))
  --warmup N             unmeasured completions before each run (default C + 100)
  --runs R               runs per point; medians are reported (default 5)
  --max-connections K    keep-alive connections per point: min(C, K) (default 1024, max 1024)
  --channels N           spread wst's requests over N STS URLs (paths /sts/0..), hence N
                         channels, each with its own connections and queue (default 1)
  --no-floor             skip the raw libuv + llhttp client
  --no-facade            skip the C facade (WsRequestSecurityToken, asynchronous)
  --facade-callback short|long   the facade channel's ASYNC_CALLBACK_MODEL (default short, as
                         the C++ API's callbacks run on a wst thread)
  --trust 2005|1.3       WS-Trust version (default 1.3)
  --soap 1.1|1.2         SOAP version (default 1.2)
  --key bearer|symmetric (default symmetric, 256 bits)
  --entropy client|server|combined (default combined)
  --token saml11|saml20  token type asked for (default saml20)
  --scheduler-threads N  wst::client_options::scheduler_threads (default 0 = per CPU)
  --loop-threads N       wst::client_options::loop_threads (default 1)
  --sts PATH             the wst-sample-sts binary (default: the one built alongside)
  --sts-threads N        the STS's worker threads (default: its own, one per CPU)
  --json FILE            write the results as JSON
  --plot FILE.png        plot throughput and p99 against concurrency (gnuplot)
  --quiet                no progress on stderr
)";

struct settings {
  std::vector<std::string> modes{"replay"};
  std::vector<std::size_t> concurrency{64};
  std::optional<std::size_t> requests, warmup;
  std::size_t runs = 5;
  std::size_t max_connections = 1024;
  std::size_t channels = 1;
  bool floor = true;
  bool facade = true;
  bool facade_long = false;
  bool progress = true;
  std::string trust = "1.3", soap = "1.2", key = "symmetric", entropy = "combined", token = "saml20";
  std::size_t scheduler_threads = 0, loop_threads = 1;
  std::string sts = WST_STS_BINARY;
  std::optional<std::size_t> sts_threads;
  std::string json, png;
};

[[noreturn]] void bad_usage(const std::string& why) {
  std::cerr << "negotiation_bench: " << why << "\n" << usage_text;
  std::exit(2);
}

std::size_t parse_count(const std::string& flag, const std::string& v, std::size_t lo, std::size_t hi) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
  if (v.empty() || *end || errno || v[0] == '-' || n < lo || n > hi)
    bad_usage(flag + " wants a number in " + std::to_string(lo) + ".." + std::to_string(hi) + ", not '" + v + "'");
  return static_cast<std::size_t>(n);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) bad_usage(a + " needs a value");
      return argv[++i];
    };
    auto one_of = [&](const std::string& v, std::initializer_list<const char*> allowed) {
      for (const char* x : allowed)
        if (v == x) return v;
      bad_usage(a + ": '" + v + "' is not a choice");
    };
    if (a == "--mode") {
      s.modes.clear();
      for (const std::string& m : split(value())) s.modes.push_back(one_of(m, {"replay", "issue", "cache"}));
      if (s.modes.empty()) bad_usage("--mode is empty");
    } else if (a == "--concurrency") {
      s.concurrency.clear();
      for (const std::string& c : split(value())) s.concurrency.push_back(parse_count(a, c, 1, 10000));
      if (s.concurrency.empty()) bad_usage("--concurrency is empty");
    } else if (a == "--sweep") {
      s.concurrency = {1, 4, 16, 64, 256, 1024, 4096, 10000};
    } else if (a == "--requests") {
      s.requests = parse_count(a, value(), 1, 100000000);
    } else if (a == "--warmup") {
      s.warmup = parse_count(a, value(), 0, 100000000);
    } else if (a == "--runs") {
      s.runs = parse_count(a, value(), 1, 1000);
    } else if (a == "--max-connections") {
      s.max_connections = parse_count(a, value(), 1, 1024);
    } else if (a == "--channels") {
      s.channels = parse_count(a, value(), 1, 64);
    } else if (a == "--no-facade") {
      s.facade = false;
    } else if (a == "--facade-callback") {
      s.facade_long = one_of(value(), {"short", "long"}) == "long";
    } else if (a == "--no-floor") {
      s.floor = false;
    } else if (a == "--trust") {
      s.trust = one_of(value(), {"2005", "1.3"});
    } else if (a == "--soap") {
      s.soap = one_of(value(), {"1.1", "1.2"});
    } else if (a == "--key") {
      s.key = one_of(value(), {"bearer", "symmetric"});
    } else if (a == "--entropy") {
      s.entropy = one_of(value(), {"client", "server", "combined"});
    } else if (a == "--token") {
      s.token = one_of(value(), {"saml11", "saml20"});
    } else if (a == "--scheduler-threads") {
      s.scheduler_threads = parse_count(a, value(), 0, 256);
    } else if (a == "--loop-threads") {
      s.loop_threads = parse_count(a, value(), 1, 64);
    } else if (a == "--sts") {
      s.sts = value();
    } else if (a == "--sts-threads") {
      s.sts_threads = parse_count(a, value(), 1, 256);
    } else if (a == "--json") {
      s.json = value();
    } else if (a == "--plot") {
      s.png = value();
    } else if (a == "--quiet") {
      s.progress = false;
    } else if (a == "--help" || a == "-h") {
      std::cout << usage_text;
      std::exit(0);
    } else {
      bad_usage("unknown option " + a);
    }
  }
  if (s.key == "bearer" && s.entropy != "server")
    bad_usage("a bearer token has no proof key: use --entropy server with --key bearer");
  return s;
}

wst::request_options exchange_options(const settings& s, const std::string& url) {
  wst::request_options o;
  o.sts_url = url;
  o.soap = s.soap == "1.1" ? wst::soap_version::soap11 : wst::soap_version::soap12;
  o.trust = s.trust == "1.3" ? wst::trust_version::v1_3 : wst::trust_version::feb2005;
  o.applies_to = "https://rp.example/bench";
  o.token_type = s.token == "saml20" ? "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0"
                                     : "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1";
  if (s.key == "symmetric") {
    o.key = wst::key_type::symmetric;
    o.key_size_bits = 256;
  } else {
    o.key = wst::key_type::bearer;
  }
  o.entropy = s.entropy == "client"   ? wst::key_entropy::client_only
              : s.entropy == "server" ? wst::key_entropy::server_only
                                      : wst::key_entropy::combined;
  o.use_cache = false;
  return o;
}

facade_exchange facade_options(const settings& s, const std::string& url) {
  const wst::request_options o = exchange_options(s, url);
  facade_exchange x;
  x.url = url;
  x.soap12 = o.soap == wst::soap_version::soap12;
  x.trust13 = o.trust == wst::trust_version::v1_3;
  x.symmetric = o.key == wst::key_type::symmetric;
  x.key_size_bits = o.key_size_bits.value_or(256);
  x.entropy = static_cast<int>(o.entropy);
  x.token_type = o.token_type.value_or(std::string());
  x.applies_to = o.applies_to.value_or(std::string());
  x.long_callbacks = s.facade_long;
  return x;
}

std::vector<std::string> sts_arguments(const settings& s, std::uint16_t port, const std::string& replay) {
  std::vector<std::string> a{"--listen", "127.0.0.1:" + std::to_string(port)};
  if (s.sts_threads) a.insert(a.end(), {"--threads", std::to_string(*s.sts_threads)});
  if (!replay.empty()) a.insert(a.end(), {"--replay", replay});
  // Client entropy without ComputedKeyAlgorithm is combined by default; client_only wants the
  // client's entropy used as the key.
  if (s.entropy == "client") a.insert(a.end(), {"--client-entropy", "key"});
  return a;
}

std::string replay_file;  // the replay template, removed at exit

[[noreturn]] void give_up(const std::string& why) {
  std::cerr << "negotiation_bench: " << why << "\n";
  if (!replay_file.empty()) ::unlink(replay_file.c_str());
  for (pid_t pid : sts_process::running()) ::kill(pid, SIGKILL);
  std::_Exit(1);
}

// The exact bytes wst sends for these options, through a capture listener (which answers 503).
std::pair<std::string, std::uint16_t> capture_request(const settings& s, const wst::client_options& co) {
  auto cap = request_capture::start();
  if (!cap) give_up(cap.error().describe());
  const std::uint16_t port = (*cap)->port();
  {
    wst::client probe(co);
    auto r = probe.request_token_sync(exchange_options(s, "http://127.0.0.1:" + std::to_string(port) + "/sts"));
    if (r.ok()) give_up("the capture listener's 503 was taken for a token");
  }
  auto bytes = (*cap)->wait(std::chrono::seconds(10));
  if (!bytes) give_up(bytes.error().describe());
  return {std::move(*bytes), port};
}

// POSTs the STS has answered so far (GET /stats).
std::uint64_t served_now(std::uint16_t port) {
  const std::string get = "GET /stats HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n";
  auto r = exchange_once(port, get, std::chrono::seconds(10));
  if (!r || r->status != 200) give_up("GET /stats failed");
  const std::size_t at = r->body.find("\"served\":");
  if (at == std::string::npos) give_up("GET /stats: no served count in " + r->body.substr(0, 200));
  return std::strtoull(r->body.c_str() + at + 9, nullptr, 10);
}

}  // namespace

int main(int argc, char** argv) {
  const settings s = parse(argc, argv);
  ::signal(SIGPIPE, SIG_IGN);
  wst::client_options co;
  co.scheduler_threads = s.scheduler_threads;
  co.loop_threads = s.loop_threads;

  // 1 + 2: the request bytes and a real signed response to them.
  auto [request, port] = capture_request(s, co);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/sts";
  auto message_id = message_id_of(request);
  if (!message_id) give_up(message_id.error().describe());
  replay_file = (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                            std::string("/negotiation_bench-") + std::to_string(::getpid()) + ".xml";
  {
    auto sts = sts_process::start(s.sts, sts_arguments(s, port, {}));
    if (!sts) give_up(sts.error().describe());
    auto real = exchange_once(port, request, std::chrono::seconds(30));
    if (!real) give_up("the issuing STS did not answer: " + real.error().describe());
    if (real->status != 200)
      give_up("the issuing STS answered " + std::to_string(real->status) + ": " + real->body.substr(0, 2000));
    auto tmpl = make_replay_template(real->body, *message_id);
    if (!tmpl) give_up(tmpl.error().describe());
    std::ofstream out(replay_file, std::ios::binary);
    out << *tmpl;
    out.close();
    if (!out) give_up("cannot write " + replay_file);
    if (auto served = sts->stop(); !served) give_up(served.error().describe());
  }
  if (s.progress)
    std::cerr << "request: " << request.size() << " bytes captured; replay template: " << replay_file << "\n";

  report rep;
  rep.settings = {
      {"exchange", "WS-Trust " + s.trust + ", SOAP " + s.soap + ", " + s.key + " key, " + s.entropy +
                       " entropy, " + s.token + ", use_cache=false (cache mode: true)"},
      {"request bytes", std::to_string(request.size()) + " (HTTP request as wst sends it)"},
      {"runs per point", std::to_string(s.runs) + " (medians reported)"},
      {"connections", "min(C, " + std::to_string(s.max_connections) + ")" +
                          (s.channels > 1 ? " per channel, " + std::to_string(s.channels) + " channels" : "")},
      {"client threads", "scheduler " + (s.scheduler_threads ? std::to_string(s.scheduler_threads) : std::string("per CPU")) +
                             ", loop " + std::to_string(s.loop_threads)},
      {"facade", s.facade ? std::string("one WS_CHANNEL (its 16 pooled connections: WWSAPI has no property "
                                        "for more), WS_ASYNC_CONTEXT, ") + (s.facade_long ? "long" : "short") + " callbacks"
                          : std::string("not run")},
      {"sts", s.sts + (s.sts_threads ? " --threads " + std::to_string(*s.sts_threads) : std::string())},
      {"cpus", std::to_string(::sysconf(_SC_NPROCESSORS_ONLN))},
  };
  rss_sampler rss;
  bool failed = false;

  for (const std::string& mode : s.modes) {
    auto sts = sts_process::start(s.sts, sts_arguments(s, port, mode == "issue" ? std::string() : replay_file));
    if (!sts) give_up(sts.error().describe());
    std::uint64_t sent = 0;  // requests that must have reached this STS
    // Each wst run's window and load outlive the client, so a callback wst might run late is
    // counted instead of touching freed memory (see client_load::duplicate_callbacks).
    struct wst_run {
      run_window window;
      client_load load;
      wst_run(std::size_t warmup, std::size_t measured, int peer, wst::client& c,
              const std::vector<wst::request_options>& o)
          : window(warmup, measured, peer), load(c, o, window) {}
    };
    std::list<wst_run> wst_runs_kept;
    std::list<std::vector<wst::request_options>> options_kept;
    // The same for the facade: its loads outlive its channel.
    struct facade_run {
      run_window window;
      std::unique_ptr<facade_load> load;
      facade_run(std::size_t warmup, std::size_t measured, int peer) : window(warmup, measured, peer) {}
    };
    std::list<facade_run> facade_runs_kept;
    std::unique_ptr<facade_channel> facade;
    if (s.facade && mode != "cache") {
      auto opened = facade_channel::open(facade_options(s, url));
      if (!opened) give_up("facade: " + opened.error().describe());
      facade = std::move(*opened);
      if (auto first = facade->request_once(); !first) give_up(mode + ": the first facade request failed: " + first.error().describe());
      ++sent;
    }
    {
      wst::client client(co);
      wst::request_options o = exchange_options(s, url);
      o.use_cache = mode == "cache";
      auto first = client.request_token_sync(o);
      ++sent;
      if (!first.ok()) give_up(mode + ": the first request failed: " + first.failure().describe());
      for (const std::size_t c : s.concurrency) {
        const std::size_t conns = std::min(c, s.max_connections);
        const std::size_t measured = s.requests.value_or(std::max<std::size_t>(5000, 3 * c));
        const std::size_t warmup = s.warmup.value_or(c + 100);
        o.max_connections = conns;
        std::vector<wst::request_options>& spread = options_kept.emplace_back(s.channels, o);
        if (s.channels > 1)
          for (std::size_t k = 0; k < s.channels; ++k) spread[k].sts_url = url + "/" + std::to_string(k);
        if (mode == "cache") {
          // The key includes the channel configuration: fill the cache for each.
          for (const wst::request_options& each : spread) {
            auto again = client.request_token_sync(each);
            if (!again.ok()) give_up("cache: priming failed: " + again.failure().describe());
          }
        }
        const std::uint64_t served_before = mode == "cache" ? served_now(port) : 0;
        std::vector<run_result> floor_runs, wst_runs, facade_runs;
        for (std::size_t r = 0; r < s.runs; ++r) {
          const std::string tag = mode + " C=" + std::to_string(c) + " run " + std::to_string(r + 1) + "/" +
                                  std::to_string(s.runs);
          if (s.floor && mode != "cache") {
            run_window w(warmup, measured, sts->pid());
            raw_load load{port, request, std::min(c, conns * s.channels), c};
            floor_runs.push_back(measure_run(w, rss, tag + " floor", s.progress, [&](run_window& win) {
              if (auto ok = run_raw(load, win); !ok) give_up("floor: " + ok.error().describe());
            }));
            sent += w.total();
          }
          wst_run& run = wst_runs_kept.emplace_back(warmup, measured, sts->pid(), client, spread);
          wst_runs.push_back(measure_run(run.window, rss, tag + " wst", s.progress,
                                         [&](run_window&) { run.load.start(c); }));
          if (wst_runs.back().stalled) give_up(tag + ": " + wst_runs.back().first_error);
          if (mode != "cache") sent += run.window.total();
          if (facade) {
            facade_run& fr = facade_runs_kept.emplace_back(warmup, measured, sts->pid());
            fr.load = std::make_unique<facade_load>(*facade, fr.window, c);
            facade_runs.push_back(measure_run(fr.window, rss, tag + " facade", s.progress,
                                              [&](run_window&) { fr.load->start(); }));
            if (facade_runs.back().stalled) give_up(tag + " facade: " + facade_runs.back().first_error);
            sent += fr.window.total();
          }
        }
        if (mode == "cache") {
          const std::uint64_t reached = served_now(port) - served_before;
          if (reached)
            rep.problems.push_back("cache C=" + std::to_string(c) + ": " + std::to_string(reached) +
                                   " lookups reached the STS instead of the token store");
        }
        cell point{mode, c, std::min(c, conns * s.channels), {}};
        if (!floor_runs.empty()) point.clients.push_back(aggregate("floor", floor_runs, c));
        point.clients.push_back(aggregate("wst", wst_runs, c));
        if (!facade_runs.empty()) point.clients.push_back(aggregate("facade", facade_runs, c));
        for (const figures& f : point.clients) failed = failed || f.errors > 0;
        rep.cells.push_back(std::move(point));
      }
    }
    facade.reset();  // closes the channel: every facade callback has run
    std::size_t duplicates = 0;
    for (const wst_run& r : wst_runs_kept) duplicates += r.load.duplicate_callbacks();
    for (const facade_run& r : facade_runs_kept) duplicates += r.load->duplicate_callbacks();
    if (duplicates)
      rep.problems.push_back(mode + ": " + std::to_string(duplicates) + " callbacks ran a second time for one request");
    auto served = sts->stop();
    if (!served) {
      rep.problems.push_back(mode + ": " + served.error().describe());
    } else if (mode != "cache" && *served != sent) {
      rep.problems.push_back(mode + ": the STS served " + std::to_string(*served) + " requests, the benchmark sent " +
                             std::to_string(sent) + " (use_cache = false: each must negotiate)");
    }
  }
  ::unlink(replay_file.c_str());

  rep.peak_rss = peak_rss_bytes();
  evaluate_targets(rep);
  print_table(stdout, rep);
  const std::string json = to_json(rep);
  std::printf("%s\n", json.c_str());
  std::fflush(stdout);
  if (!s.json.empty()) {
    std::ofstream out(s.json);
    out << json << "\n";
    if (!out) {
      std::cerr << "cannot write " << s.json << "\n";
      failed = true;
    }
  }
  if (!s.png.empty()) {
    if (auto ok = plot(rep, s.png); !ok) {
      std::cerr << ok.error().describe() << "\n";
      failed = true;
    }
  }
  return failed || !rep.problems.empty() ? 1 : 0;
}
