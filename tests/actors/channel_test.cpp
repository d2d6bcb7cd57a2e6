// The channel actor's WWSAPI state machine, on the deterministic scheduler with a manual loop
// and the in-memory STS peer.
#include "deterministic_fixture.hpp"

#include <wst/actors/errors.hpp>
#include <wst/http/writer.hpp>
#include <wst/memory/peer.hpp>

#include <boost/test/unit_test.hpp>

using namespace wst::test;
namespace actors = wst::detail::actors;
using actors::channel_state;
using wst::detail::memory::fault;
using wst::detail::memory::fault_kind;

namespace {

using reply_slot = std::shared_ptr<std::optional<actors::soap_reply>>;

reply_slot send(deterministic_fixture& f, const actors::channel_actor& ch, std::uint64_t ticket) {
  return f.ask<actors::soap_reply>(ch, actors::send_atom::value, ticket, deterministic_fixture::soap());
}

template <class Atom>
actors::op_status op(deterministic_fixture& f, const actors::channel_actor& ch, Atom atom) {
  return f.call<actors::op_status>(ch, atom);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(channel, deterministic_fixture)

BOOST_AUTO_TEST_CASE(open_moves_created_to_open_and_publishes_each_state) {
  auto obs = std::make_shared<actors::channel_observer>();
  auto ch = channel(settings(), obs);
  BOOST_TEST(state_of(ch) == channel_state::created);
  auto opened = ask<actors::op_status>(ch, actors::open_atom::value);
  sched->run();  // the actor ran, the loop did not: still opening
  BOOST_TEST(obs->state() == channel_state::opening);
  BOOST_TEST(!opened->has_value());
  settle();
  BOOST_REQUIRE(opened->has_value());
  BOOST_TEST((*opened)->ok(), describe((*opened)->error));
  BOOST_TEST(state_of(ch) == channel_state::open);
  BOOST_TEST(obs->state() == channel_state::open);

  auto again = op(*this, ch, actors::open_atom::value);
  BOOST_TEST(again.error.code == actors::errc::invalid_state);
  BOOST_TEST(again.error.message.find("open") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(requests_need_an_open_channel) {
  auto ch = channel();
  auto r = call<actors::soap_reply>(ch, actors::send_atom::value, std::uint64_t{1}, soap());
  BOOST_TEST(r.error.code == actors::errc::invalid_state);
  BOOST_TEST(op(*this, ch, actors::close_atom::value).error.code == actors::errc::invalid_state);
  BOOST_TEST(peer.requests() == 0u);
}

BOOST_AUTO_TEST_CASE(a_request_sent_while_opening_waits_for_the_open) {
  auto ch = channel();
  auto opened = ask<actors::op_status>(ch, actors::open_atom::value);
  auto r = send(*this, ch, 7);
  settle();
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->ok(), describe((*r)->error));
  BOOST_TEST((*r)->response.status == 200);
  BOOST_TEST(peer.requests() == 1u);
}

BOOST_AUTO_TEST_CASE(an_open_that_fails_faults_the_channel_and_its_waiting_requests) {
  auto ch = channel(settings("nosuchscheme://sts.test/"));
  auto opened = ask<actors::op_status>(ch, actors::open_atom::value);
  auto r = send(*this, ch, 1);
  settle();
  BOOST_REQUIRE(opened->has_value());
  BOOST_TEST((*opened)->error.code == wst::transport_errc::invalid_url, describe((*opened)->error));
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == wst::transport_errc::invalid_url);
  BOOST_TEST(state_of(ch) == channel_state::faulted);
  // Later requests learn the open's own failure.
  auto later = call<actors::soap_reply>(ch, actors::send_atom::value, std::uint64_t{2}, soap());
  BOOST_TEST(later.error.code == wst::transport_errc::invalid_url);
  BOOST_TEST(later.error.message.find("could not open") != std::string::npos, later.error.message);
  // A faulted channel still closes and resets.
  BOOST_TEST(op(*this, ch, actors::close_atom::value).ok());
  BOOST_TEST(state_of(ch) == channel_state::closed);
}

BOOST_AUTO_TEST_CASE(an_https_channel_with_an_unreadable_ca_file_faults_on_open) {
  auto s = settings("https://sts.test/trust");
  s.tls.trusted_ca.file = "/nonexistent/wst-ca.pem";
  auto ch = channel(s);
  auto st = op(*this, ch, actors::open_atom::value);
  BOOST_TEST(st.error.code == wst::detail::tls::errc::file_unreadable, describe(st.error));
  BOOST_TEST(state_of(ch) == channel_state::faulted);
}

BOOST_AUTO_TEST_CASE(close_waits_for_requests_in_flight_then_closes) {
  peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(200)});
  auto ch = channel();
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  std::vector<reply_slot> rs;
  for (std::uint64_t t = 1; t <= 3; ++t) rs.push_back(send(*this, ch, t));
  settle();
  auto closed = ask<actors::op_status>(ch, actors::close_atom::value);
  settle();
  BOOST_TEST(state_of(ch) == channel_state::closing);
  BOOST_TEST(!closed->has_value());
  // New requests are refused while closing.
  auto refused = call<actors::soap_reply>(ch, actors::send_atom::value, std::uint64_t{9}, soap());
  BOOST_TEST(refused.error.code == actors::errc::invalid_state);
  loop.advance(std::chrono::milliseconds(200));
  settle();
  for (auto& r : rs) {
    BOOST_REQUIRE(r->has_value());
    BOOST_TEST((*r)->ok(), describe((*r)->error));
  }
  BOOST_REQUIRE(closed->has_value());
  BOOST_TEST((*closed)->ok(), describe((*closed)->error));
  BOOST_TEST(state_of(ch) == channel_state::closed);
  BOOST_TEST(peer.open_streams() == 0u);
}

