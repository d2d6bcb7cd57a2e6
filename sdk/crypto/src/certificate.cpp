// certificate: X.509 parsing and encoding, self-signed creation, RSA signature checks.
#include "backend.hpp"

#include <botan/data_src.h>
#include <botan/exceptn.h>
#include <botan/parsing.h>
#include <botan/pem.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>
#include <botan/x509_ca.h>
#include <botan/x509_ext.h>
#include <botan/x509cert.h>
#include <botan/x509self.h>

#include <chrono>

namespace wst::detail::crypto {

struct certificate::impl {
  Botan::X509_Certificate cert;
  std::shared_ptr<const Botan::Public_Key> key;  // parsed once, shared by copies
};

namespace {

constexpr std::size_t max_common_name = 64;  // ub-common-name, RFC 5280 appendix A

// RFC 4514 short names; every other attribute type is written as its dotted OID.
const char* short_name(const std::string& oid) {
  static const std::pair<const char*, const char*> names[] = {
      {"2.5.4.3", "CN"},
      {"2.5.4.7", "L"},
      {"2.5.4.8", "ST"},
      {"2.5.4.10", "O"},
      {"2.5.4.11", "OU"},
      {"2.5.4.6", "C"},
      {"2.5.4.9", "STREET"},
      {"0.9.2342.19200300.100.1.25", "DC"},
      {"0.9.2342.19200300.100.1.1", "UID"},
  };
  for (const auto& [dotted, name] : names) {
    if (oid == dotted) return name;
  }
  return nullptr;
}

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF) or starts a control character; npos if none.
std::size_t first_bad_char(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      if (b0 < 0x20 || b0 == 0x7f) return i;
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp, min;
    if ((b0 & 0xe0) == 0xc0) {
      len = 2, cp = b0 & 0x1f, min = 0x80;
    } else if ((b0 & 0xf0) == 0xe0) {
      len = 3, cp = b0 & 0x0f, min = 0x800;
    } else if ((b0 & 0xf8) == 0xf0) {
      len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      return i;
    }
    if (s.size() - i < len) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0)) {
      return i;  // overlong, out of range, a surrogate or a C1 control character
    }
    i += len;
  }
  return std::string_view::npos;
}

// Appends `value` escaped as RFC 4514 section 2.4 asks; control characters (which a foreign
// certificate may carry) become hex pairs too, so the text is safe to show or log.
void append_escaped(std::string& out, const std::string& value) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += '\\';
      out += hex_digits[u >> 4];
      out += hex_digits[u & 15];
      continue;
    }
    const bool special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' ||
                         c == '\\' || (i == 0 && (c == ' ' || c == '#')) ||
                         (i + 1 == value.size() && c == ' ');
    if (special) out += '\\';
    out += c;
  }
}

}  // namespace

certificate::certificate(std::unique_ptr<impl> p) : p_(std::move(p)) {}
certificate::certificate(const certificate& o)
    : p_(o.p_ ? std::make_unique<impl>(*o.p_) : nullptr) {}
certificate& certificate::operator=(const certificate& o) {
  if (this != &o) p_ = o.p_ ? std::make_unique<impl>(*o.p_) : nullptr;
  return *this;
}
certificate::certificate(certificate&&) noexcept = default;
certificate& certificate::operator=(certificate&&) noexcept = default;
certificate::~certificate() = default;

