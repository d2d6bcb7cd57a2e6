// WsCreateChannel's properties and security description -> channel_config.
#include <wst/capi/channel.hpp>
#include <wst/capi/errors.hpp>
#include <wst/capi/heap.hpp>
#include <wst/capi/security_token.hpp>
#include <wst/capi/text.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

namespace wst::detail::capi {
namespace {

constexpr ULONG min_message_size = 1024;
constexpr ULONG max_message_size = 64u << 20;
constexpr int last_channel_property = WS_CHANNEL_PROPERTY_MAX_HTTP_REQUEST_HEADERS_BUFFER_SIZE;
constexpr int last_binding_property =
    WS_SECURITY_BINDING_PROPERTY_CERTIFICATE_VALIDATION_CALLBACK_CONTEXT;
constexpr ULONG known_cert_failures = WS_CERT_FAILURE_CN_MISMATCH | WS_CERT_FAILURE_INVALID_DATE |
                                      WS_CERT_FAILURE_UNTRUSTED_ROOT | WS_CERT_FAILURE_WRONG_USAGE |
                                      WS_CERT_FAILURE_REVOCATION_OFFLINE;
constexpr ULONG known_protocols = WS_SECURE_PROTOCOL_SSL2 | WS_SECURE_PROTOCOL_SSL3 |
                                  WS_SECURE_PROTOCOL_TLS1_0 | WS_SECURE_PROTOCOL_TLS1_1 |
                                  WS_SECURE_PROTOCOL_TLS1_2;
constexpr ULONG known_schemes =
    WS_HTTP_HEADER_AUTH_SCHEME_NONE | WS_HTTP_HEADER_AUTH_SCHEME_BASIC |
    WS_HTTP_HEADER_AUTH_SCHEME_DIGEST | WS_HTTP_HEADER_AUTH_SCHEME_NTLM |
    WS_HTTP_HEADER_AUTH_SCHEME_NEGOTIATE | WS_HTTP_HEADER_AUTH_SCHEME_PASSPORT;

failure invalid(std::string m) { return failure(errc::invalid_argument, std::move(m)); }
failure unsupported(std::string m) { return failure(errc::not_supported, std::move(m)); }

// A property value of exactly type T (value non-NULL, valueSize == sizeof(T)).
template <class T>
result<T> value_of(const void* value, ULONG size, const std::string& what) {
  if (value == nullptr || size != sizeof(T))
    return invalid(what + ": value is NULL or valueSize is not " + std::to_string(sizeof(T)));
  T v;
  std::memcpy(&v, value, sizeof v);
  return v;
}

// An enum value of the caller as its integer: C allows any int in an enum object, C++ does
// not, so the value is never loaded as E (see raw() in handle.hpp).
template <class E>
result<int> enum_of(const void* value, ULONG size, const std::string& what) {
  static_assert(sizeof(E) == sizeof(int), "WWSAPI enums are int-sized");
  return value_of<int>(value, size, what);
}

std::chrono::milliseconds ms(ULONG v) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(v));  // INFINITE: 49.7 days
}

std::string channel_property_name(int id) { return "WS_CHANNEL_PROPERTY id " + std::to_string(id); }

