// A running uv loop thread for a test; the fixture's end stops it and checks that every
// handle was closed (the loop is empty).
//
// Boost.Test is not thread-safe (its checkpoint and log state are plain members), so code that
// runs on the loop thread - on_loop bodies, stream, timer and exchange callbacks, the memory
// peer's completions - never uses a BOOST_ macro. It checks with WST_LOOP_CHECK /
// WST_LOOP_REQUIRE instead, which only record a failure (file, line, text) in a mutex-protected
// list; the main thread reports the recorded failures with BOOST_ERROR after every on_loop and
// await and when the fixture ends, so they still fail the test.
#pragma once

#include <wst/uv/runtime.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wst::test {

// Failures recorded off the main thread, waiting for the main thread to report them.
class loop_failures {
 public:
  struct failure {
    const char* file;
    int line;
    std::string text;
  };

  // The one list of the test program (tests run one at a time).
  static loop_failures& instance() {
    static loop_failures list;
    return list;
  }

  // Records a failure; `fatal` ones (WST_LOOP_REQUIRE) end the test at the next report.
  // Always returns false, so a check reads `cond ? true : record(...)`.
  bool record(const char* file, int line, std::string text, bool fatal) {
    std::lock_guard<std::mutex> g(m_);
    list_.push_back({file, line, std::move(text)});
    fatal_ |= fatal;
    return false;
  }

  // Takes the recorded failures; `fatal` tells whether one came from WST_LOOP_REQUIRE.
  std::vector<failure> take(bool& fatal) {
    std::lock_guard<std::mutex> g(m_);
    fatal = std::exchange(fatal_, false);
    return std::exchange(list_, {});
  }

 private:
  std::mutex m_;
  std::vector<failure> list_;
  bool fatal_ = false;
};

// Main thread only: reports every recorded failure with BOOST_ERROR. With `may_stop`, a failed
// WST_LOOP_REQUIRE then stops the test as BOOST_REQUIRE would (never from a destructor).
inline void report_loop_failures(bool may_stop = true) {
  bool fatal = false;
  for (const auto& f : loop_failures::instance().take(fatal))
    BOOST_ERROR("off the main thread, " << f.file << "(" << f.line << "): check " << f.text
                                        << " failed");
  if (fatal && may_stop) BOOST_FAIL("a WST_LOOP_REQUIRE failed off the main thread");
}

}  // namespace wst::test

// Checks `cond` on any thread; a failure is recorded for the main thread. Yields `cond` as bool.
#define WST_LOOP_CHECK(cond) \
  (static_cast<bool>(cond)   \
       ? true                \
       : ::wst::test::loop_failures::instance().record(__FILE__, __LINE__, #cond, false))

// For void callbacks: on failure records it and RETURNS from the enclosing function; the main
// thread's next report (on_loop, await) then stops the test.
#define WST_LOOP_REQUIRE(cond)   \
  if (static_cast<bool>(cond)) { \
  } else                         \
    return static_cast<void>(    \
        ::wst::test::loop_failures::instance().record(__FILE__, __LINE__, #cond, true))

namespace wst::test {

struct loop_fixture {
  detail::uv::loop_thread loop{detail::uv::loop_options{std::chrono::milliseconds(300)}};

  loop_fixture() { BOOST_REQUIRE(loop.start().has_value()); }
  ~loop_fixture() {
    auto r = loop.stop();  // joins the loop thread: every callback has finished
    report_loop_failures(false);
    BOOST_CHECK_MESSAGE(r.has_value(),
                        "loop not empty at the end: " << (r ? "" : r.error().describe()));
  }

  // Runs fn on the loop thread and waits for it; fn checks with WST_LOOP_CHECK/REQUIRE only.
  template <class Fn>
  void on_loop(Fn&& fn) {
    bool ran = loop.run_sync(std::forward<Fn>(fn));
    report_loop_failures();
    BOOST_REQUIRE(ran);
  }

  // Waits (at most 10 s) for a value the loop produces.
  template <class T>
  T await(std::future<T>& f, std::chrono::seconds limit = std::chrono::seconds(10)) {
    bool ready = f.wait_for(limit) == std::future_status::ready;
    report_loop_failures();
    BOOST_REQUIRE_MESSAGE(ready, "timed out waiting for the loop");
    return f.get();
  }
};

}  // namespace wst::test
