#include "request.hpp"

#include "namespaces.hpp"
#include "text.hpp"

#include <wst/sts/errc.hpp>
#include <wst/xml/reader.hpp>

#include <cstring>

namespace wst::detail::sts {

credentials::~credentials() {
  wipe_string(user);
  wipe_string(password);
}

std::string_view trust_ns(trust_version v) noexcept {
  return v == trust_version::feb2005 ? ns::trust05 : ns::trust13;
}
std::string_view sc_ns(sc_version v) noexcept {
  return v == sc_version::feb2005 ? ns::sc05 : ns::sc13;
}
std::string_view soap_ns(soap_version v) noexcept {
  return v == soap_version::v11 ? ns::soap11 : ns::soap12;
}
std::string_view wsa_ns(addressing v) noexcept {
  switch (v) {
    case addressing::aug2004:
      return ns::wsa04;
    case addressing::v10:
      return ns::wsa10;
    case addressing::none:
      break;
  }
  return {};
}

namespace {

constexpr std::size_t min_entropy_bytes = 16;
constexpr std::size_t max_entropy_bytes = 128;
constexpr std::size_t max_identifier_bytes = 1024;

failure invalid(std::string m) { return failure(errc::invalid_request, std::move(m)); }
failure unsupported(std::string m) { return failure(errc::bad_request, std::move(m)); }

std::string qname(const xml::element& e) {
  std::string s = "{";
  s += e.namespace_uri();
  s += '}';
  s += e.local_name();
  return s;
}

// The value of the `action` parameter of a Content-Type (SOAP 1.2), or empty.
std::string content_type_action(std::string_view ct) {
  std::size_t i = ct.find(';');
  while (i != std::string_view::npos && i < ct.size()) {
    ++i;
    while (i < ct.size() && (ct[i] == ' ' || ct[i] == '\t')) ++i;
    std::size_t eq = i;
    while (eq < ct.size() && ct[eq] != '=' && ct[eq] != ';') ++eq;
    std::string_view name = trim(ct.substr(i, eq - i));
    if (eq >= ct.size() || ct[eq] == ';') {
      i = eq;
      continue;
    }
    std::size_t v = eq + 1;
    std::string value;
    if (v < ct.size() && ct[v] == '"') {
      ++v;
      while (v < ct.size() && ct[v] != '"') {
        if (ct[v] == '\\' && v + 1 < ct.size()) ++v;
        value += ct[v++];
      }
      i = ct.find(';', v);
    } else {
      std::size_t end = ct.find(';', v);
      value = std::string(trim(ct.substr(v, end == std::string_view::npos ? end : end - v)));
      i = end;
    }
    if (iequals(name, "action")) return value;
  }
  return {};
}

// A SOAPAction header value without its surrounding quotes.
std::string_view soap11_action(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

// Authorization: Basic <base64(user:password)>.
result<credentials> read_basic(std::string_view value) {
  value = trim(value);
  std::size_t sp = value.find_first_of(" \t");
  if (sp == std::string_view::npos || !iequals(value.substr(0, sp), "Basic"))
    return failure(errc::failed_authentication, "only HTTP Basic authorization is accepted");
  auto decoded = crypto::base64_decode_secret(trim(value.substr(sp)));
  if (!decoded) return failure(errc::failed_authentication, "malformed HTTP Basic credentials");
  std::string_view pair(reinterpret_cast<const char*>(decoded->data()), decoded->size());
  std::size_t colon = pair.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return failure(errc::failed_authentication, "HTTP Basic credentials without user:password");
  if (!printable_utf8(pair))
    return failure(errc::failed_authentication,
                   "HTTP Basic credentials that are not printable UTF-8");
  return credentials(std::string(pair.substr(0, colon)), std::string(pair.substr(colon + 1)));
}

bool must_understand(const xml::element& h, std::string_view soap) {
  auto v = h.attribute(soap, "mustUnderstand");
  if (!v) return false;
  std::string_view s = trim(*v);
  return s == "1" || s == "true";
}

// The only child named (ns, local), null when absent; a duplicate is invalid_request.
result<xml::element> single(const xml::element& parent, std::string_view ns_uri,
                            std::string_view local) {
  if (!parent) return xml::element{};
  if (parent.count_children(ns_uri, local) > 1)
    return invalid("duplicate " + std::string(local) + " element in " +
                   std::string(parent.local_name()));
  return parent.child(ns_uri, local);
}

result<std::size_t> read_key_size(std::string_view text, const issuer_options& opts) {
  text = trim(text);
  std::size_t bits = 0;
  if (text.empty() || text.size() > 7)
    return invalid("KeySize '" + std::string(text) + "' is not a bit count");
  for (char c : text) {
    if (c < '0' || c > '9')
      return invalid("KeySize '" + std::string(text) + "' is not a bit count");
    bits = bits * 10 + static_cast<std::size_t>(c - '0');
  }
  if (bits < opts.min_key_bits || bits > opts.max_key_bits || bits % 8 != 0)
    return invalid("KeySize " + std::to_string(bits) + " is outside " +
                   std::to_string(opts.min_key_bits) + ".." + std::to_string(opts.max_key_bits) +
                   " or not a multiple of 8");
  return bits;
}

bool is_bearer(std::string_view uri) {
  if (uri == ns::bearer_2005) return true;
  for (auto b : ns::bearer_13)
    if (uri == b) return true;
  return false;
}

// The context identifier a RenewTarget names: a SecurityContextToken inside it, or a
// wsse:SecurityTokenReference whose Reference URI is the identifier itself or "#id" of a
// SecurityContextToken in the Security header.
result<std::string> read_renew_target(const xml::element& target, const xml::element& security) {
  auto identifier_of = [](const xml::element& sct) -> result<std::string> {
    auto id = sct.child(sct.namespace_uri(), "Identifier");
    if (!id) return invalid("SecurityContextToken without Identifier");
    std::string s(trim(id.text()));
    if (s.empty() || s.size() > max_identifier_bytes)
      return invalid("bad SecurityContextToken Identifier");
    return s;
  };
  auto is_sct = [](const xml::element& e) {
    return e.is(ns::sc05, "SecurityContextToken") || e.is(ns::sc13, "SecurityContextToken");
  };
  auto kids = target.children();
  if (kids.size() != 1) return invalid("RenewTarget must hold exactly one element");
  const xml::element& k = kids[0];
  if (is_sct(k)) return identifier_of(k);
  if (!k.is(ns::wsse, "SecurityTokenReference"))
    return invalid("RenewTarget holds " + qname(k) + ", not a SecurityTokenReference");
  auto ref = k.child(ns::wsse, "Reference");
  auto uri = ref ? ref.attribute("", "URI") : std::nullopt;
  if (!uri || trim(*uri).empty()) return invalid("RenewTarget reference without a URI");
  std::string_view u = trim(*uri);
  if (u.front() != '#') {
    if (u.size() > max_identifier_bytes) return invalid("RenewTarget URI too long");
    return std::string(u);
  }
  u.remove_prefix(1);
  if (security) {
    for (const auto& e : security.children()) {
      auto id = e.attribute(ns::wsu, "Id");
      if (is_sct(e) && id && *id == u) return identifier_of(e);
    }
  }
  return invalid("RenewTarget refers to #" + std::string(u) +
                 ", which is no SecurityContextToken in the Security header");
}

}  // namespace

result<rst> read_request(const http_request& req, const issuer_options& opts, reply_context& ctx) {
  ctx.soap = starts_with_ci(trim(req.content_type), "application/soap+xml") ? soap_version::v12
                                                                            : soap_version::v11;
  rst out;
  if (!trim(req.authorization).empty()) {
    auto basic = read_basic(req.authorization);
    if (!basic) {
      ctx.basic_challenge = true;
      return std::move(basic).error();
    }
    out.basic = std::move(*basic);
  }
  if (req.body.size() > opts.max_request_bytes)
    return failure(errc::request_too_large,
                   "the request body has " + std::to_string(req.body.size()) +
                       " bytes; the limit is " + std::to_string(opts.max_request_bytes));
  if (trim(req.body).empty()) return invalid("the request body is empty");

  xml::limits lim;
  lim.max_bytes = opts.max_request_bytes;
  lim.max_depth = opts.xml_max_depth;
  lim.max_attributes = opts.xml_max_attributes;
  auto doc = xml::parse(req.body, lim);
  if (!doc) return invalid("the request is not acceptable XML: " + doc.error().describe());

  // Envelope, Header, Body.
  const xml::element env = doc->root();
  if (env.local_name() != "Envelope")
    return invalid("the root element " + qname(env) + " is not a SOAP Envelope");
  if (env.namespace_uri() == ns::soap11) {
    ctx.soap = soap_version::v11;
  } else if (env.namespace_uri() == ns::soap12) {
    ctx.soap = soap_version::v12;
  } else {
    return failure(errc::version_mismatch, "the envelope namespace '" +
                                               std::string(env.namespace_uri()) +
                                               "' is neither SOAP 1.1 nor SOAP 1.2");
  }
  const std::string_view sns = soap_ns(ctx.soap);
  xml::element header, body;
  for (const auto& c : env.children()) {
    if (c.is(sns, "Header")) {
      if (header || body) return invalid("misplaced or duplicate SOAP Header");
      header = c;
    } else if (c.is(sns, "Body")) {
      if (body) return invalid("duplicate SOAP Body");
      body = c;
    } else if (!body || ctx.soap == soap_version::v12) {
      return invalid("unexpected element " + qname(c) + " in the SOAP Envelope");
    }
  }
  if (!body) return invalid("the SOAP Envelope has no Body");

  // Header, pass 1: WS-Addressing (first, so every later fault can carry RelatesTo).
  std::string wsa_action;
  bool have_action = false;
  const auto headers = header ? header.children() : std::vector<xml::element>{};
  for (const auto& h : headers) {
    addressing v;
    if (h.namespace_uri() == ns::wsa10) {
      v = addressing::v10;
    } else if (h.namespace_uri() == ns::wsa04) {
      v = addressing::aug2004;
    } else {
      continue;
    }
    if (ctx.wsa != addressing::none && ctx.wsa != v)
      return invalid("the request mixes WS-Addressing 1.0 and August 2004 headers");
    ctx.wsa = v;
    if (h.local_name() == "Action") {
      if (have_action) return invalid("duplicate wsa:Action");
      have_action = true;
      wsa_action = std::string(trim(h.text()));
    } else if (h.local_name() == "MessageID") {
      if (!ctx.message_id.empty()) return invalid("duplicate wsa:MessageID");
      ctx.message_id = std::string(trim(h.text()));
      if (ctx.message_id.size() > max_identifier_bytes) {
        ctx.message_id.clear();
        return invalid("wsa:MessageID too long");
      }
    }
  }

  // Header, pass 2: security, and refusal of mandatory blocks the STS does not process.
  xml::element security;
  for (const auto& h : headers) {
    static constexpr std::string_view wsa_headers[] = {"Action", "MessageID", "To",       "ReplyTo",
                                                       "From",   "FaultTo",   "RelatesTo"};
    bool understood = false;
    if (h.namespace_uri() == ns::wsa10 || h.namespace_uri() == ns::wsa04) {
      for (auto n : wsa_headers) understood = understood || h.local_name() == n;
    } else if (h.is(ns::wsse, "Security")) {
      if (security) return invalid("duplicate wsse:Security header");
      security = h;
      understood = true;
    }
    if (!understood && must_understand(h, sns)) {
      ctx.not_understood_ns = std::string(h.namespace_uri());
      ctx.not_understood_local = std::string(h.local_name());
      return failure(errc::must_understand, "header block " + qname(h) + " is not understood");
    }
  }
  if (ctx.wsa != addressing::none && ctx.message_id.empty())
    return failure(errc::addressing_header_required, "wsa:MessageID is required");

  // Body: exactly one RequestSecurityToken of a known WS-Trust version.
  const auto items = body.children();
  if (items.empty()) return invalid("the SOAP Body is empty");
  if (items.size() > 1) return invalid("the SOAP Body holds more than one element");
  const xml::element rq = items[0];
  if (rq.local_name() != "RequestSecurityToken")
    return invalid("the SOAP Body holds " + qname(rq) + ", not a RequestSecurityToken");
  if (rq.namespace_uri() == ns::trust05) {
    out.trust = trust_version::feb2005;
  } else if (rq.namespace_uri() == ns::trust13) {
    out.trust = trust_version::v13;
  } else {
    return unsupported("WS-Trust namespace '" + std::string(rq.namespace_uri()) +
                       "' is not supported (February 2005 and 1.3 are)");
  }
  ctx.trust = out.trust;
  const std::string_view t = trust_ns(out.trust);

  // Action: wsa:Action, else SOAPAction (1.1) or the Content-Type action parameter (1.2).
  const std::string transport_action = ctx.soap == soap_version::v11
                                           ? std::string(soap11_action(req.soap_action))
                                           : content_type_action(req.content_type);
  if (!wsa_action.empty() && !transport_action.empty() && wsa_action != transport_action)
    return invalid("wsa:Action '" + wsa_action + "' differs from the HTTP SOAP action '" +
                   transport_action + "'");
  const std::string& action = wsa_action.empty() ? transport_action : wsa_action;
  if (action.empty()) return invalid("the request names no action");
  {
    std::string_view rest;
    std::string_view other = out.trust == trust_version::v13 ? ns::trust05 : ns::trust13;
    if (starts_with(action, t) && action.size() > t.size() && action[t.size()] == '/') {
      rest = std::string_view(action).substr(t.size() + 1);
    } else if (starts_with(action, other)) {
      return invalid("action '" + action + "' does not match the body's WS-Trust namespace");
    }
    out.reply_action = std::string(t);
    if (rest == "RST/Issue") {
      out.action = rst_action::issue;
      out.reply_action += out.trust == trust_version::v13 ? "/RSTRC/IssueFinal" : "/RSTR/Issue";
    } else if (rest == "RST/SCT") {
      out.action = rst_action::sct_issue;
      out.reply_action += "/RSTR/SCT";
    } else if (rest == "RST/SCT/Renew" || rest == "RST/Renew") {
      out.action = rst_action::sct_renew;
      out.reply_action += rest == "RST/Renew" ? "/RSTR/Renew" : "/RSTR/SCT/Renew";
    } else {
      return failure(errc::action_not_supported,
                     "action '" + action + "' is not served (RST/Issue, RST/SCT, RST/SCT/Renew)");
    }
  }

  // UsernameToken credentials.
  if (security) {
    auto ut = single(security, ns::wsse, "UsernameToken");
    if (!ut) return std::move(ut).error();
    if (*ut) {
      auto user = single(*ut, ns::wsse, "Username");
      if (!user) return std::move(user).error();
      if (!*user) return invalid("UsernameToken without Username");
      auto pw = single(*ut, ns::wsse, "Password");
      if (!pw) return std::move(pw).error();
      std::string password;
      if (*pw) {
        auto type = pw->attribute("", "Type");
        if (type && trim(*type) != ns::password_text)
          return failure(errc::failed_authentication, "password type '" + std::string(trim(*type)) +
                                                          "' is not supported (only PasswordText)");
        password = pw->text();
      }
      out.username_token = credentials(std::string(trim(user->text())), std::move(password));
    }
  }

  // RequestSecurityToken parameters (1.3: a missing one may come from SecondaryParameters).
  if (auto c = rq.attribute("", "Context")) out.context = *c;
  auto secondary = single(rq, t, "SecondaryParameters");
  if (!secondary) return std::move(secondary).error();
  auto param = [&](std::string_view local) -> result<xml::element> {
    auto e = single(rq, t, local);
    if (!e || *e || !*secondary) return e;
    return single(*secondary, t, local);
  };

  auto request_type = single(rq, t, "RequestType");
  if (!request_type) return std::move(request_type).error();
  if (!*request_type) return invalid("RequestType is missing");
  {
    const std::string rt_text = request_type->text();
    const std::string_view rt = trim(rt_text);
    bool renew;
    if (starts_with(rt, t) && rt.substr(t.size()) == "/Issue") {
      renew = false;
    } else if (starts_with(rt, t) && rt.substr(t.size()) == "/Renew") {
      renew = true;
    } else {
      return unsupported("RequestType '" + std::string(rt) + "' is not supported (Issue, Renew)");
    }
    if (renew != (out.action == rst_action::sct_renew))
      return invalid("RequestType '" + std::string(rt) + "' does not match action '" + action +
                     "'");
  }

  auto token_type = param("TokenType");
  if (!token_type) return std::move(token_type).error();
  if (*token_type) {
    out.token_type_uri = std::string(trim(token_type->text()));
    const std::string& u = out.token_type_uri;
    if (u == ns::token_saml11 || u == ns::saml1) {
      out.token = token_kind::saml11;
    } else if (u == ns::token_saml20 || u == ns::saml2) {
      out.token = token_kind::saml20;
    } else if (u == std::string(ns::sc05) + "/sct") {
      out.token = token_kind::sct;
      out.sc = sc_version::feb2005;
    } else if (u == std::string(ns::sc13) + "/sct") {
      out.token = token_kind::sct;
      out.sc = sc_version::v13;
    } else {
      return unsupported("token type '" + u + "' is not supported");
    }
    if (out.action != rst_action::issue && out.token != token_kind::sct)
      return unsupported("action '" + action + "' issues security context tokens, not '" + u + "'");
  } else if (out.action == rst_action::issue) {
    out.token = opts.default_saml == saml_version::v11 ? token_kind::saml11 : token_kind::saml20;
  } else {
    out.token = token_kind::sct;
    out.sc = out.trust == trust_version::feb2005 ? sc_version::feb2005 : sc_version::v13;
  }

  auto applies = single(rq, ns::wsp, "AppliesTo");
  if (!applies) return std::move(applies).error();
  if (*applies) {
    xml::element epr = applies->child(ns::wsa10, "EndpointReference");
    if (!epr) epr = applies->child(ns::wsa04, "EndpointReference");
    xml::element addr = epr ? epr.child(epr.namespace_uri(), "Address") : xml::element{};
    if (!addr || trim(addr.text()).empty())
      return invalid("AppliesTo needs an EndpointReference with an Address");
    out.applies_to = std::string(trim(addr.text()));
  }

  auto key_type = param("KeyType");
  if (!key_type) return std::move(key_type).error();
  if (*key_type) {
    out.key_type_uri = std::string(trim(key_type->text()));
    const std::string& k = out.key_type_uri;
    if (is_bearer(k)) {
      out.key = key_kind::bearer;
    } else if (k == std::string(t) + "/SymmetricKey") {
      out.key = key_kind::symmetric;
    } else if (k == std::string(t) + "/PublicKey") {
      return unsupported("asymmetric proof keys (PublicKey) are not supported");
    } else {
      return unsupported("key type '" + k + "' is not supported");
    }
    if (out.key == key_kind::bearer && out.token == token_kind::sct)
      return unsupported("a security context token always has a symmetric key");
  }

  auto key_size = param("KeySize");
  if (!key_size) return std::move(key_size).error();
  if (*key_size) {
    auto bits = read_key_size(key_size->text(), opts);
    if (!bits) return std::move(bits).error();
    out.key_bits = *bits;
  }

  auto entropy = single(rq, t, "Entropy");
  if (!entropy) return std::move(entropy).error();
  if (*entropy) {
    auto secret = single(*entropy, t, "BinarySecret");
    if (!secret) return std::move(secret).error();
    if (!*secret) return unsupported("only BinarySecret entropy is supported");
    auto type = secret->attribute("", "Type");
    if (type && trim(*type) != std::string(t) + "/Nonce" &&
        trim(*type) != std::string(t) + "/SymmetricKey")
      return unsupported("entropy of type '" + std::string(trim(*type)) + "' is not supported");
    auto bytes = crypto::base64_decode_secret(secret->text());
    if (!bytes) return invalid("Entropy BinarySecret is not base64: " + bytes.error().describe());
    if (bytes->size() < min_entropy_bytes || bytes->size() > max_entropy_bytes)
      return invalid("client entropy of " + std::to_string(bytes->size()) + " bytes is outside " +
                     std::to_string(min_entropy_bytes) + ".." + std::to_string(max_entropy_bytes));
    out.client_entropy = std::move(*bytes);
  }

  auto algorithm = param("ComputedKeyAlgorithm");
  if (!algorithm) return std::move(algorithm).error();
  if (*algorithm) {
    const std::string a_text = algorithm->text();
    const std::string_view a = trim(a_text);
    if (a != std::string(t) + "/CK/PSHA1")
      return unsupported("computed key algorithm '" + std::string(a) +
                         "' is not supported (CK/PSHA1)");
    out.computed_key_requested = true;
  }

  if (out.action == rst_action::sct_renew) {
    auto target = single(rq, t, "RenewTarget");
    if (!target) return std::move(target).error();
    if (!*target) return invalid("a renew request needs a RenewTarget");
    auto id = read_renew_target(*target, security);
    if (!id) return std::move(id).error();
    out.renew_target = std::move(*id);
  }
  return out;
}

}  // namespace wst::detail::sts
