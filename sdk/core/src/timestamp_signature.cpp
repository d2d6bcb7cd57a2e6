#include <wst/core/timestamp_signature.hpp>

#include "namespaces.hpp"

namespace wst::detail::core {
namespace {

constexpr std::string_view exc_c14n_uri = "http://www.w3.org/2001/10/xml-exc-c14n#";
constexpr std::string_view hmac_sha1_uri = "http://www.w3.org/2000/09/xmldsig#hmac-sha1";
constexpr std::string_view sha1_uri = "http://www.w3.org/2000/09/xmldsig#sha1";

// Canonical XML escaping (c14n 1.0 section 2.3): text escapes & < > CR; attribute values
// escape & < " TAB LF CR. Both forms of every element use it, so they read back the same.
void append_c14n(std::string& out, std::string_view s, bool attribute) {
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '\r') {
      out += "&#xD;";
    } else if (!attribute && c == '>') {
      out += "&gt;";
    } else if (attribute && c == '"') {
      out += "&quot;";
    } else if (attribute && c == '\t') {
      out += "&#x9;";
    } else if (attribute && c == '\n') {
      out += "&#xA;";
    } else {
      out += c;
    }
  }
}

// <P:local, with P omitted when empty.
void open_tag(std::string& out, std::string_view prefix, std::string_view local) {
  out += '<';
  if (!prefix.empty()) {
    out += prefix;
    out += ':';
  }
  out += local;
}

void close_tag(std::string& out, std::string_view prefix, std::string_view local) {
  out += "</";
  if (!prefix.empty()) {
    out += prefix;
    out += ':';
  }
  out += local;
  out += '>';
}

// <P:local Algorithm="uri"></P:local>: c14n writes empty elements as tag pairs.
void algorithm_element(std::string& out, std::string_view prefix, std::string_view local,
                       std::string_view uri) {
  open_tag(out, prefix, local);
  out += " Algorithm=\"";
  out += uri;
  out += "\">";
  close_tag(out, prefix, local);
}

void namespace_declaration(std::string& out, std::string_view prefix, std::string_view uri) {
  out += " xmlns";
  if (!prefix.empty()) {
    out += ':';
    out += prefix;
  }
  out += "=\"";
  append_c14n(out, uri, true);
  out += '"';
}

}  // namespace

void append_timestamp(std::string& out, std::string_view p, std::string_view id,
                      std::string_view created, std::string_view expires, bool declare_namespace) {
  open_tag(out, p, "Timestamp");
  if (declare_namespace) namespace_declaration(out, p, ns::wsu);
  if (!id.empty()) {
    out += ' ';
    out += p;
    out += ":Id=\"";
    append_c14n(out, id, true);
    out += '"';
  }
  out += '>';
  open_tag(out, p, "Created");
  out += '>';
  append_c14n(out, created, false);
  close_tag(out, p, "Created");
  open_tag(out, p, "Expires");
  out += '>';
  append_c14n(out, expires, false);
  close_tag(out, p, "Expires");
  close_tag(out, p, "Timestamp");
}

void append_signed_info(std::string& out, std::string_view p, std::string_view reference_id,
                        std::string_view digest_value, bool declare_namespace) {
  open_tag(out, p, "SignedInfo");
  if (declare_namespace) namespace_declaration(out, p, xmldsig_namespace);
  out += '>';
  algorithm_element(out, p, "CanonicalizationMethod", exc_c14n_uri);
  algorithm_element(out, p, "SignatureMethod", hmac_sha1_uri);
  open_tag(out, p, "Reference");
  out += " URI=\"#";
  append_c14n(out, reference_id, true);
  out += "\">";
  open_tag(out, p, "Transforms");
  out += '>';
  algorithm_element(out, p, "Transform", exc_c14n_uri);
  close_tag(out, p, "Transforms");
  algorithm_element(out, p, "DigestMethod", sha1_uri);
  open_tag(out, p, "DigestValue");
  out += '>';
  append_c14n(out, digest_value, false);
  close_tag(out, p, "DigestValue");
  close_tag(out, p, "Reference");
  close_tag(out, p, "SignedInfo");
}

timestamp_signature sign_timestamp(crypto::byte_view key, std::string_view canonical_timestamp,
                                   std::string_view reference_id, std::string_view ds_prefix) {
  timestamp_signature s;
  const auto digest = crypto::sha1(canonical_timestamp);
  s.digest_value = crypto::base64_encode(crypto::byte_view(digest.data(), digest.size()));
  std::string signed_info;
  signed_info.reserve(640 + reference_id.size());
  append_signed_info(signed_info, ds_prefix, reference_id, s.digest_value, true);
  const auto mac = crypto::hmac_sha1(key, signed_info);
  s.signature_value = crypto::base64_encode(crypto::byte_view(mac.data(), mac.size()));
  return s;
}

}  // namespace wst::detail::core
