#include "canned_sts.hpp"

#include <wst/core/datetime.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/http/writer.hpp>

namespace wst::test {
namespace {

constexpr std::string_view soap11_ns = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr std::string_view soap12_ns = "http://www.w3.org/2003/05/soap-envelope";
constexpr std::string_view wsa10_ns = "http://www.w3.org/2005/08/addressing";
constexpr std::string_view wsa04_ns = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
constexpr std::string_view trust05_ns = "http://schemas.xmlsoap.org/ws/2005/02/trust";
constexpr std::string_view trust13_ns = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
constexpr std::string_view sc05_ns = "http://schemas.xmlsoap.org/ws/2005/02/sc";
constexpr std::string_view sc13_ns = "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512";
constexpr std::string_view wsse_ns = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
constexpr std::string_view wsu_ns = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
constexpr std::string_view saml11_type = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1";

bool has(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }

// The text of the first element whose qualified name ends with `local` ("MessageID").
std::string element_text(std::string_view s, std::string_view local) {
  std::string open = std::string(local) + ">";
  for (std::size_t at = s.find(open); at != std::string_view::npos; at = s.find(open, at + 1)) {
    std::size_t lt = s.rfind('<', at);
    if (lt == std::string_view::npos || s[lt + 1] == '/') continue;
    std::size_t start = at + open.size();
    std::size_t end = s.find('<', start);
    if (end == std::string_view::npos) return {};
    return std::string(s.substr(start, end - start));
  }
  return {};
}

std::string xsd(std::chrono::system_clock::time_point t) {
  std::string s;
  detail::core::append_xsd_datetime_millis(s, t);
  return s;
}

}  // namespace

rst_info inspect(std::string_view e) {
  rst_info i;
  i.soap11 = has(e, soap11_ns);
  i.wsa2004 = has(e, wsa04_ns);
  i.trust13 = has(e, trust13_ns);
  i.sc13 = has(e, sc13_ns);
  i.renew = has(e, "/RST/SCT/Renew");
  i.sct = i.renew || has(e, "/RST/SCT<") || has(e, "/RST/SCT\"");
  i.symmetric = has(e, "/SymmetricKey</");
  i.client_entropy = has(e, ":Entropy>");
  i.message_id = element_text(e, "MessageID");
  if (i.renew) {
    std::size_t target = e.find("RenewTarget");
    std::size_t at = target == std::string_view::npos ? target : e.find("URI=\"", target);
    if (at != std::string_view::npos) {
      std::size_t end = e.find('"', at + 5);
      i.context_id = std::string(e.substr(at + 5, end - at - 5));
    }
  }
  return i;
}

std::string soap_fault(bool soap11, bool receiver, std::string_view reason) {
  std::string s = "<s:Envelope xmlns:s=\"";
  s += soap11 ? soap11_ns : soap12_ns;
  s += "\"><s:Body><s:Fault>";
  if (soap11) {
    s += receiver ? "<faultcode>s:Server</faultcode>" : "<faultcode>s:Client</faultcode>";
    s += "<faultstring>";
    s += reason;
    s += "</faultstring>";
  } else {
    s += receiver ? "<s:Code><s:Value>s:Receiver</s:Value></s:Code>" : "<s:Code><s:Value>s:Sender</s:Value></s:Code>";
    s += "<s:Reason><s:Text xml:lang=\"en\">";
    s += reason;
    s += "</s:Text></s:Reason>";
  }
  s += "</s:Fault></s:Body></s:Envelope>";
  return s;
}

canned_sts::canned_sts(clock_fn clock) : clock_(std::move(clock)) {}

void canned_sts::set_lifetime(std::chrono::milliseconds d) {
  std::lock_guard<std::mutex> lock(mu_);
  lifetime_ = d;
}

void canned_sts::fault_when(std::function<bool(const rst_info&)> when, bool receiver) {
  std::lock_guard<std::mutex> lock(mu_);
  fault_when_ = std::move(when);
  receiver_fault_ = receiver;
}

std::string canned_sts::reply(std::string_view envelope, int& status) {
  const rst_info i = inspect(envelope);
  std::chrono::milliseconds lifetime;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (fault_when_ && fault_when_(i)) {
      ++faults_;
      status = 500;
      return soap_fault(i.soap11, receiver_fault_, "The canned STS refuses this request");
    }
    lifetime = lifetime_;
  }
  status = 200;
  const std::size_t n = ++serial_;
  const std::string_view trust = i.trust13 ? trust13_ns : trust05_ns;
  const std::string_view sc = i.sc13 ? sc13_ns : sc05_ns;
  const auto created = clock_();

