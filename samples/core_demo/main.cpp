// wst-core-demo: the sans-I/O WS-Trust core in one screen.
//
//   wst-core-demo [RSTR-FILE]
//
// 1. Describes a request (WS-Trust 1.3, SOAP 1.2, WS-Addressing 1.0, UsernameToken, SAML 2.0
//    token, symmetric proof key from combined entropy) and prints the RST envelope the core
//    writes for it (the password masked).
// 2. Feeds the negotiation a reply - the canned RSTR built into the program, or RSTR-FILE -
//    and prints what the issued token is: type, lifetime, references, key type and size.
//    The proof key itself is never printed.
// Exit status: 0 token obtained, 1 the reply was refused (the error is printed), 2 usage.
#include <wst/core/negotiation.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

extern const char wst_core_demo_rstr[];
extern const std::size_t wst_core_demo_rstr_size;

namespace core = wst::detail::core;
namespace crypto = wst::detail::crypto;

namespace {

core::request_description demo_request() {
  core::request_description d;
  d.sts_address = "https://sts.contoso.test/adfs/services/trust/13/usernamemixed";
  d.soap = core::soap_version::soap12;
  d.addressing = core::addressing_version::v1_0;
  d.trust = core::trust_version::v1_3;
  d.applies_to = "https://app.contoso.test/";
  d.issued_token_type = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";
  d.key = core::key_type::symmetric;
  d.entropy = core::key_entropy::combined;
  core::username_credential user;
  user.username = "alice@contoso.test";
  const std::string password = "demo-password";
  user.password =
      crypto::secure_bytes(reinterpret_cast<const std::uint8_t*>(password.data()), password.size());
  d.username = std::move(user);
  return d;
}

// The envelope with the UsernameToken password replaced by asterisks.
std::string masked(std::string envelope) {
  const std::string open = "#PasswordText\">";
  const auto b = envelope.find(open);
  const auto e = envelope.find("</o:Password>", b);
  if (b != std::string::npos && e != std::string::npos)
    envelope.replace(b + open.size(), e - b - open.size(), "********");
  return envelope;
}

std::string lifetime_end(const std::optional<core::datetime>& t) {
  return t ? t->to_string() : std::string("unbounded");
}

std::string element_name(const std::string& xml) {
  const auto end = xml.find_first_of(" />");
  return xml.substr(1, end == std::string::npos ? std::string::npos : end - 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 ||
      (argc == 2 && (std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help"))) {
    std::fprintf(stderr, "usage: %s [RSTR-FILE]\n", argv[0]);
    return 2;
  }
  std::string reply(wst_core_demo_rstr, wst_core_demo_rstr_size);
  std::string source = "the built-in RSTR (tests/data/bench/response.xml)";
  if (argc == 2) {
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
      return 2;
    }
    std::ostringstream s;
    s << in.rdbuf();
    reply = s.str();
    source = argv[1];
  }

  core::negotiation n(demo_request(), core::system_environment());
  auto out = n.start();
  if (!out) {
    std::cerr << "cannot build the request: " << out.error().describe() << "\n";
    return 1;
  }
  std::cout << "== RST: " << out->bytes.size() << " bytes, SOAP 1.2, action " << out->action << "\n"
            << masked(out->bytes) << "\n\n";

  std::cout << "== reply: " << source << ", " << reply.size() << " bytes\n";
  auto tok = n.on_reply(reply);
  if (!tok) {
    std::cout << "refused: " << tok.error().describe() << "\n";
    if (n.fault() && !n.fault()->detail.empty())
      std::cout << "fault detail: " << n.fault()->detail << "\n";
    return 1;
  }
  std::cout << "token type:      " << tok->token_type << "\n"
            << "token:           <" << element_name(tok->xml) << ">, " << tok->xml.size()
            << " bytes, kept byte for byte\n"
            << "valid from:      " << lifetime_end(tok->valid_from) << "\n"
            << "valid till:      " << lifetime_end(tok->valid_till) << "\n"
            << "key type:        " << core::to_string(tok->key) << "\n"
            << "proof key:       " << tok->key_size_bits << " bits (not shown)\n";
  if (!tok->context_id.empty()) std::cout << "context id:      " << tok->context_id << "\n";
  std::cout << "attached ref:    "
            << (tok->attached_reference.empty() ? "none" : tok->attached_reference) << "\n"
            << "unattached ref:  "
            << (tok->unattached_reference.empty() ? "none" : tok->unattached_reference) << "\n";
  return 0;
}
