// The runtime with real threads: lazy start, clean stop, and many negotiations on one channel
// over the memory transport and over loopback HTTP - all succeeding, an abort in the middle
// failing exactly the ones in flight, a shutdown completing every one with an error.
#include "canned_sts.hpp"
#include "loopback_sts.hpp"

#include <wst/actors/errors.hpp>
#include <wst/actors/interfaces.hpp>
#include <wst/actors/runtime.hpp>
#include <wst/memory/peer.hpp>
#include <wst/transport.hpp>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace wst::test;
namespace actors = wst::detail::actors;
namespace core = wst::detail::core;
using wst::detail::failure;
using wst::detail::memory::fault;
using wst::detail::memory::fault_kind;

namespace {

// Collects the replies of many negotiations, from whatever threads deliver them.
struct collector {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<actors::token_reply> replies;

  void add(actors::token_reply r) {
    std::lock_guard<std::mutex> lock(mu);
    replies.push_back(std::move(r));
    cv.notify_all();
  }
  bool wait_for(std::size_t n, std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, limit, [&] { return replies.size() >= n; });
  }
  std::size_t size() {
    std::lock_guard<std::mutex> lock(mu);
    return replies.size();
  }
  template <class Pred>
  std::size_t count(Pred p) {
    std::lock_guard<std::mutex> lock(mu);
    return static_cast<std::size_t>(std::count_if(replies.begin(), replies.end(), p));
  }
  std::string first_error() {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& r : replies)
      if (!r.ok()) return r.error.describe();
    return "none";
  }
};

// Waits (polling, bounded) until `pred` holds.
template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = std::chrono::seconds(30)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

actors::negotiation_job bearer_job(const std::string& sts_url) {
  actors::negotiation_job j;
  j.description.sts_address = sts_url;
  j.description.trust = core::trust_version::v1_3;
  j.description.applies_to = "https://rp.test/app";
  j.description.key = core::key_type::none;
  return j;
}

// A sink that hands its one answer to a collector (and counts a second one as a bug).
class collecting_sink final : public actors::token_sink {
 public:
  explicit collecting_sink(std::shared_ptr<collector> c) : c_(std::move(c)) {}
  ~collecting_sink() override {
    if (!answered_) c_->add(actors::token_reply{failure(actors::errc::actor_down, "dropped unanswered"), nullptr});
  }
  void deliver(actors::token_reply r) noexcept override {
    // A second answer shows up as one reply too many (Boost.Test is not for other threads).
    if (answered_) r = actors::token_reply{failure(actors::errc::invalid_state, "answered twice"), nullptr};
    answered_ = true;
    c_->add(std::move(r));
  }

 private:
  std::shared_ptr<collector> c_;
  bool answered_ = false;
};

// One negotiation on the channel (from this thread, as wst::client does) whose answer lands
// in `c`.
void negotiate(caf::actor_system&, const actors::channel_actor& ch, const actors::negotiation_job& job,
               const std::shared_ptr<collector>& c) {
  caf::anon_send(ch, actors::run_atom::value, actors::next_ticket(), job,
                 actors::token_sink_ptr(std::make_shared<collecting_sink>(c)));
}

actors::op_status ask_op(caf::actor_system& sys, const actors::channel_actor& ch, caf::atom_value which) {
  caf::scoped_actor self{sys};
  actors::op_status out{failure(actors::errc::actor_down, "no reply")};
  auto on_reply = [&](actors::op_status& s) { out = std::move(s); };
  auto on_error = [&](caf::error&) {};
  if (which == actors::open_atom::value)
    self->request(ch, caf::infinite, actors::open_atom::value).receive(on_reply, on_error);
  else
    self->request(ch, caf::infinite, actors::abort_atom::value).receive(on_reply, on_error);
  return out;
}

