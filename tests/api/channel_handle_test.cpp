// The CAF-free engine and channel handles (wst/api/channel.hpp) the C facade builds on.
#include "canned_sts.hpp"

#include <wst/actors/errors.hpp>
#include <wst/api/channel.hpp>
#include <wst/memory/peer.hpp>
#include <wst/transport.hpp>

#include <boost/test/unit_test.hpp>

#include <future>
#include <thread>

using namespace wst::test;
namespace actors = wst::detail::actors;
namespace api = wst::detail::api;
namespace core = wst::detail::core;
using wst::detail::memory::fault;
using wst::detail::memory::fault_kind;

namespace {

struct handle_fixture {
  canned_sts sts;
  wst::detail::memory::peer peer{[this](std::string_view req) { return sts.http_reply(req); }};
  std::string scheme;
  std::shared_ptr<api::engine> engine = api::engine::create(actors::runtime_options{2, 1, std::chrono::milliseconds(2000)});

  explicit handle_fixture(std::string s = "memh") : scheme(std::move(s)) {
    BOOST_REQUIRE(!wst::register_transport(scheme, peer.transport()));
  }
  ~handle_fixture() {
    engine.reset();
    wst::unregister_transport(scheme);
  }

  std::shared_ptr<api::channel> channel() {
    actors::channel_settings s;
    s.url = scheme + "://sts.test/trust";
    return api::channel::create(engine, s);
  }

  actors::negotiation_job job() const {
    actors::negotiation_job j;
    j.description.sts_address = scheme + "://sts.test/trust";
    j.description.trust = core::trust_version::v1_3;
    j.description.applies_to = "https://rp.test/app";
    j.description.key = core::key_type::none;
    return j;
  }

  static actors::op_status wait(const std::function<void(api::channel::status_handler)>& op) {
    std::promise<actors::op_status> p;
    op([&](actors::op_status s) { p.set_value(std::move(s)); });
    return p.get_future().get();
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(channel_handle)

BOOST_AUTO_TEST_CASE(open_negotiate_close) {
  handle_fixture f("memh1");
  auto ch = f.channel();
  BOOST_TEST((ch->state() == actors::channel_state::created));
  auto opened = f.wait([&](auto done) { ch->open(done); });
  BOOST_TEST(opened.ok(), opened.error.describe());
  BOOST_TEST((ch->state() == actors::channel_state::open));
  std::promise<actors::token_reply> p;
  ch->request_token(f.job(), [&](actors::token_reply r) {
    BOOST_TEST(api::in_completion());
    p.set_value(std::move(r));
  });
  auto r = p.get_future().get();
  BOOST_REQUIRE_MESSAGE(r.ok(), r.error.describe());
  BOOST_TEST(r.token->xml.find("saml:Assertion") != std::string::npos);
  BOOST_TEST(!api::in_completion());
  BOOST_TEST(f.wait([&](auto done) { ch->close(done); }).ok());
  BOOST_TEST((ch->state() == actors::channel_state::closed));
  BOOST_TEST(f.wait([&](auto done) { ch->reset(done); }).ok());
  BOOST_TEST((ch->state() == actors::channel_state::created));
}

BOOST_AUTO_TEST_CASE(cancel_abort_and_destruction_complete_what_is_in_flight) {
  handle_fixture f("memh2");
  f.peer.default_fault(fault{fault_kind::stall});
  auto ch = f.channel();
  BOOST_REQUIRE(f.wait([&](auto done) { ch->open(done); }).ok());
  std::promise<actors::token_reply> cancelled, aborted, stopped;
  auto cancel = ch->request_token(f.job(), [&](actors::token_reply r) { cancelled.set_value(std::move(r)); });
  cancel();
  BOOST_TEST(cancelled.get_future().get().error.code == actors::errc::aborted);
  cancel();  // after the end: nothing happens

  // A channel of its own, so no message of the cancelled request can still be on its way.
  auto victim = f.channel();
  BOOST_REQUIRE(f.wait([&](auto done) { victim->open(done); }).ok());
  victim->request_token(f.job(), [&](actors::token_reply r) { aborted.set_value(std::move(r)); });
  for (int i = 0; i < 1000 && victim->in_flight() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  BOOST_REQUIRE(victim->in_flight() == 1u);
  BOOST_TEST(f.wait([&](auto done) { victim->abort(done); }).ok());
  BOOST_TEST(aborted.get_future().get().error.code == actors::errc::aborted);
  BOOST_TEST((victim->state() == actors::channel_state::faulted));

  auto other = f.channel();
  BOOST_REQUIRE(f.wait([&](auto done) { other->open(done); }).ok());
  other->request_token(f.job(), [&](actors::token_reply r) { stopped.set_value(std::move(r)); });
  for (int i = 0; i < 1000 && other->in_flight() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  BOOST_REQUIRE(other->in_flight() == 1u);
  other.reset();  // the channel actor stops: its request completes
  BOOST_TEST(stopped.get_future().get().error.code == actors::errc::shutting_down);
}

BOOST_AUTO_TEST_CASE(the_last_engine_reference_dropped_inside_a_completion_does_not_deadlock) {
  handle_fixture f("memh3");
  auto ch = f.channel();
  std::promise<void> done;
  auto holder = std::make_shared<std::shared_ptr<api::channel>>(ch);
  ch.reset();
  f.engine.reset();  // the channel holds the last engine reference now
  (*holder)->open([holder, &done](actors::op_status) {
    holder->reset();  // drops the channel and with it the engine, on a runtime thread
    done.set_value();
  });
  BOOST_TEST((done.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready));
}

BOOST_AUTO_TEST_CASE(the_shared_engine_is_one_while_referenced) {
  auto a = api::engine::shared();
  auto b = api::engine::shared();
  BOOST_TEST(a == b);
  BOOST_TEST(a->start().has_value());
}

BOOST_AUTO_TEST_SUITE_END()