result<void> read_channel_property(const WS_CHANNEL_PROPERTY& p, channel_config& c,
                                   bool (&given)[64]) {
  const int id = raw(p.id);
  const std::string what = channel_property_name(id);
  if (id < 0 || id > last_channel_property) return invalid("unknown " + what);
  if (given[id]) return invalid(what + " given twice");
  given[id] = true;
  auto timeout = [&](ULONG& field) -> result<void> {
    auto v = value_of<ULONG>(p.value, p.valueSize, what);
    if (!v) return std::move(v).error();
    if (*v == 0) return invalid(what + ": a timeout must be at least 1 ms (INFINITE for none)");
    field = *v;
    return {};
  };
  switch (id) {
    case WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE: {
      auto v = value_of<ULONG>(p.value, p.valueSize, what);
      if (!v) return std::move(v).error();
      if (*v < min_message_size || *v > max_message_size)
        return invalid("WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE must be " +
                       std::to_string(min_message_size) + ".." + std::to_string(max_message_size) +
                       " bytes");
      c.max_buffered_message_size = *v;
      return {};
    }
    case WS_CHANNEL_PROPERTY_ENCODING: {
      auto v = enum_of<WS_ENCODING>(p.value, p.valueSize, what);
      if (!v) return std::move(v).error();
      if (*v == WS_ENCODING_XML_UTF8) return {};
      if (*v >= WS_ENCODING_XML_BINARY_1 && *v <= WS_ENCODING_RAW)
        return unsupported("WS_CHANNEL_PROPERTY_ENCODING: wst speaks WS_ENCODING_XML_UTF8 only");
      return invalid("WS_CHANNEL_PROPERTY_ENCODING: unknown WS_ENCODING " + std::to_string(*v));
    }
    case WS_CHANNEL_PROPERTY_ENVELOPE_VERSION: {
      auto v = enum_of<WS_ENVELOPE_VERSION>(p.value, p.valueSize, what);
      if (!v) return std::move(v).error();
      if (*v == WS_ENVELOPE_VERSION_SOAP_1_1 || *v == WS_ENVELOPE_VERSION_SOAP_1_2) {
        c.envelope = static_cast<WS_ENVELOPE_VERSION>(*v);
        return {};
      }
      if (*v == WS_ENVELOPE_VERSION_NONE)
        return unsupported("WS_ENVELOPE_VERSION_NONE: WS-Trust needs a SOAP envelope");
      return invalid("WS_CHANNEL_PROPERTY_ENVELOPE_VERSION: unknown value " + std::to_string(*v));
    }
    case WS_CHANNEL_PROPERTY_ADDRESSING_VERSION: {
      auto v = enum_of<WS_ADDRESSING_VERSION>(p.value, p.valueSize, what);
      if (!v) return std::move(v).error();
      if (*v == WS_ADDRESSING_VERSION_0_9 || *v == WS_ADDRESSING_VERSION_1_0) {
        c.addressing = static_cast<WS_ADDRESSING_VERSION>(*v);
        return {};
      }
      if (*v == WS_ADDRESSING_VERSION_TRANSPORT)
        return unsupported(
            "WS_ADDRESSING_VERSION_TRANSPORT: wst's RST carries WS-Addressing headers");
      return invalid("WS_CHANNEL_PROPERTY_ADDRESSING_VERSION: unknown value " + std::to_string(*v));
    }
    case WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL: {
      auto v = enum_of<WS_CALLBACK_MODEL>(p.value, p.valueSize, what);
      if (!v) return std::move(v).error();
      if (*v != WS_SHORT_CALLBACK && *v != WS_LONG_CALLBACK)
        return invalid("WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL: unknown WS_CALLBACK_MODEL " +
                       std::to_string(*v));
      c.callback_model = static_cast<WS_CALLBACK_MODEL>(*v);
      return {};
    }
    case WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT:
      return timeout(c.resolve_timeout);
    case WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT:
      return timeout(c.connect_timeout);
    case WS_CHANNEL_PROPERTY_SEND_TIMEOUT:
      return timeout(c.send_timeout);
    case WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT:
      return timeout(c.receive_response_timeout);
    case WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT:
      return timeout(c.receive_timeout);
    case WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT:
      return timeout(c.close_timeout);
    case WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS: {
      auto v = value_of<BOOL>(p.value, p.valueSize, what);
      if (!v) return std::move(v).error();
      c.enable_timeouts = *v ? TRUE : FALSE;
      return {};
    }
    case WS_CHANNEL_PROPERTY_TRANSFER_MODE: {
      auto v = enum_of<WS_TRANSFER_MODE>(p.value, p.valueSize, what);
      if (!v) return std::move(v).error();
      if (*v == WS_BUFFERED_TRANSFER_MODE) return {};
      if (*v >= WS_STREAMED_INPUT_TRANSFER_MODE && *v <= WS_STREAMED_TRANSFER_MODE)
        return unsupported(
            "WS_CHANNEL_PROPERTY_TRANSFER_MODE: wst buffers messages "
            "(WS_BUFFERED_TRANSFER_MODE only)");
      return invalid("WS_CHANNEL_PROPERTY_TRANSFER_MODE: unknown value " + std::to_string(*v));
    }
    case WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE: {
      auto v = enum_of<WS_HTTP_PROXY_SETTING_MODE>(p.value, p.valueSize, what);
      if (!v) return std::move(v).error();
      if (*v == WS_HTTP_PROXY_SETTING_MODE_NONE) return {};
      if (*v == WS_HTTP_PROXY_SETTING_MODE_AUTO || *v == WS_HTTP_PROXY_SETTING_MODE_CUSTOM)
        return unsupported(
            "WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE: wst connects directly "
            "(WS_HTTP_PROXY_SETTING_MODE_NONE only)");
      return invalid("WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE: unknown value " +
                     std::to_string(*v));
    }
    case WS_CHANNEL_PROPERTY_STATE:
    case WS_CHANNEL_PROPERTY_CHANNEL_TYPE:
    case WS_CHANNEL_PROPERTY_REMOTE_ADDRESS:
    case WS_CHANNEL_PROPERTY_REMOTE_IP_ADDRESS:
    case WS_CHANNEL_PROPERTY_HTTP_CONNECTION_ID:
    case WS_CHANNEL_PROPERTY_IS_SESSION_SHUT_DOWN:
    case WS_CHANNEL_PROPERTY_TRANSPORT_URL:
      return invalid(what + " is read only");
    default:
      return unsupported(what +
                         " is not supported by wst on WS_HTTP_CHANNEL_BINDING request "
                         "channels (docs/capi.md lists the supported ones)");
  }
}

