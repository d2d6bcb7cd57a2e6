// wst::client against the real sample STS (samples/sts, an independent WS-Trust
// implementation) served over loopback HTTP: signed SAML 1.1 and 2.0 assertions, proof keys
// for every entropy mode, SCT issue and renewal, UsernameToken and HTTP Basic authentication,
// and many requests at once.
#include "loopback_sts.hpp"

#include <wst/client.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/sts/issuer.hpp>
#include <wst/sts/users.hpp>

#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <mutex>

using namespace wst::test;
namespace sts = wst::detail::sts;

namespace {

constexpr const char* saml11 = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1";
constexpr const char* saml20 = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";

std::string why(const wst::token_result& r) { return r.ok() ? "ok" : r.failure().describe(); }

// One signing identity for the whole program (RSA key generation is slow).
const sts::signing_identity& identity() {
  static const sts::signing_identity id = [] {
    auto r = sts::signing_identity::generate("wst-actors-test-sts");
    BOOST_REQUIRE_MESSAGE(r.has_value(), "generating the STS identity failed");
    return std::move(*r);
  }();
  return id;
}

sts::signing_identity copy_identity() {
  const auto& id = identity();
  auto r = sts::signing_identity::from_pem(id.key.to_pem(), id.cert.to_pem());
  BOOST_REQUIRE(r.has_value());
  return std::move(*r);
}

// The sample STS's issuer behind loopback HTTP; `users` ("user:password" lines) enables
// authentication.
struct sample_sts {
  std::unique_ptr<sts::issuer> issuer;
  std::unique_ptr<loopback_sts> server;

  explicit sample_sts(const std::string& users = "", sts::issuer_options opts = {}) {
    std::unique_ptr<sts::user_table> table;
    if (!users.empty()) {
      auto t = sts::user_table::parse(users);
      BOOST_REQUIRE(t.has_value());
      table = std::make_unique<sts::user_table>(std::move(*t));
    }
    issuer = std::make_unique<sts::issuer>(opts, copy_identity(), std::move(table),
                                           sts::system_clock(), wst::detail::crypto::system_random());
    server = std::make_unique<loopback_sts>([this](const wst::detail::http::request& req) {
      auto header = [&](const char* name) -> std::string_view {
        const std::string* v = req.headers.find(name);
        return v ? std::string_view(*v) : std::string_view();
      };
      sts::http_request in;
      in.method = req.method;
      in.target = req.target;
      in.content_type = header("Content-Type");
      in.soap_action = header("SOAPAction");
      in.authorization = header("Authorization");
      in.body = req.body;
      return sts::serialize(issuer->respond(in), req.keep_alive);
    });
  }
  ~sample_sts() { server.reset(); }

