// Errors of the sample STS (wst::detail::sts): the reasons a request is refused, each of which
// becomes one SOAP fault code, and the reasons its configuration cannot be loaded.
#pragma once

#include <system_error>

namespace wst::detail::sts {

enum class errc {
  // Request faults. Each maps to one SOAP fault code (see docs/sts.md for the table).
  version_mismatch = 1,        // the envelope is not SOAP 1.1 or 1.2 (env:VersionMismatch)
  must_understand,             // a mustUnderstand header block the STS does not process
  invalid_request,             // malformed XML, envelope or RST (wst:InvalidRequest)
  bad_request,                 // a well-formed RST the STS does not support (wst:BadRequest)
  failed_authentication,       // credentials missing, malformed or wrong (wst:FailedAuthentication)
  request_failed,              // a valid request the STS could not carry out (wst:RequestFailed)
  bad_context_token,           // renew of a security context the STS does not know
  action_not_supported,        // a wsa:Action / SOAP action the STS does not serve
  addressing_header_required,  // WS-Addressing is in use but wsa:MessageID is missing
  request_too_large,           // the body exceeds issuer_options::max_request_bytes

  // Configuration errors (start-up only).
  bad_users_file,    // users file unreadable, too large or with a malformed line
  bad_replay_file,   // replay file unreadable or too large
  bad_fault_spec,    // --fault KIND[:ARG] that does not parse
  bad_key_material,  // signing key or certificate unusable or not matching
};

const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

}  // namespace wst::detail::sts

namespace std {
template <>
struct is_error_code_enum<wst::detail::sts::errc> : true_type {};
}  // namespace std
