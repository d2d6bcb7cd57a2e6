// Replays every transcript case in tests/data/<case>/ (layout: tests/data/README.md):
// the RST written under the fixed environment must equal request.xml byte for byte, and
// response.xml must yield exactly the fields listed in expected.txt.
#include "case_description.hpp"
#include "test_support.hpp"

#include <wst/core/negotiation.hpp>
#include <wst/xml/reader.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;
using wst::test::data_dir;
using wst::test::read_file;

namespace {

std::vector<std::string> case_dirs() {
  std::vector<std::string> dirs;
  for (const auto& e : std::filesystem::directory_iterator(data_dir()))
    if (e.is_directory()) dirs.push_back(e.path().string());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::string first_difference(const std::string& got, const std::string& want) {
  std::size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  auto around = [&](const std::string& s) {
    const std::size_t from = i < 40 ? 0 : i - 40;
    return s.substr(from, 100);
  };
  return "first difference at byte " + std::to_string(i) + "\n  got:  ..." + around(got) +
         "\n  want: ..." + around(want);
}

std::string time_or_unbounded(const std::optional<core::datetime>& t) {
  return t ? t->to_string() : "unbounded";
}

std::string or_none(const std::string& s) { return s.empty() ? "none" : s; }

void check_case(const std::string& dir) {
  BOOST_TEST_CONTEXT("case " << dir) {
    for (const char* f : {"description.txt", "request.xml", "response.xml", "expected.txt"})
      BOOST_REQUIRE_MESSAGE(wst::test::file_exists(dir + "/" + f), "missing " << f);
    auto c = wst::test::load_case(dir);
    const auto expected = wst::test::read_kv_file(dir + "/expected.txt");
    // Every case states every field: a missing line must not skip a check.
    for (const char* k :
         {"action", "token_type", "token_sha256", "token_prefix", "attached_reference",
          "unattached_reference", "valid_from", "valid_till", "key_type", "proof_key", "key_size"})
      BOOST_REQUIRE_MESSAGE(expected.count(k), "expected.txt lacks " << k);
    for (const auto& [k, v] : expected) {
      static const std::set<std::string> known = {
          "action",          "token_type",         "token_sha256",
          "token_prefix",    "attached_reference", "unattached_reference",
          "valid_from",      "valid_till",         "key_type",
          "proof_key",       "key_size",           "context_id",
          "context_instance"};
      BOOST_REQUIRE_MESSAGE(known.count(k), "unknown expected key " << k);
    }

    core::fixed_environment env(c.now, c.rng_first_byte);
    core::negotiation n(c.description, env);
    auto out = n.start();
    BOOST_REQUIRE_MESSAGE(out, (out ? "" : out.error().describe()));
    const std::string want_request = read_file(dir + "/request.xml");
    BOOST_CHECK_MESSAGE(out->bytes == want_request, first_difference(out->bytes, want_request));
    BOOST_CHECK_EQUAL(out->action, expected.at("action"));
    BOOST_CHECK(out->soap == c.description.soap);
    BOOST_CHECK_MESSAGE(wst::detail::xml::parse(out->bytes), "request is not well-formed");

    auto tok = n.on_reply(read_file(dir + "/response.xml"));
    BOOST_REQUIRE_MESSAGE(tok, (tok ? "" : tok.error().describe()));
    BOOST_CHECK(n.current_state() == core::negotiation::state::done);

    const auto digest = crypto::sha256(tok->xml);
    BOOST_CHECK_EQUAL(crypto::hex_encode(crypto::byte_view(digest.data(), digest.size())),
                      expected.at("token_sha256"));
    BOOST_CHECK_EQUAL(tok->xml.substr(0, 60), expected.at("token_prefix"));
    BOOST_CHECK_EQUAL(tok->token_type, expected.at("token_type"));
    BOOST_CHECK_EQUAL(or_none(tok->attached_reference), expected.at("attached_reference"));
    BOOST_CHECK_EQUAL(or_none(tok->unattached_reference), expected.at("unattached_reference"));
    BOOST_CHECK_EQUAL(time_or_unbounded(tok->valid_from), expected.at("valid_from"));
    BOOST_CHECK_EQUAL(time_or_unbounded(tok->valid_till), expected.at("valid_till"));
    BOOST_CHECK_EQUAL(std::string(core::to_string(tok->key)), expected.at("key_type"));
    BOOST_CHECK_EQUAL(tok->proof_key.empty() ? "none" : crypto::hex_encode(tok->proof_key),
                      expected.at("proof_key"));
    BOOST_CHECK_EQUAL(std::to_string(tok->key_size_bits), expected.at("key_size"));
    if (expected.count("context_id")) {
      BOOST_CHECK_EQUAL(tok->context_id, expected.at("context_id"));
      BOOST_CHECK_EQUAL(or_none(tok->context_instance), expected.at("context_instance"));
    } else {
      BOOST_CHECK(tok->context_id.empty());
    }
    // The lifted token stands alone: it parses without the envelope around it.
    BOOST_CHECK_MESSAGE(wst::detail::xml::parse(tok->xml), "lifted token is not standalone");
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(transcripts)

BOOST_AUTO_TEST_CASE(every_case_directory_replays) {
  const auto dirs = case_dirs();
  BOOST_TEST_MESSAGE(dirs.size() << " transcript cases");
  BOOST_REQUIRE_GE(dirs.size(), 25u);
  for (const auto& dir : dirs) check_case(dir);
}

// The matrix promised in tests/data/README.md: every value of every dimension appears.
BOOST_AUTO_TEST_CASE(cases_cover_every_dimension_value) {
  std::map<std::string, std::set<std::string>> seen;
  for (const auto& dir : case_dirs()) {
    const auto c = wst::test::load_case(dir);
    const auto& d = c.description;
    seen["trust"].insert(std::string(core::to_string(d.trust)));
    seen["action"].insert(std::string(core::to_string(d.action)));
    seen["key"].insert(d.key ? std::string(core::to_string(*d.key)) : "absent");
    seen["entropy"].insert(std::string(core::to_string(d.entropy)));
    seen["soap"].insert(std::string(core::to_string(d.soap)));
    seen["addressing"].insert(std::string(core::to_string(d.addressing)));
    seen["trust x action"].insert(std::string(core::to_string(d.trust)) + "/" +
                                  std::string(core::to_string(d.action)));
    seen["action x entropy"].insert(std::string(core::to_string(d.action)) + "/" +
                                    std::string(core::to_string(d.entropy)));
    seen["soap x addressing"].insert(std::string(core::to_string(d.soap)) + "/" +
                                     std::string(core::to_string(d.addressing)));
    if (d.key == core::key_type::none && d.trust == core::trust_version::v1_3)
      seen["bearer version"].insert(std::to_string(static_cast<int>(d.bearer_version)));
  }
  BOOST_CHECK_EQUAL(seen["trust"].size(), 2u);
  BOOST_CHECK_EQUAL(seen["action"].size(), 3u);
  BOOST_CHECK_EQUAL(seen["key"].size(), 3u);
  BOOST_CHECK_EQUAL(seen["entropy"].size(), 3u);
  BOOST_CHECK_EQUAL(seen["soap"].size(), 2u);
  BOOST_CHECK_EQUAL(seen["addressing"].size(), 2u);
  BOOST_CHECK_EQUAL(seen["trust x action"].size(), 6u);
  BOOST_CHECK_EQUAL(seen["action x entropy"].size(), 9u);
  BOOST_CHECK_EQUAL(seen["soap x addressing"].size(), 4u);
  BOOST_CHECK_EQUAL(seen["bearer version"].size(), 3u);
}

BOOST_AUTO_TEST_SUITE_END()
