// WsRequestSecurityToken: WS_REQUEST_SECURITY_TOKEN_PROPERTY_* -> core::request_description,
// one negotiation run by the channel's actor, completion through WS_ASYNC_CONTEXT.
#include "request_properties.hpp"

#include <wst/actors/errors.hpp>
#include <wst/capi/async.hpp>
#include <wst/capi/call.hpp>
#include <wst/capi/channel.hpp>
#include <wst/capi/security_token.hpp>
#include <wst/capi/text.hpp>
#include <wst/capi/xml_buffer.hpp>
#include <wst/core/request.hpp>
#include <wst/xml/reader.hpp>

#include <cstring>
#include <memory>
#include <mutex>
#include <string>

namespace capi = wst::detail::capi;
namespace actors = wst::detail::actors;
namespace core = wst::detail::core;
namespace xml = wst::detail::xml;
using capi::errc;
using wst::detail::failure;
using wst::detail::result;

namespace {

constexpr int last_property = WS_REQUEST_SECURITY_TOKEN_PROPERTY_BEARER_KEY_TYPE_VERSION;

failure invalid(std::string m) { return failure(errc::invalid_argument, std::move(m)); }

std::string property_name(int id) {
  static const char* const names[] = {nullptr,
                                      "APPLIES_TO",
                                      "TRUST_VERSION",
                                      "SECURE_CONVERSATION_VERSION",
                                      "ISSUED_TOKEN_TYPE",
                                      "REQUEST_ACTION",
                                      "EXISTING_TOKEN",
                                      "ISSUED_TOKEN_KEY_TYPE",
                                      "ISSUED_TOKEN_KEY_SIZE",
                                      "ISSUED_TOKEN_KEY_ENTROPY",
                                      "LOCAL_REQUEST_PARAMETERS",
                                      "SERVICE_REQUEST_PARAMETERS",
                                      "MESSAGE_PROPERTIES",
                                      "BEARER_KEY_TYPE_VERSION"};
  return std::string("WS_REQUEST_SECURITY_TOKEN_PROPERTY_") + names[id];
}

template <class T>
result<T> value_of(const WS_REQUEST_SECURITY_TOKEN_PROPERTY& p, const std::string& what) {
  if (p.value == nullptr || p.valueSize != sizeof(T))
    return invalid(what + ": value is NULL or valueSize is not " + std::to_string(sizeof(T)));
  T v;
  std::memcpy(&v, p.value, sizeof v);
  return v;
}

// An enum-valued property whose values run from 1 to `last`, as the core's enum E.
template <class WsEnum, class E>
result<void> read_enum(const WS_REQUEST_SECURITY_TOKEN_PROPERTY& p, const std::string& what,
                       int last, E& out) {
  static_assert(sizeof(WsEnum) == sizeof(int), "WWSAPI enums are int-sized");
  auto v = value_of<int>(p, what);  // never loaded as WsEnum: C may store any int there
  if (!v) return std::move(v).error();
  const int n = *v;
  if (n < 1 || n > last) return invalid(what + ": unknown value " + std::to_string(n));
  out = static_cast<E>(n);  // the core's enums carry webservices.h's numbers
  return {};
}

result<std::string> buffer_text(const WS_REQUEST_SECURITY_TOKEN_PROPERTY& p,
                                const std::string& what) {
  auto b = value_of<WS_XML_BUFFER*>(p, what);
  if (!b) return std::move(b).error();
  if (capi::live(*b) == nullptr)
    return invalid(what + ": not a valid WS_XML_BUFFER handle (NULL, freed or another type)");
  return (*b)->xml;
}

result<void> read_reader_limits(const WS_XML_READER_PROPERTIES& r, xml::limits& limits) {
  const std::string what = "WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES";
  if (r.properties == nullptr && r.propertyCount != 0)
    return invalid(what + ": properties is NULL but propertyCount is not 0");
  for (ULONG i = 0; i < r.propertyCount; ++i) {
    const auto& p = r.properties[i];
    const int id = capi::raw(p.id);
    std::size_t* field = nullptr;
    std::size_t max = 0xFFFFFFFFu;
    switch (id) {
      case WS_XML_READER_PROPERTY_MAX_DEPTH:
        field = &limits.max_depth;
        max = xml::max_supported_depth;
        break;
      case WS_XML_READER_PROPERTY_MAX_ATTRIBUTES:
        field = &limits.max_attributes;
        break;
      case WS_XML_READER_PROPERTY_MAX_NAMESPACES:
        field = &limits.max_namespaces;
        break;
      default:
        if (id < WS_XML_READER_PROPERTY_MAX_DEPTH || id > WS_XML_READER_PROPERTY_MAX_NAMESPACES)
          return invalid(what + ": unknown WS_XML_READER_PROPERTY_ID " + std::to_string(id));
        return failure(errc::not_supported,
                       what + ": reader property " + std::to_string(id) +
                           " does not apply to replies (MAX_DEPTH, MAX_ATTRIBUTES "
                           "and MAX_NAMESPACES do)");
    }
    ULONG v = 0;
    if (p.value == nullptr || p.valueSize != sizeof v)
      return invalid(what + ": reader property " + std::to_string(id) +
                     ": value is NULL or valueSize is not 4");
    std::memcpy(&v, p.value, sizeof v);
    if (v == 0 || v > max)
      return invalid(what + ": reader property " + std::to_string(id) + " must be 1.." +
                     std::to_string(max));
    *field = v;
  }
  return {};
}

result<void> read_message_properties(const WS_REQUEST_SECURITY_TOKEN_PROPERTY& p,
                                     const std::string& what, xml::limits& limits) {
  auto v = value_of<WS_MESSAGE_PROPERTIES>(p, what);
  if (!v) return std::move(v).error();
  if (v->properties == nullptr && v->propertyCount != 0)
    return invalid(what + ": properties is NULL but propertyCount is not 0");
  for (ULONG i = 0; i < v->propertyCount; ++i) {
    const auto& m = v->properties[i];
    const int id = capi::raw(m.id);
    if (id == WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES) {
      if (m.value == nullptr || m.valueSize != sizeof(WS_XML_READER_PROPERTIES))
        return invalid(what +
                       ": WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES: value is NULL or valueSize "
                       "is not sizeof(WS_XML_READER_PROPERTIES)");
      WS_XML_READER_PROPERTIES r;
      std::memcpy(&r, m.value, sizeof r);
      if (auto ok = read_reader_limits(r, limits); !ok) return ok;
      continue;
    }
    if (id < WS_MESSAGE_PROPERTY_STATE || id > WS_MESSAGE_PROPERTY_PROTECTION_LEVEL)
      return invalid(what + ": unknown WS_MESSAGE_PROPERTY_ID " + std::to_string(id));
    return failure(errc::not_supported, what + ": WS_MESSAGE_PROPERTY id " + std::to_string(id) +
                                            " is not supported by wst (XML_READER_PROPERTIES is)");
  }
  return {};
}

result<void> read_property(const WS_REQUEST_SECURITY_TOKEN_PROPERTY& p,
                           core::request_description& d, xml::limits& limits,
                           bool (&given)[last_property + 1]) {
  const int id = capi::raw(p.id);
  if (id < 1 || id > last_property)
    return invalid("unknown WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID " + std::to_string(id));
  const std::string what = property_name(id);
  if (given[id]) return invalid(what + " given twice");
  given[id] = true;
  switch (id) {
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO: {
      auto a = value_of<WS_ENDPOINT_ADDRESS>(p, what);
      if (!a) return std::move(a).error();
      if (a->headers != nullptr || a->extensions != nullptr || a->identity != nullptr)
        return failure(
            errc::not_supported,
            what + ": wst sends the address only (headers, extensions and identity must be NULL)");
      auto url = capi::narrow(a->url, what + ": url");
      if (!url) return std::move(url).error();
      if (url->empty()) return invalid(what + ": the url is empty");
      d.applies_to = std::move(*url);
      return {};
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION:
      return read_enum<WS_TRUST_VERSION>(p, what, WS_TRUST_VERSION_1_3, d.trust);
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_SECURE_CONVERSATION_VERSION:
      return read_enum<WS_SECURE_CONVERSATION_VERSION>(p, what, WS_SECURE_CONVERSATION_VERSION_1_3,
                                                       d.secure_conversation);
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE: {
      auto s = value_of<WS_XML_STRING>(p, what);
      if (!s) return std::move(s).error();
      if (s->bytes == nullptr && s->length != 0)
        return invalid(what + ": bytes is NULL but length is not 0");
      d.issued_token_type = std::string(reinterpret_cast<const char*>(s->bytes), s->length);
      return {};
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_REQUEST_ACTION:
      return read_enum<WS_REQUEST_SECURITY_TOKEN_ACTION>(
          p, what, WS_REQUEST_SECURITY_TOKEN_ACTION_RENEW_CONTEXT, d.action);
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_EXISTING_TOKEN: {
      auto t = value_of<WS_SECURITY_TOKEN*>(p, what);
      if (!t) return std::move(t).error();
      auto held = capi::token_of(*t);
      if (!held)
        return invalid(what +
                       ": not a valid WS_SECURITY_TOKEN handle (NULL, freed or another type)");
      d.existing = core::existing_token_from(*held);
      return {};
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE: {
      core::key_type k{};
      if (auto ok = read_enum<WS_SECURITY_KEY_TYPE>(p, what, WS_SECURITY_KEY_TYPE_ASYMMETRIC, k);
          !ok)
        return ok;
      d.key = k;
      return {};
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_SIZE: {
      auto v = value_of<ULONG>(p, what);
      if (!v) return std::move(v).error();
      d.key_size_bits = *v;
      return {};
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY:
      return read_enum<WS_SECURITY_KEY_ENTROPY_MODE>(p, what, WS_SECURITY_KEY_ENTROPY_MODE_COMBINED,
                                                     d.entropy);
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS:
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_SERVICE_REQUEST_PARAMETERS: {
      auto text = buffer_text(p, what);
      if (!text) return std::move(text).error();
      (id == WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS ? d.local_parameters
                                                                         : d.service_parameters) =
          std::move(*text);
      return {};
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_MESSAGE_PROPERTIES:
      return read_message_properties(p, what, limits);
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_BEARER_KEY_TYPE_VERSION:
      return read_enum<WS_SECURITY_BEARER_KEY_TYPE_VERSION>(
          p, what, WS_SECURITY_BEARER_KEY_TYPE_VERSION_1_3_ERRATA_01, d.bearer_version);
  }
  return invalid("unknown WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID " + std::to_string(id));
}

}  // namespace

result<void> capi::read_request_properties(const WS_REQUEST_SECURITY_TOKEN_PROPERTY* properties,
                                           ULONG count, core::request_description& d,
                                           xml::limits& limits) {
  bool given[last_property + 1] = {};
  for (ULONG i = 0; i < count; ++i)
    if (auto ok = read_property(properties[i], d, limits, given); !ok) return ok;
  return core::validate(d);
}

extern "C" {

HRESULT WINAPI WsRequestSecurityToken(WS_CHANNEL* channel,
                                      const WS_REQUEST_SECURITY_TOKEN_PROPERTY* properties,
                                      ULONG propertyCount, WS_SECURITY_TOKEN** token,
                                      const WS_ASYNC_CONTEXT* asyncContext, WS_ERROR* error) {
  return capi::guard("WsRequestSecurityToken", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(channel) == nullptr) return c.bad_handle("channel", "WS_CHANNEL");
    if (token == nullptr) return c.fail(errc::invalid_argument, "token is NULL");
    if (properties == nullptr && propertyCount != 0)
      return c.fail(errc::invalid_argument, "properties is NULL but propertyCount is not 0");
    if (HRESULT hr = capi::check_async(c, asyncContext); FAILED(hr)) return hr;

    capi::channel_core& ch = *channel->core;
    const capi::channel_config& cfg = ch.config;
    actors::negotiation_job job;
    core::request_description& d = job.description;
    std::shared_ptr<wst::detail::api::channel> actor;
    std::uint64_t aborts = 0;
    {
      std::lock_guard<std::mutex> lock(ch.mu);
      const WS_CHANNEL_STATE st = ch.effective_state();
      if (st != WS_CHANNEL_STATE_OPEN)
        return c.fail(errc::invalid_operation,
                      std::string("the channel is ") + capi::state_name(st) +
                          "; WsRequestSecurityToken needs an open channel");
      actor = ch.actor;
      aborts = ch.aborts;
      d.sts_address = ch.url;
    }
    d.soap = cfg.envelope == WS_ENVELOPE_VERSION_SOAP_1_1 ? core::soap_version::soap11
                                                          : core::soap_version::soap12;
    d.addressing = cfg.addressing == WS_ADDRESSING_VERSION_0_9 ? core::addressing_version::aug2004
                                                               : core::addressing_version::v1_0;
    d.username = cfg.username;
    if (cfg.supporting) d.supporting = core::supporting_token_from(*cfg.supporting);
    job.limits.max_bytes = cfg.max_buffered_message_size;

    // Validated here, synchronously, rather than by the channel actor after the call returned.
    if (auto ok = capi::read_request_properties(properties, propertyCount, d, job.limits); !ok)
      return c.fail(ok.error());

    auto op = std::make_shared<capi::operation>(asyncContext, cfg.callback_model);
    std::weak_ptr<capi::channel_core> weak = channel->core;
    actor->request_token(std::move(job), [op, token, error, weak, aborts](actors::token_reply r) {
      const capi::call done("WsRequestSecurityToken", error);
      HRESULT hr = S_OK;
      bool aborted = false;
      if (!r.ok())
        if (auto held = weak.lock()) {
          std::lock_guard<std::mutex> lock(held->mu);
          aborted = held->aborts != aborts;
        }
      if (aborted && r.error.code != actors::errc::aborted) {
        // The abort reached the channel actor before this request did (the actor then refused
        // it as faulted): it was pending when WsAbortChannel ran, so it was aborted.
        hr = done.report(WS_E_OPERATION_ABORTED, "the request was aborted by WsAbortChannel",
                         r.error.describe());
      } else if (r.ok()) {
        try {
          *token = capi::make_security_token(std::move(r.token)).release();
        } catch (...) {
          hr = done.report(E_OUTOFMEMORY, "out of memory");
        }
      } else {
        hr = done.fail(r.error);
      }
      op->complete(hr);
    });
    return op->initiated();
  });
}

}  // extern "C"
