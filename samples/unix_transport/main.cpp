// wst-unix-token: how to extend wst with a transport of your own.
//
// It registers the URL scheme "http+unix" — HTTP/1.1 over a Unix-domain socket, the socket's
// path percent-encoded in the host part: http+unix://%2Frun%2Fsts.sock/ — and then obtains a
// token through an ordinary wst::client whose STS URL uses that scheme. wst keeps doing the
// HTTP framing, pooling, timeouts and WS-Trust; the transport only makes byte streams.
//
// Run the sample STS on a socket and point this program at it:
//   wst-sample-sts --listen unix:/tmp/sts.sock      # prints: listening http+unix://%2Ftmp%2Fsts.sock/
//   wst-unix-token http+unix://%2Ftmp%2Fsts.sock/
//
// A transport that moves bytes some other way (a vsock, a TLS library of your own, a test
// double) implements wst::byte_stream itself and returns it from create_stream(); see
// docs/transports.md for the threading contract every stream keeps.
#include <wst/client.hpp>
#include <wst/transport.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace {

class unix_socket_transport final : public wst::transport {
 public:
  // Mandatory hook: a new, unconnected stream for `where`. The endpoint's host is the
  // percent-decoded socket path; the stream_context offers wst's own Unix-socket stream,
  // which lives on the loop thread that asked.
  std::unique_ptr<wst::byte_stream> create_stream(const wst::endpoint& where,
                                                  wst::stream_context& ctx) override {
    if (where.host.empty() || where.host.front() != '/') return nullptr;  // -> invalid_url
    return ctx.unix_stream(where.host);
  }

  // Optional hook: a socket has no port, and "localhost" is the honest Host header.
  std::string host_header(const wst::endpoint&) const override { return "localhost"; }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::string(argv[1]).rfind("http+unix://", 0) != 0) {
    std::cerr << "usage: wst-unix-token http+unix://<percent-encoded socket path>/\n";
    return 2;
  }

  if (std::error_code ec = wst::register_transport("http+unix", std::make_shared<unix_socket_transport>())) {
    std::cerr << "cannot register the transport: " << ec.message() << "\n";
    return 1;
  }

  wst::request_options o;
  o.sts_url = argv[1];
  o.trust = wst::trust_version::v1_3;
  o.applies_to = "https://relying-party.example/";
  o.token_type = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";
  o.key = wst::key_type::bearer;

  wst::token_result r = [&] {
    wst::client client;
    return client.request_token_sync(o);
  }();
  wst::unregister_transport("http+unix");

  if (!r) {
    std::cerr << "no token: " << r.failure().describe() << "\n";
    return 1;
  }
  std::cout << "token type: " << r.value().token_type() << "\n"
            << "valid till: " << r.value().valid_till_text() << "\n"
            << r.value().xml() << "\n";
  return 0;
}
