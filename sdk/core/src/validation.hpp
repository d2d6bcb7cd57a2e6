// validate() with the by-products the RST writer needs, so the SCT to renew is parsed once.
#pragma once

#include <wst/base/result.hpp>
#include <wst/core/request.hpp>

#include <string>

namespace wst::detail::core {

// What RenewTarget needs when no unattached reference was supplied.
struct renew_target {
  std::string identifier;  // sc:Identifier of the SCT to renew
  std::string instance;    // sc:Instance, empty when absent
  // The reference element inside existing_token::unattached_reference (without a BOM, XML
  // declaration or surrounding whitespace); length 0 when no reference was supplied.
  std::size_t reference_offset = 0;
  std::size_t reference_length = 0;
};

// validate(d); when d.action is renew_context, *target (if given) receives the SCT's ids.
result<void> validate_request(const request_description& d, renew_target* target);

}  // namespace wst::detail::core
