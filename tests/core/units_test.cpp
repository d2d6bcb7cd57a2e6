// Environment, datetime, errors and the negotiation state machine.
#include "test_support.hpp"

#include <wst/core/datetime.hpp>
#include <wst/core/environment.hpp>
#include <wst/core/errors.hpp>
#include <wst/core/negotiation.hpp>

#include <boost/test/unit_test.hpp>

#include <set>

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;
using core::errc;
using namespace std::chrono;

namespace {

// "urn:uuid:" + 8-4-4-4-12 lower-case hex, version nibble 4, variant 8..b. (Hand-written:
// std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.)
bool is_uuid_v4_urn(const std::string& s) {
  const std::string prefix = "urn:uuid:";
  if (s.size() != prefix.size() + 36 || s.compare(0, prefix.size(), prefix) != 0) return false;
  const std::string u = s.substr(prefix.size());
  for (std::size_t i = 0; i < u.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const bool hex = (u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f');
    if (dash ? u[i] != '-' : !hex) return false;
  }
  return u[14] == '4' && std::string("89ab").find(u[19]) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(environment)

BOOST_AUTO_TEST_CASE(fixed_environment_is_deterministic) {
  const auto t = system_clock::time_point(seconds(1707876351));
  core::fixed_environment env(t, 0xfd);
  BOOST_CHECK(env.now() == t);
  std::uint8_t b[5];
  env.fill_random(b, 5);
  BOOST_CHECK_EQUAL(wst::test::to_hex(b, 5), "fdfeff0001");
  env.queue_random({0xaa, 0xbb});
  env.fill_random(b, 4);
  BOOST_CHECK_EQUAL(wst::test::to_hex(b, 4), "aabb0203");
  BOOST_CHECK_EQUAL(env.message_id(), "urn:uuid:00000000-0000-4000-8000-000000000001");
  env.queue_message_id("urn:uuid:queued");
  BOOST_CHECK_EQUAL(env.message_id(), "urn:uuid:queued");
  BOOST_CHECK_EQUAL(env.message_id(), "urn:uuid:00000000-0000-4000-8000-000000000002");
  for (int i = 3; i <= 1234; ++i) env.message_id();
  BOOST_CHECK_EQUAL(env.message_id(), "urn:uuid:00000000-0000-4000-8000-000000001235");
  env.set_time(t + hours(1));
  BOOST_CHECK(env.now() == t + hours(1));
}

BOOST_AUTO_TEST_CASE(uuid_format) {
  const std::uint8_t ones[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  BOOST_CHECK_EQUAL(core::uuid_urn_from_bytes(ones),
                    "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff");
  const std::uint8_t zeros[16] = {};
  BOOST_CHECK_EQUAL(core::uuid_urn_from_bytes(zeros),
                    "urn:uuid:00000000-0000-4000-8000-000000000000");
}

BOOST_AUTO_TEST_CASE(system_environment_ids_are_random_v4) {
  auto& env = core::system_environment();
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = env.message_id();
    BOOST_CHECK_MESSAGE(is_uuid_v4_urn(id), id);
    ids.insert(id);
  }
  BOOST_CHECK_EQUAL(ids.size(), 100u);
  const auto before = system_clock::now();
  const auto now = env.now();
  BOOST_CHECK(now >= before && now <= system_clock::now());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(datetime)

BOOST_AUTO_TEST_CASE(parse_and_format) {
  struct {
    const char* in;
    const char* out;
  } cases[] = {
      {"2024-02-14T02:05:51.482Z", "2024-02-14T02:05:51.482Z"},
      {"2024-02-14T02:05:51Z", "2024-02-14T02:05:51Z"},
      {"2024-02-14T03:05:51.4821234+01:00", "2024-02-14T02:05:51.4821234Z"},
      {"2024-02-13T21:05:51.5-05:00", "2024-02-14T02:05:51.5Z"},
      {"2024-02-14T02:05:51.123456789Z", "2024-02-14T02:05:51.1234567Z"},
      {"2024-12-31T24:00:00Z", "2025-01-01T00:00:00Z"},
      {"2000-02-29T12:00:00+14:00", "2000-02-28T22:00:00Z"},
      {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
      {"9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z"},
      {"1969-12-31T23:59:59.9Z", "1969-12-31T23:59:59.9Z"},
  };
  for (const auto& c : cases) {
    auto t = core::parse_xsd_datetime(c.in);
    BOOST_REQUIRE_MESSAGE(t, c.in << ": " << (t ? "" : t.error().describe()));
    BOOST_CHECK_EQUAL(t->to_string(), c.out);
  }
  BOOST_CHECK_EQUAL(core::parse_xsd_datetime("0001-01-01T00:00:00Z")->ticks, 0);
  BOOST_CHECK_EQUAL(core::parse_xsd_datetime("9999-12-31T23:59:59.9999999Z")->ticks,
                    core::datetime::max_ticks);
  BOOST_CHECK_EQUAL(core::parse_xsd_datetime("1970-01-01T00:00:00Z")->ticks,
                    core::datetime::unix_epoch_ticks);
  for (const char* bad :
       {"0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "2024-02-14T02:05:51z",
        "2024-02-14t02:05:51Z", "+2024-02-14T02:05:51Z", "2024-02-14T02:05:51+0100",
        "2024-02-14T24:00:01Z", "2024-02-14T24:00:00.1Z", "2024-2-14T02:05:51Z"}) {
    auto t = core::parse_xsd_datetime(bad);
    BOOST_CHECK_MESSAGE(!t, bad << " accepted");
    if (!t) BOOST_CHECK(t.error().code == errc::bad_lifetime);
  }
}

BOOST_AUTO_TEST_CASE(time_points) {
  const auto t = system_clock::time_point(milliseconds(1707876351482));
  const auto d = core::datetime::from_time_point(t);
  BOOST_CHECK_EQUAL(d.to_string(), "2024-02-14T02:05:51.482Z");
  BOOST_CHECK(d.to_time_point() == t);
  // Beyond system_clock's range the conversion saturates instead of wrapping.
  const core::datetime far{core::datetime::max_ticks};
  BOOST_CHECK(far.to_time_point() > system_clock::time_point(hours(24 * 365 * 200)));
  const core::datetime early{0};
  BOOST_CHECK(early.to_time_point() < system_clock::time_point());
  std::string out;
  core::append_xsd_datetime_millis(out, system_clock::time_point(milliseconds(-1)));
  BOOST_CHECK_EQUAL(out, "1969-12-31T23:59:59.999Z");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(every_code_has_its_own_message) {
  std::set<std::string> messages;
  const int last = static_cast<int>(errc::invalid_supporting_token);
  for (int v = 1; v <= last; ++v) {
    const auto ec = core::make_error_code(static_cast<errc>(v));
    BOOST_CHECK_EQUAL(std::string(ec.category().name()), "wst.core");
    BOOST_CHECK(messages.insert(ec.message()).second);
    BOOST_CHECK_EQUAL(core::is_retryable(ec), static_cast<errc>(v) == errc::relates_to_mismatch);
  }
  BOOST_CHECK_NE(core::make_error_code(static_cast<errc>(last + 1)).message().find("unknown"),
                 std::string::npos);
  BOOST_CHECK(!core::is_retryable(std::make_error_code(std::errc::timed_out)));
  const wst::detail::failure f(errc::fault_received, "s:Sender: no");
  BOOST_CHECK_EQUAL(f.describe(), "SOAP fault received: s:Sender: no");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(negotiation)

namespace {

core::request_description bearer13() {
  core::request_description d;
  d.sts_address = "https://sts.contoso.test/trust/13";
  d.trust = core::trust_version::v1_3;
  return d;
}

std::string reply13(const std::string& relates_to) {
  return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
         "xmlns:a=\"http://www.w3.org/2005/08/addressing\"><s:Header><a:RelatesTo>" +
         relates_to +
         "</a:RelatesTo></s:Header><s:Body><t:RequestSecurityTokenResponseCollection "
         "xmlns:t=\"http://docs.oasis-open.org/ws-sx/ws-trust/200512\">"
         "<t:RequestSecurityTokenResponse><t:RequestedSecurityToken><x:T xmlns:x=\"urn:x\"/>"
         "</t:RequestedSecurityToken></t:RequestSecurityTokenResponse>"
         "</t:RequestSecurityTokenResponseCollection></s:Body></s:Envelope>";
}

}  // namespace

BOOST_AUTO_TEST_CASE(calls_out_of_order) {
  core::fixed_environment env;
  core::negotiation n(bearer13(), env);
  BOOST_CHECK(n.current_state() == core::negotiation::state::idle);
  auto early = n.on_reply(reply13("x"));
  BOOST_REQUIRE(!early);
  BOOST_CHECK(early.error().code == errc::invalid_state);
  BOOST_CHECK(n.current_state() == core::negotiation::state::idle);
  BOOST_CHECK(n.message_id().empty());

  auto out = n.start();
  BOOST_REQUIRE(out);
  BOOST_CHECK(n.current_state() == core::negotiation::state::waiting);
  BOOST_CHECK_EQUAL(n.message_id(), "urn:uuid:00000000-0000-4000-8000-000000000001");
  auto again = n.start();
  BOOST_REQUIRE(!again);
  BOOST_CHECK(again.error().code == errc::invalid_state);
  BOOST_CHECK(n.current_state() == core::negotiation::state::waiting);

  auto tok = n.on_reply(reply13(n.message_id()));
  BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
  BOOST_CHECK_EQUAL(tok->xml, "<x:T xmlns:x=\"urn:x\"/>");
  BOOST_CHECK(n.current_state() == core::negotiation::state::done);
  auto twice = n.on_reply(reply13(n.message_id()));
  BOOST_REQUIRE(!twice);
  BOOST_CHECK(twice.error().code == errc::invalid_state);
  BOOST_CHECK(!n.start());
}

BOOST_AUTO_TEST_CASE(failures_are_final) {
  core::fixed_environment env;
  auto bad = bearer13();
  bad.key_size_bits = 0;
  core::negotiation n(bad, env);
  auto out = n.start();
  BOOST_REQUIRE(!out);
  BOOST_CHECK(out.error().code == errc::invalid_key_size);
  BOOST_CHECK(n.current_state() == core::negotiation::state::failed);
  BOOST_CHECK(n.start().error().code == errc::invalid_state);
  BOOST_CHECK(n.on_reply(reply13("x")).error().code == errc::invalid_state);

  core::negotiation m(bearer13(), env);
  BOOST_REQUIRE(m.start());
  auto r = m.on_reply(reply13("urn:uuid:stale"));
  BOOST_REQUIRE(!r);
  BOOST_CHECK(r.error().code == errc::relates_to_mismatch);
  BOOST_CHECK(m.current_state() == core::negotiation::state::failed);
  BOOST_CHECK(!m.fault());
  BOOST_CHECK(m.on_reply(reply13(m.message_id())).error().code == errc::invalid_state);
}

BOOST_AUTO_TEST_CASE(client_entropy_lives_only_while_waiting) {
  core::fixed_environment env;
  auto d = bearer13();
  d.key = core::key_type::symmetric;
  d.entropy = core::key_entropy::client_only;
  for (bool succeed : {true, false}) {
    core::negotiation n(d, env);
    BOOST_CHECK(!n.holds_client_entropy());
    BOOST_REQUIRE(n.start());
    BOOST_CHECK(n.holds_client_entropy());
    auto tok = n.on_reply(succeed ? reply13(n.message_id()) : std::string("<broken"));
    BOOST_CHECK_EQUAL(static_cast<bool>(tok), succeed);
    if (tok) {
      BOOST_CHECK(tok->key == core::key_type::symmetric);
      BOOST_CHECK_EQUAL(tok->proof_key.size(), 32u);
    }
    BOOST_CHECK(!n.holds_client_entropy());
  }
}

BOOST_AUTO_TEST_CASE(negotiations_move) {
  core::fixed_environment env;
  core::negotiation a(bearer13(), env);
  BOOST_REQUIRE(a.start());
  core::negotiation b = std::move(a);
  BOOST_CHECK(b.current_state() == core::negotiation::state::waiting);
  BOOST_CHECK(b.on_reply(reply13(b.message_id())));
}

BOOST_AUTO_TEST_SUITE_END()
