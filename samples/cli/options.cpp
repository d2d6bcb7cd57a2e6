// Command-line parsing for wst-token.
#include "cli.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace wst_token {
namespace {

const std::map<std::string, std::string> token_type_aliases = {
    {"saml11", "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1"},
    {"saml20", "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0"},
};

bool parse_uint(const std::string& s, unsigned long long max, unsigned long long& out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
  if (errno != 0 || v > max) return false;
  out = v;
  return true;
}

// Reads the first line of a file (a password file), without the line break.
bool read_first_line(const std::string& path, std::string& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::getline(in, out);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return true;
}

}  // namespace

std::string usage() {
  return R"(usage: wst-token --sts URL [options]

Obtains a security token from a WS-Trust STS and prints a summary of it.

The STS and the protocol:
  --sts URL                 STS endpoint (http://, https://, or a registered scheme)
  --trust 2005|1.3          WS-Trust version (default 2005)
  --soap 1.1|1.2            SOAP version (default 1.2)
  --addressing 1.0|2004     WS-Addressing version (default 1.0)
  --sc 2005|1.3             WS-SecureConversation version for SCTs (default 2005)
What to ask for:
  --applies-to URL          relying party the token is for
  --token-type T            saml11, saml20, sct, or a token type URI (default: none sent)
  --action issue|new-context
                            RST/Issue (default) or an SCT through RST/SCT
  --key-type bearer|symmetric
                            proof key type (default: none sent, the STS decides)
  --key-size BITS           proof key size
  --entropy client|server|combined
                            who contributes the proof key (default server)
Credentials and TLS:
  --username U              WS-Security UsernameToken (use https)
  --password P | --password-env VAR | --password-file FILE
  --basic-user U            HTTP Basic authentication, with --basic-password-env VAR
                            or --basic-password-file FILE
  --ca-file FILE            PEM CA certificates to trust instead of the system bundle
  --client-cert FILE --client-key FILE
                            PEM certificate chain and PKCS#8 key for mutual TLS
  --insecure                do not verify the STS certificate (tests only)
  --timeout SECONDS         limit for the whole negotiation (default: WWSAPI timeouts)
Output:
  --json                    print the result (or the error) as one JSON object
  --token                   also print the token XML
  --show-key                also print the proof key (hex); it is a secret
  --output FILE             write the token XML to FILE (created with mode 0600)
  --help                    this text

Exit codes: 0 token obtained, 1 internal error, 2 bad command line, 3 invalid or
unsupported request / unreadable TLS files, 4 STS unreachable or busy (retry may help),
5 TLS failure, 6 STS refused (SOAP fault, 401), 7 unusable response, 8 aborted.
)";
}

