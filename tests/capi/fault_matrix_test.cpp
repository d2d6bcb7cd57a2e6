// The fault matrix of WsRequestSecurityToken: every way the network, the server or TLS can
// fail a negotiation, each mapped to its HRESULT and the channel state it leaves (the table in
// docs/capi.md, "Fault matrix", is this file's `matrix()`), checked synchronously and through
// WS_ASYNC_CONTEXT with both callback models (see fault_matrix_test.hpp for every check).
//
// The first half is the machinery shared with hostile_test.cpp; the matrix follows.
#include "fault_matrix_test.hpp"

#include "canned_replies.h"
#include "sts_process.h"

#include <wst/transport.hpp>

#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/x509_ca.h>
#include <botan/x509_ext.h>

#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace wst::test::faults {

namespace {

using namespace std::chrono_literals;

WS_SECURITY_TOKEN* const sentinel =
    reinterpret_cast<WS_SECURITY_TOKEN*>(std::uintptr_t{0x5e471ae1});

std::wstring widen(const std::string& s) { return std::wstring(s.begin(), s.end()); }

std::string utf8(const WCHAR* chars, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::uint32_t>(chars[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

const char* state_name(WS_CHANNEL_STATE s) {
  switch (s) {
    case WS_CHANNEL_STATE_CREATED:
      return "CREATED";
    case WS_CHANNEL_STATE_OPENING:
      return "OPENING";
    case WS_CHANNEL_STATE_ACCEPTING:
      return "ACCEPTING";
    case WS_CHANNEL_STATE_OPEN:
      return "OPEN";
    case WS_CHANNEL_STATE_FAULTED:
      return "FAULTED";
    case WS_CHANNEL_STATE_CLOSING:
      return "CLOSING";
    case WS_CHANNEL_STATE_CLOSED:
      return "CLOSED";
  }
  return "(no state)";
}

WS_CHANNEL_STATE state_of(WS_CHANNEL* channel) {
  WS_CHANNEL_STATE s = static_cast<WS_CHANNEL_STATE>(-1);
  if (WsGetChannelProperty(channel, WS_CHANNEL_PROPERTY_STATE, &s, sizeof s, nullptr) != S_OK)
    return static_cast<WS_CHANNEL_STATE>(-1);
  return s;
}

// --- loopback sockets --------------------------------------------------------------------------

struct fd_holder {
  std::vector<int> fds;
  ~fd_holder() {
    for (int fd : fds) ::close(fd);
  }
};

int loopback_socket(sockaddr_in* where) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind() to 127.0.0.1:0 failed");
  }
  *where = a;
  return fd;
}

std::string url_of(const sockaddr_in& a, const char* scheme) {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/";
}

// A listener with a thread that accepts each connection, reads what the client sent first (so
// the close is an orderly FIN, not a reset over unread bytes) and hangs up.
struct hang_up_listener {
  int fd = -1;
  std::atomic<bool> stop{false};
  std::thread thread;
  ~hang_up_listener() {
    stop = true;
    if (thread.joinable()) thread.join();
    if (fd >= 0) ::close(fd);
  }
  void run() {
    while (!stop) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int c = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      pollfd q{c, POLLIN, 0};
      char buf[4096];
      if (::poll(&q, 1, 2000) > 0) (void)::recv(c, buf, sizeof buf, MSG_DONTWAIT);
      ::close(c);
    }
  }
};

// --- an in-test transport whose streams stall (public wst/transport.hpp)
// --------------------------

// connect() or write() never completes: what a resolver or a peer that stops reading does,
// which loopback cannot show (see the matrix). close() aborts what is pending, as the
// byte_stream contract says.
class stalled_stream final : public wst::byte_stream {
 public:
  stalled_stream(wst::event_loop& loop, bool stall_connect)
      : loop_(loop), stall_connect_(stall_connect) {}
  void connect(completion done) override {
    if (stall_connect_) {
      pending_connect_ = std::move(done);
      return;
    }
    loop_.post([done = std::move(done)] { done({}); });
  }
  void write(std::string, completion done) override { pending_write_ = std::move(done); }
  void start_read(data_handler on_data) override { reader_ = std::move(on_data); }
  void stop_read() override { reader_ = nullptr; }
  void close(completion done) override {
    loop_.post([c = std::exchange(pending_connect_, nullptr),
                w = std::exchange(pending_write_, nullptr), r = std::exchange(reader_, nullptr),
                done = std::move(done)] {
      const std::error_code aborted = wst::transport_errc::aborted;
      if (c) c(aborted);
      if (w) w(aborted);
      if (r) r(aborted, nullptr, 0);
      if (done) done({});
    });
  }

 private:
  wst::event_loop& loop_;
  bool stall_connect_;
  completion pending_connect_, pending_write_;
  data_handler reader_;
};

class stalled_transport final : public wst::transport {
 public:
  explicit stalled_transport(bool stall_connect) : stall_connect_(stall_connect) {}
  std::unique_ptr<wst::byte_stream> create_stream(const wst::endpoint&,
                                                  wst::stream_context& ctx) override {
    return std::make_unique<stalled_stream>(ctx.loop(), stall_connect_);
  }

