// What answers the SOAP POSTs the sample STS receives: the issuing engine or a replay file.
#pragma once

#include <wst/sts/exchange.hpp>

namespace wst::detail::sts {

class responder {
 public:
  virtual ~responder() = default;
  // The response to one POST. Thread-safe: the server calls it from several loop threads.
  // Never throws for any input; a bad request gets a SOAP fault.
  virtual http_response respond(const http_request& req) = 0;
};

}  // namespace wst::detail::sts