  wst::request_options options(wst::trust_version t = wst::trust_version::v1_3) const {
    wst::request_options o;
    o.sts_url = server->url();
    o.trust = t;
    o.applies_to = "https://rp.test/app";
    o.key = wst::key_type::bearer;
    o.use_cache = false;
    return o;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sample_sts_end_to_end)

BOOST_AUTO_TEST_CASE(signed_saml_assertions_in_both_trust_and_soap_versions) {
  sample_sts s;
  wst::client c;
  auto o = s.options();
  o.token_type = saml20;
  auto r = c.request_token_sync(o);
  BOOST_REQUIRE_MESSAGE(r.ok(), why(r));
  BOOST_TEST(r.value().token_type() == saml20);
  BOOST_TEST(r.value().xml().find("Assertion") != std::string::npos);
  BOOST_TEST(r.value().xml().find("SignatureValue") != std::string::npos);
  BOOST_TEST(r.value().valid_till().has_value());

  o = s.options(wst::trust_version::feb2005);
  o.soap = wst::soap_version::soap11;
  o.addressing = wst::addressing_version::aug2004;
  o.token_type = saml11;
  r = c.request_token_sync(o);
  BOOST_REQUIRE_MESSAGE(r.ok(), why(r));
  BOOST_TEST(r.value().token_type() == saml11);
  BOOST_TEST((r.value().key() == wst::key_type::bearer));
}

BOOST_AUTO_TEST_CASE(proof_keys_for_every_entropy_mode) {
  // The sample STS combines client entropy with its own unless told to use it as the key
  // (WWSAPI's CLIENT_ONLY): one STS per policy.
  sts::issuer_options as_key;
  as_key.client_entropy = sts::client_entropy_policy::use_as_key;
  sample_sts client_only("", as_key);
  sample_sts s;
  wst::client c;
  for (auto mode : {wst::key_entropy::client_only, wst::key_entropy::server_only, wst::key_entropy::combined}) {
    auto o = (mode == wst::key_entropy::client_only ? client_only : s).options();
    o.key = wst::key_type::symmetric;
    o.key_size_bits = 256;
    o.entropy = mode;
    auto r = c.request_token_sync(o);
    BOOST_REQUIRE_MESSAGE(r.ok(), "entropy mode " << static_cast<int>(mode) << ": " << why(r));
    BOOST_TEST((r.value().key() == wst::key_type::symmetric));
    BOOST_TEST(r.value().proof_key().size() == 32u);
  }
}

BOOST_AUTO_TEST_CASE(an_sct_issued_then_renewed) {
  sample_sts s;
  wst::client c;
  auto o = s.options();
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
  BOOST_TEST(s.issuer->counters().renewed == 1u);
}

BOOST_AUTO_TEST_CASE(username_token_and_http_basic_authentication) {
  sample_sts s("alice:s3cret\n");
  wst::client c;
  auto o = s.options();
  auto anonymous = c.request_token_sync(o);
  BOOST_REQUIRE(!anonymous.ok());
  BOOST_TEST(!anonymous.failure().code.message().empty());

  o.username = wst::credentials{"alice", "s3cret"};
  auto r = c.request_token_sync(o);
  BOOST_TEST(r.ok(), why(r));
  o.username->password = "wrong";
  r = c.request_token_sync(o);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST((r.failure().code == wst::errc::fault_received || r.failure().code == wst::errc::access_denied),
             why(r));

  auto b = s.options();
  b.basic = wst::credentials{"alice", "s3cret"};
  r = c.request_token_sync(b);
  BOOST_TEST(r.ok(), why(r));
  b.basic->password = "wrong";
  r = c.request_token_sync(b);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST((r.failure().code == wst::errc::access_denied), why(r));
}

BOOST_AUTO_TEST_CASE(a_token_from_one_sts_buys_a_token_from_another) {
  sample_sts first;
  sample_sts second;
  wst::client c;
  auto o = first.options();
  o.key = wst::key_type::symmetric;
  o.key_size_bits = 256;
  auto issued = c.request_token_sync(o);
  BOOST_REQUIRE_MESSAGE(issued.ok(), why(issued));
  auto federated = second.options();
  federated.applies_to = "https://rp.test/second";
  federated.supporting_token = issued.value();
  auto r = c.request_token_sync(federated);
  BOOST_TEST(r.ok(), why(r));
}

BOOST_AUTO_TEST_CASE(many_concurrent_requests_against_the_sample_sts) {
  sample_sts s;
  wst::client c;
  auto o = s.options();
  std::mutex mu;
  std::condition_variable cv;
  std::size_t done = 0, ok = 0;
  std::string first_error;
  const std::size_t n = 200;
  for (std::size_t i = 0; i < n; ++i)
    c.request_token(o, [&](wst::token_result r) {
      std::lock_guard<std::mutex> lock(mu);
      ++done;
      if (r.ok())
        ++ok;
      else if (first_error.empty())
        first_error = r.failure().describe();
      cv.notify_all();
    });
  std::unique_lock<std::mutex> lock(mu);
  BOOST_REQUIRE(cv.wait_for(lock, std::chrono::seconds(120), [&] { return done == n; }));
  BOOST_TEST(ok == n, first_error);
  BOOST_TEST(s.issuer->counters().issued == n);
}

BOOST_AUTO_TEST_SUITE_END()
