#include "options.hpp"

#include <string_view>
#include <thread>

namespace wst::detail::sts {

namespace {

failure bad(std::string m) {
  return failure(std::make_error_code(std::errc::invalid_argument), std::move(m));
}

result<std::uint64_t> number(std::string_view flag, std::string_view text, std::uint64_t lo,
                             std::uint64_t hi) {
  std::uint64_t v = 0;
  bool ok = !text.empty() && text.size() <= 12;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    if (ok) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok || v < lo || v > hi)
    return bad(std::string(flag) + " needs a number in " + std::to_string(lo) + ".." +
               std::to_string(hi) + ", not '" + std::string(text) + "'");
  return v;
}

bool is_ipv4(std::string_view h) {
  int dots = 0, digits = 0;
  for (char c : h) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (c >= '0' && c <= '9' && ++digits <= 3) {
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

}  // namespace

const char* usage() noexcept {
  return R"(Usage: wst-sample-sts [options]

A WS-Trust security token service for developing, testing and benchmarking wst (not for
production). It issues signed SAML 1.1 / 2.0 assertions and security context tokens over
WS-Trust February 2005 and 1.3, SOAP 1.1 and 1.2. Once ready it prints one line
"listening <url>" per listener; SIGTERM or SIGINT stops it (exit code 0).

Listening:
  --listen ADDR          127.0.0.1:PORT, [::1]:PORT, localhost:PORT or unix:PATH; PORT 0
                         picks a free port. Repeatable. Default 127.0.0.1:0.
  --https                serve HTTPS (TLS 1.2) on every listener
  --key FILE --cert FILE PKCS#8 private key and certificate (PEM) for signing and TLS;
                         without them a CA and an RSA-2048 server certificate it issued
                         (localhost, 127.0.0.1, the IPv4 addresses listened on) are
                         generated at start
  --cert-out FILE        write what clients should trust (PEM): the generated CA, or the
                         --cert certificate
  --threads N            worker threads building replies (default: CPU count, 1..256)
  --max-connections N    concurrent connections (default 10000)
  --idle-timeout SECONDS close a connection idle this long between requests (default 60)
  --max-request BYTES    largest request body (default 65536)

Issuing:
  --users FILE           accounts, one "user:password" per line; callers must then
                         authenticate (wsse:UsernameToken or HTTP Basic). Without it every
                         caller is served.
  --lifetime SECONDS     lifetime of issued tokens and contexts (default 3600)
  --issuer NAME          SAML issuer (default urn:wst:sample-sts)
  --token-type saml11|saml20   token issued when the RST names none (default saml20)
  --client-entropy combine|key  client entropy alone: combine with server entropy
                         (CK/PSHA1, default) or use it as the key

Test modes:
  --replay FILE          answer every POST with FILE's bytes; {{MessageID}} becomes the
                         request's wsa:MessageID, {{Context}} its RST@Context
                         ({{NewMessageID}}, {{Created}}, {{Expires}} too)
  --fault KIND[:ARG]     misbehave on every POST: delay:MS, reset[:BYTES], truncate[:BYTES],
                         garbage[:BYTES], http500, stall, ctype:CONTENT-TYPE

  GET /stats returns {"served":N,"issued":N,"renewed":N,"faults":N}.
  --help                 this text
)";
}

result<listen_address> parse_listen_address(const std::string& text) {
  listen_address a;
  if (text.rfind("unix:", 0) == 0) {
    a.unix_socket = true;
    a.path = text.substr(5);
    if (a.path.empty()) return bad("--listen unix: needs a socket path");
    if (a.path.size() > 100) return bad("--listen unix: path longer than 100 bytes");
    return a;
  }
  std::string_view t = text;
  std::string_view host, port;
  if (!t.empty() && t.front() == '[') {
    const std::size_t close = t.find(']');
    if (close == std::string_view::npos || close + 1 >= t.size() || t[close + 1] != ':')
      return bad("--listen '" + text + "': expected [IPv6]:PORT");
    host = t.substr(1, close - 1);
    port = t.substr(close + 2);
    a.ipv6 = true;
  } else {
    const std::size_t colon = t.rfind(':');
    if (colon == std::string_view::npos)
      return bad("--listen '" + text + "': expected HOST:PORT or unix:PATH");
    host = t.substr(0, colon);
    port = t.substr(colon + 1);
  }
  auto p = number("--listen port", port, 0, 65535);
  if (!p) return std::move(p).error();
  a.port = static_cast<std::uint16_t>(*p);
  a.host = std::string(host);
  if (a.ipv6) {
    if (host.empty() ||
        host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
      return bad("--listen '" + text + "': not an IPv6 address");
    a.bind_host = a.host;
  } else if (host == "localhost") {
    a.bind_host = "127.0.0.1";
  } else if (is_ipv4(host)) {
    a.bind_host = a.host;
  } else {
    return bad("--listen '" + text + "': the host must be an IP address or localhost");
  }
  return a;
}

result<server_options> parse_command_line(int argc, const char* const* argv) {
  server_options o;
  const unsigned cpus = std::thread::hardware_concurrency();
  o.threads = cpus == 0 ? 2 : cpus > 256 ? 256 : cpus;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    static constexpr std::string_view valued[] = {
        "--listen",          "--users",        "--key",           "--cert",
        "--cert-out",        "--replay",       "--fault",         "--threads",
        "--max-connections", "--idle-timeout", "--max-request",   "--lifetime",
        "--issuer",          "--token-type",   "--client-entropy"};
    std::string v;
    for (auto name : valued) {
      if (flag != name) continue;
      if (i + 1 >= argc) return bad(std::string(flag) + " needs a value");
      v = argv[++i];
    }
    if (flag == "--help" || flag == "-h") {
      o.help = true;
    } else if (flag == "--listen") {
      auto a = parse_listen_address(v);
      if (!a) return std::move(a).error();
      o.listen.push_back(std::move(*a));
    } else if (flag == "--https") {
      o.https = true;
    } else if (flag == "--users") {
      o.users_file = v;
    } else if (flag == "--key") {
      o.key_file = v;
    } else if (flag == "--cert") {
      o.cert_file = v;
    } else if (flag == "--cert-out") {
      o.cert_out = v;
    } else if (flag == "--replay") {
      o.replay_file = v;
    } else if (flag == "--fault") {
      auto f = fault_spec::parse(v);
      if (!f) return bad("--fault: " + f.error().message);
      o.fault = *f;
    } else if (flag == "--threads") {
      auto n = number(flag, v, 1, 256);
      if (!n) return std::move(n).error();
      o.threads = *n;
    } else if (flag == "--max-connections") {
      auto n = number(flag, v, 1, 1000000);
      if (!n) return std::move(n).error();
      o.max_connections = *n;
    } else if (flag == "--idle-timeout") {
      auto n = number(flag, v, 1, 86400);
      if (!n) return std::move(n).error();
      o.idle_timeout = std::chrono::seconds(*n);
    } else if (flag == "--max-request") {
      auto n = number(flag, v, 1024, 16 << 20);
      if (!n) return std::move(n).error();
      o.issuer.max_request_bytes = *n;
    } else if (flag == "--lifetime") {
      auto n = number(flag, v, 1, 31536000);
      if (!n) return std::move(n).error();
      o.issuer.lifetime = std::chrono::seconds(*n);
    } else if (flag == "--issuer") {
      if (v.empty() || v.size() > 1024) return bad("--issuer needs a name of 1..1024 bytes");
      o.issuer.issuer_name = v;
    } else if (flag == "--token-type") {
      if (v == "saml11") {
        o.issuer.default_saml = saml_version::v11;
      } else if (v == "saml20") {
        o.issuer.default_saml = saml_version::v20;
      } else {
        return bad("--token-type is saml11 or saml20, not '" + v + "'");
      }
    } else if (flag == "--client-entropy") {
      if (v == "combine") {
        o.issuer.client_entropy = client_entropy_policy::combine;
      } else if (v == "key") {
        o.issuer.client_entropy = client_entropy_policy::use_as_key;
      } else {
        return bad("--client-entropy is combine or key, not '" + v + "'");
      }
    } else {
      return bad("unknown option '" + std::string(flag) + "'");
    }
  }
  if (o.key_file.empty() != o.cert_file.empty()) return bad("--key and --cert go together");
  if (!o.replay_file.empty() && !o.users_file.empty())
    return bad("--replay answers every request from the file; --users has no effect with it");
  if (o.listen.empty()) {
    auto a = parse_listen_address("127.0.0.1:0");
    o.listen.push_back(std::move(*a));
  }
  return o;
}

}  // namespace wst::detail::sts
