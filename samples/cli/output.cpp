// Printing tokens and errors for wst-token.
#include "cli.hpp"

#include <cstdio>
#include <ostream>

namespace wst_token {
namespace {

std::string json_string(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          o += buf;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

std::string hex(const std::vector<std::uint8_t>& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto c : b) {
    s += d[c >> 4];
    s += d[c & 15];
  }
  return s;
}

const char* key_type_name(wst::key_type k) {
  switch (k) {
    case wst::key_type::bearer: return "bearer";
    case wst::key_type::symmetric: return "symmetric";
    case wst::key_type::asymmetric: return "asymmetric";
  }
  return "unknown";
}

std::string or_none(const std::string& s) { return s.empty() ? "(none)" : s; }

}  // namespace

int exit_code_for(const wst::error& e) {
  using wst::errc;
  switch (static_cast<errc>(e.code.value())) {
    case errc::invalid_options:
    case errc::not_supported:
    case errc::invalid_url:
    case errc::tls_configuration: return exit_config;
    case errc::host_not_found:
    case errc::connection_failed:
    case errc::timed_out:
    case errc::busy:
    case errc::channel_unavailable: return exit_unreachable;
    case errc::tls_verification_failed:
    case errc::tls_failed: return exit_tls;
    case errc::access_denied:
    case errc::fault_received:
    case errc::server_fault: return exit_refused;
    case errc::http_error:
    case errc::quota_exceeded:
    case errc::invalid_response:
    case errc::unexpected_reply:
    case errc::token_expired: return exit_bad_response;
    case errc::aborted:
    case errc::shutting_down: return exit_aborted;
    case errc::internal_error: return exit_internal;
  }
  return exit_internal;
}

void print_summary(std::ostream& os, const wst::token& t, const cli_options& o) {
  os << "token type:           " << or_none(t.token_type()) << "\n"
     << "valid from:           " << (t.valid_from_text().empty() ? "(unbounded)" : t.valid_from_text()) << "\n"
     << "valid till:           " << (t.valid_till_text().empty() ? "(unbounded)" : t.valid_till_text()) << "\n"
     << "key type:             " << key_type_name(t.key()) << "\n"
     << "key size:             " << t.key_size_bits() << " bits\n";
  if (!t.context_id().empty()) os << "context:              " << t.context_id() << "\n";
  os << "attached reference:   " << or_none(t.attached_reference()) << "\n"
     << "unattached reference: " << or_none(t.unattached_reference()) << "\n"
     << "token size:           " << t.xml().size() << " bytes\n";
  if (o.show_key) os << "proof key:            " << hex(t.proof_key()) << "\n";
  if (o.show_token) os << "token:\n" << t.xml() << "\n";
}

void print_json(std::ostream& os, const wst::token& t, const cli_options& o) {
  os << "{\"ok\":true"
     << ",\"token_type\":" << json_string(t.token_type())
     << ",\"valid_from\":" << (t.valid_from_text().empty() ? "null" : json_string(t.valid_from_text()))
     << ",\"valid_till\":" << (t.valid_till_text().empty() ? "null" : json_string(t.valid_till_text()))
     << ",\"key_type\":" << json_string(key_type_name(t.key()))
     << ",\"key_size_bits\":" << t.key_size_bits()
     << ",\"context_id\":" << json_string(t.context_id())
     << ",\"attached_reference\":" << json_string(t.attached_reference())
     << ",\"unattached_reference\":" << json_string(t.unattached_reference());
  if (o.show_key) os << ",\"proof_key\":" << json_string(hex(t.proof_key()));
  if (o.show_token) os << ",\"token\":" << json_string(t.xml());
  os << "}\n";
}

void print_error_json(std::ostream& os, const wst::error& e, int code) {
  os << "{\"ok\":false,\"error\":" << json_string(e.code.message())
     << ",\"message\":" << json_string(e.message)
     << ",\"retryable\":" << (e.retryable() ? "true" : "false")
     << ",\"exit_code\":" << code << "}\n";
}

}  // namespace wst_token
