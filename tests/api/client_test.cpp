// wst::client end to end: over the in-memory transport (a custom scheme registered through the
// public wst::register_transport) and over loopback HTTP, against the canned test STS.
#include "canned_sts.hpp"
#include "loopback_sts.hpp"

#include <wst/client.hpp>
#include <wst/memory/peer.hpp>
#include <wst/transport.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <dirent.h>
#include <fstream>
#include <mutex>
#include <thread>

using namespace wst::test;
using wst::detail::memory::fault;
using wst::detail::memory::fault_kind;

namespace wst {
inline std::ostream& operator<<(std::ostream& os, errc e) { return os << make_error_code(e).message(); }
inline std::ostream& operator<<(std::ostream& os, key_type k) { return os << static_cast<int>(k); }
}  // namespace wst

namespace {

std::string why(const wst::token_result& r) { return r.ok() ? "ok" : r.failure().describe(); }
std::error_code code_of(const wst::token_result& r) { return r.ok() ? std::error_code() : r.failure().code; }

std::size_t thread_count() {
  std::size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
  }
  return n;
}

std::string thread_names() {
  std::string out;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
      std::string name;
      std::getline(comm, name);
      out += name + " ";
    }
    closedir(d);
  }
  return out;
}

// Results of many callbacks, whatever thread runs them.
struct results {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<wst::token_result> all;

  wst::client::callback sink() {
    return [this](wst::token_result r) {
      std::lock_guard<std::mutex> lock(mu);
      all.push_back(std::move(r));
      cv.notify_all();
    };
  }
  bool wait_for(std::size_t n, std::chrono::seconds limit = std::chrono::seconds(120)) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, limit, [&] { return all.size() >= n; });
  }
  std::size_t ok() {
    std::lock_guard<std::mutex> lock(mu);
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [](auto& r) { return r.ok(); }));
  }
  std::string first_error() {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& r : all)
      if (!r.ok()) return r.failure().describe();
    return "none";
  }
};

// A canned STS behind the in-memory transport under its own scheme.
struct memory_sts {
  canned_sts sts;
  wst::detail::memory::peer peer{[this](std::string_view req) { return sts.http_reply(req); }};
  std::string scheme;
  explicit memory_sts(std::string s) : scheme(std::move(s)) {
    BOOST_REQUIRE(!wst::register_transport(scheme, peer.transport()));
  }
  ~memory_sts() { wst::unregister_transport(scheme); }
  std::string url() const { return scheme + "://sts.test/trust/13"; }
};

wst::request_options bearer(const std::string& url) {
  wst::request_options o;
  o.sts_url = url;
  o.trust = wst::trust_version::v1_3;
  o.applies_to = "https://rp.test/app";
  o.key = wst::key_type::bearer;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client)

