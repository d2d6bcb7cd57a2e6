// Fuzz entries for transports/http: both parsers, fed in pieces (see entries.hpp).
#include "entries.hpp"

#include <wst/http/errc.hpp>
#include <wst/http/parser.hpp>

#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

namespace wst::fuzz {

namespace {

namespace h = wst::detail::http;

// The fed message, where to cut it, and how to end it.
struct plan {
  std::string_view message;
  std::vector<std::size_t> cuts;  // ascending offsets into message
  bool eof = false;               // call finish() when the message is not complete
  h::limits limits;
};

// Flags byte, then `count` big-endian 16-bit offsets (taken modulo the message size + 1),
// then the message. Inputs too short for their own header are read as a bare message.
plan read_plan(std::string_view in) {
  plan p;
  if (in.empty()) return p;
  const auto flags = static_cast<std::uint8_t>(in[0]);
  const std::size_t count = flags & 7u;
  if (in.size() < 1 + 2 * count) {
    p.message = in;
    return p;
  }
  p.eof = (flags & 8u) != 0;
  if (flags & 16u) {
    p.limits.max_message_size = 512;
    p.limits.max_headers = 4;
    p.limits.max_header_size = 64;
  }
  p.message = in.substr(1 + 2 * count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t raw = static_cast<std::uint8_t>(in[1 + 2 * i]) * 256u +
                            static_cast<std::uint8_t>(in[2 + 2 * i]);
    p.cuts.push_back(raw % (p.message.size() + 1));
  }
  std::sort(p.cuts.begin(), p.cuts.end());
  return p;
}

std::string render(const h::response& r) {
  std::string s = "status=" + std::to_string(r.status) + " reason=" + r.reason +
                  " keep=" + (r.keep_alive ? "1" : "0");
  for (const auto& f : r.headers) s += " [" + f.name + ":" + f.value + "]";
  return s + " body=" + r.body;
}

std::string render(const h::request& r) {
  std::string s = "method=" + r.method + " target=" + r.target + " keep=" + (r.keep_alive ? "1" : "0");
  for (const auto& f : r.headers) s += " [" + f.name + ":" + f.value + "]";
  return s + " body=" + r.body;
}

template <class Parser>
class run {
 public:
  run(const char* entry, const plan& p) : entry_(entry), plan_(p), parser_(p.limits) {}

  // Feeds the message cut at `cuts` and renders the outcome (message, error or incomplete).
  std::string outcome(const std::vector<std::size_t>& cuts) {
    std::size_t pos = 0;
    for (std::size_t i = 0; i <= cuts.size() && !parser_.complete(); ++i) {
      const std::size_t end = i < cuts.size() ? cuts[i] : plan_.message.size();
      const std::string_view piece = plan_.message.substr(pos, end - pos);
      pos = end;
      auto used = parser_.feed(piece.data(), piece.size());
      if (!used) return failed(used.error(), piece);
      check(*used <= piece.size(), "feed() consumed more than it was given");
      check(*used == piece.size() || parser_.complete(), "feed() stopped early on an incomplete message");
      consumed_ += *used;
    }
    if (plan_.eof && !parser_.complete()) {
      auto fin = parser_.finish();
      if (!fin) return failed(fin.error(), {});
    }
    if (!parser_.complete()) return "incomplete consumed=" + std::to_string(consumed_);
    check_limits();
    auto more = parser_.feed(plan_.message.data(), plan_.message.size());
    check(more && *more == 0, "feed() after completion consumed bytes");
    check(bool(parser_.finish()), "finish() after completion failed");
    return render(parser_.get()) + " consumed=" + std::to_string(consumed_);
  }

  std::size_t consumed() const { return consumed_; }
  Parser& parser() { return parser_; }

 private:
  void check(bool ok, const std::string& what) {
    if (!ok) violated(entry_, what);
  }

  std::string failed(const detail::failure& f, std::string_view piece) {
    check(f.code.category() == h::category(), "failure with a foreign error code: " + f.describe());
    auto again = parser_.feed(piece.data(), piece.size());
    check(!again && again.error().code == f.code && again.error().message == f.message,
          "a failed parser did not repeat its failure");
    check(!parser_.complete(), "a failed parser reports a complete message");
    return "error " + f.describe();
  }

  void check_limits() {
    const h::limits& l = plan_.limits;
    const auto& m = parser_.get();
    check(consumed_ <= l.max_message_size, "complete message longer than max_message_size");
    check(m.body.size() <= l.max_message_size, "body larger than max_message_size");
    check(m.headers.size() <= l.max_headers, "more header fields than max_headers");
    for (const auto& f : m.headers)
      check(f.name.size() + f.value.size() <= l.max_header_size, "header field longer than max_header_size");
    if constexpr (std::is_same_v<Parser, h::response_parser>) {
      check(m.status < 100 || m.status >= 200, "an interim 1xx response was returned as final");
      check(m.status != 101, "101 accepted");
      check(m.reason.size() <= l.max_header_size, "reason phrase longer than max_header_size");
      auto status = h::check_status(m);
      check(status || status.error().code.category() == h::category(),
            "check_status() failed with a foreign error code");
    } else {
      check(!m.method.empty(), "request without a method");
      check(m.method != "CONNECT", "CONNECT accepted");
      check(m.target.size() <= l.max_header_size, "request target longer than max_header_size");
    }
  }

  const char* entry_;
  const plan& plan_;
  Parser parser_;
  std::size_t consumed_ = 0;
};

template <class Parser>
bool fuzz_parser(const char* entry, std::string_view input) {
  const plan p = read_plan(input);
  run<Parser> whole(entry, p);
  const std::string expected = whole.outcome({});
  run<Parser> split(entry, p);
  const std::string got = split.outcome(p.cuts);
  // Errors only need to agree in kind: when a message breaks two rules (a header name that
  // is both too long and holds an invalid character), which one is seen first depends on
  // where llhttp's span callbacks fall, i.e. on the split.
  const bool both_failed = got.rfind("error ", 0) == 0 && expected.rfind("error ", 0) == 0;
  if (got != expected && !both_failed) {
    std::string cuts;
    for (auto c : p.cuts) cuts += " " + std::to_string(c);
    violated(entry, "split at" + cuts + " gives\n  " + got + "\nbut whole input gives\n  " + expected);
  }
  if (!split.parser().complete()) return false;
  // The next message on the connection: reset() must give a fresh parser.
  Parser& parser = split.parser();
  parser.reset();
  if (parser.started() || parser.complete()) violated(entry, "reset() did not clear the parser");
  const std::string_view rest = p.message.substr(split.consumed());
  if (auto used = parser.feed(rest.data(), rest.size()); used && !parser.complete()) (void)parser.finish();
  return true;
}

}  // namespace

bool http_response(std::string_view input) { return fuzz_parser<h::response_parser>("http_response", input); }
bool http_request(std::string_view input) { return fuzz_parser<h::request_parser>("http_request", input); }

}  // namespace wst::fuzz
