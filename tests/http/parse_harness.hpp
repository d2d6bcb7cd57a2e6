// Feeds a parser in pieces and renders the outcome as one comparable string.
#pragma once

#include <wst/http/parser.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace wst::test {

inline std::string render(const detail::http::response& r, std::size_t consumed) {
  std::string s = "status=" + std::to_string(r.status) + " reason=" + r.reason +
                  " keep=" + (r.keep_alive ? "1" : "0") + " consumed=" + std::to_string(consumed);
  for (const auto& h : r.headers) s += " [" + h.name + ":" + h.value + "]";
  s += " body=" + r.body;
  return s;
}

inline std::string render(const detail::http::request& r, std::size_t consumed) {
  std::string s = "method=" + r.method + " target=" + r.target +
                  " keep=" + (r.keep_alive ? "1" : "0") + " consumed=" + std::to_string(consumed);
  for (const auto& h : r.headers) s += " [" + h.name + ":" + h.value + "]";
  s += " body=" + r.body;
  return s;
}

// Feeds `pieces` in order until the message completes or fails; `eof` then calls finish().
template <class Parser>
std::string parse_pieces(const std::vector<std::string_view>& pieces, bool eof,
                         const detail::http::limits& l = {}) {
  Parser p(l);
  std::size_t consumed = 0;
  for (std::string_view piece : pieces) {
    if (p.complete()) break;
    auto used = p.feed(piece.data(), piece.size());
    if (!used) return "error " + used.error().code.message() + " | " + used.error().message;
    consumed += *used;
  }
  if (eof && !p.complete()) {
    auto fin = p.finish();
    if (!fin) return "error " + fin.error().code.message() + " | " + fin.error().message;
  }
  if (!p.complete()) return "incomplete";
  return render(p.get(), consumed);
}

template <class Parser>
std::string parse_whole(std::string_view in, bool eof, const detail::http::limits& l = {}) {
  return parse_pieces<Parser>({in}, eof, l);
}

// The outcome when the input arrives one byte at a time.
template <class Parser>
std::string parse_bytewise(std::string_view in, bool eof, const detail::http::limits& l = {}) {
  std::vector<std::string_view> v;
  for (std::size_t i = 0; i < in.size(); ++i) v.push_back(in.substr(i, 1));
  return parse_pieces<Parser>(v, eof, l);
}

// Checks that whole, byte-by-byte and every two-piece split give `expected`; returns the
// number of mismatches (the first one is reported through `first_bad`).
template <class Parser>
int parse_every_way(std::string_view in, bool eof, const std::string& expected,
                    std::string& first_bad, const detail::http::limits& l = {}) {
  int bad = 0;
  auto check = [&](const std::string& got, const std::string& how) {
    if (got != expected) {
      if (!bad) first_bad = how + ": " + got;
      ++bad;
    }
  };
  check(parse_whole<Parser>(in, eof, l), "whole");
  check(parse_bytewise<Parser>(in, eof, l), "bytewise");
  for (std::size_t i = 0; i <= in.size(); ++i)
    check(parse_pieces<Parser>({in.substr(0, i), in.substr(i)}, eof, l),
          "split at " + std::to_string(i));
  return bad;
}

}  // namespace wst::test