BOOST_AUTO_TEST_CASE(close_aborts_what_is_left_after_the_close_timeout) {
  peer.default_fault(fault{fault_kind::stall});
  auto s = settings();
  s.time.close = std::chrono::milliseconds(5000);
  auto ch = channel(s);
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  auto r1 = send(*this, ch, 1);
  auto r2 = send(*this, ch, 2);
  settle();
  auto closed = ask<actors::op_status>(ch, actors::close_atom::value);
  settle();
  advance(std::chrono::milliseconds(4999));
  BOOST_TEST(!r1->has_value());
  BOOST_TEST(!closed->has_value());
  BOOST_TEST(state_of(ch) == channel_state::closing);
  advance(std::chrono::milliseconds(1));
  BOOST_REQUIRE(r1->has_value());
  BOOST_REQUIRE(r2->has_value());
  BOOST_TEST((*r1)->error.code == actors::errc::aborted);
  BOOST_TEST((*r2)->error.code == actors::errc::aborted);
  BOOST_REQUIRE(closed->has_value());
  BOOST_TEST((*closed)->error.code == wst::transport_errc::timed_out);
  BOOST_TEST((*closed)->error.message.find("2 request(s)") != std::string::npos, (*closed)->error.message);
  BOOST_TEST(state_of(ch) == channel_state::closed);
}

BOOST_AUTO_TEST_CASE(abort_fails_every_request_in_flight_at_once_and_faults_an_open_channel) {
  peer.default_fault(fault{fault_kind::stall});
  auto s = settings();
  s.max_connections = 2;  // two on the wire, the rest queued in the pool
  auto ch = channel(s);
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  std::vector<reply_slot> rs;
  for (std::uint64_t t = 1; t <= 10; ++t) rs.push_back(send(*this, ch, t));
  settle();
  for (auto& r : rs) BOOST_TEST(!r->has_value());
  BOOST_TEST(op(*this, ch, actors::abort_atom::value).ok());
  for (auto& r : rs) {
    BOOST_REQUIRE(r->has_value());
    BOOST_TEST((*r)->error.code == actors::errc::aborted);
  }
  BOOST_TEST(state_of(ch) == channel_state::faulted);
  BOOST_TEST(op(*this, ch, actors::close_atom::value).ok());
  BOOST_TEST(state_of(ch) == channel_state::closed);
  BOOST_TEST(peer.open_streams() == 0u);
  // closed -> reset -> created -> open works again.
  BOOST_TEST(op(*this, ch, actors::reset_atom::value).ok());
  BOOST_TEST(state_of(ch) == channel_state::created);
  peer.default_fault(fault{});
  BOOST_TEST(op(*this, ch, actors::open_atom::value).ok());
  auto r = call<actors::soap_reply>(ch, actors::send_atom::value, std::uint64_t{1}, soap());
  BOOST_TEST(r.ok(), describe(r.error));
}

BOOST_AUTO_TEST_CASE(abort_while_closing_ends_the_close_with_aborted) {
  peer.default_fault(fault{fault_kind::stall});
  auto ch = channel();
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  auto r = send(*this, ch, 1);
  settle();
  auto closed = ask<actors::op_status>(ch, actors::close_atom::value);
  settle();
  BOOST_TEST(op(*this, ch, actors::abort_atom::value).ok());
  BOOST_REQUIRE(closed->has_value());
  BOOST_TEST((*closed)->error.code == actors::errc::aborted);
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == actors::errc::aborted);
  BOOST_TEST(state_of(ch) == channel_state::closed);
}

BOOST_AUTO_TEST_CASE(abort_in_created_or_closed_changes_nothing) {
  auto ch = channel();
  BOOST_TEST(op(*this, ch, actors::abort_atom::value).ok());
  BOOST_TEST(state_of(ch) == channel_state::created);
  BOOST_TEST(op(*this, ch, actors::reset_atom::value).ok());
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  BOOST_TEST(op(*this, ch, actors::reset_atom::value).error.code == actors::errc::invalid_state);
  BOOST_TEST(op(*this, ch, actors::close_atom::value).ok());
  BOOST_TEST(op(*this, ch, actors::abort_atom::value).ok());
  BOOST_TEST(state_of(ch) == channel_state::closed);
  BOOST_TEST(op(*this, ch, actors::open_atom::value).error.code == actors::errc::invalid_state);
}