// Applies the timeouts to the settings: ENABLE_TIMEOUTS = FALSE makes every timeout not given
// explicitly INFINITE. wst has one timer for the whole response: the smaller of
// RECEIVE_RESPONSE_TIMEOUT and RECEIVE_TIMEOUT.
void apply_timeouts(channel_config& c, const bool (&given)[64]) {
  if (!c.enable_timeouts) {
    const std::pair<int, ULONG*> all[] = {
        {WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT, &c.resolve_timeout},
        {WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, &c.connect_timeout},
        {WS_CHANNEL_PROPERTY_SEND_TIMEOUT, &c.send_timeout},
        {WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, &c.receive_response_timeout},
        {WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, &c.receive_timeout},
        {WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT, &c.close_timeout}};
    for (const auto& [id, field] : all)
      if (!given[id]) *field = INFINITE;
  }
  auto& t = c.settings.time;
  t.resolve = ms(c.resolve_timeout);
  t.connect = ms(c.connect_timeout);
  t.send = ms(c.send_timeout);
  t.receive = ms(std::min(c.receive_response_timeout, c.receive_timeout));
  t.close = ms(c.close_timeout);
  // The TLS handshake belongs to connecting; 0 disables its limit.
  c.settings.tls.handshake_timeout =
      c.connect_timeout == INFINITE ? std::chrono::milliseconds(0) : ms(c.connect_timeout);
}

// --- security bindings ------------------------------------------------------------------------

std::string binding_property_name(int id) {
  return "WS_SECURITY_BINDING_PROPERTY id " + std::to_string(id);
}

// Checks the ids of a binding's properties (known, not repeated) and hands each to `read`.
template <class Read>
result<void> for_each_binding_property(const WS_SECURITY_BINDING& b, const char* binding,
                                       Read read) {
  if (b.properties == nullptr && b.propertyCount != 0)
    return invalid(std::string(binding) + ": properties is NULL but propertyCount is not 0");
  bool given[last_binding_property + 2] = {};
  for (ULONG i = 0; i < b.propertyCount; ++i) {
    const auto& p = b.properties[i];
    const int id = raw(p.id);
    const bool extension = id == WS_SECURITY_BINDING_PROPERTY_PEM_FILE_TRUSTED_CA;
    if (!extension && (id < 1 || id > last_binding_property))
      return invalid(std::string(binding) + ": unknown " + binding_property_name(id));
    bool& seen = given[extension ? last_binding_property + 1 : id];
    if (seen)
      return invalid(std::string(binding) + ": " + binding_property_name(id) + " given twice");
    seen = true;
    if (auto ok = read(id, p); !ok) return ok;
  }
  return {};
}

