// wst — the C++ API: obtain security tokens from a WS-Trust security token service (STS).
//
//   wst::client c;                                   // starts nothing yet
//   wst::request_options o;
//   o.sts_url = "https://sts.example/trust/13/issuedtokenmixedsymmetricbasic256";
//   o.trust = wst::trust_version::v1_3;
//   o.applies_to = "https://rp.example/service";
//   o.key = wst::key_type::bearer;
//   c.request_token(o, [](wst::token_result r) {     // asynchronous, callback
//     if (r) use(r.value().xml()); else log(r.failure().describe());
//   });
//   std::future<wst::token_result> f = c.request_token(o);   // asynchronous, future
//   wst::token_result r = c.request_token_sync(o);            // blocks the caller
//
// The options mirror WsRequestSecurityToken's properties (WS_REQUEST_SECURITY_TOKEN_PROPERTY_*)
// plus the channel's: STS URL, SOAP and WS-Addressing versions, credentials, TLS, timeouts,
// connection pool. Thousands of requests may be in flight at once; none blocks another.
//
// Behind the scenes (started on the first request): an actor runtime with scheduler threads
// and libuv loop threads; one channel (pooled keep-alive connections) per distinct STS
// endpoint configuration; one negotiation per request, or - for cacheable requests - one per
// token identity: concurrent identical requests share one negotiation (single flight), a
// token stays cached until shortly before it expires and, when it is in use, is renewed
// ahead of expiry (SecurityContextTokens through RENEW_CONTEXT). An expired token is never
// handed out.
//
// Threading: every member function may be called from any thread, concurrently. Callbacks
// run on a wst thread: keep them short and non-blocking (hand work off), and never call
// request_token_sync() from inside one. A callback must not throw (an exception escaping it
// is caught and dropped).
#pragma once

#include <wst/errors.hpp>
#include <wst/token.hpp>
#include <wst/version.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace wst {

// Values equal webservices.h's (WS_ENVELOPE_VERSION, WS_ADDRESSING_VERSION,
// WS_TRUST_VERSION, ...), so code ported from WWSAPI can static_cast them.
enum class soap_version { soap11 = 1, soap12 = 2 };
// aug2004 = WS_ADDRESSING_VERSION_0_9 (member submission 2004/08), v1_0 = W3C 1.0 (2005/08).
enum class addressing_version { aug2004 = 1, v1_0 = 2 };
enum class trust_version { feb2005 = 1, v1_3 = 2 };
enum class secure_conversation_version { feb2005 = 1, v1_3 = 2 };
enum class request_action { issue = 1, new_context = 2, renew_context = 3 };
// Who contributes the proof key: client_only = the client's entropy is the key; server_only =
// the STS sends the key; combined = P_SHA1(client entropy, server entropy).
enum class key_entropy { client_only = 1, server_only = 2, combined = 3 };
// The WS-Trust 1.3 bearer KeyType URI to send (see docs/core.md for the three spellings).
enum class bearer_key_type_version { original_specification = 1, original_schema = 2, errata_01 = 3 };

// A user name and password. wst wipes its own copies when it is done with them; the caller
// owns (and should wipe) these strings.
struct credentials {
  std::string user;
  std::string password;
};

// How the client verifies an https STS and authenticates itself (TLS 1.2).
struct tls_options {
  // Verify the STS certificate chain (system CA bundle unless ca_file is set) and that it names
  // the host connected to. Switch off only for tests: without it anyone on the path can read
  // and change the traffic, credentials included.
  bool verify_peer = true;
  bool verify_host_name = true;
  // Require revocation data (stapled OCSP or a CRL from crl_file) for every certificate.
  bool check_revocation = false;
  std::string ca_file;                  // PEM CA certificates to trust instead of the system's
  std::string crl_file;                 // PEM CRLs issued by the trusted CAs
  std::string client_certificate_file;  // PEM chain, leaf first, for mutual TLS
  std::string client_key_file;          // its PKCS#8 PEM key ("PRIVATE KEY" or encrypted)
  std::string client_key_password;      // for an encrypted key
};

// WWSAPI's defaults. Every timeout must be positive (negotiation: 0 = none).
struct timeouts {
  std::chrono::milliseconds resolve{60000};  // DNS
  std::chrono::milliseconds connect{30000};  // TCP connect (+ TLS handshake)
  std::chrono::milliseconds send{30000};     // writing the request
  std::chrono::milliseconds receive{30000};  // the whole response, once the request is written
  std::chrono::milliseconds close{5000};     // how long a closing channel waits for its requests
  // The whole negotiation, queueing for a connection included; 0 = no limit beyond the above.
  std::chrono::milliseconds negotiation{0};
};

// One token request: WsRequestSecurityToken's properties plus the channel's.
struct request_options {
  // --- the STS endpoint (the channel) ------------------------------------------------------------
  std::string sts_url;  // http://, https:// or a scheme given to wst::register_transport
  soap_version soap = soap_version::soap12;
  addressing_version addressing = addressing_version::v1_0;