BOOST_AUTO_TEST_CASE(nothing_starts_before_the_first_request) {
  std::thread([] {}).join();  // sanitizers start a helper thread with the first thread
  const std::size_t before = thread_count();
  {
    wst::client c;
    BOOST_TEST(thread_count() == before);
    c.clear_cache();  // no runtime yet: nothing to do
    BOOST_TEST(thread_count() == before);
  }
  memory_sts m("memapi0");
  {
    wst::client c(wst::client_options{2, 1, 64, {}});
    auto r = c.request_token_sync(bearer(m.url()));
    BOOST_TEST(r.ok());
    BOOST_TEST(thread_count() > before);
  }
  // Every runtime thread ends. CAF's printer thread is detached: it reports done just before
  // it exits, so give it a moment.
  for (int i = 0; i < 500 && thread_count() != before; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  BOOST_TEST(thread_count() == before, thread_names());
}

BOOST_AUTO_TEST_CASE(a_token_by_callback_by_future_and_synchronously) {
  memory_sts m("memapi1");
  wst::client c;
  auto o = bearer(m.url());
  o.use_cache = false;

  std::promise<wst::token_result> p;
  c.request_token(o, [&](wst::token_result r) { p.set_value(std::move(r)); });
  auto by_callback = p.get_future().get();
  BOOST_REQUIRE_MESSAGE(by_callback.ok(), why(by_callback));
  const wst::token& t = by_callback.value();
  BOOST_TEST(t.xml().find("<saml:Assertion") == 0u);
  BOOST_TEST(t.token_type() == "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1");
  BOOST_TEST(t.key() == wst::key_type::bearer);
  BOOST_TEST(t.proof_key().empty());
  BOOST_REQUIRE(t.valid_from().has_value());
  BOOST_REQUIRE(t.valid_till().has_value());
  BOOST_TEST((*t.valid_till() - *t.valid_from() == std::chrono::hours(1)));
  BOOST_TEST(t.valid_till_text().back() == 'Z');

  auto by_future = c.request_token(o).get();
  BOOST_TEST(by_future.ok());
  auto sync = c.request_token_sync(o);
  BOOST_TEST(sync.ok());
  BOOST_TEST(m.sts.issued() == 3u);
}

BOOST_AUTO_TEST_CASE(a_symmetric_token_exposes_its_proof_key) {
  memory_sts m("memapi2");
  wst::client c;
  auto o = bearer(m.url());
  o.key = wst::key_type::symmetric;
  o.key_size_bits = 256;
  auto r = c.request_token_sync(o);
  BOOST_REQUIRE_MESSAGE(r.ok(), why(r));
  BOOST_TEST(r.value().key() == wst::key_type::symmetric);
  BOOST_TEST(r.value().proof_key().size() == 32u);
  BOOST_TEST(r.value().key_size_bits() == 256u);
}

BOOST_AUTO_TEST_CASE(invalid_options_complete_at_once_on_the_calling_thread) {
  wst::client c;
  const std::size_t before = thread_count();
  auto check = [&](wst::request_options o, wst::errc expected) {
    bool ran = false;
    std::thread::id where;
    c.request_token(o, [&](wst::token_result r) {
      ran = true;
      where = std::this_thread::get_id();
      BOOST_REQUIRE(!r.ok());
      BOOST_TEST(code_of(r) == expected, why(r));
      BOOST_TEST(!r.failure().message.empty());
    });
    BOOST_TEST(ran);
    BOOST_TEST((where == std::this_thread::get_id()));
  };
  check(wst::request_options{}, wst::errc::invalid_options);
  auto o = bearer("http://sts.test/");
  o.key_size_bits = 256;  // a key size for a bearer token
  check(o, wst::errc::invalid_options);
  o = bearer("http://sts.test/");
  o.key = wst::key_type::asymmetric;
  check(o, wst::errc::not_supported);
  o = bearer("http://sts.test/");
  o.max_connections = 0;
  check(o, wst::errc::invalid_options);
  o = bearer("http://sts.test/");
  o.time.receive = std::chrono::milliseconds(0);
  check(o, wst::errc::invalid_options);
  o = bearer("http://sts.test/");
  o.local_parameters = "<unclosed>";
  check(o, wst::errc::invalid_options);
  o = bearer("http://sts.test/");
  o.action = wst::request_action::renew_context;  // without the SCT to renew
  o.token_type = "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512/sct";
  check(o, wst::errc::invalid_options);
  BOOST_TEST(thread_count() == before);  // refused before anything started
}

BOOST_AUTO_TEST_CASE(transport_and_sts_failures_map_to_public_errors) {
  memory_sts m("memapi3");
  wst::client c;
  auto r = c.request_token_sync(bearer("nosuch://sts.test/"));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(code_of(r) == wst::errc::invalid_url, why(r));
  BOOST_TEST(!r.failure().retryable());

  auto refused = bearer("http://127.0.0.1:1/sts");
  r = c.request_token_sync(refused);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(code_of(r) == wst::errc::connection_failed, why(r));
  BOOST_TEST(r.failure().retryable());
  BOOST_TEST(r.failure().cause == wst::transport_errc::connection_refused);

  m.sts.fault_when([](const rst_info&) { return true; }, false);
  r = c.request_token_sync(bearer(m.url()));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(code_of(r) == wst::errc::fault_received, why(r));
  BOOST_TEST(r.failure().message.find("The canned STS refuses this request") != std::string::npos);
  BOOST_TEST(!r.failure().retryable());
  m.sts.fault_when([](const rst_info&) { return true; }, true);
  r = c.request_token_sync(bearer(m.url()));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(code_of(r) == wst::errc::server_fault, why(r));
  BOOST_TEST(r.failure().retryable());
  BOOST_TEST(why(r).find(r.failure().code.message()) == 0u);
}

BOOST_AUTO_TEST_CASE(an_http_error_and_a_too_large_reply) {
  wst::detail::memory::peer notfound([](std::string_view) {
    return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  });
  BOOST_REQUIRE(!wst::register_transport("memapi4", notfound.transport()));
  {
    wst::client c;
    auto r = c.request_token_sync(bearer("memapi4://sts.test/"));
    BOOST_TEST(code_of(r) == wst::errc::http_error, why(r));
  }
  wst::unregister_transport("memapi4");

  memory_sts m("memapi5");
  wst::client c;
  auto o = bearer(m.url());
  o.max_message_size = 1024;  // the canned RSTR is larger
  auto r = c.request_token_sync(o);
  BOOST_TEST(code_of(r) == wst::errc::quota_exceeded, why(r));
}

BOOST_AUTO_TEST_CASE(identical_cached_requests_share_one_negotiation) {
  memory_sts m("memapi6");
  m.peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(50)});
  wst::client c;
  results rs;
  for (int i = 0; i < 100; ++i) c.request_token(bearer(m.url()), rs.sink());
  BOOST_REQUIRE(rs.wait_for(100));
  BOOST_TEST(rs.ok() == 100u, rs.first_error());
  BOOST_TEST(m.sts.issued() == 1u);
  for (auto& r : rs.all) BOOST_TEST(r.value().xml() == rs.all.front().value().xml());
  // Served from the cache now; a different applies-to is another identity.
  BOOST_TEST(c.request_token_sync(bearer(m.url())).ok());
  BOOST_TEST(m.sts.issued() == 1u);
  auto other = bearer(m.url());
  other.applies_to = "https://rp.test/other";
  BOOST_TEST(c.request_token_sync(other).ok());
  BOOST_TEST(m.sts.issued() == 2u);
  // Another password never shares a cached token.
  auto alice = bearer(m.url());
  alice.username = wst::credentials{"alice", "right"};
  auto mallory = alice;
  mallory.username->password = "wrong";
  BOOST_TEST(c.request_token_sync(alice).ok());
  BOOST_TEST(c.request_token_sync(mallory).ok());
  BOOST_TEST(m.sts.issued() == 4u);
  // Invalidation and clearing send the next request to the STS.
  c.invalidate(bearer(m.url()));
  BOOST_TEST(c.request_token_sync(bearer(m.url())).ok());
  BOOST_TEST(m.sts.issued() == 5u);
  c.clear_cache();
  BOOST_TEST(c.request_token_sync(other).ok());
  BOOST_TEST(m.sts.issued() == 6u);
}

