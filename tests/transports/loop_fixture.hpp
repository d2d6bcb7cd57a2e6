// A running uv loop thread for a test; the fixture's end stops it and checks that every
// handle was closed (the loop is empty).
#pragma once

#include <wst/uv/runtime.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>

namespace wst::test {

struct loop_fixture {
  detail::uv::loop_thread loop{detail::uv::loop_options{std::chrono::milliseconds(300)}};

  loop_fixture() { BOOST_REQUIRE(loop.start().has_value()); }
  ~loop_fixture() {
    auto r = loop.stop();
    BOOST_CHECK_MESSAGE(r.has_value(),
                        "loop not empty at the end: " << (r ? "" : r.error().describe()));
  }

  // Runs fn on the loop thread and waits for it.
  template <class Fn>
  void on_loop(Fn&& fn) {
    BOOST_REQUIRE(loop.run_sync(std::forward<Fn>(fn)));
  }

  // Waits (at most 10 s) for a value the loop produces.
  template <class T>
  T await(std::future<T>& f, std::chrono::seconds limit = std::chrono::seconds(10)) {
    BOOST_REQUIRE_MESSAGE(f.wait_for(limit) == std::future_status::ready,
                          "timed out waiting for the loop");
    return f.get();
  }
};

}  // namespace wst::test
