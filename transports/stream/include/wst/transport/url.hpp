// Endpoint URL parsing: scheme://host[:port][/path][?query][#fragment].
#pragma once

#include <wst/base/result.hpp>
#include <wst/transport.hpp>
#include <wst/transport/scheme_registry.hpp>

#include <string_view>

namespace wst::detail::transport {

// Parses `url` into an endpoint whose scheme has a transport in `schemes` (the port defaults
// to that transport's default_port()). Hosts: a DNS name or IPv4 address for http/https
// (lower-cased), a bracketed IPv6 literal (no zone), or for other schemes any
// percent-encoded text (for example a socket path: "http+unix://%2Frun%2Fsts.sock/trust").
// The fragment is dropped; the target is the path (at least "/") plus the query. User
// information ("user:pass@") is refused: credentials never travel in URLs.
// Errors: transport_errc::invalid_url, with a message that says what is wrong.
result<endpoint> parse_url(std::string_view url, const scheme_registry& schemes);

}  // namespace wst::detail::transport