BOOST_AUTO_TEST_CASE(uncached_requests_each_negotiate) {
  memory_sts m("memapi7");
  wst::client c;
  auto o = bearer(m.url());
  o.use_cache = false;
  results rs;
  for (int i = 0; i < 50; ++i) c.request_token(o, rs.sink());
  BOOST_REQUIRE(rs.wait_for(50));
  BOOST_TEST(rs.ok() == 50u, rs.first_error());
  BOOST_TEST(m.sts.issued() == 50u);
}

BOOST_AUTO_TEST_CASE(a_thousand_concurrent_requests_over_loopback_http) {
#ifdef WST_TEST_UNDER_TSAN
  const std::size_t n = 100;  // ThreadSanitizer slows CAF down a hundredfold
#else
  const std::size_t n = 1000;
#endif
  canned_sts sts;
  loopback_sts server(sts);
  wst::client c;
  auto o = bearer(server.url());
  o.use_cache = false;
  results rs;
  for (std::size_t i = 0; i < n; ++i) c.request_token(o, rs.sink());
  BOOST_REQUIRE(rs.wait_for(n));
  BOOST_TEST(rs.ok() == n, rs.first_error());
  BOOST_TEST(server.requests() == n);
}

BOOST_AUTO_TEST_CASE(cancel_ends_one_request_with_aborted) {
  memory_sts m("memapi8");
  m.peer.default_fault(fault{fault_kind::stall});
  wst::client c;
  auto o = bearer(m.url());
  o.use_cache = false;
  std::promise<wst::token_result> p1, p2;
  auto h1 = c.request_token(o, [&](wst::token_result r) { p1.set_value(std::move(r)); });
  auto h2 = c.request_token(bearer(m.url()), [&](wst::token_result r) { p2.set_value(std::move(r)); });
  BOOST_TEST(h1.valid());
  h1.cancel();
  h2.cancel();
  h2.cancel();  // harmless
  auto r1 = p1.get_future().get();
  auto r2 = p2.get_future().get();
  BOOST_TEST(code_of(r1) == wst::errc::aborted, why(r1));
  BOOST_TEST(code_of(r2) == wst::errc::aborted, why(r2));
  wst::request_handle empty;
  empty.cancel();
}

