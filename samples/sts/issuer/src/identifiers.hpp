// Fresh identifiers, drawn from the injected random source (so tests can fix them).
#pragma once

#include <wst/crypto/crypto.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace wst::detail::sts {

// A version 4 UUID in lower-case 8-4-4-4-12 form, without the "urn:uuid:" prefix.
inline std::string new_uuid(crypto::random_source& rng) {
  std::array<std::uint8_t, 16> b{};
  rng.fill(b.data(), b.size());
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[b[i] >> 4];
    s += hex[b[i] & 15];
  }
  return s;
}

// An xsd:ID (NCName) for an assertion: "_" followed by 32 hex digits.
inline std::string new_xml_id(crypto::random_source& rng) {
  std::array<std::uint8_t, 16> b{};
  rng.fill(b.data(), b.size());
  return "_" + crypto::hex_encode(crypto::byte_view(b.data(), b.size()));
}

}  // namespace wst::detail::sts
