// Negotiations run by the channel actor: one negotiation through a real channel (manual loop,
// in-memory STS), exactly one answer - to a requesting actor or to a sink - cancellation,
// deadline, shutdown, on the deterministic scheduler.
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

// A sink that records every answer it gets, and whether it was dropped unanswered.
struct recording_sink final : actors::token_sink {
  std::shared_ptr<std::vector<actors::token_reply>> answers = std::make_shared<std::vector<actors::token_reply>>();
  std::shared_ptr<bool> dropped = std::make_shared<bool>(false);
  ~recording_sink() override {
    if (answers->empty()) *dropped = true;
  }
  void deliver(actors::token_reply r) noexcept override { answers->push_back(std::move(r)); }
};

struct negotiation_fixture : deterministic_fixture {
  actors::channel_actor ch;
  std::uint64_t next = 100;

  negotiation_fixture() {
    ch = channel();
    auto st = call<actors::op_status>(ch, actors::open_atom::value);
    BOOST_REQUIRE(st.ok());
  }

  // Runs a negotiation on `on` from a probe actor; the slot fills when the answer comes.
  std::shared_ptr<std::optional<actors::token_reply>> run(actors::negotiation_job j = job(), std::uint64_t ticket = 0,
                                                           const actors::channel_actor* on = nullptr) {
    return ask<actors::token_reply>(on ? *on : ch, actors::run_atom::value, ticket ? ticket : ++next, std::move(j));
  }

  actors::token_reply negotiate(actors::negotiation_job j = job(), const actors::channel_actor* on = nullptr) {
    auto r = run(std::move(j), 0, on);
    settle();
    BOOST_REQUIRE_MESSAGE(r->has_value(), "no answer");
    return std::move(**r);
  }

  // Runs a negotiation whose answer goes to a sink; returns what the sink records.
  std::pair<std::shared_ptr<std::vector<actors::token_reply>>, std::shared_ptr<bool>> run_to_sink(
      std::uint64_t ticket, actors::negotiation_job j = job(), const actors::channel_actor* on = nullptr) {
    auto sink = std::make_shared<recording_sink>();
    auto out = std::make_pair(sink->answers, sink->dropped);
    caf::anon_send(on ? *on : ch, actors::run_atom::value, ticket, std::move(j), actors::token_sink_ptr(std::move(sink)));
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(negotiation, negotiation_fixture)

BOOST_AUTO_TEST_CASE(a_negotiation_replies_with_the_issued_token) {
  auto r = negotiate();
  BOOST_REQUIRE_MESSAGE(r.ok(), describe(r.error));
  BOOST_TEST(r.token->xml.find("<saml:Assertion") == 0u);
  BOOST_TEST(r.token->token_type == "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1");
  BOOST_REQUIRE(r.token->valid_till.has_value());
  BOOST_TEST(r.token->valid_till->to_string() == "2024-05-01T13:00:00Z");
  BOOST_TEST((r.token->key == core::key_type::none));
  BOOST_TEST(sts.issued() == 1u);
}

BOOST_AUTO_TEST_CASE(an_sct_negotiation_carries_the_server_proof_key) {
  auto r = negotiate(job("", true));
  BOOST_REQUIRE_MESSAGE(r.ok(), describe(r.error));
  BOOST_TEST(!r.token->context_id.empty());
  BOOST_TEST((r.token->key == core::key_type::symmetric));
  BOOST_TEST(r.token->proof_key.size() == 32u);
}

BOOST_AUTO_TEST_CASE(an_invalid_description_fails_before_anything_is_sent) {
  auto j = job();
  j.description.key_size_bits = 13;
  auto r = negotiate(std::move(j));
  BOOST_TEST(r.error.code == core::errc::invalid_key_size, describe(r.error));
  BOOST_TEST(peer.requests() == 0u);
}

BOOST_AUTO_TEST_CASE(a_sender_fault_is_fault_received_a_receiver_fault_is_server_fault) {
  sts.fault_when([](const rst_info&) { return true; }, false);
  auto r = negotiate();
  BOOST_TEST(r.error.code == core::errc::fault_received, describe(r.error));
  BOOST_TEST(r.error.message.find("The canned STS refuses this request") != std::string::npos, r.error.message);
  sts.fault_when([](const rst_info&) { return true; }, true);
  r = negotiate();
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
  auto r = negotiate(job(), &bad);
  BOOST_TEST(r.error.code == wst::detail::http::errc::unexpected_status, describe(r.error));
  BOOST_TEST(r.error.message.find("HTTP 500") != std::string::npos, r.error.message);
}

BOOST_AUTO_TEST_CASE(a_ticket_in_flight_cannot_run_a_second_negotiation) {
  peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(10)});
  auto first = run(job(), 7);
  auto second = run(job(), 7);
  settle();
  BOOST_REQUIRE(second->has_value());
  BOOST_TEST((*second)->error.code == actors::errc::invalid_state);
  BOOST_TEST(!first->has_value());
  loop.advance(std::chrono::milliseconds(10));
  settle();
  BOOST_REQUIRE(first->has_value());
  BOOST_TEST((*first)->ok(), describe((*first)->error));
  BOOST_TEST(peer.requests() == 1u);
  // Once answered, the ticket is free again.
  auto third = run(job(), 7);
  settle();
  loop.advance(std::chrono::milliseconds(10));
  settle();
  BOOST_REQUIRE(third->has_value());
  BOOST_TEST((*third)->ok(), describe((*third)->error));
}