 private:
  bool stall_connect_;
};

std::shared_ptr<void> stalled_scheme(const std::string& scheme, bool stall_connect,
                                     std::string* url) {
  if (wst::register_transport(scheme, std::make_shared<stalled_transport>(stall_connect)))
    throw std::runtime_error("cannot register the transport for " + scheme);
  *url = scheme + "://sts.test/trust";
  return std::shared_ptr<void>(nullptr, [scheme](void*) { wst::unregister_transport(scheme); });
}

// --- certificates for the TLS rows ------------------------------------------------------------

// A fresh CA (ECDSA P-256) and, for the RSA key of tests/sts/data (which the sample STS signs
// with), certificates for localhost/127.0.0.1 (one current, one expired) and a current one for
// another host, written as PEM files into `dir`. The current one is the control: it is accepted,
// so the other two fail for their own flaw.
struct tls_files {
  std::string ca, valid, expired, wrong_host;
};

tls_files make_tls_files(temp_dir& dir) {
  Botan::AutoSeeded_RNG rng;
  std::ifstream in(pki_dir() + "/localhost-key.pem");
  std::stringstream key_pem;
  key_pem << in.rdbuf();
  Botan::DataSource_Memory key_source(key_pem.str());
  const std::unique_ptr<Botan::Private_Key> server_key = Botan::PKCS8::load_key(key_source);
  Botan::ECDSA_PrivateKey ca_key(rng, Botan::EC_Group("secp256r1"));

  const auto now = std::chrono::system_clock::now();
  auto name = [](const std::string& cn) {
    Botan::X509_DN dn;
    dn.add_attribute("X520.Organization", "wst fault matrix");
    dn.add_attribute("X520.CommonName", cn);
    return dn;
  };
  Botan::AlgorithmIdentifier sig_algo;
  std::unique_ptr<Botan::PK_Signer> signer(
      Botan::choose_sig_format(ca_key, rng, "SHA-256", sig_algo));
  Botan::Extensions ca_ext;
  ca_ext.add(new Botan::Cert_Extension::Basic_Constraints(true, 0), true);
  ca_ext.add(new Botan::Cert_Extension::Key_Usage(
                 Botan::Key_Constraints(Botan::KEY_CERT_SIGN | Botan::CRL_SIGN)),
             true);
  ca_ext.add(new Botan::Cert_Extension::Subject_Key_ID(ca_key.public_key_bits(), "SHA-256"));
  const Botan::X509_Certificate ca =
      Botan::X509_CA::make_cert(signer.get(), rng, sig_algo, ca_key.subject_public_key(),
                                Botan::X509_Time(now - 72h), Botan::X509_Time(now + 24h * 365),
                                name("wst fault matrix CA"), name("wst fault matrix CA"), ca_ext);

  auto leaf = [&](const std::string& dns, const std::string& ip, std::chrono::hours from,
                  std::chrono::hours to) {
    Botan::Extensions ext;
    ext.add(new Botan::Cert_Extension::Basic_Constraints(false), true);
    ext.add(new Botan::Cert_Extension::Key_Usage(
                Botan::Key_Constraints(Botan::DIGITAL_SIGNATURE | Botan::KEY_ENCIPHERMENT)),
            true);
    ext.add(new Botan::Cert_Extension::Extended_Key_Usage(
        {Botan::OID::from_string("PKIX.ServerAuth")}));
    ext.add(new Botan::Cert_Extension::Subject_Alternative_Name(
        Botan::AlternativeName("", "", dns, ip)));
    ext.add(new Botan::Cert_Extension::Authority_Key_ID(ca.subject_key_id()));
    return Botan::X509_CA::make_cert(signer.get(), rng, sig_algo, server_key->subject_public_key(),
                                     Botan::X509_Time(now + from), Botan::X509_Time(now + to),
                                     ca.subject_dn(), name(dns), ext)
        .PEM_encode();
  };
  tls_files f;
  f.ca = dir.write("ca.pem", ca.PEM_encode());
  f.valid = dir.write("valid.pem", leaf("localhost", "127.0.0.1", -1h, 48h));
  f.expired = dir.write("expired.pem", leaf("localhost", "127.0.0.1", -48h, -24h));
  f.wrong_host = dir.write("wrong-host.pem", leaf("other.example", "", -1h, 48h));
  return f;
}

// --- one request -------------------------------------------------------------------------------

enum class mode { sync, async_long, async_short };

const char* mode_name(mode m) {
  return m == mode::sync ? "synchronous" : m == mode::async_long ? "async long" : "async short";
}

// A channel's properties and security description, built as WWSAPI code builds them; the
// structures point into each other, so the object stays where it was made.
struct channel_parts {
  std::vector<ULONG> values;
  std::vector<WS_CHANNEL_PROPERTY> props;
  WS_CALLBACK_MODEL model = WS_LONG_CALLBACK;
  std::wstring ca, user, password, url;
  WS_STRING ca_string{};
  WS_SECURITY_BINDING_PROPERTY ssl_prop{};
  WS_SSL_TRANSPORT_SECURITY_BINDING ssl{};
  ULONG scheme = WS_HTTP_HEADER_AUTH_SCHEME_BASIC;
  WS_SECURITY_BINDING_PROPERTY http_prop{};
  WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL basic{};
  WS_HTTP_HEADER_AUTH_SECURITY_BINDING http{};
  WS_SECURITY_BINDING* bindings[2] = {};
  WS_SECURITY_DESCRIPTION description{};

