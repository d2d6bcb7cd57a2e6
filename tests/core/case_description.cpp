#include "case_description.hpp"

#include "test_support.hpp"

#include <wst/core/datetime.hpp>

#include <boost/test/unit_test.hpp>

#include <sstream>

namespace wst::test {

namespace core = wst::detail::core;

kv_map read_kv_file(const std::string& path) {
  kv_map m;
  std::istringstream in(read_file(path));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0)
      BOOST_FAIL(path + ":" + std::to_string(n) + ": expected key=value");
    if (!m.emplace(line.substr(0, eq), line.substr(eq + 1)).second)
      BOOST_FAIL(path + ":" + std::to_string(n) + ": repeated key " + line.substr(0, eq));
  }
  return m;
}

std::chrono::system_clock::time_point time_from_xsd(const std::string& text) {
  auto t = core::parse_xsd_datetime(text);
  if (!t) BOOST_FAIL("bad time " + text + ": " + t.error().describe());
  return t->to_time_point();
}

namespace {

template <class E>
E pick(const std::string& key, const std::string& value,
       std::initializer_list<std::pair<const char*, E>> options) {
  for (const auto& [name, v] : options)
    if (value == name) return v;
  BOOST_FAIL("unknown value '" + value + "' for " + key);
  return options.begin()->second;
}

wst::detail::crypto::secure_bytes secret_from_hex(const std::string& hex) {
  const auto b = from_hex(hex);
  if (b.empty()) BOOST_FAIL("empty key '" + hex + "'");
  return wst::detail::crypto::secure_bytes(b.data(), b.size());
}

}  // namespace

transcript_case load_case(const std::string& dir) {
  using namespace core;
  transcript_case c;
  c.dir = dir;
  request_description& d = c.description;
  std::string username;
  std::string password;
  for (const auto& [k, v] : read_kv_file(dir + "/description.txt")) {
    if (k == "sts")
      d.sts_address = v;
    else if (k == "soap")
      d.soap = pick<soap_version>(
          k, v, {{"soap11", soap_version::soap11}, {"soap12", soap_version::soap12}});
    else if (k == "addressing")
      d.addressing = pick<addressing_version>(
          k, v, {{"wsa10", addressing_version::v1_0}, {"wsa2004", addressing_version::aug2004}});
    else if (k == "trust")
      d.trust = pick<trust_version>(
          k, v, {{"feb2005", trust_version::feb2005}, {"1.3", trust_version::v1_3}});
    else if (k == "secure_conversation")
      d.secure_conversation =
          pick<secure_conversation_version>(k, v,
                                            {{"feb2005", secure_conversation_version::feb2005},
                                             {"1.3", secure_conversation_version::v1_3}});
    else if (k == "action")
      d.action = pick<request_action>(k, v,
                                      {{"issue", request_action::issue},
                                       {"new_context", request_action::new_context},
                                       {"renew_context", request_action::renew_context}});
    else if (k == "token_type")
      d.issued_token_type = v;
    else if (k == "applies_to")
      d.applies_to = v;
    else if (k == "key_type")
      d.key =
          pick<key_type>(k, v, {{"bearer", key_type::none}, {"symmetric", key_type::symmetric}});
    else if (k == "key_size")
      d.key_size_bits = static_cast<std::uint32_t>(std::stoul(v));
    else if (k == "entropy")
      d.entropy = pick<key_entropy>(k, v,
                                    {{"client_only", key_entropy::client_only},
                                     {"server_only", key_entropy::server_only},
                                     {"combined", key_entropy::combined}});
    else if (k == "bearer_version")
      d.bearer_version = pick<bearer_key_type_version>(
          k, v,
          {{"original_specification", bearer_key_type_version::original_specification},
           {"original_schema", bearer_key_type_version::original_schema},
           {"errata_01", bearer_key_type_version::errata_01}});
    else if (k == "username")
      username = v;
    else if (k == "password")
      password = v;
    else if (k == "now")
      c.now = time_from_xsd(v);
    else if (k == "rng_first_byte")
      c.rng_first_byte = static_cast<std::uint8_t>(std::stoul(v, nullptr, 0));
    else if (k == "existing_token_file") {
      if (!d.existing) d.existing.emplace();
      d.existing->xml = read_file(dir + "/" + v);
    } else if (k == "existing_unattached_reference_file") {
      if (!d.existing) d.existing.emplace();
      d.existing->unattached_reference = read_file(dir + "/" + v);
    } else if (k == "existing_attached_reference_file") {
      if (!d.existing) d.existing.emplace();
      d.existing->attached_reference = read_file(dir + "/" + v);
    } else if (k == "existing_proof_key") {
      if (!d.existing) d.existing.emplace();
      d.existing->proof_key = secret_from_hex(v);
    } else if (k == "supporting_token_file") {
      if (!d.supporting) d.supporting.emplace();
      d.supporting->xml = read_file(dir + "/" + v);
    } else if (k == "supporting_attached_reference_file") {
      if (!d.supporting) d.supporting.emplace();
      d.supporting->attached_reference = read_file(dir + "/" + v);
    } else if (k == "supporting_proof_key") {
      if (!d.supporting) d.supporting.emplace();
      d.supporting->proof_key = secret_from_hex(v);
    } else if (k == "local_parameters_file")
      d.local_parameters = read_file(dir + "/" + v);
    else if (k == "service_parameters_file")
      d.service_parameters = read_file(dir + "/" + v);
    else
      BOOST_FAIL(dir + "/description.txt: unknown key " + k);
  }
  if (!username.empty()) {
    username_credential u;
    u.username = username;
    u.password = wst::detail::crypto::secure_bytes(
        reinterpret_cast<const std::uint8_t*>(password.data()), password.size());
    d.username = std::move(u);
  }
  return c;
}

}  // namespace wst::test
