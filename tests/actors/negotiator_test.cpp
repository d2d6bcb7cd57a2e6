// The negotiator actor: one negotiation through a real channel (manual loop, in-memory STS),
// exactly one reply, cancellation and deadline, on the deterministic scheduler.
#include "deterministic_fixture.hpp"

#include <wst/actors/errors.hpp>
#include <wst/core/errors.hpp>
#include <wst/http/errc.hpp>
#include <wst/http/writer.hpp>

#include <boost/test/unit_test.hpp>

using namespace wst::test;
namespace actors = wst::detail::actors;
namespace core = wst::detail::core;
using wst::detail::memory::fault;
using wst::detail::memory::fault_kind;

namespace {

struct negotiator_fixture : deterministic_fixture {
  actors::channel_actor ch;

  negotiator_fixture() {
    ch = channel();
    auto st = call<actors::op_status>(ch, actors::open_atom::value);
    BOOST_REQUIRE(st.ok());
  }

  actors::negotiator_actor negotiator(actors::negotiation_job j = job()) {
    auto n = actors::spawn_negotiator(*sys, ch, std::move(j));
    spawned.push_back(n.address());
    return n;
  }

  std::shared_ptr<std::optional<actors::token_reply>> run(const actors::negotiator_actor& n) {
    return ask<actors::token_reply>(n, actors::run_atom::value);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(negotiator, negotiator_fixture)

BOOST_AUTO_TEST_CASE(a_negotiation_replies_with_the_issued_token) {
  auto r = call<actors::token_reply>(negotiator(), actors::run_atom::value);
  BOOST_REQUIRE_MESSAGE(r.ok(), describe(r.error));
  BOOST_TEST(r.token->xml.find("<saml:Assertion") == 0u);
  BOOST_TEST(r.token->token_type == "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1");
  BOOST_REQUIRE(r.token->valid_till.has_value());
  BOOST_TEST(r.token->valid_till->to_string() == "2024-05-01T13:00:00Z");
  BOOST_TEST((r.token->key == core::key_type::none));
  BOOST_TEST(sts.issued() == 1u);
}

BOOST_AUTO_TEST_CASE(an_sct_negotiation_carries_the_server_proof_key) {
  auto r = call<actors::token_reply>(negotiator(job("", true)), actors::run_atom::value);
  BOOST_REQUIRE_MESSAGE(r.ok(), describe(r.error));
  BOOST_TEST(!r.token->context_id.empty());
  BOOST_TEST((r.token->key == core::key_type::symmetric));
  BOOST_TEST(r.token->proof_key.size() == 32u);
}

BOOST_AUTO_TEST_CASE(an_invalid_description_fails_before_anything_is_sent) {
  auto j = job();
  j.description.key_size_bits = 13;
  auto r = call<actors::token_reply>(negotiator(std::move(j)), actors::run_atom::value);
  BOOST_TEST(r.error.code == core::errc::invalid_key_size, describe(r.error));
  BOOST_TEST(peer.requests() == 0u);
}

BOOST_AUTO_TEST_CASE(a_sender_fault_is_fault_received_a_receiver_fault_is_server_fault) {
  sts.fault_when([](const rst_info&) { return true; }, false);
  auto r = call<actors::token_reply>(negotiator(), actors::run_atom::value);
  BOOST_TEST(r.error.code == core::errc::fault_received, describe(r.error));
  BOOST_TEST(r.error.message.find("The canned STS refuses this request") != std::string::npos, r.error.message);
  sts.fault_when([](const rst_info&) { return true; }, true);
  r = call<actors::token_reply>(negotiator(), actors::run_atom::value);
  BOOST_TEST(r.error.code == actors::errc::server_fault, describe(r.error));
  BOOST_TEST(r.error.message.find("Receiver") != std::string::npos, r.error.message);
  BOOST_TEST(state_of(ch) == actors::channel_state::open);
}

BOOST_AUTO_TEST_CASE(an_error_status_without_soap_reports_the_status) {
  wst::detail::memory::peer broken([](std::string_view) {
    return wst::detail::http::write_response(500, "Internal Server Error", "text/html", "<html>oops</html>");
  });
  BOOST_REQUIRE(!schemes.add("broken", broken.transport()));
  auto bad = channel(settings("broken://sts.test/"));
  BOOST_REQUIRE(call<actors::op_status>(bad, actors::open_atom::value).ok());
  auto n = actors::spawn_negotiator(*sys, bad, job());
  spawned.push_back(n.address());
  auto r = call<actors::token_reply>(n, actors::run_atom::value);
  BOOST_TEST(r.error.code == wst::detail::http::errc::unexpected_status, describe(r.error));
  BOOST_TEST(r.error.message.find("HTTP 500") != std::string::npos, r.error.message);
}

BOOST_AUTO_TEST_CASE(run_replies_once_and_a_second_run_is_refused) {
  peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(10)});
  auto n = negotiator();
  auto first = run(n);
  auto second = run(n);
  settle();
  BOOST_REQUIRE(second->has_value());
  BOOST_TEST((*second)->error.code == actors::errc::invalid_state);
  BOOST_TEST(!first->has_value());
  loop.advance(std::chrono::milliseconds(10));
  settle();
  BOOST_REQUIRE(first->has_value());
  BOOST_TEST((*first)->ok(), describe((*first)->error));
}

BOOST_AUTO_TEST_CASE(cancel_while_in_flight_replies_aborted_and_cancels_the_channel_request) {
  peer.default_fault(fault{fault_kind::stall});
  auto n = negotiator();
  auto r = run(n);
  settle();
  BOOST_TEST(peer.requests() == 1u);
  caf::anon_send(n, actors::cancel_atom::value);
  settle();
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == actors::errc::aborted);
  // The channel has nothing left in flight: a close completes at once.
  auto closed = call<actors::op_status>(ch, actors::close_atom::value);
  BOOST_TEST(closed.ok(), describe(closed.error));
}