  channel_parts(const channel_parts&) = delete;
  channel_parts& operator=(const channel_parts&) = delete;
  channel_parts(const channel_options& o, mode m) {
    values.reserve(o.properties.size());
    for (const auto& [id, value] : o.properties) {
      values.push_back(value);
      props.push_back({id, &values.back(), sizeof(ULONG)});
    }
    if (m == mode::async_short) {
      model = WS_SHORT_CALLBACK;
      props.push_back({WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, &model, sizeof model});
    }
    url = widen(o.url);
    if (o.ssl) {
      ssl.binding.bindingType = WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE;
      if (!o.trusted_ca.empty()) {
        ca = widen(o.trusted_ca);
        ca_string = {static_cast<ULONG>(ca.size()), ca.data()};
        ssl_prop = {WS_SECURITY_BINDING_PROPERTY_PEM_FILE_TRUSTED_CA, &ca_string, sizeof ca_string};
        ssl.binding.properties = &ssl_prop;
        ssl.binding.propertyCount = 1;
      }
      bindings[description.securityBindingCount++] = &ssl.binding;
    }
    if (o.basic) {
      user = widen(o.basic->first);
      password = widen(o.basic->second);
      http.binding.bindingType = WS_HTTP_HEADER_AUTH_SECURITY_BINDING_TYPE;
      http_prop = {WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_SCHEME, &scheme, sizeof scheme};
      http.binding.properties = &http_prop;
      http.binding.propertyCount = 1;
      basic.credential.credentialType = WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE;
      basic.username = {static_cast<ULONG>(user.size()), user.data()};
      basic.password = {static_cast<ULONG>(password.size()), password.data()};
      http.clientCredential = &basic.credential;
      bindings[description.securityBindingCount++] = &http.binding;
    }
    description.securityBindings = bindings;
  }

  // A channel opened at the URL, or null (the reason in *why).
  WS_CHANNEL* open(std::string* why) {
    WS_CHANNEL* channel = nullptr;
    HRESULT hr = WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, props.data(),
                                 static_cast<ULONG>(props.size()),
                                 description.securityBindingCount ? &description : nullptr,
                                 &channel, nullptr);
    if (hr != S_OK) {
      *why = "WsCreateChannel returned " + hresult_name(hr);
      return nullptr;
    }
    WS_ENDPOINT_ADDRESS address{};
    address.url = {static_cast<ULONG>(url.size()), url.data()};
    hr = WsOpenChannel(channel, &address, nullptr, nullptr);
    if (hr != S_OK) {
      *why = "WsOpenChannel returned " + hresult_name(hr);
      WsFreeChannel(channel);
      return nullptr;
    }
    return channel;
  }
};

// What the WS_ASYNC_CONTEXT callback saw. Allocated on the heap and released only once the
// callback ran (or never, when it did not come: a late callback then finds it alive).
struct callback_record {
  std::mutex mu;
  std::condition_variable cv;
  int calls = 0;
  HRESULT hr = 0;
  WS_CALLBACK_MODEL model = WS_LONG_CALLBACK;
  HRESULT error_code = 0;  // ORIGINAL_ERROR_CODE inside the callback
  ULONG error_strings = 0;
  WS_CHANNEL_STATE state = WS_CHANNEL_STATE_CREATED;
  WS_SECURITY_TOKEN* token_seen = nullptr;
  WS_ERROR* error = nullptr;
  WS_CHANNEL* channel = nullptr;
  WS_SECURITY_TOKEN* token = sentinel;  // the call's *token
};

void CALLBACK on_complete(HRESULT hr, WS_CALLBACK_MODEL model, void* state) {
  auto* r = static_cast<callback_record*>(state);
  HRESULT code = 0;
  ULONG strings = 0;
  WsGetErrorProperty(r->error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof code);
  WsGetErrorProperty(r->error, WS_ERROR_PROPERTY_STRING_COUNT, &strings, sizeof strings);
  const WS_CHANNEL_STATE st = state_of(r->channel);
  std::lock_guard<std::mutex> lock(r->mu);
  ++r->calls;
  r->hr = hr;
  r->model = model;
  r->error_code = code;
  r->error_strings = strings;
  r->state = st;
  r->token_seen = r->token;
  r->cv.notify_all();
}

struct run_outcome {
  std::vector<std::string> contract;     // broken promises of the facade (always failures)
  std::vector<std::string> expectation;  // HRESULT, state, text differ from the matrix
  bool missing_words_present = false;    // every one of fault_case::missing_words is there
  HRESULT hr = 0;
  WS_CHANNEL_STATE state = WS_CHANNEL_STATE_CREATED;
  std::string message;
};

std::string newest_string(WS_ERROR* error, std::wstring* wide) {
  WS_STRING s{};
  if (WsGetErrorString(error, 0, &s) != S_OK) return {};
  if (wide) wide->assign(s.chars, s.length);
  return utf8(s.chars, s.length);
}

