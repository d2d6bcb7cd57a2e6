// Errors of the C facade (wst::detail::capi) and the one place where any layer's error code
// becomes an HRESULT.
//
// Every Ws* entry point reports failure as an HRESULT plus a readable string in WS_ERROR
// (see call.hpp). Failures detected by this layer use the errc below; failures coming up
// from other layers keep their own codes and are translated by hresult_of(). All of these
// are fatal for the call that reports them: repeating it with the same arguments fails again.
#pragma once

#include <webservices.h>

#include <system_error>

namespace wst::detail::capi {

enum class errc {
  invalid_argument = 1,  // E_INVALIDARG: a NULL, freed or foreign handle, a bad pointer, size,
                         //   property id or value; the message names the argument
  out_of_memory,         // E_OUTOFMEMORY: an allocation failed
  quota_exceeded,        // WS_E_QUOTA_EXCEEDED: a heap's maximum size or another limit
  invalid_format,        // WS_E_INVALID_FORMAT: content does not have the required shape
  invalid_operation,     // WS_E_INVALID_OPERATION: the object's state does not allow the call
  not_supported,         // WS_E_NOT_SUPPORTED: a valid Windows option wst does not implement
};

const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

// The HRESULT for a code of any wst layer: capi's own codes as listed above; xml limits ->
// WS_E_QUOTA_EXCEEDED, other XML errors -> WS_E_INVALID_FORMAT; core request errors
// (invalid_supporting_token included) -> E_INVALIDARG, SOAP faults ->
// WS_E_ENDPOINT_FAULT_RECEIVED, reply errors -> WS_E_INVALID_FORMAT; crypto errors by kind;
// actors: invalid_state -> WS_E_INVALID_OPERATION, channel_faulted -> WS_E_OBJECT_FAULTED,
// aborted/shutting_down -> WS_E_OPERATION_ABORTED, timed_out -> WS_E_OPERATION_TIMED_OUT,
// server_fault -> WS_E_ENDPOINT_FAULT_RECEIVED, token_expired -> WS_E_SECURITY_TOKEN_EXPIRED;
// transport: refused -> WS_E_ENDPOINT_UNREACHABLE, reset/EOF -> WS_E_ENDPOINT_DISCONNECTED,
// DNS -> WS_E_ENDPOINT_NOT_FOUND, timeouts -> WS_E_OPERATION_TIMED_OUT, TLS verification or
// handshake -> WS_E_SECURITY_VERIFICATION_FAILURE, bad URL -> WS_E_INVALID_ENDPOINT_URL;
// http: 401 Basic/Digest/NTLM/Negotiate -> WS_E_SERVER_REQUIRES_*_AUTH, other 401 ->
// WS_E_ENDPOINT_ACCESS_DENIED, 404 -> WS_E_ENDPOINT_NOT_FOUND, 503 -> WS_E_ENDPOINT_TOO_BUSY,
// other statuses -> WS_E_ENDPOINT_FAILURE, size limits -> WS_E_QUOTA_EXCEEDED; tls
// configuration (unreadable or unusable PEM files) -> E_INVALIDARG. docs/capi.md has the
// full table. Unknown categories give E_FAIL.
HRESULT hresult_of(const std::error_code& ec) noexcept;

}  // namespace wst::detail::capi

namespace std {
template <>
struct is_error_code_enum<wst::detail::capi::errc> : true_type {};
}  // namespace std
