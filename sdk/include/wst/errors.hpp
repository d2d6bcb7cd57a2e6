// wst — errors of the C++ API (wst::client).
//
// Every failed token request reports a wst::error: a std::error_code of the wst::errc enum
// below (compare it with `err.code == wst::errc::timed_out`), the readable detail that
// WWSAPI would put in WS_ERROR (a SOAP fault's code and reason, an HTTP status line, a file
// name, the limit that was exceeded), and the code of the layer that detected the problem
// (`cause`, for logs and bug reports).
//
// Each code is either
//   fatal     - the same request fails the same way until the request, the configuration or
//               the STS changes; retrying is pointless;
//   retryable - a new attempt may succeed (a new connection, a later moment, another channel).
// is_retryable() and error::retryable() tell which.
#pragma once

#include <wst/version.hpp>

#include <string>
#include <system_error>

namespace wst {

enum class errc {
  // --- the request itself (fatal) --------------------------------------------------------------
  invalid_options = 1,  // fatal: an option is invalid (empty URL, bad key size, key size with a
                        //        bearer token, malformed parameters...); the message names it
  not_supported,        // fatal: wst does not do this (asymmetric proof keys)
  invalid_url,          // fatal: the STS URL cannot be parsed, or no transport serves its scheme
  tls_configuration,    // fatal: a CA, CRL, certificate or key file cannot be read or parsed

  // --- reaching the STS ------------------------------------------------------------------------
  host_not_found,           // retryable: DNS found no address for the STS host (may be transient)
  connection_failed,        // retryable: the connection was refused, reset or dropped
  timed_out,                // retryable: resolve, connect, send, receive or the negotiation
                            //            deadline elapsed
  tls_verification_failed,  // fatal: the STS certificate chain or host name did not verify
  tls_failed,               // fatal: the TLS handshake failed otherwise (no common cipher or
                            //        version, an alert, bytes that are not TLS)
  busy,                     // retryable: every pooled connection is busy and the queue is full,
                            //            or the STS answered 503
  channel_unavailable,      // retryable: the channel faulted or closed before the request could
                            //            be sent; the next request gets a new channel

  // --- the STS's answer ---------------------------------------------------------------------------
  http_error,        // fatal: a redirect, 404 or another HTTP status without a SOAP reply
  access_denied,     // fatal: HTTP 401/407; the message names the scheme the server asked for
  quota_exceeded,    // fatal: the reply exceeds the maximum message size or an XML limit
  invalid_response,  // fatal: the reply is not a valid WS-Trust response for the request
                     //        (malformed XML, another SOAP/WS-Addressing/WS-Trust version, no
                     //        token, key material that does not match the request...)
  unexpected_reply,  // retryable: the reply answers another message (wsa:RelatesTo mismatch)
  fault_received,    // fatal: the STS refused the request with a SOAP (Sender/Client) fault;
                     //        the message holds the fault code, subcode and reason
  server_fault,      // retryable: the STS reported a Receiver/Server SOAP fault (its own
                     //            trouble, which may pass); the message holds code and reason
  token_expired,     // retryable: the issued token was already expired, or expires within the
                     //            clock-skew allowance, when it arrived

  // --- the request's life ---------------------------------------------------------------------------
  aborted,         // fatal: the request was cancelled, or its channel aborted
  shutting_down,   // fatal: the client is being destroyed
  internal_error,  // fatal: a wst bug or a resource failure (the message says what)
};

// The category of wst::errc ("wst").
WST_API const std::error_category& category() noexcept;
WST_API std::error_code make_error_code(errc e) noexcept;
// True for the retryable codes above; false for fatal ones and for codes of other categories.
WST_API bool is_retryable(std::error_code ec) noexcept;

// A failed request.
struct error {
  std::error_code code;   // a wst::errc
  std::string message;    // the readable detail (may be empty when code.message() says it all)
  std::error_code cause;  // the code as the detecting layer reported it (wst.core,
                          // wst.transport, wst.http, wst.tls, wst.actors categories)

  bool retryable() const noexcept { return is_retryable(code); }
  // "<code's message>: <message>", or the code's message alone.
  WST_API std::string describe() const;
};

}  // namespace wst

namespace std {
template <>
struct is_error_code_enum<wst::errc> : true_type {};
}  // namespace std