run_outcome run_once(const fault_case& c, const channel_options& o, mode m) {
  run_outcome out;
  auto expect = [&](bool ok, const std::string& what) {
    if (!ok) out.expectation.push_back(std::string(mode_name(m)) + ": " + what);
  };
  auto promise = [&](bool ok, const std::string& what) {
    if (!ok) out.contract.push_back(std::string(mode_name(m)) + ": " + what);
  };
  channel_parts parts(o, m);
  std::string why;
  WS_CHANNEL* channel = parts.open(&why);
  if (!channel) {
    promise(false, "no channel: " + why);
    return out;
  }
  WS_ERROR* error = nullptr;
  WsCreateError(nullptr, 0, &error);
  WS_SECURITY_TOKEN* token = sentinel;

  if (m == mode::sync) {
    out.hr = WsRequestSecurityToken(channel, nullptr, 0, &token, nullptr, error);
  } else {
    auto* rec = new callback_record;
    rec->error = error;
    rec->channel = channel;
    const WS_ASYNC_CONTEXT async{on_complete, rec};
    const HRESULT returned =
        WsRequestSecurityToken(channel, nullptr, 0, &rec->token, &async, error);
    std::unique_lock<std::mutex> lock(rec->mu);
    if (returned == WS_S_ASYNC) {
      if (!rec->cv.wait_for(lock, 60s, [&] { return rec->calls > 0; })) {
        promise(false, "WS_S_ASYNC but no callback within 60 s");
        // A late callback still finds its record, error object and channel (it reads the
        // channel's state): all three are left allocated.
        return out;
      }
      out.hr = rec->hr;
      if (FAILED(rec->hr)) {  // WS_ERROR and *token are final when the callback runs
        promise(rec->error_code == rec->hr,
                "ORIGINAL_ERROR_CODE inside the callback is " + hresult_name(rec->error_code));
        promise(rec->error_strings >= 1, "WS_ERROR empty inside the callback");
        promise(rec->token_seen == sentinel, "*token changed before the callback");
      }
      expect(rec->state == c.state,
             std::string("state inside the callback ") + state_name(rec->state));
      if (m == mode::async_short)
        promise(rec->model == WS_SHORT_CALLBACK, "a short-model callback ran long");
      rec->cv.wait_for(lock, 100ms, [&] { return rec->calls > 1; });
      promise(rec->calls == 1, "callback ran " + std::to_string(rec->calls) + " times");
    } else {
      out.hr = returned;
      rec->cv.wait_for(lock, 100ms, [&] { return rec->calls > 0; });
      promise(rec->calls == 0,
              "returned " + hresult_name(returned) + " itself but the callback ran as well");
    }
    token = rec->token;
    lock.unlock();
    delete rec;
  }

  std::wstring wide;
  out.message = newest_string(error, &wide);
  out.state = state_of(channel);
  HRESULT code = 0;
  WsGetErrorProperty(error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof code);
  if (SUCCEEDED(out.hr)) {
    expect(false, "succeeded (" + hresult_name(out.hr) + "), expected " + hresult_name(c.hr));
    if (token != sentinel && token != nullptr) WsFreeSecurityToken(token);
  } else {
    promise(token == sentinel, "*token was written");
    promise(code == out.hr, "ORIGINAL_ERROR_CODE " + hresult_name(code) + " is not the result");
    promise(wide.rfind(L"WsRequestSecurityToken: ", 0) == 0,
            "WS_ERROR's newest string does not name the function: '" + out.message + "'");
  }
  expect(out.hr == c.hr, "returned " + hresult_name(out.hr) + ", expected " + hresult_name(c.hr));
  expect(out.state == c.state,
         std::string("channel ") + state_name(out.state) + ", expected " + state_name(c.state));
  for (const auto& needle : c.needles)
    expect(
        wide.find(needle) != std::wstring::npos,
        "WS_ERROR text lacks '" + utf8(needle.data(), needle.size()) + "': '" + out.message + "'");

  out.missing_words_present = !c.missing_words.empty();
  for (const auto& word : c.missing_words)
    out.missing_words_present = out.missing_words_present && wide.find(word) != std::wstring::npos;

  // The state is what the channel does next: OPEN serves (and fails the same way again),
  // FAULTED refuses every request.
  if (m == mode::sync && out.state == c.state) {
    WS_SECURITY_TOKEN* again = sentinel;
    const HRESULT hr = WsRequestSecurityToken(channel, nullptr, 0, &again, nullptr, error);
    const HRESULT expected = c.state == WS_CHANNEL_STATE_FAULTED ? WS_E_INVALID_OPERATION : c.hr;
    expect(hr == expected, "a second request on the channel returned " + hresult_name(hr) +
                               ", expected " + hresult_name(expected));
    if (FAILED(hr))
      promise(again == sentinel, "*token was written by the second request");
    else if (again != sentinel && again != nullptr)
      WsFreeSecurityToken(again);
  }

  const WS_CHANNEL_STATE st = state_of(channel);
  if (st == WS_CHANNEL_STATE_OPEN || st == WS_CHANNEL_STATE_FAULTED)
    WsCloseChannel(channel, nullptr, nullptr);
  WsFreeChannel(channel);
  WsFreeError(error);
  return out;
}

// A new channel to a healthy STS obtains a token: nothing the fault did sticks to the runtime.
std::string fresh_channel_works(const std::string& url) {
  channel_options o;
  o.url = url;
  channel_parts parts(o, mode::sync);
  std::string why;
  WS_CHANNEL* channel = parts.open(&why);
  if (!channel) return "a new channel afterwards: " + why;
  WS_SECURITY_TOKEN* token = nullptr;
  const HRESULT hr = WsRequestSecurityToken(channel, nullptr, 0, &token, nullptr, nullptr);
  if (token) WsFreeSecurityToken(token);
  WsCloseChannel(channel, nullptr, nullptr);
  WsFreeChannel(channel);
  return hr == S_OK ? std::string() : "a new channel afterwards failed: " + hresult_name(hr);
}

