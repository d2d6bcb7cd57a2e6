// The token store actor: single flight, renewal timing, SCT renewal, invalidation, LRU and
// expiry - all on CAF's deterministic scheduler, whose clock the tests move (no sleeps).
// Tokens come from the canned STS over a real channel; its Lifetime follows the actor clock.
#include "deterministic_fixture.hpp"

#include <wst/actors/errors.hpp>
#include <wst/core/errors.hpp>

#include <boost/test/unit_test.hpp>

using namespace wst::test;
namespace actors = wst::detail::actors;
namespace core = wst::detail::core;
using std::chrono::milliseconds;
using std::chrono::seconds;
using reply_slot = std::shared_ptr<std::optional<actors::token_reply>>;

namespace {

// Tokens live one hour; the store allows 60 s of skew and renews at 80 %: a token that arrives
// at t is renewed at t + 0.8 * 3540 s = t + 2832 s and expires (for the store) at t + 3540 s.
constexpr seconds renew_point{2832};
constexpr seconds expiry{3540};

struct store_fixture : deterministic_fixture {
  actors::channel_actor ch;
  actors::token_store_actor st;

  store_fixture() {
    ch = channel();
    BOOST_REQUIRE(call<actors::op_status>(ch, actors::open_atom::value).ok());
    st = store();
  }

  void restart_store(actors::store_options o) { st = store(o); }

  actors::token_query query(std::string key = "k1", bool sct = false, std::uint64_t waiter = 0) {
    actors::token_query q;
    q.key = std::move(key);
    q.channel = ch;
    q.job = job("https://rp.test/" + q.key, sct);
    q.waiter = waiter;
    return q;
  }

  reply_slot get(actors::token_query q) { return ask<actors::token_reply>(st, actors::get_atom::value, std::move(q)); }

  actors::token_reply fetch(std::string key = "k1", bool sct = false) {
    return call<actors::token_reply>(st, actors::get_atom::value, query(std::move(key), sct));
  }

