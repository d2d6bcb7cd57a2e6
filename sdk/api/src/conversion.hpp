// Between the public C++ API (std types) and the internal layers: options -> what the actors
// need, failures -> wst::error, core tokens -> wst::token. No CAF here.
#pragma once

#include <wst/actors/messages.hpp>
#include <wst/base/result.hpp>
#include <wst/client.hpp>
#include <wst/core/rstr_reader.hpp>
#include <wst/errors.hpp>
#include <wst/token.hpp>

#include <memory>
#include <string>

namespace wst {

namespace detail {
struct token_access {
  static token make(std::shared_ptr<const core::issued_token> t);
  // The core token behind `t` (nullptr for an empty token).
  static const core::issued_token* get(const token& t) noexcept;
};
}  // namespace detail

namespace detail::api {

// Everything one request needs, derived from request_options and checked.
struct prepared_request {
  actors::channel_settings settings;
  std::string channel_id;  // identity of the channel settings (hash; no secret)
  actors::negotiation_job job;
  std::string key;         // token identity for the cache; empty when not cacheable
};

// Checks the options (limits, then core::validate on the description). Failures carry the
// internal codes; to_public() turns them into errc::invalid_options and friends.
result<prepared_request> prepare(const request_options& o);

// The public errc for an internal code (any layer's category).
wst::errc public_code(std::error_code internal) noexcept;
wst::error to_public(const failure& f);

}  // namespace detail::api
}  // namespace wst