BOOST_AUTO_TEST_CASE(destroying_the_client_completes_every_pending_request_with_an_error) {
  memory_sts m("memapi9");
  m.peer.default_fault(fault{fault_kind::stall});
  results rs;
  wst::request_handle late;
  {
    wst::client c;
    auto o = bearer(m.url());
    o.use_cache = false;
    for (int i = 0; i < 200; ++i) c.request_token(o, rs.sink());
    for (int i = 0; i < 50; ++i) late = c.request_token(bearer(m.url()), rs.sink());  // cached waiters
    // ~client: no hang, and every callback has run by the time it returns.
  }
  BOOST_TEST(rs.all.size() == 250u);
  BOOST_TEST(rs.ok() == 0u);
  for (auto& r : rs.all) {
    const auto code = code_of(r);
    BOOST_TEST((code == wst::errc::shutting_down || code == wst::errc::aborted), why(r));
  }
  late.cancel();  // after the client is gone: a no-op
}

BOOST_AUTO_TEST_CASE(every_callback_runs_exactly_once_when_cancels_race_the_answers) {
  memory_sts m("memapi12");
  m.peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(2)});
  constexpr std::size_t n = 400;
  auto calls = std::make_shared<std::vector<std::atomic<int>>>(n);
  std::atomic<std::size_t> done{0};
  {
    wst::client c;
    auto uncached = bearer(m.url());
    uncached.use_cache = false;
    const auto cached = bearer(m.url());
    std::vector<wst::request_handle> handles;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& o = i % 4 == 3 ? cached : uncached;  // every fourth one waits in the cache
      handles.push_back(c.request_token(o, [calls, i, &done](wst::token_result r) {
        const bool fine = r.ok() || code_of(r) == wst::errc::aborted;
        (*calls)[i].fetch_add(fine ? 1 : 100);
        done.fetch_add(1);
      }));
      if (i % 3 == 0) handles.back().cancel();  // at once
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    for (std::size_t i = 1; i < n; i += 3) handles[i].cancel();  // while some answers arrive
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (done.load() < n && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    BOOST_TEST(done.load() == n);
    for (auto& h : handles) h.cancel();  // after the answers: no-ops
  }
  for (std::size_t i = 0; i < n; ++i) BOOST_TEST((*calls)[i].load() == 1, "request " << i);
}

BOOST_AUTO_TEST_CASE(max_queued_requests_bounds_each_channel) {
  memory_sts m("memapi13");
  m.peer.default_fault(fault{fault_kind::stall});
  results rs;
  {
    wst::client_options co;
    co.max_queued_requests = 2;
    wst::client c(co);
    auto o = bearer(m.url());
    o.use_cache = false;
    o.max_connections = 1;
    for (int i = 0; i < 5; ++i) c.request_token(o, rs.sink());  // 1 on the wire, 2 waiting, 2 refused
    BOOST_REQUIRE(rs.wait_for(2, std::chrono::seconds(30)));
    {
      std::lock_guard<std::mutex> lock(rs.mu);
      for (auto& r : rs.all) BOOST_TEST(code_of(r) == wst::errc::busy, why(r));
    }
  }
  BOOST_TEST(rs.all.size() == 5u);  // the other three end with the client
}

