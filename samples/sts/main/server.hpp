// The network side of wst-sample-sts: listeners (TCP, Unix socket; plain or TLS) on one libuv
// loop thread, HTTP/1.1 keep-alive connections, replies built by a worker pool through the
// sans-I/O service, and the fault mode applied on the wire.
#pragma once

#include "options.hpp"

#include <wst/base/result.hpp>
#include <wst/sts/service.hpp>

#include <memory>
#include <string>
#include <vector>

namespace wst::detail::sts {

class server {
 public:
  struct tls_identity {
    std::string certificate_pem;  // the chain, leaf first
    std::string private_key_pem;  // wiped by the server once the TLS context is built
  };

  // `svc` must outlive the server. `tls` is used when opts.https.
  server(const server_options& opts, service& svc, tls_identity tls);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Starts the loop and the workers and binds every listener; returns one URL per listener in
  // --listen order (the real port when 0 was asked).
  result<std::vector<std::string>> start();
  // Stops listening, closes every connection, stops the workers and the loop. Blocks; fails
  // when the loop could not be stopped cleanly. Idempotent.
  result<void> stop();

 private:
  struct impl;
  std::unique_ptr<impl> p_;
};

}  // namespace wst::detail::sts
