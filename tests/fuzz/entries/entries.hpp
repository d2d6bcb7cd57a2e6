// The fuzz entry functions: one per fuzzed input surface, plain C++ so that the same code runs
// under libFuzzer (tests/fuzz/libfuzzer_main.cpp, clang, -DWST_FUZZ=ON) and in the replay
// test (tests/fuzz/replay_test.cpp, any compiler), which feeds every committed corpus and
// regression input through them. See docs/fuzzing.md.
//
// Each entry accepts any bytes. Bad input must end in a precise error; an entry checks more
// than "no crash" where that is cheap (listed per entry) and reports a broken invariant
// through violated(). Each returns true when the input was accepted (a token, a document, a
// complete message), so the replay test can tell that the seeds still reach the deep paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wst::fuzz {

// sdk/core: byte 0 picks a request shape (see rstr_shape()), the rest is the STS reply fed to
// negotiation::on_reply() after start(). Checks: the state machine ends in done/failed to match
// the result and refuses a second reply; no client entropy is left behind; failures carry a
// core error code, fault_received comes with fault(); a token's XML and references parse
// again, its lifetime is ordered and round-trips through parse_xsd_datetime(), its proof key
// matches key type and key size, an SCT action yields a context id.
bool rstr(std::string_view input);

// sdk/xml: parse() with the default limits, then every element is walked (names, namespace
// lookups, attributes, children, text, raw()); lift() of each element parses again to an
// element of the same name, with the same attributes and children; exclusive_c14n() of the root
// is well-formed, idempotent and free of raw CR. Accepted documents, decoded text and
// attribute values are UTF-8 made of XML characters only.
bool xml(std::string_view input);

// transports/http response_parser / request_parser. Input layout: byte 0
// = flags (bit 0-2: number of split points, bit 3: call finish() at the end, bit 4: small
// limits), then two bytes per split point (big-endian offsets into the message), then the
// message. Checks: the outcome (the message, or incomplete) equals the outcome of feeding
// the message whole, and one fails when the other does; a complete message respects every limit (body no larger than
// max_message_size, header count and sizes) and consumed <= fed; a failed parser keeps
// failing; reset() makes it usable again for the unconsumed rest.
bool http_response(std::string_view input);
bool http_request(std::string_view input);

// sdk/capi: the C facade's property decoding. The input is a recipe (capi_entry.cpp, docs/
// fuzzing.md): a fuzzed XML buffer and a token made by WsCreateXmlSecurityToken from fuzzed
// properties; an array of WS_REQUEST_SECURITY_TOKEN_PROPERTY (any ids, NULL values, wrong
// sizes, nested WS_MESSAGE_PROPERTIES, strings, live, NULL and wrong-typed handles) decoded by
// capi::read_request_properties; WsGetSecurityTokenProperty calls; WsCreateChannel with fuzzed
// WS_CHANNEL_PROPERTY entries and WsGetChannelProperty calls, with any buffer size. Every value
// has exactly its stated size. Checks: decoding is deterministic; a refusal has a message and a
// precise HRESULT (not E_FAIL); accepted properties give in-range reader limits and an RST the
// core writes; a getter succeeds only on a live handle with a buffer, fails without touching
// the buffer and with a WS_ERROR message; SYMMETRIC_KEY returns the token's key; channel
// properties WsCreateChannel accepted read back as given. True when the request properties
// were accepted.
bool capi_properties(std::string_view input);

// The shape byte 0 of an rstr input selects, as "trust=1.3 soap=soap11 ..." (for seeds,
// tests and crash reports).
std::string describe_rstr_shape(std::uint8_t shape);

// Called with a description of a broken invariant. The default prints it to stderr and
// aborts (libFuzzer then saves the input as a crash). The replay test installs a handler
// that throws instead, so one bad file fails one check. The handler must not return;
// violated() aborts if it does.
using violation_handler = void (*)(const char* entry, const std::string& what);
void set_violation_handler(violation_handler h) noexcept;
[[noreturn]] void violated(const char* entry, const std::string& what);

}  // namespace wst::fuzz