namespace {

// The checks self_signed, self_signed_ca and issue share (see crypto.hpp).
result<void> check_subject(const void* key, std::string_view what, std::string_view common_name,
                           unsigned days) {
  if (!key) return failure(errc::bad_key, std::string(what) + " for an empty key");
  if (common_name.empty() || common_name.size() > max_common_name) {
    return failure(errc::bad_length, "common name of " + std::to_string(common_name.size()) +
                                         " bytes; allowed 1.." + std::to_string(max_common_name));
  }
  if (const auto bad = first_bad_char(common_name); bad != std::string_view::npos) {
    return failure(errc::bad_text, "common name is not UTF-8 free of control characters (byte " +
                                       std::to_string(bad) + ")");
  }
  if (days == 0 || days > certificate::max_days) {
    return failure(errc::bad_length, "validity of " + std::to_string(days) + " days; allowed 1.." +
                                         std::to_string(certificate::max_days));
  }
  return {};
}

// Subject CN and validity (from now - 1 h for `days` days).
Botan::X509_Cert_Options subject_options(std::string_view common_name, unsigned days) {
  Botan::X509_Cert_Options options;
  options.common_name = std::string(common_name);
  const auto start = std::chrono::system_clock::now() - std::chrono::hours(1);
  options.start = Botan::X509_Time(start);
  options.end = Botan::X509_Time(start + std::chrono::hours(24) * days);
  return options;
}

}  // namespace

result<certificate> certificate::self_signed(const rsa_private_key& key,
                                             std::string_view common_name, unsigned days) {
  if (auto ok = check_subject(key.p_.get(), "self-signed certificate", common_name, days); !ok)
    return std::move(ok).error();
  try {
    Botan::X509_Certificate cert = Botan::X509::create_self_signed_cert(
        subject_options(common_name, days), key.p_->key, "SHA-256", Botan::system_rng());
    std::shared_ptr<const Botan::Public_Key> public_key = cert.load_subject_public_key();
    return certificate(std::unique_ptr<impl>(new impl{std::move(cert), std::move(public_key)}));
  } catch (...) {
    return current_failure(errc::backend_failure, "self-signed certificate");
  }
}

result<certificate> certificate::self_signed_ca(const rsa_private_key& key,
                                                std::string_view common_name, unsigned days) {
  if (auto ok = check_subject(key.p_.get(), "CA certificate", common_name, days); !ok)
    return std::move(ok).error();
  try {
    Botan::X509_Cert_Options options = subject_options(common_name, days);
    options.CA_key();
    Botan::X509_Certificate cert =
        Botan::X509::create_self_signed_cert(options, key.p_->key, "SHA-256", Botan::system_rng());
    std::shared_ptr<const Botan::Public_Key> public_key = cert.load_subject_public_key();
    return certificate(std::unique_ptr<impl>(new impl{std::move(cert), std::move(public_key)}));
  } catch (...) {
    return current_failure(errc::backend_failure, "CA certificate");
  }
}

result<certificate> certificate::issue(const rsa_private_key& ca_key, const certificate& ca,
                                       const rsa_private_key& subject_key,
                                       std::string_view common_name,
                                       const std::vector<std::string>& dns_names,
                                       const std::vector<std::string>& ipv4_addresses,
                                       unsigned days) {
  if (auto ok = check_subject(subject_key.p_.get(), "issued certificate", common_name, days); !ok)
    return std::move(ok).error();
  if (!ca_key.p_ || !ca.p_ || !ca.p_->cert.is_CA_cert())
    return failure(errc::bad_key, "the issuer is not a CA certificate with its key");
  if (ca.p_->key->public_key_bits() != ca_key.p_->key.public_key_bits())
    return failure(errc::bad_key, "the CA key does not belong to the CA certificate");
  for (const auto& name : dns_names) {
    if (name.empty() || name.size() > 253 || first_bad_char(name) != std::string_view::npos)
      return failure(errc::bad_text, "DNS name '" + name + "' cannot go into a certificate");
  }
  try {
    Botan::AlternativeName names;
    for (const auto& name : dns_names) names.add_attribute("DNS", name);
    for (const auto& ip : ipv4_addresses) {
      try {
        Botan::string_to_ipv4(ip);
      } catch (...) {
        return failure(errc::bad_text, "'" + ip + "' is not an IPv4 address");
      }
      names.add_attribute("IP", ip);
    }
    Botan::X509_Cert_Options options = subject_options(common_name, days);
    options.constraints =
        Botan::Key_Constraints(Botan::DIGITAL_SIGNATURE | Botan::KEY_ENCIPHERMENT);
    options.add_ex_constraint("PKIX.ServerAuth");
    options.extensions.add(new Botan::Cert_Extension::Subject_Alternative_Name(names));
    const Botan::PKCS10_Request request =
        Botan::X509::create_cert_req(options, subject_key.p_->key, "SHA-256", Botan::system_rng());
    Botan::X509_CA authority(ca.p_->cert, ca_key.p_->key, "SHA-256", Botan::system_rng());
    Botan::X509_Certificate cert =
        authority.sign_request(request, Botan::system_rng(), options.start, options.end);
    std::shared_ptr<const Botan::Public_Key> public_key = cert.load_subject_public_key();
    return certificate(std::unique_ptr<impl>(new impl{std::move(cert), std::move(public_key)}));
  } catch (...) {
    return current_failure(errc::backend_failure, "issued certificate");
  }
}

