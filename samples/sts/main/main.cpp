// wst-sample-sts: the sample security token service (see docs/sts.md and --help).
#include "options.hpp"
#include "server.hpp"

#include <wst/sts/errc.hpp>
#include <wst/sts/issuer.hpp>
#include <wst/sts/replay.hpp>
#include <wst/sts/service.hpp>

#include <pthread.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

using namespace wst::detail;
using namespace wst::detail::sts;

namespace {

constexpr std::size_t max_pem_file = 1 << 20;

result<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure(errc::bad_key_material, "cannot read '" + path + "'");
  std::string text;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_pem_file)
      return failure(errc::bad_key_material, "'" + path + "' is too large");
  }
  return text;
}

result<signing_identity> make_identity(const server_options& o) {
  if (!o.key_file.empty()) {
    auto key = read_small_file(o.key_file);
    if (!key) return std::move(key).error();
    auto cert = read_small_file(o.cert_file);
    if (!cert) return std::move(cert).error();
    auto id = signing_identity::from_pem(*key, *cert);
    key->assign(key->size(), '\0');
    return id;
  }
  // A CA and a server certificate it issued, naming localhost, 127.0.0.1 and every IPv4
  // address listened on, so that a TLS client trusting the CA can check the printed URL's host.
  std::vector<std::string> ipv4 = {"127.0.0.1"};
  for (const auto& a : o.listen) {
    if (!a.unix_socket && !a.ipv6 && a.bind_host != "127.0.0.1" && a.bind_host != "0.0.0.0")
      ipv4.push_back(a.bind_host);
  }
  return signing_identity::generate_with_ca({"localhost"}, ipv4);
}

int fail(const std::string& what, int code) {
  std::cerr << "wst-sample-sts: " << what << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are taken synchronously by the main thread; every thread started later inherits
  // this mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto parsed = parse_command_line(argc, argv);
  if (!parsed) return fail(parsed.error().message + " (see --help)", 2);
  const server_options& o = *parsed;
  if (o.help) {
    std::cout << usage();
    return 0;
  }

  auto identity = make_identity(o);
  if (!identity) return fail(identity.error().describe(), 1);
  // TLS presents the chain; clients trust the CA (or the given certificate itself).
  const std::string ca_pem = identity->ca ? identity->ca->to_pem() : std::string();
  const std::string chain_pem = identity->cert.to_pem() + ca_pem;
  std::string key_pem = o.https ? identity->key.to_pem() : std::string();
  if (!o.cert_out.empty()) {
    std::ofstream out(o.cert_out, std::ios::binary | std::ios::trunc);
    const std::string& trust = identity->ca ? ca_pem : chain_pem;
    if (!(out << trust) || !out.flush()) return fail("cannot write '" + o.cert_out + "'", 1);
  }

  std::unique_ptr<responder> answers;
  const issuer* counters = nullptr;
  if (!o.replay_file.empty()) {
    auto replay = replay_responder::load(o.replay_file, o.issuer.lifetime, system_clock(),
                                         crypto::system_random());
    if (!replay) return fail(replay.error().describe(), 1);
    answers = std::move(*replay);
  } else {
    std::unique_ptr<user_table> users;
    if (!o.users_file.empty()) {
      auto table = user_table::load(o.users_file);
      if (!table) return fail(table.error().describe(), 1);
      users = std::make_unique<user_table>(std::move(*table));
    }
    auto engine = std::make_unique<issuer>(o.issuer, std::move(*identity), std::move(users),
                                           system_clock(), crypto::system_random());
    counters = engine.get();
    answers = std::move(engine);
  }
  service svc(std::move(answers), counters, o.fault);

  server srv(o, svc, server::tls_identity{chain_pem, std::move(key_pem)});
  auto urls = srv.start();
  if (!urls) return fail(urls.error().describe(), 1);
  for (const auto& u : *urls) std::cout << "listening " << u << "\n";
  std::cout.flush();

  int sig = 0;
  sigwait(&stop_signals, &sig);

  auto stopped = srv.stop();
  for (const auto& a : o.listen)
    if (a.unix_socket) ::unlink(a.path.c_str());
  std::cout << "served " << svc.served() << " requests\n";
  std::cout.flush();
  if (!stopped) return fail("unclean stop: " + stopped.error().describe(), 1);
  return 0;
}
