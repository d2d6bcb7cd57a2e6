// The machinery of the fault matrix (fault_matrix_test.cpp) and the hostile-response suite
// (hostile_test.cpp): one failing WsRequestSecurityToken, driven through webservices.h exactly as
// WWSAPI code drives it, and every promise the facade makes about a failure checked at once.
//
// A `fault_case` names a fault, how the test provokes it (a server it starts: sample STS
// processes, raw loopback sockets, an in-test transport) and what must come out: the HRESULT,
// the channel state afterwards and words the WS_ERROR text must contain. run_cases() runs each
// case three ways - synchronous, asynchronous with a long callback, asynchronous with a short
// callback - each on a fresh channel, and checks every time that
//   - the call returns (or its single callback delivers) exactly that HRESULT;
//   - an asynchronous call that returned WS_S_ASYNC calls back exactly once, and one that
//     returned the result itself never calls back; WS_ERROR (ORIGINAL_ERROR_CODE = the HRESULT)
//     and the channel state are final when the callback runs;
//   - WS_ERROR's newest string is "WsRequestSecurityToken: ..." and names the problem;
//   - *token still holds the caller's sentinel;
//   - the channel is OPEN or FAULTED as expected, and behaves so: on an OPEN channel the next
//     request fails the same way, on a FAULTED one it is refused with WS_E_INVALID_OPERATION;
// and after the three runs, that a new channel to a healthy STS still obtains a token. Cases
// run side by side (each has its own servers), so the slow ones (timeouts) overlap.
// Leaks: the suites run under AddressSanitizer's leak checker in the asan flavour.
#pragma once

#include <webservices.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wst::test::faults {

// What a case's channel looks like.
struct channel_options {
  std::string url;
  std::vector<std::pair<WS_CHANNEL_PROPERTY_ID, ULONG>> properties;  // ULONG-valued ones
  bool ssl = false;        // WS_SSL_TRANSPORT_SECURITY_BINDING (for https URLs)
  std::string trusted_ca;  // with ssl: a PEM file (the extension property); empty: system CAs
  std::optional<std::pair<std::string, std::string>> basic;  // HTTP Basic user, password
};

// A provoked fault: the channel to use, and whatever keeps its servers alive until the case
// is over (processes, sockets, registrations; released in reverse order).
struct provoked {
  channel_options channel;
  std::vector<std::shared_ptr<void>> keep;
};

struct fault_case {
  std::string name;                   // the row of the table in docs/capi.md
  std::function<provoked()> provoke;  // starts the servers (runs on a worker thread)
  HRESULT hr;                         // expected HRESULT
  WS_CHANNEL_STATE state;             // expected channel state after the failure
  std::vector<std::wstring> needles;  // the WS_ERROR text contains each of these
  // A known divergence from WWSAPI, reported in the test log instead of failing the suite
  // (the case must still not crash, leak or call back twice). See the bug note at the case.
  // Strict: once the case behaves as the row says, the mark itself fails the suite.
  bool known_divergence = false;
  // Words the WS_ERROR text should contain but does not yet (a known gap with a bug note at
  // the case), handled like known_divergence: reported, and a failure once they appear.
  std::vector<std::wstring> missing_words = {};
};

struct case_result {
  std::string name;
  std::vector<std::string> failures;  // empty: every check held
  std::vector<std::string> notes;     // known divergences and gaps, as they showed
  std::string message;                // WS_ERROR's newest string (synchronous run), UTF-8
  HRESULT hr = 0;                     // what the synchronous run returned
  WS_CHANNEL_STATE state = WS_CHANNEL_STATE_CREATED;
};

// --- servers the cases start ------------------------------------------------------------------

// The wst-sample-sts binary and tests/sts/data (compile definitions of the suites).
const std::string& sts_binary();
const std::string& pki_dir();  // test-ca.pem, localhost-cert.pem, localhost-key.pem

// A sample STS on 127.0.0.1:0 with tests/sts/data's key and certificate unless `extra` names
// its own --key/--cert, https when asked, plus `extra`; its URL goes to *url. Owned by the
// returned handle (SIGTERM and wait when released). Throws std::runtime_error when it does
// not start.
std::shared_ptr<void> start_sts(bool https, std::vector<std::string> extra, std::string* url);

// A private temporary directory, removed with its files when the handle is released.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  // Writes `bytes` to dir/name and returns the path.
  std::string write(const std::string& name, const std::string& bytes);

 private:
  std::string dir_;
  std::vector<std::string> files_;
};

// The URL of a loopback port nothing listens on, held (bound, not listening) while the handle
// lives so no one else takes it: connecting is refused at once.
std::shared_ptr<void> closed_port(std::string* url, const char* scheme = "http");
// A loopback listener that never accepts, its accept queue already full: a connect() gets no
// answer at all (the kernel drops the SYN), so only the connect timeout ends it.
std::shared_ptr<void> unanswered_port(std::string* url, const char* scheme = "http");
// A loopback listener whose connections are accepted by the kernel and then left alone:
// bytes sent are never read or answered.
std::shared_ptr<void> silent_port(std::string* url, const char* scheme = "http");
// A loopback listener that accepts each connection and closes it at once.
std::shared_ptr<void> hang_up_port(std::string* url, const char* scheme = "http");

// --- running -----------------------------------------------------------------------------------

// Runs every case (up to `parallel` at once) and returns one result per case, in order.
// `healthy_url` is a working sample STS (plain http) for the "new channel still works" check.
std::vector<case_result> run_cases(const std::vector<fault_case>& cases,
                                   const std::string& healthy_url, unsigned parallel);

// Reports the results through Boost.Test (one context per case) and, with WST_TEST_VERBOSE set
// or on failure, prints the table: case, HRESULT, state, WS_ERROR text.
void report(const std::vector<fault_case>& cases, const std::vector<case_result>& results);

// "WS_E_ENDPOINT_UNREACHABLE" and friends (hex for others), for messages.
std::string hresult_name(HRESULT hr);

}  // namespace wst::test::faults