result<certificate> certificate::from_der(byte_view der) {
  if (der.size > max_encoded_size) {
    return failure(errc::bad_key, "DER certificate of " + std::to_string(der.size) +
                                      " bytes exceeds the limit of " +
                                      std::to_string(max_encoded_size));
  }
  if (der.size == 0 || der.data[0] != 0x30) {
    return failure(errc::bad_key, "DER certificate does not start with a SEQUENCE");
  }
  try {
    Botan::X509_Certificate cert(der.data, der.size);
    const std::size_t used = cert.BER_encode().size();
    if (used != der.size) {
      return failure(errc::bad_key, "DER certificate of " + std::to_string(used) +
                                        " bytes followed by " + std::to_string(der.size - used) +
                                        " more");
    }
    std::shared_ptr<const Botan::Public_Key> public_key = cert.load_subject_public_key();
    return certificate(std::unique_ptr<impl>(new impl{std::move(cert), std::move(public_key)}));
  } catch (...) {
    return current_failure(errc::bad_key, "DER certificate");
  }
}

result<certificate> certificate::from_pem(std::string_view pem) {
  if (pem.size() > max_encoded_size) {
    return failure(errc::bad_key, "certificate PEM of " + std::to_string(pem.size()) +
                                      " bytes exceeds the limit of " +
                                      std::to_string(max_encoded_size));
  }
  Botan::secure_vector<std::uint8_t> der;
  try {
    Botan::DataSource_Memory text(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size());
    der = Botan::PEM_Code::decode_check_label(text, "CERTIFICATE");
  } catch (...) {
    return current_failure(errc::bad_key, "certificate PEM");
  }
  return from_der(byte_view(der.data(), der.size()));
}

bytes certificate::der() const {
  if (!p_) return {};
  try {
    return p_->cert.BER_encode();
  } catch (const Botan::Exception&) {
    return {};
  }
}

std::string certificate::to_pem() const {
  if (!p_) return {};
  try {
    return p_->cert.PEM_encode();
  } catch (const Botan::Exception&) {
    return {};
  }
}

std::string certificate::subject() const {
  if (!p_) return {};
  const auto& rdns = p_->cert.subject_dn().dn_info();
  std::string out;
  for (auto it = rdns.rbegin(); it != rdns.rend(); ++it) {
    if (!out.empty()) out += ", ";
    const std::string oid = it->first.to_string();
    const char* name = short_name(oid);
    out += name ? name : oid;
    out += '=';
    append_escaped(out, it->second.value());
  }
  return out;
}

bool certificate::verify(signature_hash hash, byte_view data, byte_view signature) const {
  if (!p_ || !p_->key || p_->key->algo_name() != "RSA") return false;
  try {
    Botan::PK_Verifier verifier(*p_->key, emsa_name(hash));
    return verifier.verify_message(data.data, data.size, signature.data, signature.size);
  } catch (...) {
    return false;
  }
}

bool certificate::verify_sha256(byte_view data, byte_view signature) const {
  return verify(signature_hash::sha256, data, signature);
}

bool certificate::verify_sha1(byte_view data, byte_view signature) const {
  return verify(signature_hash::sha1, data, signature);
}

}  // namespace wst::detail::crypto