// A started runtime with one channel to `url`, plus a memory STS peer under `scheme`.
struct runtime_fixture {
  canned_sts sts;
  wst::detail::memory::peer peer{[this](std::string_view req) { return sts.http_reply(req); }};
  std::string scheme;
  actors::runtime rt{actors::runtime_options{4, 1, std::chrono::milliseconds(2000)}};
  std::shared_ptr<actors::channel_observer> observer = std::make_shared<actors::channel_observer>();
  actors::channel_actor ch;

  // The runtime starts in open(): the peer is configured before its loop thread exists.
  explicit runtime_fixture(std::string s = "memrt") : scheme(std::move(s)) {
    BOOST_REQUIRE(!wst::register_transport(scheme, peer.transport()));
  }
  ~runtime_fixture() {
    ch = actors::channel_actor{};
    BOOST_CHECK(rt.stop().has_value());
    wst::unregister_transport(scheme);
  }

  void open(const std::string& url, std::size_t max_connections = 16) {
    BOOST_REQUIRE(rt.start().has_value());
    actors::channel_settings s;
    s.url = url;
    s.max_connections = max_connections;
    ch = actors::spawn_channel(rt.system(), rt.next_site(), s, observer);
    rt.track(ch.address());
    auto st = ask_op(rt.system(), ch, actors::open_atom::value);
    BOOST_REQUIRE_MESSAGE(st.ok(), st.error.describe());
  }

  std::string mem_url() const { return scheme + "://sts.test/trust"; }
};

bool is_ok(const actors::token_reply& r) { return r.ok(); }

// ThreadSanitizer slows CAF down by two orders of magnitude: a tenth of the load there.
#ifdef WST_TEST_UNDER_TSAN
constexpr std::size_t scale = 10;
#else
constexpr std::size_t scale = 1;
#endif
constexpr std::size_t many = 1000 / scale;

}  // namespace

BOOST_AUTO_TEST_SUITE(runtime)

BOOST_AUTO_TEST_CASE(starts_lazily_and_stops_once) {
  actors::runtime rt;
  BOOST_TEST(!rt.running());
  BOOST_TEST(rt.start().has_value());
  BOOST_TEST(rt.running());
  BOOST_TEST(rt.start().has_value());  // idempotent
  BOOST_TEST(rt.stop().has_value());
  BOOST_TEST(!rt.running());
  BOOST_TEST(rt.stop().has_value());
  auto again = rt.start();
  BOOST_REQUIRE(!again.has_value());
  BOOST_TEST(again.error().code == actors::errc::shutting_down);
}

BOOST_AUTO_TEST_CASE(a_runtime_that_never_started_stops_at_once) {
  actors::runtime rt;
  BOOST_TEST(rt.stop().has_value());
}

BOOST_AUTO_TEST_CASE(a_thousand_negotiations_on_one_channel_over_the_memory_transport) {
  runtime_fixture f("memrt1");
  f.open(f.mem_url());
  auto c = std::make_shared<collector>();
  const auto job = bearer_job(f.mem_url());
  for (std::size_t i = 0; i < many; ++i) negotiate(f.rt.system(), f.ch, job, c);
  BOOST_REQUIRE(c->wait_for(many));
  BOOST_TEST(c->count(is_ok) == many, c->first_error());
  BOOST_TEST(f.sts.issued() == many);
  BOOST_TEST((f.observer->state() == actors::channel_state::open));
  BOOST_TEST(f.observer->in_flight() == 0u);
  f.ch = actors::channel_actor{};
  BOOST_REQUIRE(f.rt.stop().has_value());
  BOOST_TEST(f.peer.requests() == many);    // the loop has stopped: safe to read
  BOOST_TEST(f.peer.connections() <= 16u);  // spread over the pool, never beyond it
  BOOST_TEST(f.peer.open_streams() == 0u);
}