failure binding_property_unsupported(const char* binding, int id) {
  return unsupported(std::string(binding) + ": " + binding_property_name(id) +
                     " is not supported by wst");
}

result<void> read_ssl_binding(const WS_SECURITY_BINDING* b, channel_config& c) {
  constexpr const char* name = "WS_SSL_TRANSPORT_SECURITY_BINDING";
  const auto* ssl = reinterpret_cast<const WS_SSL_TRANSPORT_SECURITY_BINDING*>(b);
  c.ssl = true;
  tls::client_options& tls = c.settings.tls;
  if (ssl->localCertCredential != nullptr) {
    const int type = raw(ssl->localCertCredential->credentialType);
    if (type == WS_SUBJECT_NAME_CERT_CREDENTIAL_TYPE ||
        type == WS_THUMBPRINT_CERT_CREDENTIAL_TYPE || type == WS_CUSTOM_CERT_CREDENTIAL_TYPE)
      return unsupported(std::string(name) +
                         ": certificate store credentials exist on Windows only; use "
                         "WS_PEM_FILE_CERT_CREDENTIAL");
    if (type != WS_PEM_FILE_CERT_CREDENTIAL_TYPE)
      return invalid(std::string(name) + ": unknown WS_CERT_CREDENTIAL_TYPE " +
                     std::to_string(type));
    const auto* pem =
        reinterpret_cast<const WS_PEM_FILE_CERT_CREDENTIAL*>(ssl->localCertCredential);
    auto cert = narrow(pem->certificateFile, "WS_PEM_FILE_CERT_CREDENTIAL.certificateFile");
    if (!cert) return std::move(cert).error();
    auto key = narrow(pem->privateKeyFile, "WS_PEM_FILE_CERT_CREDENTIAL.privateKeyFile");
    if (!key) return std::move(key).error();
    if (cert->empty() || key->empty())
      return invalid("WS_PEM_FILE_CERT_CREDENTIAL needs both certificateFile and privateKeyFile");
    auto password =
        narrow(pem->privateKeyPassword, "WS_PEM_FILE_CERT_CREDENTIAL.privateKeyPassword");
    if (!password) return std::move(password).error();
    tls.certificate_chain.file = std::move(*cert);
    tls.private_key.file = std::move(*key);
    tls.private_key_password = *password;
    wipe(password->data(), password->size());
  }
  return for_each_binding_property(
      *b, name, [&](int id, const WS_SECURITY_BINDING_PROPERTY& p) -> result<void> {
        const std::string what = std::string(name) + ": " + binding_property_name(id);
        switch (id) {
          case WS_SECURITY_BINDING_PROPERTY_CERT_FAILURES_TO_IGNORE: {
            auto v = value_of<ULONG>(p.value, p.valueSize, what);
            if (!v) return std::move(v).error();
            if (*v & ~known_cert_failures)
              return invalid(what + ": unknown WS_CERT_FAILURE_* bits");
            if (*v & (WS_CERT_FAILURE_INVALID_DATE | WS_CERT_FAILURE_UNTRUSTED_ROOT |
                      WS_CERT_FAILURE_WRONG_USAGE))
              return unsupported(what +
                                 ": wst can ignore WS_CERT_FAILURE_CN_MISMATCH and "
                                 "WS_CERT_FAILURE_REVOCATION_OFFLINE only (trust the issuing CA "
                                 "with WS_SECURITY_BINDING_PROPERTY_PEM_FILE_TRUSTED_CA instead)");
            // REVOCATION_OFFLINE: wst never fetches revocation data, so there is nothing to ignore.
            if (*v & WS_CERT_FAILURE_CN_MISMATCH) tls.verify_host_name = false;
            return {};
          }
          case WS_SECURITY_BINDING_PROPERTY_DISABLE_CERT_REVOCATION_CHECK: {
            // wst checks revocation only against data it is given, never online: TRUE and FALSE
            // both leave it so (docs/capi.md).
            auto v = value_of<BOOL>(p.value, p.valueSize, what);
            if (!v) return std::move(v).error();
            return {};
          }
          case WS_SECURITY_BINDING_PROPERTY_DISALLOWED_SECURE_PROTOCOLS: {
            auto v = value_of<ULONG>(p.value, p.valueSize, what);
            if (!v) return std::move(v).error();
            if (*v & ~known_protocols) return invalid(what + ": unknown WS_SECURE_PROTOCOL_* bits");
            if (*v & WS_SECURE_PROTOCOL_TLS1_2)
              return unsupported(what + ": wst speaks TLS 1.2 only, which this disallows");
            return {};  // the older protocols are never offered
          }
          case WS_SECURITY_BINDING_PROPERTY_PEM_FILE_TRUSTED_CA: {
            auto v = value_of<WS_STRING>(p.value, p.valueSize, what);
            if (!v) return std::move(v).error();
            auto path = narrow(*v, what);
            if (!path) return std::move(path).error();
            if (path->empty()) return invalid(what + ": the path is empty");
            tls.trusted_ca.file = std::move(*path);
            return {};
          }
          case WS_SECURITY_BINDING_PROPERTY_REQUIRE_SSL_CLIENT_CERT:
          case WS_SECURITY_BINDING_PROPERTY_ALLOW_ANONYMOUS_CLIENTS:
            return invalid(what + " belongs to servers");
          default:
            return binding_property_unsupported(name, id);
        }
      });
}