BOOST_AUTO_TEST_CASE(cancel_while_in_flight_answers_aborted_and_ends_the_wire_request) {
  peer.default_fault(fault{fault_kind::stall});
  auto r = run(job(), 5);
  settle();
  BOOST_TEST(peer.requests() == 1u);
  caf::anon_send(ch, actors::cancel_atom::value, std::uint64_t{5});
  settle();
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == actors::errc::aborted);
  BOOST_TEST((*r)->error.message.find("negotiation was cancelled") != std::string::npos, (*r)->error.message);
  // The channel has nothing left in flight: a close completes at once.
  auto closed = call<actors::op_status>(ch, actors::close_atom::value);
  BOOST_TEST(closed.ok(), describe(closed.error));
}

BOOST_AUTO_TEST_CASE(cancel_while_waiting_for_the_open_answers_aborted_without_sending) {
  auto fresh = channel();
  caf::anon_send(fresh, actors::open_atom::value);
  auto [answers, dropped] = run_to_sink(9, job(), &fresh);  // queued behind the open
  caf::anon_send(fresh, actors::cancel_atom::value, std::uint64_t{9});
  settle();
  BOOST_REQUIRE(answers->size() == 1u);
  BOOST_TEST((*answers)[0].error.code == actors::errc::aborted);
  BOOST_TEST(peer.requests() == 0u);
  BOOST_TEST(!*dropped);
}

BOOST_AUTO_TEST_CASE(the_deadline_ends_a_negotiation_with_timed_out) {
  peer.default_fault(fault{fault_kind::stall});
  auto j = job();
  j.deadline = std::chrono::milliseconds(3000);
  auto r = run(std::move(j));
  settle();
  advance(std::chrono::milliseconds(2999));
  BOOST_TEST(!r->has_value());
  advance(std::chrono::milliseconds(1));
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == actors::errc::timed_out);
  BOOST_TEST((*r)->error.message.find("3000 ms") != std::string::npos);
  // The wire request went with it: a close completes at once.
  BOOST_TEST(call<actors::op_status>(ch, actors::close_atom::value).ok());
}

BOOST_AUTO_TEST_CASE(a_deadline_after_the_answer_changes_nothing) {
  auto j = job();
  j.deadline = std::chrono::milliseconds(3000);
  auto r = run(std::move(j));
  settle();
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->ok(), describe((*r)->error));
  advance(std::chrono::milliseconds(3000));
  BOOST_TEST((*r)->ok());
  BOOST_TEST(negotiate().ok());
}

BOOST_AUTO_TEST_CASE(a_channel_that_stops_fails_the_negotiation) {
  peer.default_fault(fault{fault_kind::stall});
  auto r = run();
  settle();
  caf::anon_send_exit(ch, caf::exit_reason::user_shutdown);
  settle();
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST((*r)->error.code == actors::errc::shutting_down, describe((*r)->error));
}

