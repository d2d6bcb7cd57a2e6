#include "entries.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace wst::fuzz {

namespace {

void print_and_abort(const char* entry, const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken in %s: %s\n", entry, what.c_str());
  std::abort();
}

std::atomic<violation_handler> handler{&print_and_abort};

}  // namespace

void set_violation_handler(violation_handler h) noexcept {
  handler.store(h ? h : &print_and_abort);
}

void violated(const char* entry, const std::string& what) {
  handler.load()(entry, what);
  std::abort();  // a handler that returns breaks its contract
}

}  // namespace wst::fuzz