BOOST_AUTO_TEST_CASE(a_channel_retired_with_requests_in_flight_still_answers_them) {
  memory_sts first("memapi14");
  memory_sts second("memapi15");
  first.peer.default_fault(fault{fault_kind::delay, std::chrono::milliseconds(200)});
  wst::client_options co;
  co.max_channels = 1;
  wst::client c(co);
  auto o1 = bearer(first.url());
  o1.use_cache = false;
  auto o2 = bearer(second.url());
  o2.use_cache = false;
  auto slow = c.request_token(o1);
  auto other = c.request_token_sync(o2);  // retires the first channel (it closes when drained)
  BOOST_TEST(other.ok(), why(other));
  auto r = slow.get();
  BOOST_TEST(r.ok(), why(r));
}

BOOST_AUTO_TEST_CASE(a_faulted_channel_is_replaced_by_a_fresh_one) {
  memory_sts m("memapi10");
  m.peer.fault_for_request(1, fault{fault_kind::reset_before_headers});
  wst::client c;
  auto o = bearer(m.url());
  o.use_cache = false;
  auto first = c.request_token_sync(o);
  BOOST_TEST(code_of(first) == wst::errc::connection_failed, why(first));
  auto second = c.request_token_sync(o);
  BOOST_TEST(second.ok(), why(second));
}

BOOST_AUTO_TEST_CASE(an_sct_obtained_then_renewed_explicitly) {
  memory_sts m("memapi11");
  wst::client c;
  auto o = bearer(m.url());
  o.applies_to.reset();
  o.action = wst::request_action::new_context;
  o.secure_conversation = wst::secure_conversation_version::v1_3;
  o.key = wst::key_type::symmetric;
  auto sct = c.request_token_sync(o);
  BOOST_REQUIRE_MESSAGE(sct.ok(), why(sct));
  BOOST_TEST(!sct.value().context_id().empty());
  auto renew = o;
  renew.action = wst::request_action::renew_context;
  renew.existing_token = sct.value();
  auto renewed = c.request_token_sync(renew);
  BOOST_REQUIRE_MESSAGE(renewed.ok(), why(renewed));
  BOOST_TEST(renewed.value().context_id() == sct.value().context_id());
  BOOST_TEST(m.sts.renewed() == 1u);
}

BOOST_AUTO_TEST_CASE(a_callback_that_throws_does_not_break_the_client) {
  memory_sts m("memapi12");
  wst::client c;
  auto o = bearer(m.url());
  o.use_cache = false;
  c.request_token(o, [](wst::token_result) { throw std::runtime_error("user bug"); });
  BOOST_TEST(c.request_token_sync(o).ok());
}

BOOST_AUTO_TEST_CASE(error_codes_have_messages_and_a_retry_class) {
  BOOST_TEST(std::string(wst::category().name()) == "wst");
  for (int e = static_cast<int>(wst::errc::invalid_options); e <= static_cast<int>(wst::errc::internal_error); ++e)
    BOOST_TEST(wst::make_error_code(static_cast<wst::errc>(e)).message().find("unknown") == std::string::npos);
  BOOST_TEST(wst::is_retryable(wst::errc::timed_out));
  BOOST_TEST(!wst::is_retryable(wst::errc::fault_received));
  BOOST_TEST(!wst::is_retryable(std::make_error_code(std::errc::timed_out)));  // other categories
  wst::error e{wst::errc::busy, "", {}};
  BOOST_TEST(e.describe() == wst::make_error_code(wst::errc::busy).message());
  wst::token empty;
  BOOST_TEST(empty.empty());
  BOOST_TEST(empty.xml().empty());
  BOOST_TEST(!empty.valid_till().has_value());
  BOOST_TEST(empty.proof_key().empty());
}

BOOST_AUTO_TEST_SUITE_END()