  actors::store_stats stats() { return call<actors::store_stats>(st, actors::get_atom::value, actors::stats_atom::value); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(token_store, store_fixture)

BOOST_AUTO_TEST_CASE(concurrent_gets_for_one_key_share_one_negotiation) {
  std::vector<reply_slot> rs;
  for (int i = 0; i < 100; ++i) rs.push_back(get(query()));
  settle();
  BOOST_TEST(sts.issued() == 1u);
  BOOST_TEST(peer.requests() == 1u);
  for (auto& r : rs) {
    BOOST_REQUIRE(r->has_value());
    BOOST_REQUIRE((*r)->ok());
    BOOST_TEST((*r)->token == (*rs.front())->token);  // the very same token object
  }
  auto s = stats();
  BOOST_TEST(s.negotiations == 1u);
  BOOST_TEST(s.misses == 100u);
  BOOST_TEST(s.entries == 1u);
  BOOST_TEST(s.tokens == 1u);
}

BOOST_AUTO_TEST_CASE(different_keys_negotiate_separately_and_hits_negotiate_nothing) {
  auto a = fetch("a");
  auto b = fetch("b");
  BOOST_REQUIRE(a.ok());
  BOOST_REQUIRE(b.ok());
  BOOST_TEST(a.token != b.token);
  auto again = fetch("a");
  BOOST_TEST(again.token == a.token);
  BOOST_TEST(sts.issued() == 2u);
  BOOST_TEST(stats().hits == 1u);
}

BOOST_AUTO_TEST_CASE(a_token_in_use_is_renewed_at_the_configured_fraction_of_its_lifetime) {
  auto first = fetch();
  BOOST_REQUIRE(first.ok());
  advance(renew_point - seconds(1));
  BOOST_TEST(fetch().token == first.token);  // a hit marks it in use
  BOOST_TEST(sts.issued() == 1u);
  advance(seconds(1));  // the renewal point
  BOOST_TEST(sts.issued() == 2u);
  BOOST_TEST(stats().renewals == 1u);
  auto renewed = fetch();
  BOOST_REQUIRE(renewed.ok());
  BOOST_TEST(renewed.token != first.token);
  // The renewed token's own clock starts when it arrived.
  advance(renew_point - seconds(1));
  BOOST_TEST(sts.issued() == 2u);
  advance(seconds(1));
  BOOST_TEST(sts.issued() == 3u);
}

BOOST_AUTO_TEST_CASE(an_idle_token_is_not_renewed_and_is_dropped_when_it_expires) {
  auto first = fetch();
  BOOST_REQUIRE(first.ok());
  advance(renew_point);
  BOOST_TEST(sts.issued() == 1u);
  BOOST_TEST(stats().renewals == 0u);
  advance(expiry - renew_point);
  auto s = stats();
  BOOST_TEST(s.expirations == 1u);
  BOOST_TEST(s.entries == 0u);
  auto next = fetch();
  BOOST_REQUIRE(next.ok());
  BOOST_TEST(next.token != first.token);
  BOOST_TEST(sts.issued() == 2u);
}

BOOST_AUTO_TEST_CASE(an_expired_token_is_never_handed_out_even_when_renewal_keeps_failing) {
  auto first = fetch();
  BOOST_REQUIRE(first.ok());
  BOOST_TEST(fetch().token == first.token);  // in use
  sts.fault_when([](const rst_info&) { return true; }, true);
  advance(renew_point);  // renewal fails: the old token is still served
  BOOST_TEST(stats().renew_failures == 1u);
  BOOST_TEST(fetch().token == first.token);
  advance(seconds(30));  // the retry after renew_retry fails too
  BOOST_TEST(stats().renew_failures == 2u);
  advance(expiry - renew_point - seconds(30) - milliseconds(1));
  BOOST_TEST(fetch().token == first.token);  // 1 ms before the store's expiry
  advance(milliseconds(1));
  // Expired now: a get waits for a negotiation (which fails) instead of getting the old token.
  auto failed = fetch();
  BOOST_TEST(!failed.ok());
  BOOST_TEST(failed.error.code == actors::errc::server_fault, describe(failed.error));
  BOOST_TEST(stats().tokens == 0u);
  sts.fault_when(nullptr);
  auto fresh = fetch();
  BOOST_REQUIRE(fresh.ok());
  BOOST_TEST(fresh.token != first.token);
}

BOOST_AUTO_TEST_CASE(an_sct_is_renewed_through_renew_context) {
  auto first = fetch("sct", true);
  BOOST_REQUIRE_MESSAGE(first.ok(), describe(first.error));
  BOOST_TEST(!first.token->context_id.empty());
  BOOST_TEST(fetch("sct", true).token == first.token);
  advance(renew_point);
  BOOST_TEST(sts.renewed() == 1u);
  BOOST_TEST(sts.issued() == 1u);
  auto renewed = fetch("sct", true);
  BOOST_REQUIRE(renewed.ok());
  BOOST_TEST(renewed.token != first.token);
  BOOST_TEST(renewed.token->context_id == first.token->context_id);
  BOOST_TEST(renewed.token->context_instance != first.token->context_instance);
}

BOOST_AUTO_TEST_CASE(a_failed_sct_renewal_falls_back_to_a_fresh_issue) {
  auto first = fetch("sct", true);
  BOOST_REQUIRE(first.ok());
  BOOST_TEST(fetch("sct", true).token == first.token);
  sts.fault_when([](const rst_info& i) { return i.renew; });
  advance(renew_point);
  BOOST_TEST(sts.faults() == 1u);
  BOOST_TEST(sts.issued() == 2u);  // RST/SCT again, not another renew
  BOOST_TEST(sts.renewed() == 0u);
  auto fresh = fetch("sct", true);
  BOOST_REQUIRE(fresh.ok());
  BOOST_TEST(fresh.token->context_id != first.token->context_id);
  auto s = stats();
  BOOST_TEST(s.renew_failures == 1u);
  BOOST_TEST(s.negotiations == 3u);
}

BOOST_AUTO_TEST_CASE(invalidation_forgets_one_key_and_clear_forgets_all) {
  auto a = fetch("a");
  auto b = fetch("b");
  caf::anon_send(st, actors::invalidate_atom::value, std::string("a"));
  settle();
  BOOST_TEST(fetch("a").token != a.token);
  BOOST_TEST(fetch("b").token == b.token);
  caf::anon_send(st, actors::clear_atom::value);
  settle();
  BOOST_TEST(stats().entries == 0u);
  BOOST_TEST(fetch("b").token != b.token);
  BOOST_TEST(sts.issued() == 4u);
}

BOOST_AUTO_TEST_CASE(the_least_recently_used_key_is_evicted_beyond_max_entries) {
  actors::store_options o;
  o.max_entries = 2;
  restart_store(o);
  auto a = fetch("a");
  auto b = fetch("b");
  BOOST_TEST(fetch("a").token == a.token);  // a is now more recent than b
  auto c = fetch("c");
  auto s = stats();
  BOOST_TEST(s.evictions == 1u);
  BOOST_TEST(s.entries == 2u);
  BOOST_TEST(fetch("a").token == a.token);
  BOOST_TEST(fetch("b").token != b.token);  // b was evicted: negotiated anew
  BOOST_TEST(sts.issued() == 4u);
}

BOOST_AUTO_TEST_CASE(a_token_that_arrives_expired_is_an_error_and_is_not_cached) {
  sts.set_lifetime(seconds(30));  // shorter than the 60 s skew allowance
  auto r = fetch();
  BOOST_TEST(r.error.code == actors::errc::token_expired, describe(r.error));
  BOOST_TEST(stats().entries == 0u);
}

BOOST_AUTO_TEST_CASE(a_token_without_lifetime_stays_cached_and_is_never_renewed) {
  sts.set_lifetime(milliseconds(0));
  auto first = fetch();
  BOOST_REQUIRE(first.ok());
  BOOST_TEST(!first.token->valid_till.has_value());
  BOOST_TEST(fetch().token == first.token);
  advance(std::chrono::hours(24 * 365));
  BOOST_TEST(fetch().token == first.token);
  BOOST_TEST(sts.issued() == 1u);
}

BOOST_AUTO_TEST_CASE(a_cancelled_waiter_gets_aborted_and_the_others_get_the_token) {
  peer.default_fault(wst::detail::memory::fault{wst::detail::memory::fault_kind::delay, milliseconds(10)});
  auto w1 = get(query("k1", false, 1));
  auto w2 = get(query("k1", false, 2));
  settle();
  caf::anon_send(st, actors::cancel_atom::value, std::uint64_t{1});
  settle();
  BOOST_REQUIRE(w1->has_value());
  BOOST_TEST((*w1)->error.code == actors::errc::aborted);
  BOOST_TEST(!w2->has_value());
  loop.advance(milliseconds(10));
  settle();
  BOOST_REQUIRE(w2->has_value());
  BOOST_TEST((*w2)->ok());
  BOOST_TEST(fetch().token == (*w2)->token);  // cached despite the cancel
}

BOOST_AUTO_TEST_CASE(stopping_the_store_answers_every_waiter) {
  peer.default_fault(wst::detail::memory::fault{wst::detail::memory::fault_kind::stall});
  auto w = get(query());
  settle();
  caf::anon_send_exit(st, caf::exit_reason::user_shutdown);
  settle();
  BOOST_REQUIRE(w->has_value());
  BOOST_TEST((*w)->error.code == actors::errc::shutting_down);
  // Its negotiator was cancelled: nothing is left in flight on the channel.
  BOOST_TEST(call<actors::op_status>(ch, actors::close_atom::value).ok());
}

BOOST_AUTO_TEST_CASE(identity_keys_separate_every_field_and_hold_no_secret) {
  core::request_description d = job().description;
  d.username = core::username_credential{"alice", wst::detail::crypto::secure_bytes(
                                                      reinterpret_cast<const std::uint8_t*>("pw-1"), 4)};
  const std::string k = actors::identity_key(d, "channel-1");
  BOOST_TEST(k.size() == 64u);
  BOOST_TEST(k.find("alice") == std::string::npos);
  BOOST_TEST(actors::identity_key(d, "channel-1") == k);
  BOOST_TEST(actors::identity_key(d, "channel-2") != k);
  auto other = d;
  other.applies_to = "https://rp.test/other";
  BOOST_TEST(actors::identity_key(other, "channel-1") != k);
  other = d;
  other.username->password = wst::detail::crypto::secure_bytes(reinterpret_cast<const std::uint8_t*>("pw-2"), 4);
  BOOST_TEST(actors::identity_key(other, "channel-1") != k);
  other = d;
  other.key_size_bits = 256;
  BOOST_TEST(actors::identity_key(other, "channel-1") != k);
  other = d;
  other.local_parameters = "<x/>";
  BOOST_TEST(actors::identity_key(other, "channel-1") != k);
}

BOOST_AUTO_TEST_SUITE_END()