case_result run_case(const fault_case& c, const std::string& healthy_url) {
  case_result r;
  r.name = c.name;
  provoked p;
  try {
    p = c.provoke();
  } catch (const std::exception& e) {
    r.failures.push_back(std::string("could not provoke the fault: ") + e.what());
    return r;
  }
  std::vector<std::string> soft;
  bool words_appeared = true;
  for (mode m : {mode::sync, mode::async_long, mode::async_short}) {
    run_outcome o = run_once(c, p.channel, m);
    words_appeared = words_appeared && o.missing_words_present;
    if (m == mode::sync) {
      r.message = o.message;
      r.hr = o.hr;
      r.state = o.state;
    }
    r.failures.insert(r.failures.end(), o.contract.begin(), o.contract.end());
    soft.insert(soft.end(), o.expectation.begin(), o.expectation.end());
  }
  while (!p.keep.empty()) p.keep.pop_back();  // servers go in reverse order of creation
  if (auto e = fresh_channel_works(healthy_url); !e.empty()) r.failures.push_back(e);
  if (words_appeared) {
    r.failures.push_back(
        "the WS_ERROR text now has the words marked missing: move them to the "
        "needles");
  } else if (!c.missing_words.empty()) {
    std::string words;
    for (const auto& w : c.missing_words) words += " '" + utf8(w.data(), w.size()) + "'";
    r.notes.push_back("known gap: the WS_ERROR text does not name the cause yet (wanted:" + words +
                      ")");
  }
  if (!c.known_divergence) {
    r.failures.insert(r.failures.end(), soft.begin(), soft.end());
  } else if (!soft.empty()) {
    r.notes.push_back("known divergence: " + soft.front());
  } else {
    r.failures.push_back(
        "marked as a known divergence but behaves as the matrix says now: "
        "remove the mark");
  }
  return r;
}

}  // namespace

// --- the shared pieces declared in the header ---------------------------------------------------

const std::string& sts_binary() {
  static const std::string path = WST_STS_BINARY;
  return path;
}

const std::string& pki_dir() {
  static const std::string path = WST_STS_TEST_PKI;
  return path;
}

std::shared_ptr<void> start_sts(bool https, std::vector<std::string> extra, std::string* url) {
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--threads", "1"};
  bool own_key = false;
  for (const auto& a : extra) own_key = own_key || a == "--key";
  if (!own_key) {
    for (const char* a : {"--key", "/localhost-key.pem", "--cert", "/localhost-cert.pem"})
      args.push_back(a[0] == '/' ? pki_dir() + a : a);
  }
  if (https) args.push_back("--https");
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  auto* p = new sts_process;
  if (sts_start(p, sts_binary().c_str(), argv.data()) != 0) {
    delete p;
    throw std::runtime_error("the sample STS did not start");
  }
  *url = p->url;
  return std::shared_ptr<void>(p, [](void* q) {
    auto* s = static_cast<sts_process*>(q);
    sts_stop(s);
    delete s;
  });
}

temp_dir::temp_dir() {
  char path[256];
  if (make_temp_dir(path, sizeof path) != 0) throw std::runtime_error("no temporary directory");
  dir_ = path;
}

temp_dir::~temp_dir() {
  for (const auto& f : files_) std::remove(f.c_str());
  ::rmdir(dir_.c_str());
}

std::string temp_dir::write(const std::string& name, const std::string& bytes) {
  const std::string path = dir_ + "/" + name;
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
  files_.push_back(path);
  return path;
}

std::shared_ptr<void> closed_port(std::string* url, const char* scheme) {
  auto h = std::make_shared<fd_holder>();
  sockaddr_in a{};
  h->fds.push_back(loopback_socket(&a));
  *url = url_of(a, scheme);
  return h;
}

std::shared_ptr<void> unanswered_port(std::string* url, const char* scheme) {
  auto h = std::make_shared<fd_holder>();
  sockaddr_in a{};
  const int listener = loopback_socket(&a);
  h->fds.push_back(listener);
  if (::listen(listener, 0) != 0) throw std::runtime_error("listen() failed");
  // Fill the accept queue: connect until one connection gets no answer within 200 ms.
  for (int i = 0; i < 16; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    h->fds.push_back(c);
    if (::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) continue;
    pollfd p{c, POLLOUT, 0};
    if (::poll(&p, 1, 200) == 0) {
      *url = url_of(a, scheme);
      return h;
    }
  }
  throw std::runtime_error("the accept queue did not fill up");
}

std::shared_ptr<void> silent_port(std::string* url, const char* scheme) {
  auto h = std::make_shared<fd_holder>();
  sockaddr_in a{};
  h->fds.push_back(loopback_socket(&a));
  if (::listen(h->fds[0], 64) != 0) throw std::runtime_error("listen() failed");
  *url = url_of(a, scheme);
  return h;
}

std::shared_ptr<void> hang_up_port(std::string* url, const char* scheme) {
  auto h = std::make_shared<hang_up_listener>();
  sockaddr_in a{};
  h->fd = loopback_socket(&a);
  if (::listen(h->fd, 64) != 0) throw std::runtime_error("listen() failed");
  h->thread = std::thread([p = h.get()] { p->run(); });
  *url = url_of(a, scheme);
  return h;
}