BOOST_AUTO_TEST_CASE(a_connection_reset_faults_the_channel_but_not_the_other_requests) {
  peer.fault_for_request(1, fault{fault_kind::reset_before_headers});
  peer.fault_for_request(2, fault{fault_kind::delay, std::chrono::milliseconds(50)});
  auto obs = std::make_shared<actors::channel_observer>();
  auto ch = channel(settings(), obs);
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  auto r1 = send(*this, ch, 1);
  auto r2 = send(*this, ch, 2);
  settle();
  BOOST_REQUIRE(r1->has_value());
  BOOST_TEST((*r1)->error.code == wst::transport_errc::connection_reset, describe((*r1)->error));
  BOOST_TEST(obs->state() == channel_state::faulted);
  auto r3 = call<actors::soap_reply>(ch, actors::send_atom::value, std::uint64_t{3}, soap());
  BOOST_TEST(r3.error.code == actors::errc::channel_faulted);
  BOOST_TEST(r3.error.message.find("connection reset") != std::string::npos, r3.error.message);
  loop.advance(std::chrono::milliseconds(50));
  settle();
  BOOST_REQUIRE(r2->has_value());
  BOOST_TEST((*r2)->ok(), describe((*r2)->error));
}

BOOST_AUTO_TEST_CASE(an_http_error_status_does_not_fault_the_channel) {
  wst::detail::memory::peer notfound([](std::string_view) {
    return wst::detail::http::write_response(404, "Not Found", "text/plain", "nothing here");
  });
  BOOST_REQUIRE(!schemes.add("nf", notfound.transport()));
  auto ch = channel(settings("nf://sts.test/"));
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  auto r = call<actors::soap_reply>(ch, actors::send_atom::value, std::uint64_t{1}, soap());
  BOOST_TEST(r.error.code == wst::detail::http::errc::endpoint_not_found, describe(r.error));
  BOOST_TEST(state_of(ch) == channel_state::open);
  BOOST_TEST(op(*this, ch, actors::close_atom::value).ok());
}

BOOST_AUTO_TEST_CASE(cancel_ends_one_request_and_leaves_the_others) {
  peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(100)});
  auto ch = channel();
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  auto r1 = send(*this, ch, 1);
  auto r2 = send(*this, ch, 2);
  settle();
  caf::anon_send(ch, actors::cancel_atom::value, std::uint64_t{1});
  settle();
  BOOST_REQUIRE(r1->has_value());
  BOOST_TEST((*r1)->error.code == actors::errc::aborted);
  BOOST_TEST(!r2->has_value());
  loop.advance(std::chrono::milliseconds(100));
  settle();
  BOOST_REQUIRE(r2->has_value());
  BOOST_TEST((*r2)->ok(), describe((*r2)->error));
  // Unknown tickets are ignored; a ticket in flight cannot be used twice.
  caf::anon_send(ch, actors::cancel_atom::value, std::uint64_t{99});
  auto a = send(*this, ch, 5);
  auto b = send(*this, ch, 5);
  settle();
  BOOST_REQUIRE(b->has_value());
  BOOST_TEST((*b)->error.code == actors::errc::invalid_state);
  loop.advance(std::chrono::milliseconds(100));
  settle();
  BOOST_REQUIRE(a->has_value());
  BOOST_TEST((*a)->ok());
}

BOOST_AUTO_TEST_CASE(many_requests_in_flight_spread_over_the_pool) {
  peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(10)});
  auto s = settings();
  s.max_connections = 4;
  auto ch = channel(s);
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  std::vector<reply_slot> rs;
  for (std::uint64_t t = 1; t <= 50; ++t) rs.push_back(send(*this, ch, t));
  settle();
  BOOST_TEST(peer.connections() == 4u);  // all four opened at once, the rest queued
  for (int i = 0; i < 20; ++i) loop.advance(std::chrono::milliseconds(10)), settle();
  for (auto& r : rs) {
    BOOST_REQUIRE(r->has_value());
    BOOST_TEST((*r)->ok(), describe((*r)->error));
  }
  BOOST_TEST(peer.requests() == 50u);
  BOOST_TEST(peer.connections() == 4u);
}

BOOST_AUTO_TEST_CASE(stopping_the_channel_completes_everything_with_shutting_down) {
  peer.default_fault(fault{fault_kind::stall});
  auto obs = std::make_shared<actors::channel_observer>();
  auto ch = channel(settings(), obs);
  BOOST_REQUIRE(op(*this, ch, actors::open_atom::value).ok());
  auto r = send(*this, ch, 1);
  settle();
  caf::anon_send_exit(ch, caf::exit_reason::user_shutdown);
  settle();
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == actors::errc::shutting_down);
  BOOST_TEST(obs->state() == channel_state::closed);
  loop.advance(std::chrono::seconds(10));
  BOOST_TEST(peer.open_streams() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
