// WS_SECURITY_TOKEN: an issued token (WsRequestSecurityToken) or one built from XML
// (WsCreateXmlSecurityToken), both held as the core's issued_token.
//
// The token is shared read-only (the C++ API's wst::token can hold the same object), so
// wrapping needs no copy. The proof key lives in the issued_token's secure_bytes and is wiped
// when the last holder lets go.
#pragma once

#include <wst/capi/handle.hpp>
#include <wst/core/rstr_reader.hpp>

#include <webservices.h>

#include <cstdint>
#include <memory>
#include <utility>

struct _WS_SECURITY_TOKEN {
  static constexpr std::uint32_t live_magic = 0x4E4B5457u;  // "WTKN"

  std::uint32_t magic = live_magic;
  std::shared_ptr<const wst::detail::core::issued_token> token;  // never null

  explicit _WS_SECURITY_TOKEN(std::shared_ptr<const wst::detail::core::issued_token> t)
      : token(std::move(t)) {}
  _WS_SECURITY_TOKEN(const _WS_SECURITY_TOKEN&) = delete;
  _WS_SECURITY_TOKEN& operator=(const _WS_SECURITY_TOKEN&) = delete;
  ~_WS_SECURITY_TOKEN() { wst::detail::capi::kill_magic(magic); }
};

namespace wst::detail::capi {

// The handle WsRequestSecurityToken hands out for what the core produced; the caller frees
// it with WsFreeSecurityToken (which deletes it). `t` must not be null. May throw bad_alloc.
std::unique_ptr<WS_SECURITY_TOKEN> make_security_token(std::shared_ptr<const core::issued_token> t);

// The core token behind a live handle; nullptr for anything else. For EXISTING_TOKEN and
// WS_XML_TOKEN_MESSAGE_SECURITY_BINDING.
std::shared_ptr<const core::issued_token> token_of(WS_SECURITY_TOKEN* handle);

}  // namespace wst::detail::capi