std::vector<case_result> run_cases(const std::vector<fault_case>& cases,
                                   const std::string& healthy_url, unsigned parallel) {
  std::vector<case_result> results(cases.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < parallel; ++i) {
    workers.emplace_back([&] {
      for (std::size_t k; (k = next++) < cases.size();)
        results[k] = run_case(cases[k], healthy_url);
    });
  }
  for (auto& w : workers) w.join();
  return results;
}

void report(const std::vector<fault_case>& cases, const std::vector<case_result>& results) {
  bool any_failed = false;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const case_result& r = results[i];
    BOOST_TEST_CONTEXT(r.name) {
      for (const auto& f : r.failures) BOOST_ERROR(f);
      BOOST_TEST(r.failures.empty());
    }
    any_failed = any_failed || !r.failures.empty();
  }
  for (const case_result& r : results)
    for (const auto& n : r.notes) std::cout << r.name << ": " << n << "\n";
  if (!any_failed && std::getenv("WST_TEST_VERBOSE") == nullptr) return;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const case_result& r = results[i];
    std::cout << (r.failures.empty() ? "  ok  " : "  FAIL") << " | " << r.name << " | "
              << hresult_name(r.hr) << " | " << state_name(r.state) << " | " << r.message
              << (cases[i].known_divergence ? "  [known divergence]" : "") << "\n";
  }
}

std::string hresult_name(HRESULT hr) {
  static const std::pair<HRESULT, const char*> names[] = {
      {S_OK, "S_OK"},
      {WS_S_ASYNC, "WS_S_ASYNC"},
      {E_INVALIDARG, "E_INVALIDARG"},
      {E_OUTOFMEMORY, "E_OUTOFMEMORY"},
      {E_FAIL, "E_FAIL"},
      {WS_E_INVALID_FORMAT, "WS_E_INVALID_FORMAT"},
      {WS_E_OBJECT_FAULTED, "WS_E_OBJECT_FAULTED"},
      {WS_E_INVALID_OPERATION, "WS_E_INVALID_OPERATION"},
      {WS_E_OPERATION_ABORTED, "WS_E_OPERATION_ABORTED"},
      {WS_E_ENDPOINT_ACCESS_DENIED, "WS_E_ENDPOINT_ACCESS_DENIED"},
      {WS_E_OPERATION_TIMED_OUT, "WS_E_OPERATION_TIMED_OUT"},
      {WS_E_QUOTA_EXCEEDED, "WS_E_QUOTA_EXCEEDED"},
      {WS_E_SECURITY_VERIFICATION_FAILURE, "WS_E_SECURITY_VERIFICATION_FAILURE"},
      {WS_E_ENDPOINT_NOT_FOUND, "WS_E_ENDPOINT_NOT_FOUND"},
      {WS_E_ENDPOINT_FAILURE, "WS_E_ENDPOINT_FAILURE"},
      {WS_E_ENDPOINT_UNREACHABLE, "WS_E_ENDPOINT_UNREACHABLE"},
      {WS_E_ENDPOINT_TOO_BUSY, "WS_E_ENDPOINT_TOO_BUSY"},
      {WS_E_ENDPOINT_FAULT_RECEIVED, "WS_E_ENDPOINT_FAULT_RECEIVED"},
      {WS_E_ENDPOINT_DISCONNECTED, "WS_E_ENDPOINT_DISCONNECTED"},
      {WS_E_NOT_SUPPORTED, "WS_E_NOT_SUPPORTED"},
      {WS_E_SERVER_REQUIRES_BASIC_AUTH, "WS_E_SERVER_REQUIRES_BASIC_AUTH"},
      {WS_E_INVALID_ENDPOINT_URL, "WS_E_INVALID_ENDPOINT_URL"},
      {WS_E_OTHER, "WS_E_OTHER"},
      {WS_E_SECURITY_SYSTEM_FAILURE, "WS_E_SECURITY_SYSTEM_FAILURE"},
  };
  for (const auto& [value, name] : names)
    if (value == hr) return name;
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(hr));
  return hex;
}

// --- the matrix ---------------------------------------------------------------------------------

