// A test STS that answers every RST with a canned but valid RSTR: a SAML 1.1 assertion for
// issue requests, a SecurityContextToken for SC requests (new and renew), a server proof key
// when a symmetric key is asked, and a Lifetime from an injectable clock. It reads the RST
// with plain string searches (it only ever sees what sdk/core writes) and shares no code with
// the core or the sample STS. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace wst::test {

// What the canned STS needs to know about one RST.
struct rst_info {
  bool soap11 = false;
  bool wsa2004 = false;
  bool trust13 = false;
  bool sc13 = false;
  bool sct = false;         // RST/SCT or RST/SCT/Renew
  bool renew = false;       // RST/SCT/Renew (has a RenewTarget)
  bool symmetric = false;   // KeyType SymmetricKey
  bool client_entropy = false;
  std::string message_id;
  std::string context_id;   // the SCT identifier named in RenewTarget (renew only)
};
rst_info inspect(std::string_view envelope);

// A SOAP fault envelope (Sender/Client, or Receiver/Server when `receiver`).
std::string soap_fault(bool soap11, bool receiver, std::string_view reason);

class canned_sts {
 public:
  using clock_fn = std::function<std::chrono::system_clock::time_point()>;

  explicit canned_sts(clock_fn clock = [] { return std::chrono::system_clock::now(); });

  // Issued tokens live this long (Created = clock(), Expires = Created + lifetime); zero
  // leaves the Lifetime element out (an unbounded token).
  void set_lifetime(std::chrono::milliseconds d);
  // Requests for which `when` is true get a SOAP fault (Receiver/Server when `receiver`).
  void fault_when(std::function<bool(const rst_info&)> when, bool receiver = false);

  // The reply envelope to one RST envelope, and its HTTP status (200, or 500 for a fault).
  std::string reply(std::string_view envelope, int& status);
  // A complete HTTP/1.1 response to a complete raw HTTP request (the memory peer's responder).
  std::string http_reply(std::string_view raw_request);

  std::size_t issued() const { return issued_.load(); }    // SAML assertions and new SCTs
  std::size_t renewed() const { return renewed_.load(); }  // SCTs renewed
  std::size_t faults() const { return faults_.load(); }

 private:
  clock_fn clock_;
  mutable std::mutex mu_;
  std::chrono::milliseconds lifetime_{std::chrono::hours(1)};
  std::function<bool(const rst_info&)> fault_when_;
  bool receiver_fault_ = false;
  std::atomic<std::size_t> issued_{0}, renewed_{0}, faults_{0}, serial_{0};
};

}  // namespace wst::test
