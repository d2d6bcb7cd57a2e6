#include "response.hpp"

#include "datetime.hpp"
#include "namespaces.hpp"

#include <wst/sts/errc.hpp>
#include <wst/xml/writer.hpp>

namespace wst::detail::sts {

std::string_view soap_content_type(soap_version v) noexcept {
  return v == soap_version::v11 ? "text/xml; charset=utf-8" : "application/soap+xml; charset=utf-8";
}

namespace {

// <s:Envelope ...><s:Header> and the WS-Addressing reply headers; the Header is left open.
void start_envelope(xml::writer& w, const reply_context& ctx, std::string_view action,
                    const std::string& message_id) {
  w.start_element("s", "Envelope");
  w.namespace_decl("s", soap_ns(ctx.soap));
  if (ctx.wsa != addressing::none) w.namespace_decl("a", wsa_ns(ctx.wsa));
  w.start_element("s", "Header");
  if (ctx.wsa != addressing::none) {
    w.start_element("a", "Action");
    w.attribute("s", "mustUnderstand", "1");
    w.text(action);
    w.end_element();
    if (!message_id.empty()) w.text_element("a", "MessageID", message_id);
    if (!ctx.message_id.empty()) w.text_element("a", "RelatesTo", ctx.message_id);
    if (ctx.wsa == addressing::aug2004) w.text_element("a", "To", ns::wsa04_anonymous);
  }
}

void write_reference(xml::writer& w, std::string_view element, const token_reference& ref) {
  w.start_element("t", element);
  w.start_element("o", "SecurityTokenReference");
  w.namespace_decl("o", ns::wsse);
  if (ref.how == token_reference::form::key_identifier) {
    w.namespace_decl("k", ns::wsse11);
    w.attribute("k", "TokenType", ref.token_type);
    w.start_element("o", "KeyIdentifier");
    w.attribute("", "ValueType", ref.value_type);
    w.text(ref.value);
    w.end_element();
  } else {
    w.start_element("o", "Reference");
    w.attribute("", "URI", ref.value);
    w.attribute("", "ValueType", ref.value_type);
    w.end_element();
  }
  w.end_element();
  w.end_element();
}

void write_binary_secret(xml::writer& w, const crypto::secure_bytes& b, std::string_view type) {
  w.start_element("t", "BinarySecret");
  if (!type.empty()) w.attribute("", "Type", type);
  w.text(crypto::base64_encode(b));
  w.end_element();
}

struct fault_code {
  std::string_view code;               // SOAP 1.2 Code/Value local name
  std::string_view sub_ns, sub_local;  // subcode (or SOAP 1.1 faultcode) QName; empty: none
};

fault_code code_for(const reply_context& ctx, const failure& f) {
  const std::string_view trust = trust_ns(ctx.trust.value_or(trust_version::v13));
  const std::string_view wsa = ctx.wsa == addressing::aug2004 ? ns::wsa04 : ns::wsa10;
  if (f.code.category() == category()) {
    switch (static_cast<errc>(f.code.value())) {
      case errc::version_mismatch:
        return {"VersionMismatch", {}, {}};
      case errc::must_understand:
        return {"MustUnderstand", {}, {}};
      case errc::invalid_request:
      case errc::request_too_large:
        return {"Sender", trust, "InvalidRequest"};
      case errc::bad_request:
        return {"Sender", trust, "BadRequest"};
      case errc::failed_authentication:
        return {"Sender", trust, "FailedAuthentication"};
      case errc::bad_context_token:
        return {"Sender", ctx.trust == trust_version::feb2005 ? ns::sc05 : ns::sc13,
                "BadContextToken"};
      case errc::action_not_supported:
        return {"Sender", wsa, "ActionNotSupported"};
      case errc::addressing_header_required:
        return {"Sender", wsa,
                ctx.wsa == addressing::aug2004 ? "MessageInformationHeaderRequired"
                                               : "MessageAddressingHeaderRequired"};
      default:
        break;
    }
  }
  return {"Receiver", trust, "RequestFailed"};
}

}  // namespace

http_response write_rstr(const reply_context& ctx, const rstr& r, const std::string& message_id) {
  http_response out;
  out.content_type = std::string(soap_content_type(ctx.soap));
  out.body.reserve(r.token_xml.size() + 2048);
  xml::writer w(out.body);
  start_envelope(w, ctx, r.action, message_id);
  w.end_element();  // Header
  w.start_element("s", "Body");
  const std::string_view t = trust_ns(ctx.trust.value_or(trust_version::v13));
  const bool collection = ctx.trust == trust_version::v13;
  if (collection) {
    w.start_element("t", "RequestSecurityTokenResponseCollection");
    w.namespace_decl("t", t);
    w.start_element("t", "RequestSecurityTokenResponse");
  } else {
    w.start_element("t", "RequestSecurityTokenResponse");
    w.namespace_decl("t", t);
  }
  w.namespace_decl("u", ns::wsu);
  if (!r.context.empty()) w.attribute("", "Context", r.context);
  w.text_element("t", "TokenType", r.token_type_uri);
  w.start_element("t", "Lifetime");
  w.text_element("u", "Created", xsd_datetime(r.created));
  w.text_element("u", "Expires", xsd_datetime(r.expires));
  w.end_element();
  if (r.applies_to) {
    w.start_element("wsp", "AppliesTo");
    w.namespace_decl("wsp", ns::wsp);
    w.start_element("ea", "EndpointReference");
    w.namespace_decl("ea", ctx.wsa == addressing::aug2004 ? ns::wsa04 : ns::wsa10);
    w.text_element("ea", "Address", *r.applies_to);
    w.end_element();
    w.end_element();
  }
  w.start_element("t", "RequestedSecurityToken");
  w.raw(r.token_xml);
  w.end_element();
  write_reference(w, "RequestedAttachedReference", r.attached);
  write_reference(w, "RequestedUnattachedReference", r.unattached);
  if (r.proof == proof_form::binary_secret && r.proof_key) {
    w.start_element("t", "RequestedProofToken");
    write_binary_secret(w, *r.proof_key, {});
    w.end_element();
  } else if (r.proof == proof_form::computed_key && r.server_entropy) {
    w.start_element("t", "RequestedProofToken");
    w.text_element("t", "ComputedKey", std::string(t) + "/CK/PSHA1");
    w.end_element();
    w.start_element("t", "Entropy");
    write_binary_secret(w, *r.server_entropy, std::string(t) + "/Nonce");
    w.end_element();
  }
  if (r.key_bits) w.text_element("t", "KeySize", std::to_string(*r.key_bits));
  if (!r.key_type_uri.empty()) w.text_element("t", "KeyType", r.key_type_uri);
  w.end_element();  // RequestSecurityTokenResponse
  if (collection) w.end_element();
  w.end_element();  // Body
  w.end_element();  // Envelope
  return out;
}

http_response write_fault(const reply_context& ctx, const failure& f,
                          const std::string& message_id) {
  const fault_code fc = code_for(ctx, f);
  const std::string reason = f.message.empty() ? f.code.message() : f.message;
  http_response out;
  out.status = ctx.basic_challenge ? 401 : 500;
  if (ctx.basic_challenge)
    out.headers.emplace_back("WWW-Authenticate", "Basic realm=\"wst-sample-sts\"");
  out.content_type = std::string(soap_content_type(ctx.soap));
  xml::writer w(out.body);
  start_envelope(w, ctx,
                 ctx.wsa == addressing::aug2004 ? ns::wsa04_fault_action : ns::wsa10_fault_action,
                 message_id);
  if (ctx.soap == soap_version::v12) {
    if (fc.code == "VersionMismatch") {
      w.start_element("s", "Upgrade");
      for (std::string_view env : {ns::soap12, ns::soap11}) {
        w.start_element("s", "SupportedEnvelope");
        w.namespace_decl("v", env);
        w.attribute("", "qname", "v:Envelope");
        w.end_element();
      }
      w.end_element();
    } else if (fc.code == "MustUnderstand" && !ctx.not_understood_local.empty()) {
      w.start_element("s", "NotUnderstood");
      w.namespace_decl("n", ctx.not_understood_ns);
      w.attribute("", "qname", "n:" + ctx.not_understood_local);
      w.end_element();
    }
  }
  w.end_element();  // Header
  w.start_element("s", "Body");
  w.start_element("s", "Fault");
  if (ctx.soap == soap_version::v11) {
    w.start_element("", "faultcode");
    if (fc.sub_local.empty()) {
      w.text("s:" + std::string(fc.code));
    } else {
      w.namespace_decl("q", fc.sub_ns);
      w.text("q:" + std::string(fc.sub_local));
    }
    w.end_element();
    w.start_element("", "faultstring");
    w.attribute("xml", "lang", "en");
    w.text(reason);
    w.end_element();
  } else {
    w.start_element("s", "Code");
    w.text_element("s", "Value", "s:" + std::string(fc.code));
    if (!fc.sub_local.empty()) {
      w.start_element("s", "Subcode");
      w.start_element("s", "Value");
      w.namespace_decl("q", fc.sub_ns);
      w.text("q:" + std::string(fc.sub_local));
      w.end_element();
      w.end_element();
    }
    w.end_element();  // Code
    w.start_element("s", "Reason");
    w.start_element("s", "Text");
    w.attribute("xml", "lang", "en");
    w.text(reason);
    w.end_element();
    w.end_element();
  }
  w.end_element();  // Fault
  w.end_element();  // Body
  w.end_element();  // Envelope
  return out;
}

}  // namespace wst::detail::sts