namespace {

// Short timeouts keep the suite fast; the servers never answer in time by construction.
constexpr ULONG short_timeout_ms = 300;

// A plain sample STS with `fault` (may be empty) and the channel options `o` (URL filled in).
std::function<provoked()> sts_with(std::vector<std::string> extra, channel_options o = {},
                                   bool https = false) {
  return [extra, o, https] {
    provoked p;
    p.channel = o;
    p.keep.push_back(start_sts(https, extra, &p.channel.url));
    return p;
  };
}

channel_options with(std::vector<std::pair<WS_CHANNEL_PROPERTY_ID, ULONG>> props) {
  channel_options o;
  o.properties = std::move(props);
  return o;
}

std::vector<fault_case> matrix(temp_dir& dir, const tls_files& tls) {
  const std::string fault_file = dir.write("soap-fault.xml", receiver_fault);
  // A reply far over a 4 KiB MAX_BUFFERED_MESSAGE_SIZE: a SOAP fault with a long reason.
  const std::string big_file =
      dir.write("big.xml", std::string(receiver_fault)
                               .replace(std::string(receiver_fault).find("the token"), 9,
                                        "the token" + std::string(20000, '.')));
  const std::string users = dir.write("users", "alice:wonderland\n");
  const std::string ca = pki_dir() + "/test-ca.pem";
  const std::string key = pki_dir() + "/localhost-key.pem";
  channel_options tls_trusting_test_ca;
  tls_trusting_test_ca.ssl = true;
  tls_trusting_test_ca.trusted_ca = ca;
  channel_options tls_trusting_fresh_ca = tls_trusting_test_ca;
  tls_trusting_fresh_ca.trusted_ca = tls.ca;

  using P = std::vector<std::pair<WS_CHANNEL_PROPERTY_ID, ULONG>>;
  const auto F = WS_CHANNEL_STATE_FAULTED;
  const auto O = WS_CHANNEL_STATE_OPEN;
  std::vector<fault_case> m;

  // --- reaching the server ---
  m.push_back({"connection refused (loopback port bound, not listening)",
               [] {
                 provoked p;
                 p.keep.push_back(closed_port(&p.channel.url));
                 return p;
               },
               WS_E_ENDPOINT_UNREACHABLE,
               F,
               {L"refused"}});
  m.push_back({"connect timeout (listener with a full accept queue: SYN dropped)",
               [] {
                 provoked p;
                 p.channel = with(P{{WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, short_timeout_ms}});
                 p.keep.push_back(unanswered_port(&p.channel.url));
                 return p;
               },
               WS_E_OPERATION_TIMED_OUT,
               F,
               {L"timed out", L"connecting", L"took over 300 ms"}});
  m.push_back({"resolve timeout (in-test transport: connect never completes)",
               [] {
                 provoked p;
                 p.channel = with(P{{WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT, 100},
                                    {WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, 200}});
                 p.keep.push_back(stalled_scheme("wst-stall-connect", true, &p.channel.url));
                 return p;
               },
               WS_E_OPERATION_TIMED_OUT,
               F,
               {L"connecting", L"300 ms"}});
  m.push_back({"send timeout (in-test transport: write never completes)",
               [] {
                 provoked p;
                 p.channel = with(P{{WS_CHANNEL_PROPERTY_SEND_TIMEOUT, short_timeout_ms}});
                 p.keep.push_back(stalled_scheme("wst-stall-send", false, &p.channel.url));
                 return p;
               },
               WS_E_OPERATION_TIMED_OUT,
               F,
               {L"sending the request", L"300 ms"}});

  // --- the response ---
  m.push_back({"reset before the headers (--fault reset)",
               sts_with({"--fault", "reset"}),
               WS_E_ENDPOINT_DISCONNECTED,
               F,
               {L"reset"}});
  m.push_back({"reset after the headers (--fault reset:300)",
               sts_with({"--fault", "reset:300"}),
               WS_E_ENDPOINT_DISCONNECTED,
               F,
               {}});
  m.push_back({"closed inside the body (--fault truncate)",
               sts_with({"--fault", "truncate"}),
               WS_E_ENDPOINT_DISCONNECTED,
               F,
               {L"closed before the HTTP message was complete"}});
  m.push_back({"closed inside the headers (--fault truncate:40)",
               sts_with({"--fault", "truncate:40"}),
               WS_E_ENDPOINT_DISCONNECTED,
               F,
               {}});
  m.push_back({"receive timeout: no answer (--fault stall, RECEIVE_RESPONSE_TIMEOUT)",
               sts_with({"--fault", "stall"},
                        with(P{{WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, short_timeout_ms}})),
               WS_E_OPERATION_TIMED_OUT,
               F,
               {L"no complete response", L"300 ms"}});
  m.push_back({"receive timeout: late answer (--fault delay:3000, RECEIVE_TIMEOUT)",
               sts_with({"--fault", "delay:3000"},
                        with(P{{WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, short_timeout_ms}})),
               WS_E_OPERATION_TIMED_OUT,
               F,
               {L"no complete response", L"300 ms"}});
  m.push_back({"body over MAX_BUFFERED_MESSAGE_SIZE (4096; 20 KB replay)",
               sts_with({"--replay", big_file},
                        with(P{{WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, 4096}})),
               WS_E_QUOTA_EXCEEDED,
               O,
               {L"maximum message size"}});
  m.push_back({"garbage instead of HTTP (--fault garbage)",
               sts_with({"--fault", "garbage"}),
               WS_E_INVALID_FORMAT,
               F,
               {L"HTTP"}});
  m.push_back({"HTTP 500 with a SOAP fault (--replay fault)",
               sts_with({"--replay", fault_file}),
               WS_E_ENDPOINT_FAULT_RECEIVED,
               O,
               {L"down for maintenance"}});
  m.push_back({"HTTP 500 without SOAP (--fault http500)",
               sts_with({"--fault", "http500"}),
               WS_E_ENDPOINT_FAILURE,
               O,
               {L"500"}});
  m.push_back({"HTTP 401, no credentials (--users)",
               sts_with({"--users", users}),
               WS_E_SERVER_REQUIRES_BASIC_AUTH,
               O,
               {L"401"}});
  {
    channel_options wrong;
    wrong.basic = std::make_pair(std::string("alice"), std::string("rabbit"));
    m.push_back({"HTTP 401, wrong Basic credentials (--users)",
                 sts_with({"--users", users}, wrong),
                 WS_E_SERVER_REQUIRES_BASIC_AUTH,
                 O,
                 {L"401"}});
  }
  m.push_back({"wrong content type, HTML body (--replay page, --fault ctype:text/html)",
               sts_with({"--replay", dir.write("page.html", "<html><body>Sign in</body></html>"),
                         "--fault", "ctype:text/html"}),
               WS_E_INVALID_FORMAT,
               O,
               {L"content type", L"Content-Type 'text/html'"}});
  // Like WWSAPI's HTTP channel, wst refuses a 2xx whose content type is not the SOAP media type
  // of the request (SOAP 1.2 here: application/soap+xml), however valid the body.
  m.push_back({"wrong content type, valid RSTR (--fault ctype:text/html)",
               sts_with({"--fault", "ctype:text/html"}),
               WS_E_INVALID_FORMAT,
               O,
               {L"content type", L"Content-Type 'text/html'", L"application/soap+xml"}});
  m.push_back({"no content type, valid RSTR (--fault ctype:)",
               sts_with({"--fault", "ctype:"}),
               WS_E_INVALID_FORMAT,
               O,
               {L"content type", L"has no Content-Type"}});
  m.push_back({"charset other than UTF-8, valid RSTR (--fault ctype:...;charset=iso-8859-1)",
               sts_with({"--fault", "ctype:application/soap+xml; charset=iso-8859-1"}),
               WS_E_INVALID_FORMAT,
               O,
               {L"charset 'iso-8859-1' is not UTF-8"}});

  // --- TLS ---
  // Each row's WS_ERROR text carries the TLS filter's own reason after "connecting to '...'"
  // (tls::stream::error_detail(), appended by the exchange), as docs/tls.md promises.
  {
    channel_options system_cas;
    system_cas.ssl = true;
    m.push_back(
        {"TLS: server certificate from an untrusted CA (system bundle)",
         sts_with({}, system_cas, true),
         WS_E_SECURITY_VERIFICATION_FAILURE,
         F,
         {L"TLS peer verification failed", L"server certificate rejected", L"issuer not found"}});
  }
  m.push_back({"TLS: expired server certificate",
               sts_with({"--key", key, "--cert", tls.expired}, tls_trusting_fresh_ca, true),
               WS_E_SECURITY_VERIFICATION_FAILURE,
               F,
               {L"TLS peer verification failed", L"server certificate rejected",
                L"Certificate has expired"}});
  m.push_back({"TLS: certificate for another host name",
               sts_with({"--key", key, "--cert", tls.wrong_host}, tls_trusting_fresh_ca, true),
               WS_E_SECURITY_VERIFICATION_FAILURE,
               F,
               {L"TLS peer verification failed", L"server certificate rejected",
                L"does not match the host name"}});
  m.push_back({"TLS: plain HTTP server on an https URL",
               [tls_trusting_test_ca] {
                 provoked p;
                 p.channel = tls_trusting_test_ca;
                 std::string plain;
                 p.keep.push_back(start_sts(false, {}, &plain));
                 p.channel.url = "https" + plain.substr(4);
                 return p;
               },
               WS_E_INVALID_FORMAT,
               F,
               {L"TLS protocol error", L"the peer's bytes are not TLS",
                L"the server answered in plain HTTP"}});
  m.push_back({"TLS: server hangs up during the handshake",
               [tls_trusting_test_ca] {
                 provoked p;
                 p.channel = tls_trusting_test_ca;
                 p.keep.push_back(hang_up_port(&p.channel.url, "https"));
                 return p;
               },
               WS_E_SECURITY_VERIFICATION_FAILURE,
               F,
               {L"TLS handshake failed", L"closed the connection during the TLS handshake"}});
  m.push_back({"TLS: handshake timeout (server accepts, never answers)",
               [tls_trusting_test_ca] {
                 provoked p;
                 p.channel = tls_trusting_test_ca;
                 p.channel.properties = {{WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, short_timeout_ms}};
                 p.keep.push_back(silent_port(&p.channel.url, "https"));
                 return p;
               },
               WS_E_OPERATION_TIMED_OUT,
               F,
               {L"timed out", L"connecting", L"the TLS handshake did not complete within 300 ms"}});
  return m;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fault_matrix) {
  temp_dir dir;
  const tls_files tls = make_tls_files(dir);
  std::string healthy;
  auto sts = start_sts(false, {}, &healthy);
  {  // the control of the TLS rows: the fresh CA's current certificate is accepted
    channel_options o;
    o.ssl = true;
    o.trusted_ca = tls.ca;
    auto server =
        start_sts(true, {"--key", pki_dir() + "/localhost-key.pem", "--cert", tls.valid}, &o.url);
    channel_parts parts(o, mode::sync);
    std::string why;
    WS_CHANNEL* channel = parts.open(&why);
    BOOST_REQUIRE_MESSAGE(channel != nullptr, why);
    WS_SECURITY_TOKEN* token = nullptr;
    BOOST_TEST(hresult_name(WsRequestSecurityToken(channel, nullptr, 0, &token, nullptr,
                                                   nullptr)) == "S_OK");
    if (token) WsFreeSecurityToken(token);
    WsCloseChannel(channel, nullptr, nullptr);
    WsFreeChannel(channel);
  }
  const auto cases = matrix(dir, tls);
  report(cases, run_cases(cases, healthy, 6));
}

}  // namespace wst::test::faults