  // --- WS_REQUEST_SECURITY_TOKEN_PROPERTY_* ------------------------------------------------------
  std::optional<std::string> applies_to;  // APPLIES_TO: the relying party's address
  trust_version trust = trust_version::feb2005;                                        // TRUST_VERSION
  secure_conversation_version secure_conversation = secure_conversation_version::feb2005;
  std::optional<std::string> token_type;  // ISSUED_TOKEN_TYPE (absent: no TokenType element)
  request_action action = request_action::issue;  // REQUEST_ACTION
  std::optional<token> existing_token;    // EXISTING_TOKEN: the SCT to renew (renew_context)
  std::optional<key_type> key;            // ISSUED_TOKEN_KEY_TYPE (absent: no KeyType element)
  std::optional<std::uint32_t> key_size_bits;  // ISSUED_TOKEN_KEY_SIZE
  key_entropy entropy = key_entropy::server_only;  // ISSUED_TOKEN_KEY_ENTROPY
  bearer_key_type_version bearer_version = bearer_key_type_version::original_specification;
  std::string local_parameters;    // LOCAL_REQUEST_PARAMETERS: XML elements, copied verbatim
  std::string service_parameters;  // SERVICE_REQUEST_PARAMETERS (1.3: in SecondaryParameters)

  // --- credentials and transport ----------------------------------------------------------------
  // WS-Security UsernameToken with a PasswordText password: send it over https only.
  std::optional<credentials> username;
  // A token issued by another STS, presented as a supporting token (signed with its proof key
  // when it has one): how one STS's token buys another's (WS_XML_TOKEN_MESSAGE_SECURITY_BINDING).
  std::optional<token> supporting_token;
  // HTTP Basic authentication on every request of the channel.
  std::optional<credentials> basic;
  tls_options tls;
  timeouts time;
  std::size_t max_connections = 16;     // pooled connections to this STS (1..1024)
  std::size_t max_message_size = 65536;  // largest reply accepted (1 KiB..64 MiB)

  // Serve from / store into the client's token cache (requests with the same identity share
  // tokens and negotiations). renew_context requests always go to the STS.
  bool use_cache = true;
};

struct cache_options {
  std::size_t max_entries = 1024;  // token identities kept (least recently used go first)
  // Renew a token in use once this fraction of its usable lifetime has passed. (0, 1]; 1 never
  // renews ahead.
  double renew_fraction = 0.8;
  // Treat tokens as expired this long before their Expires (clock differences between the
  // client, the STS and relying parties).
  std::chrono::milliseconds clock_skew{60000};
  // After a failed renewal, try again this much later while the old token is still valid.
  std::chrono::milliseconds renew_retry{30000};
};

struct client_options {
  std::size_t scheduler_threads = 0;  // actor scheduler threads; 0 = one per CPU (at least 2)
  std::size_t loop_threads = 1;       // I/O loop threads (channels spread over them)
  std::size_t max_channels = 64;      // distinct STS endpoint configurations kept open
  cache_options cache;
  // Per channel: how many requests may wait for a pooled connection once all
  // request_options::max_connections of them are busy (FIFO). A request that finds the queue
  // full fails at once with errc::busy. So one channel holds at most max_connections +
  // max_queued_requests requests in flight (defaults: 16 + 8,192); spread more over several
  // channels (different STS URLs) or raise this bound. 0 = no waiting: busy as soon as every
  // connection is busy. At most 1,000,000 (a larger value counts as 1,000,000).
  std::size_t max_queued_requests = 8192;
};

namespace detail {
class request_control;
}

// Cancels one pending request (returned by the callback form of request_token). Copyable;
// an empty handle does nothing.
class request_handle {
 public:
  request_handle() = default;
  explicit request_handle(std::shared_ptr<detail::request_control> c) : c_(std::move(c)) {}
  // The request's callback runs with errc::aborted now, unless it has already run or is
  // running. A cached request's shared negotiation goes on for the other callers. Safe from any
  // thread, any number of times, also after the client is gone.
  WST_API void cancel() const;
  bool valid() const noexcept { return static_cast<bool>(c_); }

 private:
  std::shared_ptr<detail::request_control> c_;
};

class client {
 public:
  using callback = std::function<void(token_result)>;

  // Nothing starts until the first request.
  WST_API explicit client(client_options options = {});
  // Stops the client: every request still pending completes (its callback runs, its future
  // becomes ready) with an error - aborted or shutting_down - before the destructor returns;
  // no thread is left behind. Inside a wst callback it cannot wait for that callback: it
  // returns at once and the stop finishes on a thread of its own.
  WST_API ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Requests a token; `done` runs exactly once with the token or the error. Invalid options
  // (and requests after the client began stopping) complete at once, on the calling thread,
  // before this returns; everything else completes on a wst thread.
  WST_API request_handle request_token(const request_options& options, callback done);
  // The same, with a future (never throws when read: errors come as token_result).
  WST_API std::future<token_result> request_token(const request_options& options);
  // The same, waiting for the result. Not from a wst callback.
  WST_API token_result request_token_sync(const request_options& options);

  // Forgets the cached token of these options (for example after a relying party rejected
  // it): the next request negotiates anew.
  WST_API void invalidate(const request_options& options);
  // Forgets every cached token.
  WST_API void clear_cache();

 private:
  struct impl;
  std::shared_ptr<impl> p_;
};

}  // namespace wst
