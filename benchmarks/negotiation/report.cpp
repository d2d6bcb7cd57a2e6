#include "report.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

extern char** environ;

namespace wst::bench {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string number(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

figures aggregate(std::string client, std::vector<run_result>& runs, std::size_t in_flight) {
  figures f;
  f.client = std::move(client);
  f.runs = runs.size();
  std::vector<double> rate, p50, p90, p99, p999, max, mean, cpu, sts_cpu, growth;
  for (run_result& r : runs) {
    f.errors += r.errors;
    if (f.first_error.empty()) f.first_error = r.first_error;
    f.measured = std::max(f.measured, r.measured);
    f.rss_peak = std::max(f.rss_peak, r.rss_peak);
    if (r.stalled) continue;
    const latency_summary s = summarize(r.latencies_ns);
    rate.push_back(r.per_second());
    p50.push_back(s.p50);
    p90.push_back(s.p90);
    p99.push_back(s.p99);
    p999.push_back(s.p999);
    max.push_back(s.max);
    mean.push_back(s.mean);
    cpu.push_back(r.cpu_per_1000());
    sts_cpu.push_back(r.peer_cpu_per_1000());
    const double grown = r.rss_peak > r.rss_before ? static_cast<double>(r.rss_peak - r.rss_before) : 0.0;
    growth.push_back(grown / static_cast<double>(std::max<std::size_t>(in_flight, 1)));
  }
  f.runs_per_second = rate;
  f.per_second = median(rate);
  f.latency = {median(p50), median(p90), median(p99), median(p999), median(max), median(mean)};
  f.cpu_per_1000 = median(cpu);
  f.sts_cpu_per_1000 = median(sts_cpu);
  f.rss_per_in_flight = median(growth);
  return f;
}

const figures* cell::find(const std::string& client) const {
  for (const figures& f : clients)
    if (f.client == client) return &f;
  return nullptr;
}

void evaluate_targets(report& r) {
  auto verdict = [&](bool met, const std::string& what) { r.targets.push_back((met ? "met: " : "MISSED: ") + what); };
  std::size_t errors = 0;
  for (const cell& c : r.cells) {
    for (const figures& f : c.clients) errors += f.errors;
    const figures* w = c.find("wst");
    const figures* fl = c.find("floor");
    const std::string where = c.mode + " C=" + std::to_string(c.concurrency);
    if (c.mode == "replay" && c.concurrency == 64 && w && fl && fl->per_second > 0 && fl->latency.p99 > 0) {
      const double t = w->per_second / fl->per_second, l = w->latency.p99 / fl->latency.p99;
      verdict(t >= 0.8, where + ": throughput " + number(t, 2) + " x floor (target >= 0.8)");
      verdict(l <= 2.0, where + ": p99 " + number(l, 2) + " x floor (target <= 2)");
    }
    // Only the first point of a process measures memory from a clean heap: later runs reuse
    // what earlier ones freed.
    if (c.concurrency == 10000 && w && c.mode != "cache") {
      if (&c == &r.cells.front())
        verdict(w->rss_per_in_flight <= 16 * 1024.0, where + ": " + number(w->rss_per_in_flight / 1024.0, 1) +
                                                         " KiB RSS per in-flight negotiation (target <= 16)");
      else
        r.targets.push_back("not judged: " + where + " RSS per in-flight negotiation (earlier points of this "
                            "process left memory to reuse; run --concurrency 10000 alone)");
    }
  }
  verdict(errors == 0 && r.problems.empty(), std::to_string(errors) + " errors, " +
                                                 std::to_string(r.problems.size()) + " problems (target 0)");
}

void print_table(std::FILE* out, const report& r) {
  std::fprintf(out, "\n");
  for (const auto& [k, v] : r.settings) std::fprintf(out, "%-18s %s\n", (k + ":").c_str(), v.c_str());
  std::fprintf(out, "\n%-7s %6s %5s %-7s %10s %8s %8s %8s %9s %9s %9s %10s %7s\n", "mode", "C", "conns",
               "client", "per s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "cpu s/1k",
               "sts s/1k", "KiB/infl", "errors");
  for (const cell& c : r.cells) {
    for (const figures& f : c.clients) {
      std::fprintf(out, "%-7s %6zu %5zu %-7s %10.0f %8.2f %8.2f %8.2f %9.2f %9.3f %9.3f %10.1f %7zu\n",
                   c.mode.c_str(), c.concurrency, c.connections, f.client.c_str(), f.per_second,
                   f.latency.p50 / 1e3, f.latency.p90 / 1e3, f.latency.p99 / 1e3,
                   f.latency.p999 / 1e3, f.cpu_per_1000, f.sts_cpu_per_1000,
                   f.rss_per_in_flight / 1024.0, f.errors);
    }
    const figures* w = c.find("wst");
    const figures* fl = c.find("floor");
    if (w && fl && fl->per_second > 0 && fl->latency.p99 > 0)
      std::fprintf(out, "%-7s %6zu %5zu %-7s %10.2f %8.2f %8s %8.2f   (throughput and latency ratios)\n",
                   c.mode.c_str(), c.concurrency, c.connections, "wst/flr", w->per_second / fl->per_second,
                   fl->latency.p50 > 0 ? w->latency.p50 / fl->latency.p50 : 0.0, "",
                   w->latency.p99 / fl->latency.p99);
    const figures* fa = c.find("facade");
    if (fa && w && w->per_second > 0 && w->latency.p99 > 0)
      std::fprintf(out, "%-7s %6zu %5zu %-7s %10.2f %8.2f %8s %8.2f   (facade / C++ API)\n",
                   c.mode.c_str(), c.concurrency, c.connections, "fac/wst", fa->per_second / w->per_second,
                   w->latency.p50 > 0 ? fa->latency.p50 / w->latency.p50 : 0.0, "",
                   fa->latency.p99 / w->latency.p99);
  }
  std::fprintf(out, "\npeak RSS of the client process: %.1f MiB\n", static_cast<double>(r.peak_rss) / (1 << 20));
  for (const cell& c : r.cells)
    for (const figures& f : c.clients)
      if (f.errors)
        std::fprintf(out, "ERRORS %s C=%zu %s: %zu, first: %s\n", c.mode.c_str(), c.concurrency,
                     f.client.c_str(), f.errors, f.first_error.c_str());
  for (const std::string& p : r.problems) std::fprintf(out, "PROBLEM: %s\n", p.c_str());
  for (const std::string& t : r.targets) std::fprintf(out, "target %s\n", t.c_str());
}

std::string to_json(const report& r) {
  std::ostringstream j;
  j << "{\"benchmark\":\"negotiation_bench\",\"settings\":{";
  for (std::size_t i = 0; i < r.settings.size(); ++i)
    j << (i ? "," : "") << json_string(r.settings[i].first) << ":" << json_string(r.settings[i].second);
  j << "},\"peak_rss_bytes\":" << r.peak_rss << ",\"results\":[";
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    const cell& c = r.cells[i];
    j << (i ? "," : "") << "{\"mode\":" << json_string(c.mode) << ",\"concurrency\":" << c.concurrency
      << ",\"connections\":" << c.connections;
    for (const figures& f : c.clients) {
      j << "," << json_string(f.client) << ":{\"runs\":" << f.runs << ",\"measured_per_run\":" << f.measured
        << ",\"per_second\":" << number(f.per_second) << ",\"latency_us\":{\"p50\":" << number(f.latency.p50)
        << ",\"p90\":" << number(f.latency.p90) << ",\"p99\":" << number(f.latency.p99)
        << ",\"p99.9\":" << number(f.latency.p999) << ",\"max\":" << number(f.latency.max)
        << ",\"mean\":" << number(f.latency.mean) << "},\"cpu_seconds_per_1000\":" << number(f.cpu_per_1000, 4)
        << ",\"sts_cpu_seconds_per_1000\":" << number(f.sts_cpu_per_1000, 4)
        << ",\"rss_peak_bytes\":" << f.rss_peak << ",\"rss_per_in_flight_bytes\":" << number(f.rss_per_in_flight, 0)
        << ",\"errors\":" << f.errors;
      if (!f.first_error.empty()) j << ",\"first_error\":" << json_string(f.first_error);
      j << ",\"runs_per_second\":[";
      for (std::size_t k = 0; k < f.runs_per_second.size(); ++k)
        j << (k ? "," : "") << number(f.runs_per_second[k]);
      j << "]}";
    }
    const figures* w = c.find("wst");
    const figures* fl = c.find("floor");
    if (w && fl && fl->per_second > 0 && fl->latency.p99 > 0 && fl->latency.p50 > 0)
      j << ",\"wst_over_floor\":{\"throughput\":" << number(w->per_second / fl->per_second, 3)
        << ",\"p50\":" << number(w->latency.p50 / fl->latency.p50, 3)
        << ",\"p99\":" << number(w->latency.p99 / fl->latency.p99, 3) << "}";
    const figures* fa = c.find("facade");
    if (fa && w && w->per_second > 0 && w->latency.p99 > 0)
      j << ",\"facade_over_wst\":{\"throughput\":" << number(fa->per_second / w->per_second, 3)
        << ",\"p99\":" << number(fa->latency.p99 / w->latency.p99, 3) << "}";
    j << "}";
  }
  j << "],\"problems\":[";
  for (std::size_t i = 0; i < r.problems.size(); ++i) j << (i ? "," : "") << json_string(r.problems[i]);
  j << "],\"targets\":[";
  for (std::size_t i = 0; i < r.targets.size(); ++i) j << (i ? "," : "") << json_string(r.targets[i]);
  j << "]}";
  return j.str();
}

detail::result<void> plot(const report& r, const std::string& png_path) {
  auto fail = [](std::string what) {
    return detail::failure(std::make_error_code(std::errc::io_error), std::move(what));
  };
  // One data block per (mode, client) series, in concurrency order.
  std::map<std::string, std::vector<std::pair<std::size_t, const figures*>>> series;
  for (const cell& c : r.cells)
    for (const figures& f : c.clients) series[c.mode + " " + f.client].push_back({c.concurrency, &f});
  if (series.empty()) return fail("nothing to plot");
  const std::string data = png_path + ".dat", script = png_path + ".gp";
  {
    std::ofstream d(data);
    for (auto& [name, points] : series) {
      d << "# " << name << "\n";
      std::sort(points.begin(), points.end(), [](auto& a, auto& b) { return a.first < b.first; });
      for (auto& [conc, f] : points)
        d << conc << " " << number(f->per_second) << " " << number(f->latency.p99 / 1e3, 3) << "\n";
      d << "\n\n";
    }
    if (!d) return fail("cannot write " + data);
  }
  {
    std::ofstream g(script);
    g << "set terminal pngcairo size 1400,560 font ',10'\n"
      << "set output '" << png_path << "'\n"
      << "set multiplot layout 1,2 title 'negotiation\\_bench: wst::client vs the raw HTTP floor (same STS, same run)'\n"
      << "set logscale x 2\nset grid\nset key top left\n"
      << "set xlabel 'concurrency (requests in flight)'\n"
      << "set ylabel 'completed per second'\nset logscale y\nplot ";
    std::size_t i = 0;
    for (auto& [name, points] : series)
      g << (i ? ", " : "") << "'" << data << "' index " << i << " using 1:2 with linespoints title '" << name << "'", ++i;
    g << "\nset ylabel 'p99 latency (ms)'\nplot ";
    i = 0;
    for (auto& [name, points] : series)
      g << (i ? ", " : "") << "'" << data << "' index " << i << " using 1:3 with linespoints title '" << name << "'", ++i;
    g << "\nunset multiplot\n";
    if (!g) return fail("cannot write " + script);
  }
  std::string prog = "gnuplot";
  std::vector<char*> argv{prog.data(), const_cast<char*>(script.c_str()), nullptr};
  pid_t pid = -1;
  if (const int rc = posix_spawnp(&pid, "gnuplot", nullptr, nullptr, argv.data(), environ); rc != 0)
    return fail("cannot run gnuplot: " + std::system_category().message(rc));
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return fail("gnuplot failed on " + script);
  return {};
}

}  // namespace wst::bench