BOOST_AUTO_TEST_CASE(a_thousand_negotiations_on_one_channel_over_loopback_http) {
  runtime_fixture f("memrt2");
  loopback_sts server(f.sts);
  f.open(server.url());
  auto c = std::make_shared<collector>();
  const auto job = bearer_job(server.url());
  for (std::size_t i = 0; i < many; ++i) negotiate(f.rt.system(), f.ch, job, c);
  BOOST_REQUIRE(c->wait_for(many));
  BOOST_TEST(c->count(is_ok) == many, c->first_error());
  BOOST_TEST(server.requests() == many);
}

namespace {

// 1000 negotiations; the STS answers the first 500 and holds the rest; once those 500 are
// answered and the other 500 are in flight, the channel is aborted.
constexpr std::size_t half = many / 2;

void abort_in_the_middle(runtime_fixture& f, const std::string& url, const std::function<void()>& hold) {
  hold();
  f.open(url);
  auto c = std::make_shared<collector>();
  const auto job = bearer_job(url);
  for (std::size_t i = 0; i < many; ++i) negotiate(f.rt.system(), f.ch, job, c);
  BOOST_REQUIRE(c->wait_for(half));
  BOOST_REQUIRE(eventually([&] { return f.observer->in_flight() == half; }));
  BOOST_TEST(c->size() == half);
  BOOST_TEST(c->count(is_ok) == half, c->first_error());
  BOOST_TEST(ask_op(f.rt.system(), f.ch, actors::abort_atom::value).ok());
  BOOST_REQUIRE(c->wait_for(many));
  BOOST_TEST(c->count(is_ok) == half);
  BOOST_TEST(c->count([](const actors::token_reply& r) { return r.error.code == actors::errc::aborted; }) == half);
  BOOST_TEST((f.observer->state() == actors::channel_state::faulted));
  BOOST_TEST(f.observer->in_flight() == 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_abort_in_the_middle_fails_exactly_the_requests_in_flight_memory) {
  runtime_fixture f("memrt3");
  abort_in_the_middle(f, f.mem_url(), [&] {
    f.peer.default_fault(fault{fault_kind::stall});
    for (std::size_t i = 1; i <= half; ++i) f.peer.fault_for_request(i, fault{});
  });
}

BOOST_AUTO_TEST_CASE(an_abort_in_the_middle_fails_exactly_the_requests_in_flight_http) {
  runtime_fixture f("memrt4");
  loopback_sts server(f.sts);
  abort_in_the_middle(f, server.url(), [&] { server.hold_after(half); });
  f.ch = actors::channel_actor{};
  BOOST_REQUIRE(f.rt.stop().has_value());
}

namespace {

void shutdown_in_flight(runtime_fixture& f, const std::string& url) {
  f.open(url);
  auto c = std::make_shared<collector>();
  const auto job = bearer_job(url);
  const std::size_t n = 300 / scale;
  for (std::size_t i = 0; i < n; ++i) negotiate(f.rt.system(), f.ch, job, c);
  BOOST_REQUIRE(eventually([&] { return f.observer->in_flight() == n; }));
  BOOST_TEST(c->size() == 0u);
  f.ch = actors::channel_actor{};
  const auto started = std::chrono::steady_clock::now();
  BOOST_TEST(f.rt.stop().has_value());
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(30)));
  // stop() returned only after every negotiation had answered - each with an error.
  BOOST_TEST(c->size() == n);
  BOOST_TEST(c->count([](const actors::token_reply& r) { return r.error.code == actors::errc::shutting_down; }) == n,
             c->first_error());
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_shutdown_with_negotiations_in_flight_completes_every_one_with_an_error_memory) {
  runtime_fixture f("memrt5");
  f.peer.default_fault(fault{fault_kind::stall});
  shutdown_in_flight(f, f.mem_url());
  BOOST_TEST(f.peer.open_streams() == 0u);
}

BOOST_AUTO_TEST_CASE(a_shutdown_with_negotiations_in_flight_completes_every_one_with_an_error_http) {
  runtime_fixture f("memrt6");
  loopback_sts server(f.sts);
  server.hold_after(0);
  shutdown_in_flight(f, server.url());
}

BOOST_AUTO_TEST_SUITE_END()
