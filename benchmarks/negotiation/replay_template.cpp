#include "replay_template.hpp"

#include <algorithm>
#include <system_error>
#include <utility>
#include <vector>

namespace wst::bench {
namespace {

detail::failure fail(std::string what) {
  return detail::failure(std::make_error_code(std::errc::invalid_argument), std::move(what));
}

bool name_end(char c) { return c == '>' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/'; }

// ` Context="..."` of the RequestSecurityTokenResponse start tag (empty range when absent).
detail::result<element_text> context_attribute(std::string_view xml) {
  const std::string_view name = "RequestSecurityTokenResponse";
  for (std::size_t at = xml.find(name); at != std::string_view::npos; at = xml.find(name, at + 1)) {
    const std::size_t after = at + name.size();
    if (after >= xml.size() || !name_end(xml[after]) || (xml[at - 1] != '<' && xml[at - 1] != ':')) continue;
    const std::size_t gt = xml.find('>', after);
    if (gt == std::string_view::npos) break;
    const std::size_t attr = xml.substr(0, gt).find(" Context=\"", after);
    if (attr == std::string_view::npos) return element_text{0, 0};
    const std::size_t quote = xml.find('"', attr + 10);
    if (quote == std::string_view::npos || quote > gt) return fail("a malformed RSTR Context attribute");
    return element_text{attr, quote + 1};
  }
  return fail("the real response has no RequestSecurityTokenResponse");
}

}  // namespace

detail::result<element_text> find_element_text(std::string_view xml, std::string_view local_name,
                                               std::size_t from) {
  for (std::size_t lt = xml.find('<', from); lt != std::string_view::npos; lt = xml.find('<', lt + 1)) {
    std::size_t name = lt + 1;
    std::size_t stop = name;
    while (stop < xml.size() && !name_end(xml[stop])) ++stop;
    std::string_view qname = xml.substr(name, stop - name);
    const std::size_t colon = qname.find(':');
    if (colon != std::string_view::npos) qname.remove_prefix(colon + 1);
    if (qname != local_name) continue;
    const std::size_t gt = xml.find('>', stop);
    if (gt == std::string_view::npos || xml[gt - 1] == '/') continue;  // empty element
    const std::size_t close = xml.find("</", gt + 1);
    if (close == std::string_view::npos) break;
    return element_text{gt + 1, close};
  }
  return fail("no <" + std::string(local_name) + "> element with text");
}

detail::result<std::string> message_id_of(std::string_view request) {
  const std::size_t body = request.find("\r\n\r\n");
  if (body == std::string_view::npos) return fail("the captured request has no header end");
  auto id = find_element_text(request, "MessageID", body);
  if (!id) return fail("the captured request has no wsa:MessageID");
  std::string_view v = id->text(request);
  if (v.empty()) return fail("the captured request has an empty wsa:MessageID");
  return std::string(v);
}

namespace {

struct cut {
  element_text where;
  const char* placeholder;
};

// RelatesTo (which must hold `request_message_id`) -> {{MessageID}}, the reply's own
// MessageID (when it has one) -> {{NewMessageID}}.
detail::result<std::vector<cut>> addressing_cuts(std::string_view response,
                                                 std::string_view request_message_id) {
  auto relates = find_element_text(response, "RelatesTo");
  if (!relates) return fail("the real response has no RelatesTo");
  if (relates->text(response) != request_message_id)
    return fail("the real response relates to '" + std::string(relates->text(response)) +
                "', not to the request's MessageID");
  std::vector<cut> cuts{{*relates, "{{MessageID}}"}};
  if (auto own = find_element_text(response, "MessageID")) cuts.push_back({*own, "{{NewMessageID}}"});
  return cuts;
}

// `response` with every cut replaced by its placeholder.
detail::result<std::string> apply(std::string_view response, std::vector<cut> cuts) {
  std::sort(cuts.begin(), cuts.end(), [](const cut& a, const cut& b) { return a.where.begin < b.where.begin; });
  std::string out;
  out.reserve(response.size());
  std::size_t at = 0;
  for (const cut& c : cuts) {
    if (c.where.begin < at) return fail("overlapping elements in the real response");
    out.append(response.substr(at, c.where.begin - at));
    out.append(c.placeholder);
    at = c.where.end;
  }
  out.append(response.substr(at));
  return out;
}

}  // namespace

detail::result<std::string> make_replay_template(std::string_view response,
                                                 std::string_view request_message_id) {
  auto cuts = addressing_cuts(response, request_message_id);
  if (!cuts) return std::move(cuts).error();
  auto lifetime = find_element_text(response, "Lifetime");
  if (!lifetime) return fail("the real response has no Lifetime");
  // Lifetime's text begins at its first child: search Created and Expires from there.
  auto created = find_element_text(response, "Created", lifetime->begin);
  auto expires = find_element_text(response, "Expires", lifetime->begin);
  if (!created || !expires) return fail("the real response's Lifetime lacks Created or Expires");
  cuts->push_back({*created, "{{Created}}"});
  cuts->push_back({*expires, "{{Expires}}"});
  // RSTR@Context echoes the request's Context, which differs per request: the STS fills
  // {{Context}} in, so the client checks the echo as it would against a real STS.
  auto context = context_attribute(response);
  if (!context) return std::move(context).error();
  if (context->end > context->begin) cuts->push_back({*context, " Context=\"{{Context}}\""});
  return apply(response, std::move(*cuts));
}

detail::result<std::string> make_fault_replay_template(std::string_view response,
                                                       std::string_view request_message_id) {
  const std::size_t body = response.find("Body");
  if (body == std::string_view::npos || response.find(":Fault", body) == std::string_view::npos)
    return fail("the real response holds no SOAP Fault in its Body");
  auto cuts = addressing_cuts(response, request_message_id);
  if (!cuts) return std::move(cuts).error();
  return apply(response, std::move(*cuts));
}

}  // namespace wst::bench