result<void> read_header_auth_binding(const WS_SECURITY_BINDING* b, channel_config& c) {
  constexpr const char* name = "WS_HTTP_HEADER_AUTH_SECURITY_BINDING";
  const auto* auth = reinterpret_cast<const WS_HTTP_HEADER_AUTH_SECURITY_BINDING*>(b);
  bool basic = false;
  auto ok = for_each_binding_property(
      *b, name, [&](int id, const WS_SECURITY_BINDING_PROPERTY& p) -> result<void> {
        const std::string what = std::string(name) + ": " + binding_property_name(id);
        switch (id) {
          case WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_SCHEME: {
            auto v = value_of<ULONG>(p.value, p.valueSize, what);
            if (!v) return std::move(v).error();
            if (*v == 0 || (*v & ~known_schemes))
              return invalid(what + ": unknown WS_HTTP_HEADER_AUTH_SCHEME_* bits");
            if (*v != WS_HTTP_HEADER_AUTH_SCHEME_BASIC)
              return unsupported(what +
                                 ": wst authenticates with WS_HTTP_HEADER_AUTH_SCHEME_BASIC only");
            basic = true;
            return {};
          }
          case WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_TARGET: {
            auto v = enum_of<WS_HTTP_HEADER_AUTH_TARGET>(p.value, p.valueSize, what);
            if (!v) return std::move(v).error();
            if (*v == WS_HTTP_HEADER_AUTH_TARGET_SERVICE) return {};
            if (*v == WS_HTTP_HEADER_AUTH_TARGET_PROXY)
              return unsupported(what + ": wst uses no proxy");
            return invalid(what + ": unknown WS_HTTP_HEADER_AUTH_TARGET " + std::to_string(*v));
          }
          default:
            return binding_property_unsupported(name, id);
        }
      });
  if (!ok) return ok;
  if (!basic)
    return unsupported(std::string(name) +
                       ": the default scheme is Negotiate, which wst does not speak; set "
                       "WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_SCHEME to "
                       "WS_HTTP_HEADER_AUTH_SCHEME_BASIC");
  if (auth->clientCredential == nullptr)
    return invalid(std::string(name) + ": clientCredential is NULL");
  const int type = raw(auth->clientCredential->credentialType);
  if (type == WS_DEFAULT_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE ||
      type == WS_OPAQUE_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE)
    return unsupported(std::string(name) +
                       ": Windows logon credentials do not exist on Linux; use "
                       "WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL");
  if (type != WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE)
    return invalid(std::string(name) + ": unknown WS_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE " +
                   std::to_string(type));
  const auto* cred =
      reinterpret_cast<const WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL*>(auth->clientCredential);
  if (cred->domain.length != 0)
    return unsupported(std::string(name) +
                       ": a domain belongs to NTLM/Negotiate; Basic takes a user name only");
  auto user = narrow(cred->username, "WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL.username");
  if (!user) return std::move(user).error();
  if (user->empty()) return invalid(std::string(name) + ": the user name is empty");
  if (user->find(':') != std::string::npos)
    return invalid(std::string(name) + ": HTTP Basic user names cannot contain ':'");
  auto password = narrow(cred->password, "WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL.password");
  if (!password) return std::move(password).error();
  c.settings.basic.emplace(std::move(*user), *password);
  wipe(password->data(), password->size());
  return {};
}

