// Hostile replies to WsRequestSecurityToken: shapes of signature-wrapping attacks and inputs
// built to exhaust a parser, served by the sample STS in replay mode from files this test
// writes at run time (nothing large lives in git). Each must end in a clear error - the HRESULT
// and a WS_ERROR text naming the problem - never a crash, a token, a hang or a leak; the channel
// stays OPEN (the connection carried a complete HTTP response; only its content was refused).
// The checks per case are the fault matrix's (fault_matrix_test.hpp).
#include "fault_matrix_test.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace wst::test::faults {

namespace {

// A WS-Trust February 2005 reply to wst's default request (SOAP 1.2, WS-Addressing 1.0),
// echoing the request's MessageID and RST@Context; `body` is the Body's content and
// `rst_children` goes inside the RSTR in its place.
const char soap_open[] =
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
    "xmlns:a=\"http://www.w3.org/2005/08/addressing\" "
    "xmlns:t=\"http://schemas.xmlsoap.org/ws/2005/02/trust\">";

std::string envelope(const std::string& header_extra, const std::string& body) {
  return std::string(soap_open) +
         "<s:Header><a:Action s:mustUnderstand=\"1\">"
         "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/Issue</a:Action>"
         "<a:RelatesTo>{{MessageID}}</a:RelatesTo>" +
         header_extra + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
}

std::string assertion(const std::string& id, const std::string& inside = "",
                      const std::string& attributes = "") {
  return "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" + id +
         "\" Version=\"2.0\" IssueInstant=\"{{Created}}\"" + attributes +
         "><saml:Issuer>urn:wst:hostile</saml:Issuer>" + inside + "</saml:Assertion>";
}

const char proof[] =
    "<t:RequestedProofToken><t:BinarySecret>"
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=</t:BinarySecret></t:RequestedProofToken>";

std::string lifetime(const std::string& created = "{{Created}}") {
  return "<t:Lifetime><u:Created xmlns:u=\"http://docs.oasis-open.org/wss/2004/01/"
         "oasis-200401-wss-wssecurity-utility-1.0.xsd\">" +
         created +
         "</u:Created><u:Expires xmlns:u=\"http://docs.oasis-open.org/wss/2004/01/"
         "oasis-200401-wss-wssecurity-utility-1.0.xsd\">{{Expires}}</u:Expires></t:Lifetime>";
}

std::string rstr(const std::string& children) {
  return "<t:RequestSecurityTokenResponse Context=\"{{Context}}\">" + children +
         "</t:RequestSecurityTokenResponse>";
}

std::string token(const std::string& inside) {
  return "<t:RequestedSecurityToken>" + inside + "</t:RequestedSecurityToken>";
}

// The well-formed reply every hostile one is a mutation of.
std::string good_reply() {
  return envelope("", rstr(token(assertion("_good")) + proof + lifetime()));
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string many_attributes(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += " a" + std::to_string(i) + "=\"x\"";
  return out;
}

std::string nested(std::size_t depth) { return repeat("<d>", depth) + repeat("</d>", depth); }

// Served by a sample STS replaying `reply` (written to dir), with the channel options `o`.
std::function<provoked()> replaying(temp_dir& dir, const std::string& name,
                                    const std::string& reply, channel_options o = {}) {
  const std::string file = dir.write(name + ".xml", reply);
  return [file, o] {
    provoked p;
    p.channel = o;
    p.keep.push_back(start_sts(false, {"--replay", file}, &p.channel.url));
    return p;
  };
}

channel_options max_message(ULONG bytes) {
  channel_options o;
  o.properties = {{WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, bytes}};
  return o;
}

std::vector<fault_case> hostile(temp_dir& dir) {
  const auto O = WS_CHANNEL_STATE_OPEN;
  const std::string token_ok = token(assertion("_good"));
  const std::string rest = std::string(proof) + lifetime();
  std::vector<fault_case> h;

  // --- signature-wrapping shapes: which token would a client trust? None. ---
  h.push_back({"two assertions in one RequestedSecurityToken",
               replaying(dir, "two-assertions",
                         envelope("", rstr(token(assertion("_a") + assertion("_b")) + rest))),
               WS_E_INVALID_FORMAT,
               O,
               {L"RequestedSecurityToken"}});
  h.push_back({"two RequestedSecurityToken elements",
               replaying(dir, "two-tokens",
                         envelope("", rstr(token_ok + token(assertion("_evil")) + rest))),
               WS_E_INVALID_FORMAT,
               O,
               {L"RequestedSecurityToken"}});
  h.push_back({"a token outside the Body (in a header)",
               replaying(dir, "token-in-header",
                         envelope(token(assertion("_evil")), rstr(token_ok + rest))),
               WS_E_INVALID_FORMAT,
               O,
               {L"outside"}});
  h.push_back({"two RSTRs in the Body",
               replaying(dir, "two-rstrs",
                         envelope("", rstr(token_ok + rest) + rstr(token(assertion("_b")) + rest))),
               WS_E_INVALID_FORMAT,
               O,
               {L"Body"}});
  h.push_back(
      {"two RSTRs in an RSTR collection",
       replaying(dir, "two-rstrs-collection",
                 envelope("", "<t:RequestSecurityTokenResponseCollection>" + rstr(token_ok + rest) +
                                  rstr(token(assertion("_b")) + rest) +
                                  "</t:RequestSecurityTokenResponseCollection>")),
       WS_E_INVALID_FORMAT,
       O,
       {L"RSTRC holds 2"}});

  // --- resource exhaustion ---
  const std::string huge_base64 = repeat("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", 20000);
  h.push_back(
      {"huge base64 proof key (960 KB, default 64 KiB limit)",
       replaying(
           dir, "huge-base64",
           envelope("", rstr(token_ok + "<t:RequestedProofToken><t:BinarySecret>" + huge_base64 +
                             "</t:BinarySecret></t:RequestedProofToken>" + lifetime()))),
       WS_E_QUOTA_EXCEEDED,
       O,
       {L"maximum message size"}});
  h.push_back(
      {"huge base64 proof key (960 KB, MAX_BUFFERED_MESSAGE_SIZE 2 MiB)",
       replaying(
           dir, "huge-base64-admitted",
           envelope("", rstr(token_ok + "<t:RequestedProofToken><t:BinarySecret>" + huge_base64 +
                             "</t:BinarySecret></t:RequestedProofToken>" + lifetime())),
           max_message(2 << 20)),
       WS_E_INVALID_FORMAT,
       O,
       {L"proof key longer than"}});
  h.push_back(
      {"5000 attributes on the assertion",
       replaying(dir, "attributes",
                 envelope("", rstr(token(assertion("_a", "", many_attributes(5000))) + rest)),
                 max_message(1 << 20)),
       WS_E_QUOTA_EXCEEDED,
       O,
       {L"attributes"}});
  h.push_back({"100 namespace declarations in scope (10 per element; limit 64)",
               replaying(dir, "namespaces",
                         envelope("", rstr(token(assertion("_a",
                                                           [] {
                                                             std::string open, close;
                                                             for (int e = 0; e < 10; ++e) {
                                                               open += "<n" + std::to_string(e);
                                                               for (int i = 0; i < 10; ++i)
                                                                 open +=
                                                                     " xmlns:n" +
                                                                     std::to_string(e * 10 + i) +
                                                                     "=\"urn:n" +
                                                                     std::to_string(i) + "\"";
                                                               open += ">";
                                                               close = "</n" + std::to_string(e) +
                                                                       ">" + close;
                                                             }
                                                             return open + close;
                                                           }())) +
                                           rest))),
               WS_E_QUOTA_EXCEEDED,
               O,
               {L"namespace"}});
  h.push_back(
      {"nesting 40 deep inside the assertion (limit 32)",
       replaying(dir, "deep", envelope("", rstr(token(assertion("_a", nested(40))) + rest))),
       WS_E_QUOTA_EXCEEDED,
       O,
       {L"deep"}});
  h.push_back({"nesting 100,000 deep (MAX_BUFFERED_MESSAGE_SIZE 1 MiB)",
               replaying(dir, "very-deep",
                         envelope("", rstr(token(assertion("_a", nested(100000))) + rest)),
                         max_message(1 << 20)),
               WS_E_QUOTA_EXCEEDED,
               O,
               {L"deep"}});
  h.push_back({"150,000 empty elements (MAX_BUFFERED_MESSAGE_SIZE 1 MiB)",
               replaying(dir, "wide",
                         envelope("", rstr(token(assertion("_a", repeat("<e/>", 150000))) + rest)),
                         max_message(1 << 20)),
               WS_E_QUOTA_EXCEEDED,
               O,
               {L"nodes"}});
  h.push_back(
      {"a 200 KB text node (default 64 KiB limit)",
       replaying(
           dir, "long-text",
           envelope(
               "", rstr(token(assertion("_a", "<x>" + std::string(200000, 'a') + "</x>")) + rest))),
       WS_E_QUOTA_EXCEEDED,
       O,
       {L"maximum message size"}});
  h.push_back({"a 10 KB text node where a date belongs (Lifetime/Created)",
               replaying(dir, "long-date",
                         envelope("", rstr(token_ok + proof + lifetime(std::string(10000, '9'))))),
               WS_E_INVALID_FORMAT,
               O,
               {L"Created"}});

  // --- malformed input ---
  h.push_back({"invalid UTF-8 in the assertion",
               replaying(dir, "utf8",
                         envelope("", rstr(token(assertion("_a", "<x>caf\xC3\x28</x>")) + rest))),
               WS_E_INVALID_FORMAT,
               O,
               {L"invalid UTF-8"}});
  h.push_back(
      {"DOCTYPE with an entity declaration",
       replaying(dir, "doctype",
                 "<!DOCTYPE s:Envelope [<!ENTITY boom \"" + std::string(1000, 'x') + "\">]>" +
                     envelope("", rstr(token(assertion("_a", "<x>&boom;</x>")) + rest))),
       WS_E_INVALID_FORMAT,
       O,
       {L"DOCTYPE"}});
  h.push_back(
      {"an undefined entity reference",
       replaying(dir, "entity", envelope("", rstr(token(assertion("_a", "<x>&boom;</x>")) + rest))),
       WS_E_INVALID_FORMAT,
       O,
       {L"&boom;"}});
  h.push_back({"a reply cut inside the envelope (well-formed HTTP)",
               replaying(dir, "cut", good_reply().substr(0, 400)),
               WS_E_INVALID_FORMAT,
               O,
               {L"not well-formed"}});
  return h;
}

}  // namespace

BOOST_AUTO_TEST_CASE(hostile_responses) {
  temp_dir dir;
  std::string healthy;
  auto sts = start_sts(false, {}, &healthy);

  // The reply the hostile ones mutate is accepted as it is: each case fails for its mutation.
  {
    std::string url;
    auto good = start_sts(false, {"--replay", dir.write("good.xml", good_reply())}, &url);
    std::vector<WCHAR> wide(url.begin(), url.end());
    WS_CHANNEL* channel = nullptr;
    BOOST_REQUIRE_EQUAL(WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, nullptr,
                                        0, nullptr, &channel, nullptr),
                        S_OK);
    WS_ENDPOINT_ADDRESS address{};
    address.url = {static_cast<ULONG>(wide.size()), wide.data()};
    BOOST_REQUIRE_EQUAL(WsOpenChannel(channel, &address, nullptr, nullptr), S_OK);
    WS_ERROR* error = nullptr;
    WsCreateError(nullptr, 0, &error);
    WS_SECURITY_TOKEN* token = nullptr;
    const HRESULT hr = WsRequestSecurityToken(channel, nullptr, 0, &token, nullptr, error);
    WS_STRING text{};
    if (hr != S_OK && WsGetErrorString(error, 0, &text) == S_OK)
      BOOST_TEST_MESSAGE(std::string(text.chars, text.chars + text.length));
    BOOST_TEST(hresult_name(hr) == "S_OK");
    if (token) WsFreeSecurityToken(token);
    WsFreeError(error);
    WsCloseChannel(channel, nullptr, nullptr);
    WsFreeChannel(channel);
  }

  const auto cases = hostile(dir);
  report(cases, run_cases(cases, healthy, 6));
}

}  // namespace wst::test::faults