BOOST_AUTO_TEST_CASE(cancel_before_run_makes_run_reply_aborted_without_sending) {
  auto n = negotiator();
  caf::anon_send(n, actors::cancel_atom::value);
  settle();
  auto r = call<actors::token_reply>(n, actors::run_atom::value);
  BOOST_TEST(r.error.code == actors::errc::aborted);
  BOOST_TEST(peer.requests() == 0u);
}

BOOST_AUTO_TEST_CASE(the_deadline_ends_a_negotiation_with_timed_out) {
  peer.default_fault(fault{fault_kind::stall});
  auto j = job();
  j.deadline = std::chrono::milliseconds(3000);
  auto r = run(negotiator(std::move(j)));
  settle();
  advance(std::chrono::milliseconds(2999));
  BOOST_TEST(!r->has_value());
  advance(std::chrono::milliseconds(1));
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == actors::errc::timed_out);
  BOOST_TEST((*r)->error.message.find("3000 ms") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_channel_that_stops_fails_the_negotiation) {
  peer.default_fault(fault{fault_kind::stall});
  auto r = run(negotiator());
  settle();
  caf::anon_send_exit(ch, caf::exit_reason::user_shutdown);
  settle();
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == actors::errc::shutting_down, describe((*r)->error));
}

BOOST_AUTO_TEST_CASE(a_dead_channel_fails_the_negotiation_with_aborted) {
  auto dead = channel();
  caf::anon_send_exit(dead, caf::exit_reason::user_shutdown);
  settle();
  auto n = actors::spawn_negotiator(*sys, dead, job());
  spawned.push_back(n.address());
  auto r = call<actors::token_reply>(n, actors::run_atom::value);
  BOOST_TEST(r.error.code == actors::errc::aborted, describe(r.error));
  BOOST_TEST(r.error.message.find("channel is gone") != std::string::npos, r.error.message);
}

BOOST_AUTO_TEST_CASE(a_transport_failure_passes_through_and_faults_the_channel) {
  peer.fault_for_request(1, fault{fault_kind::garbage});
  auto r = call<actors::token_reply>(negotiator(), actors::run_atom::value);
  BOOST_TEST(r.error.code == wst::detail::http::errc::malformed, describe(r.error));
  BOOST_TEST(state_of(ch) == actors::channel_state::faulted);
}

BOOST_AUTO_TEST_SUITE_END()