result<void> read_usage(WS_MESSAGE_SECURITY_USAGE usage, const char* name) {
  if (raw(usage) != WS_SUPPORTING_MESSAGE_SECURITY_USAGE)
    return invalid(std::string(name) +
                   ": bindingUsage must be WS_SUPPORTING_MESSAGE_SECURITY_USAGE");
  return {};
}

result<void> no_properties(const WS_SECURITY_BINDING* b, const char* name) {
  return for_each_binding_property(
      *b, name, [&](int id, const WS_SECURITY_BINDING_PROPERTY&) -> result<void> {
        return binding_property_unsupported(name, id);
      });
}

result<void> read_username_binding(const WS_SECURITY_BINDING* b, channel_config& c) {
  constexpr const char* name = "WS_USERNAME_MESSAGE_SECURITY_BINDING";
  const auto* u = reinterpret_cast<const WS_USERNAME_MESSAGE_SECURITY_BINDING*>(b);
  if (auto ok = read_usage(u->bindingUsage, name); !ok) return ok;
  if (u->passwordValidator != nullptr)
    return invalid(std::string(name) + ": passwordValidator belongs to servers and must be NULL");
  if (auto ok = no_properties(b, name); !ok) return ok;
  if (u->clientCredential == nullptr)
    return invalid(std::string(name) + ": clientCredential is NULL");
  const int type = raw(u->clientCredential->credentialType);
  if (type != WS_STRING_USERNAME_CREDENTIAL_TYPE)
    return invalid(std::string(name) + ": unknown WS_USERNAME_CREDENTIAL_TYPE " +
                   std::to_string(type));
  const auto* cred = reinterpret_cast<const WS_STRING_USERNAME_CREDENTIAL*>(u->clientCredential);
  auto user = narrow(cred->username, "WS_STRING_USERNAME_CREDENTIAL.username");
  if (!user) return std::move(user).error();
  if (user->empty()) return invalid(std::string(name) + ": the user name is empty");
  auto password = narrow(cred->password, "WS_STRING_USERNAME_CREDENTIAL.password");
  if (!password) return std::move(password).error();
  c.username.emplace();
  c.username->username = std::move(*user);
  c.username->password = crypto::secure_bytes(
      reinterpret_cast<const std::uint8_t*>(password->data()), password->size());
  wipe(password->data(), password->size());
  return {};
}

result<void> read_xml_token_binding(const WS_SECURITY_BINDING* b, channel_config& c) {
  constexpr const char* name = "WS_XML_TOKEN_MESSAGE_SECURITY_BINDING";
  const auto* x = reinterpret_cast<const WS_XML_TOKEN_MESSAGE_SECURITY_BINDING*>(b);
  if (auto ok = read_usage(x->bindingUsage, name); !ok) return ok;
  if (auto ok = no_properties(b, name); !ok) return ok;
  c.supporting = token_of(x->xmlToken);
  if (!c.supporting)
    return invalid(std::string(name) +
                   ": xmlToken is not a valid WS_SECURITY_TOKEN handle (NULL, freed "
                   "or another type)");
  return {};
}