BOOST_AUTO_TEST_CASE(a_sink_gets_the_token_exactly_once) {
  auto [answers, dropped] = run_to_sink(11);
  settle();
  BOOST_REQUIRE(answers->size() == 1u);
  BOOST_TEST((*answers)[0].ok(), describe((*answers)[0].error));
  BOOST_TEST(!*dropped);
  advance(std::chrono::hours(1));
  BOOST_TEST(answers->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_sink_gets_argument_errors_and_state_refusals_at_once) {
  auto bad = job();
  bad.description.key_size_bits = 13;
  auto [a1, d1] = run_to_sink(12, std::move(bad));
  auto closed = channel();  // never opened
  auto [a2, d2] = run_to_sink(13, job(), &closed);
  settle();
  BOOST_REQUIRE(a1->size() == 1u);
  BOOST_TEST((*a1)[0].error.code == core::errc::invalid_key_size, describe((*a1)[0].error));
  BOOST_REQUIRE(a2->size() == 1u);
  BOOST_TEST((*a2)[0].error.code == actors::errc::invalid_state, describe((*a2)[0].error));
  BOOST_TEST(peer.requests() == 0u);
}

BOOST_AUTO_TEST_CASE(abort_and_shutdown_answer_every_sink_once) {
  peer.default_fault(fault{fault_kind::stall});
  auto [a1, d1] = run_to_sink(21);
  auto [a2, d2] = run_to_sink(22);
  settle();
  BOOST_TEST(call<actors::op_status>(ch, actors::abort_atom::value).ok());
  BOOST_REQUIRE(a1->size() == 1u);
  BOOST_REQUIRE(a2->size() == 1u);
  BOOST_TEST((*a1)[0].error.code == actors::errc::aborted);
  BOOST_TEST((*a2)[0].error.code == actors::errc::aborted);
  // Faulted now: a new negotiation is refused with the reason; a shutdown answers the rest.
  auto [a3, d3] = run_to_sink(23);
  settle();
  BOOST_REQUIRE(a3->size() == 1u);
  BOOST_TEST((*a3)[0].error.code == actors::errc::channel_faulted, describe((*a3)[0].error));
  auto fresh = channel();
  BOOST_REQUIRE(call<actors::op_status>(fresh, actors::open_atom::value).ok());
  auto [a4, d4] = run_to_sink(24, job(), &fresh);
  settle();
  caf::anon_send_exit(fresh, caf::exit_reason::user_shutdown);
  settle();
  BOOST_REQUIRE(a4->size() == 1u);
  BOOST_TEST((*a4)[0].error.code == actors::errc::shutting_down, describe((*a4)[0].error));
  BOOST_TEST(!*d1);
  BOOST_TEST(!*d4);
}

BOOST_AUTO_TEST_CASE(negotiations_in_flight_complete_after_the_last_handle_is_dropped) {
  peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(10)});
  auto other = channel();
  BOOST_REQUIRE(call<actors::op_status>(other, actors::open_atom::value).ok());
  auto [answers, dropped] = run_to_sink(41, job(), &other);
  settle();
  other = actors::channel_actor{};  // the fixture keeps only its address
  settle();
  BOOST_TEST(answers->empty());
  loop.advance(std::chrono::milliseconds(10));
  settle();
  BOOST_REQUIRE(answers->size() == 1u);
  BOOST_TEST((*answers)[0].ok(), describe((*answers)[0].error));
  BOOST_TEST(!*dropped);
}

BOOST_AUTO_TEST_CASE(a_dead_channel_drops_the_sink_unanswered_so_its_owner_answers) {
  auto dead = channel();
  caf::anon_send_exit(dead, caf::exit_reason::user_shutdown);
  settle();
  auto [answers, dropped] = run_to_sink(31, job(), &dead);
  settle();
  BOOST_TEST(answers->empty());
  BOOST_TEST(*dropped);  // what callback_sink (sdk/api) turns into aborted
}

BOOST_AUTO_TEST_CASE(a_dead_channel_fails_an_actor_request_with_a_caf_error) {
  auto dead = channel();
  caf::anon_send_exit(dead, caf::exit_reason::user_shutdown);
  settle();
  auto r = run(job(), 0, &dead);
  settle();
  BOOST_TEST(!r->has_value());  // the probe got a CAF error (the token store maps it to aborted)
  BOOST_TEST(peer.requests() == 0u);
}

BOOST_AUTO_TEST_CASE(a_transport_failure_passes_through_and_faults_the_channel) {
  peer.fault_for_request(1, fault{fault_kind::garbage});
  auto r = negotiate();
  BOOST_TEST(r.error.code == wst::detail::http::errc::malformed, describe(r.error));
  BOOST_TEST(state_of(ch) == actors::channel_state::faulted);
}

BOOST_AUTO_TEST_SUITE_END()
