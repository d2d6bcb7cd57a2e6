// Internal to sdk/capi: the decoding of WsRequestSecurityToken's property array, callable on
// its own (the C-facade property fuzz target, tests/fuzz/entries/capi_entry.cpp, drives it
// without an open channel). Defined in request_security_token.cpp.
#pragma once

#include <wst/base/result.hpp>
#include <wst/core/request.hpp>
#include <wst/xml/reader.hpp>

#include <webservices.h>

namespace wst::detail::capi {

// Reads `count` WS_REQUEST_SECURITY_TOKEN_PROPERTY entries into `d` (and the reply reader's
// `limits`, from MESSAGE_PROPERTIES), then checks the description as a whole
// (core::validate). `properties` may be NULL only when `count` is 0 (the caller checks).
// A value is read only when it is non-NULL and its valueSize is exactly its type's size;
// handles (WS_XML_BUFFER*, WS_SECURITY_TOKEN*) must be live. Errors: capi invalid_argument
// (unknown id, duplicate, NULL or wrong size, unknown enum value, dead handle), not_supported
// (valid WWSAPI options wst does not implement), or core's validation error - each message
// naming the property.
result<void> read_request_properties(const WS_REQUEST_SECURITY_TOKEN_PROPERTY* properties,
                                     ULONG count, core::request_description& d,
                                     xml::limits& limits);

}  // namespace wst::detail::capi
