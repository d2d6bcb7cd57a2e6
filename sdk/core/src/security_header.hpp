// The RST's wsse:Security header: Timestamp, UsernameToken, presented tokens and their
// signatures (layout in rst_writer.hpp).
#pragma once

#include <wst/core/environment.hpp>
#include <wst/core/request.hpp>

#include "validation.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace wst::detail::core {

// True when `d` puts anything into a Security header: a username, a supporting token, or the
// SCT of a renew_context request.
bool needs_security_header(const request_description& d) noexcept;

// Appends the header for a validated `d` (`facts` from validate_request(d, &facts)). Draws
// env.now() once.
void write_security_header(std::string& out, const request_description& d,
                           const request_facts& facts, environment& env);

// Bytes the header is likely to take (for the writer's single reservation).
std::size_t security_header_size_estimate(const request_description& d) noexcept;

// <o:SecurityTokenReference[ xmlns:o=WSSE]><o:Reference URI="uri" ValueType="SC/sct"
// [ c:Instance="instance" xmlns:c="SC"]/></o:SecurityTokenReference>: a direct reference to an
// SCT (MS-LWSSP 2.2.1.5). declare_wsse when `o` is not bound where it is written.
void append_sct_reference(std::string& out, std::string_view uri, std::string_view instance,
                          secure_conversation_version sc, bool declare_wsse);

}  // namespace wst::detail::core