  std::string s;
  s.reserve(2048);
  s += "<s:Envelope xmlns:s=\"";
  s += i.soap11 ? soap11_ns : soap12_ns;
  s += "\" xmlns:a=\"";
  s += i.wsa2004 ? wsa04_ns : wsa10_ns;
  s += "\"><s:Header>";
  if (!i.message_id.empty()) s += "<a:RelatesTo>" + i.message_id + "</a:RelatesTo>";
  s += "</s:Header><s:Body>";
  if (i.trust13) s += "<t:RequestSecurityTokenResponseCollection xmlns:t=\"" + std::string(trust) + "\">";
  s += "<t:RequestSecurityTokenResponse xmlns:t=\"" + std::string(trust) + "\">";
  if (i.sct) {
    std::string id = i.renew && !i.context_id.empty() ? i.context_id : "urn:uuid:00000000-cafe-4000-8000-" + std::to_string(100000000000 + n);
    s += "<t:TokenType>" + std::string(sc) + "/sct</t:TokenType>";
    s += "<t:RequestedSecurityToken><c:SecurityContextToken xmlns:c=\"" + std::string(sc) + "\" xmlns:u=\"" +
         std::string(wsu_ns) + "\" u:Id=\"sct-" + std::to_string(n) + "\"><c:Identifier>" + id + "</c:Identifier>";
    s += "<c:Instance>urn:wst:test:instance:" + std::to_string(n) + "</c:Instance></c:SecurityContextToken></t:RequestedSecurityToken>";
    s += "<t:RequestedUnattachedReference><o:SecurityTokenReference xmlns:o=\"" + std::string(wsse_ns) +
         "\"><o:Reference URI=\"" + id + "\" ValueType=\"" + std::string(sc) +
         "/sct\"/></o:SecurityTokenReference></t:RequestedUnattachedReference>";
    (i.renew ? renewed_ : issued_)++;
  } else {
    s += "<t:TokenType>" + std::string(saml11_type) + "</t:TokenType>";
    s += "<t:RequestedSecurityToken><saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\" "
         "MajorVersion=\"1\" MinorVersion=\"1\" AssertionID=\"_canned-" + std::to_string(n) +
         "\" Issuer=\"urn:wst:test:canned-sts\" IssueInstant=\"" + xsd(created) + "\">"
         "<saml:Conditions NotBefore=\"" + xsd(created) + "\"/></saml:Assertion></t:RequestedSecurityToken>";
    ++issued_;
  }
  if (i.symmetric && !i.client_entropy) {
    std::uint8_t key[32];
    for (std::size_t k = 0; k < sizeof key; ++k) key[k] = static_cast<std::uint8_t>(n * 31 + k);
    s += "<t:RequestedProofToken><t:BinarySecret Type=\"" + std::string(trust) + "/SymmetricKey\">" +
         detail::crypto::base64_encode(detail::crypto::byte_view(key, sizeof key)) +
         "</t:BinarySecret></t:RequestedProofToken>";
  }
  if (lifetime.count() > 0) {
    s += "<t:Lifetime><u:Created xmlns:u=\"" + std::string(wsu_ns) + "\">" + xsd(created) + "</u:Created>";
    s += "<u:Expires xmlns:u=\"" + std::string(wsu_ns) + "\">" + xsd(created + lifetime) + "</u:Expires></t:Lifetime>";
  }
  s += "</t:RequestSecurityTokenResponse>";
  if (i.trust13) s += "</t:RequestSecurityTokenResponseCollection>";
  s += "</s:Body></s:Envelope>";
  return s;
}

std::string canned_sts::http_reply(std::string_view raw) {
  std::size_t body = raw.find("\r\n\r\n");
  std::string_view envelope = body == std::string_view::npos ? std::string_view() : raw.substr(body + 4);
  int status = 200;
  std::string r = reply(envelope, status);
  const bool soap11 = has(envelope, soap11_ns);
  return detail::http::write_response(status, status == 200 ? "OK" : "Internal Server Error",
                                      soap11 ? "text/xml; charset=utf-8" : "application/soap+xml; charset=utf-8", r);
}

}  // namespace wst::test
