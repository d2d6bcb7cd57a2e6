// Base64 (RFC 4648 section 4, strict) and hex.
#include <wst/crypto/crypto.hpp>

#include <array>
#include <cstdio>

namespace wst::detail::crypto {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Class of every byte: 0..63 = alphabet value, then the three other kinds.
constexpr std::uint8_t pad_char = 64, space_char = 65, bad_char = 66;

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (auto& c : t) c = bad_char;
  for (std::uint8_t v = 0; v < 64; ++v) t[static_cast<unsigned char>(alphabet[v])] = v;
  t['='] = pad_char;
  for (char c : {' ', '\t', '\n', '\v', '\f', '\r'}) t[static_cast<unsigned char>(c)] = space_char;
  return t;
}
constexpr std::array<std::uint8_t, 256> classes = make_classes();

std::uint8_t class_of(char c) { return classes[static_cast<unsigned char>(c)]; }

failure bad(std::string what, std::size_t offset) {
  return failure(errc::bad_base64, std::move(what) + " at offset " + std::to_string(offset));
}

std::string describe_char(char c) {
  char buf[32];
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) {
    std::snprintf(buf, sizeof buf, "invalid character '%c' (0x%02x)", c, u);
  } else {
    std::snprintf(buf, sizeof buf, "invalid byte 0x%02x", u);
  }
  return buf;
}

// Validates `text` against every rule in crypto.hpp and returns the decoded size.
result<std::size_t> measure(std::string_view text) {
  std::size_t n = 0;    // alphabet and '=' characters seen
  std::size_t pad = 0;  // '=' characters seen
  std::size_t last_data_offset = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::uint8_t k = class_of(text[i]);
    if (k == space_char) continue;
    if (k == bad_char) return bad(describe_char(text[i]), i);
    const std::size_t group_pos = n % 4;
    if (k == pad_char) {
      if (pad == 0 && group_pos < 2) {
        return bad("'=' in place of data (character " + std::to_string(group_pos + 1) +
                       " of a 4-character group)",
                   i);
      }
      if (pad != 0 && group_pos == 0) return bad("data after padding", i);
      ++pad;
    } else {
      if (pad != 0) return bad("data after padding", i);
      last_data_offset = i;
    }
    ++n;
  }
  if (n % 4 != 0) {
    return bad(std::to_string(n) + " base64 characters, not a multiple of 4 (missing " +
                   (pad != 0 ? std::string("padding") : std::string("data or padding")) + ")",
               text.size());
  }
  if (pad != 0) {
    // "xx==" keeps 8 of the 12 bits of its two characters, "xxx=" 16 of 18: the rest must be 0.
    const std::uint8_t dropped_mask = pad == 2 ? 0x0f : 0x03;
    if ((class_of(text[last_data_offset]) & dropped_mask) != 0) {
      return bad("non-zero bits dropped by the padding", last_data_offset);
    }
  }
  return n / 4 * 3 - pad;
}

// Decodes text that measure() accepted into out[0..measured size).
void decode_valid(std::string_view text, std::uint8_t* out) {
  std::uint32_t acc = 0;
  int held = 0;  // characters in acc
  for (char c : text) {
    const std::uint8_t k = class_of(c);
    if (k >= 64) continue;  // padding or whitespace
    acc = (acc << 6) | k;
    if (++held == 4) {
      *out++ = static_cast<std::uint8_t>(acc >> 16);
      *out++ = static_cast<std::uint8_t>(acc >> 8);
      *out++ = static_cast<std::uint8_t>(acc);
      acc = 0;
      held = 0;
    }
  }
  if (held == 2) {
    *out = static_cast<std::uint8_t>(acc >> 4);
  } else if (held == 3) {
    out[0] = static_cast<std::uint8_t>(acc >> 10);
    out[1] = static_cast<std::uint8_t>(acc >> 2);
  }
}

}  // namespace

std::string base64_encode(byte_view data) {
  std::string out;
  out.reserve((data.size + 2) / 3 * 4);
  const std::uint8_t* p = data.data;
  std::size_t left = data.size;
  for (; left >= 3; p += 3, left -= 3) {
    const std::uint32_t v = (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (left != 0) {
    const std::uint32_t v =
        (std::uint32_t{p[0]} << 16) | (left == 2 ? std::uint32_t{p[1]} << 8 : 0);
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += left == 2 ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

result<bytes> base64_decode(std::string_view text) {
  auto size = measure(text);
  if (!size) return std::move(size).error();
  bytes out(*size);
  decode_valid(text, out.data());
  return out;
}

result<secure_bytes> base64_decode_secret(std::string_view text) {
  auto size = measure(text);
  if (!size) return std::move(size).error();
  secure_bytes out(*size);
  decode_valid(text, out.data());
  return out;
}

std::string hex_encode(byte_view data) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(data.size * 2, '\0');
  for (std::size_t i = 0; i < data.size; ++i) {
    out[2 * i] = digits[data.data[i] >> 4];
    out[2 * i + 1] = digits[data.data[i] & 15];
  }
  return out;
}

}  // namespace wst::detail::crypto
