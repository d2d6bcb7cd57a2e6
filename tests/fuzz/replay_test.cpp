// Replays every committed fuzz input - the seed corpora in tests/fuzz/corpus/<target>/ and
// the crash regressions in tests/fuzz/regressions/<target>/ - through the same entry
// functions the libFuzzer targets call (entries/entries.hpp). Runs with any compiler, so CI
// catches a regression without clang; under the asan flavour it also catches memory errors.
#include "entries/entries.hpp"
#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <stdexcept>
#include <string>

namespace fuzz = wst::fuzz;

namespace {

struct invariant_broken : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_violation(const char* entry, const std::string& what) {
  throw invariant_broken(std::string(entry) + ": " + what);
}

// Installs the throwing handler for the duration of a test case.
struct throwing_handler {
  throwing_handler() { fuzz::set_violation_handler(&throw_violation); }
  ~throwing_handler() { fuzz::set_violation_handler(nullptr); }
};

struct replay_counts {
  std::size_t corpus = 0;
  std::size_t regressions = 0;
  std::size_t accepted = 0;
};

// Runs `entry` over corpus/<target>/* and regressions/<target>/*; each file that breaks an
// invariant is one failed check naming the file.
replay_counts replay(const std::string& target, bool (*entry)(std::string_view)) {
  throwing_handler handler;
  replay_counts n;
  for (const char* kind : {"corpus", "regressions"}) {
    const std::string dir = std::string(WST_FUZZ_DIR) + "/" + kind + "/" + target;
    for (const auto& name : wst::test::list_dir(dir)) {
      if (name == "README.md") continue;
      const std::string bytes = wst::test::read_file(dir + "/" + name);
      try {
        if (entry(bytes)) ++n.accepted;
      } catch (const invariant_broken& e) {
        BOOST_ERROR(dir + "/" + name + ": " + e.what());
      }
      ++(kind[0] == 'c' ? n.corpus : n.regressions);
    }
  }
  BOOST_TEST_MESSAGE(target << ": " << n.corpus << " corpus + " << n.regressions
                            << " regression inputs, " << n.accepted << " accepted");
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fuzz_replay)

// The minimum accepted counts keep the seeds honest: a seed corpus that no longer reaches the
// success path (a changed reader, a renamed shape) fails here instead of silently fuzzing
// only the error paths.
BOOST_AUTO_TEST_CASE(rstr_inputs) {
  const auto n = replay("rstr", &fuzz::rstr);
  BOOST_CHECK_GE(n.corpus, 30u);
  BOOST_CHECK_GE(n.accepted, 25u);
}

BOOST_AUTO_TEST_CASE(xml_inputs) {
  const auto n = replay("xml", &fuzz::xml);
  BOOST_CHECK_GE(n.corpus, 30u);
  BOOST_CHECK_GE(n.accepted, 30u);
}

BOOST_AUTO_TEST_CASE(http_response_inputs) {
  const auto n = replay("http_response", &fuzz::http_response);
  BOOST_CHECK_GE(n.corpus, 8u);
  BOOST_CHECK_GE(n.accepted, 6u);
}

BOOST_AUTO_TEST_CASE(http_request_inputs) {
  const auto n = replay("http_request", &fuzz::http_request);
  BOOST_CHECK_GE(n.corpus, 4u);
  BOOST_CHECK_GE(n.accepted, 3u);
}

BOOST_AUTO_TEST_CASE(capi_properties_inputs) {
  const auto n = replay("capi_properties", &fuzz::capi_properties);
  BOOST_CHECK_GE(n.corpus, 20u);
  BOOST_CHECK_GE(n.accepted, 10u);
}

// The replay mechanism itself: a broken invariant reaches the test as a failure.
BOOST_AUTO_TEST_CASE(violation_reaches_the_test) {
  throwing_handler handler;
  BOOST_CHECK_THROW(fuzz::violated("self-test", "deliberate"), invariant_broken);
}

// Every shape byte is a description start() accepts, and the shape names are distinct.
BOOST_AUTO_TEST_CASE(every_rstr_shape_starts) {
  throwing_handler handler;
  std::set<std::string> names;
  for (int b = 0; b < 256; ++b) {
    try {
      fuzz::rstr(std::string(1, static_cast<char>(b)) + "<x/>");
    } catch (const invariant_broken& e) {
      BOOST_ERROR("shape " << b << ": " << e.what());
    }
    names.insert(fuzz::describe_rstr_shape(static_cast<std::uint8_t>(b)));
  }
  BOOST_CHECK_EQUAL(names.size(), 256u);
}

BOOST_AUTO_TEST_SUITE_END()
