// Turning one real exchange with the issuing STS into a --replay template for it, so replay
// mode answers every request with a real signed response that still fits that request.
#pragma once

#include <wst/base/result.hpp>

#include <string>
#include <string_view>

namespace wst::bench {

// The text of the first element with this local name (any prefix) in `xml`, searching from
// `from`; `begin`/`end` delimit the text. Enough for the flat, writer-made envelopes here; not
// an XML parser.
struct element_text {
  std::size_t begin = 0, end = 0;
  std::string_view text(std::string_view xml) const { return xml.substr(begin, end - begin); }
};
detail::result<element_text> find_element_text(std::string_view xml, std::string_view local_name,
                                               std::size_t from = 0);

// The wsa:MessageID of a captured HTTP request (headers and envelope).
detail::result<std::string> message_id_of(std::string_view request);

// The template: RelatesTo (which must hold `request_message_id`) becomes {{MessageID}}, the
// reply's own MessageID {{NewMessageID}}, and Lifetime's Created and Expires {{Created}} and
// {{Expires}}, and the RSTR's Context attribute's value (it echoes the request's, which
// differs per request) {{Context}}; the signed token itself is left byte for byte.
detail::result<std::string> make_replay_template(std::string_view response,
                                                 std::string_view request_message_id);

// The same for a SOAP fault the STS sent (its Body must hold a Fault): RelatesTo becomes
// {{MessageID}} and the fault's own MessageID {{NewMessageID}}, so replaying it answers every
// request with a real fault that relates to that request.
detail::result<std::string> make_fault_replay_template(std::string_view response,
                                                       std::string_view request_message_id);

}  // namespace wst::bench