std::optional<int> parse_command_line(int argc, char** argv, cli_options& out, std::string& message) {
  wst::request_options& r = out.request;
  r.use_cache = false;
  std::optional<std::string> user, password, basic_user, basic_password, token_type;

  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&](std::string& v) -> bool {
      if (i + 1 >= argc) {
        message = "option " + flag + " needs a value";
        return false;
      }
      v = argv[++i];
      return true;
    };
    auto bad = [&](const std::string& v) -> std::optional<int> {
      message = "invalid value '" + v + "' for " + flag + " (see --help)";
      return exit_usage;
    };
    std::string v;
    if (flag == "--help" || flag == "-h") {
      message = usage();
      return exit_ok;
    } else if (flag == "--json") {
      out.json = true;
    } else if (flag == "--token") {
      out.show_token = true;
    } else if (flag == "--show-key") {
      out.show_key = true;
    } else if (flag == "--insecure") {
      r.tls.verify_peer = false;
      r.tls.verify_host_name = false;
    } else if (!value(v)) {
      return exit_usage;
    } else if (flag == "--sts") {
      r.sts_url = v;
    } else if (flag == "--trust") {
      if (v == "2005") r.trust = wst::trust_version::feb2005;
      else if (v == "1.3") r.trust = wst::trust_version::v1_3;
      else return bad(v);
    } else if (flag == "--sc") {
      if (v == "2005") r.secure_conversation = wst::secure_conversation_version::feb2005;
      else if (v == "1.3") r.secure_conversation = wst::secure_conversation_version::v1_3;
      else return bad(v);
    } else if (flag == "--soap") {
      if (v == "1.1") r.soap = wst::soap_version::soap11;
      else if (v == "1.2") r.soap = wst::soap_version::soap12;
      else return bad(v);
    } else if (flag == "--addressing") {
      if (v == "1.0") r.addressing = wst::addressing_version::v1_0;
      else if (v == "2004") r.addressing = wst::addressing_version::aug2004;
      else return bad(v);
    } else if (flag == "--applies-to") {
      r.applies_to = v;
    } else if (flag == "--token-type") {
      if (v != "sct" && !token_type_aliases.count(v) && v.find(':') == std::string::npos)
        return bad(v);
      token_type = v;  // resolved once --sc is known
    } else if (flag == "--action") {
      if (v == "issue") r.action = wst::request_action::issue;
      else if (v == "new-context") r.action = wst::request_action::new_context;
      else return bad(v);
    } else if (flag == "--key-type") {
      if (v == "bearer") r.key = wst::key_type::bearer;
      else if (v == "symmetric") r.key = wst::key_type::symmetric;
      else return bad(v);
    } else if (flag == "--key-size") {
      unsigned long long bits = 0;
      if (!parse_uint(v, 1u << 20, bits)) return bad(v);
      r.key_size_bits = static_cast<std::uint32_t>(bits);
    } else if (flag == "--entropy") {
      if (v == "client") r.entropy = wst::key_entropy::client_only;
      else if (v == "server") r.entropy = wst::key_entropy::server_only;
      else if (v == "combined") r.entropy = wst::key_entropy::combined;
      else return bad(v);
    } else if (flag == "--username") {
      user = v;
    } else if (flag == "--password") {
      password = v;
    } else if (flag == "--password-env" || flag == "--basic-password-env") {
      const char* e = std::getenv(v.c_str());
      if (!e) {
        message = "environment variable " + v + " is not set";
        return exit_usage;
      }
      (flag == "--password-env" ? password : basic_password) = std::string(e);
    } else if (flag == "--password-file" || flag == "--basic-password-file") {
      std::string line;
      if (!read_first_line(v, line)) {
        message = "cannot read " + v + ": " + std::strerror(errno);
        return exit_usage;
      }
      (flag == "--password-file" ? password : basic_password) = std::move(line);
    } else if (flag == "--basic-user") {
      basic_user = v;
    } else if (flag == "--ca-file") {
      r.tls.ca_file = v;
    } else if (flag == "--client-cert") {
      r.tls.client_certificate_file = v;
    } else if (flag == "--client-key") {
      r.tls.client_key_file = v;
    } else if (flag == "--timeout") {
      unsigned long long s = 0;
      if (!parse_uint(v, 86400, s) || s == 0) return bad(v);
      r.time.negotiation = std::chrono::seconds(s);
    } else if (flag == "--output") {
      out.output_file = v;
    } else {
      message = "unknown option " + flag + " (see --help)";
      return exit_usage;
    }
  }

  if (r.sts_url.empty()) {
    message = "--sts URL is required (see --help)";
    return exit_usage;
  }
  if (user.has_value() != password.has_value()) {
    message = "--username and a password option go together";
    return exit_usage;
  }
  if (token_type) {
    if (*token_type == "sct") {
      r.token_type = r.secure_conversation == wst::secure_conversation_version::v1_3
                         ? "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512/sct"
                         : "http://schemas.xmlsoap.org/ws/2005/02/sc/sct";
    } else if (auto it = token_type_aliases.find(*token_type); it != token_type_aliases.end()) {
      r.token_type = it->second;
    } else {
      r.token_type = *token_type;
    }
  }
  if (user) r.username = wst::credentials{*user, *password};
  if (basic_user.has_value() != basic_password.has_value()) {
    message = "--basic-user and a basic password option go together";
    return exit_usage;
  }
  if (basic_user) r.basic = wst::credentials{*basic_user, *basic_password};
  return std::nullopt;
}

}  // namespace wst_token