result<void> read_security(const WS_SECURITY_DESCRIPTION& d, channel_config& c) {
  if (d.securityBindings == nullptr && d.securityBindingCount != 0)
    return invalid(
        "securityDescription: securityBindings is NULL but securityBindingCount is not 0");
  if (d.properties == nullptr && d.propertyCount != 0)
    return invalid("securityDescription: properties is NULL but propertyCount is not 0");
  if (d.propertyCount != 0) {  // none is supported: name the first
    const int id = raw(d.properties[0].id);
    if (id < WS_SECURITY_PROPERTY_TRANSPORT_PROTECTION_LEVEL ||
        id > WS_SECURITY_PROPERTY_SERVICE_IDENTITIES)
      return invalid("securityDescription: unknown WS_SECURITY_PROPERTY id " + std::to_string(id));
    return unsupported("securityDescription: WS_SECURITY_PROPERTY id " + std::to_string(id) +
                       " is not supported by wst (its timestamps and header layout are fixed)");
  }
  bool seen[WS_NAMEDPIPE_SSPI_TRANSPORT_SECURITY_BINDING_TYPE + 1] = {};
  for (ULONG i = 0; i < d.securityBindingCount; ++i) {
    const WS_SECURITY_BINDING* b = d.securityBindings[i];
    if (b == nullptr)
      return invalid("securityDescription: securityBindings[" + std::to_string(i) + "] is NULL");
    const int type = raw(b->bindingType);
    if (type < WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE ||
        type > WS_NAMEDPIPE_SSPI_TRANSPORT_SECURITY_BINDING_TYPE)
      return invalid("securityDescription: unknown WS_SECURITY_BINDING_TYPE " +
                     std::to_string(type));
    if (seen[type])
      return invalid("securityDescription: WS_SECURITY_BINDING_TYPE " + std::to_string(type) +
                     " given twice");
    seen[type] = true;
    result<void> ok;
    switch (type) {
      case WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE:
        ok = read_ssl_binding(b, c);
        break;
      case WS_HTTP_HEADER_AUTH_SECURITY_BINDING_TYPE:
        ok = read_header_auth_binding(b, c);
        break;
      case WS_USERNAME_MESSAGE_SECURITY_BINDING_TYPE:
        ok = read_username_binding(b, c);
        break;
      case WS_XML_TOKEN_MESSAGE_SECURITY_BINDING_TYPE:
        ok = read_xml_token_binding(b, c);
        break;
      default:
        return unsupported("securityDescription: WS_SECURITY_BINDING_TYPE " + std::to_string(type) +
                           " is not supported by wst (SSL transport, HTTP header (Basic), username "
                           "and XML token message security are)");
    }
    if (!ok) return ok;
  }
  if ((c.username || c.supporting) && !c.ssl)
    return invalid(
        "securityDescription: message security (a username or an XML token) needs a "
        "WS_SSL_TRANSPORT_SECURITY_BINDING: without TLS it would travel unprotected");
  return {};
}

}  // namespace

const char* state_name(WS_CHANNEL_STATE s) noexcept {
  switch (raw(s)) {
    case WS_CHANNEL_STATE_CREATED:
      return "created";
    case WS_CHANNEL_STATE_OPENING:
      return "opening";
    case WS_CHANNEL_STATE_ACCEPTING:
      return "accepting";
    case WS_CHANNEL_STATE_OPEN:
      return "open";
    case WS_CHANNEL_STATE_FAULTED:
      return "faulted";
    case WS_CHANNEL_STATE_CLOSING:
      return "closing";
    case WS_CHANNEL_STATE_CLOSED:
      return "closed";
  }
  return "unknown";
}

result<channel_config> make_channel_config(const WS_CHANNEL_PROPERTY* properties,
                                           ULONG property_count,
                                           const WS_SECURITY_DESCRIPTION* security) {
  if (properties == nullptr && property_count != 0)
    return invalid("properties is NULL but propertyCount is not 0");
  channel_config c;
  bool given[64] = {};
  for (ULONG i = 0; i < property_count; ++i)
    if (auto ok = read_channel_property(properties[i], c, given); !ok) return std::move(ok).error();
  apply_timeouts(c, given);
  c.settings.limits.max_message_size = c.max_buffered_message_size;
  if (security != nullptr)
    if (auto ok = read_security(*security, c); !ok) return std::move(ok).error();
  return c;
}

}  // namespace wst::detail::capi
