// Namespace-aware, limit-checked XML reading: a validating pre-scan, RapidXML for the tree,
// then compact per-element tables (see document_state.hpp).
//
// parse() runs four passes over the document's own copy of the input (NUL-terminated, kept by
// the document, so it outlives RapidXML's nodes):
//  1. find_bad_character: UTF-8 well-formedness and the XML Char production (eight ASCII bytes
//     at a time), so no later pass meets a NUL or a broken sequence;
//  2. scanner: an iterative lexer that enforces every limit as soon as it is crossed, refuses
//     DOCTYPE, validates references, names, end tags and the prolog/epilog, records each
//     element's byte range and counts attributes and declarations. RapidXML recurses once per
//     nesting level and accepts duplicate attributes, unknown entities and several roots:
//     nothing reaches it before this pass agrees. Text and attribute values are searched
//     eight bytes at a time;
//  3. RapidXML (non-destructive, no data nodes) builds the element tree in a per-thread pool
//     that is reused, so it allocates nothing once warm;
//  4. builder: walks RapidXML's elements without recursion, resolves namespaces, rejects
//     duplicate attributes and writes node_state/attr_state tables reserved from pass 2's
//     counts. A parse allocates only what the document keeps.
#include "byte_set.hpp"
#include "document_state.hpp"

#include <wst/xml/writer.hpp>

#include <rapidxml.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <new>

namespace wst::detail::xml {
namespace {

class xml_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.xml"; }
  std::string message(int code) const override {
    switch (static_cast<errc>(code)) {
      case errc::too_large:
        return "XML document too large";
      case errc::too_deep:
        return "XML elements nested too deeply";
      case errc::too_many_attributes:
        return "too many attributes on an XML element";
      case errc::too_many_namespaces:
        return "too many XML namespace declarations in scope";
      case errc::too_many_nodes:
        return "too many nodes in the XML document";
      case errc::duplicate_attribute:
        return "duplicate XML attribute";
      case errc::undeclared_prefix:
        return "undeclared XML namespace prefix";
      case errc::malformed:
        return "malformed XML";
      case errc::doctype_not_allowed:
        return "XML DOCTYPE not allowed";
      case errc::invalid_utf8:
        return "invalid UTF-8 or character not allowed in XML";
      case errc::bad_reference:
        return "invalid XML entity or character reference";
      case errc::mismatched_tag:
        return "XML end tag does not match the start tag";
      case errc::empty_document:
        return "XML document has no root element";
    }
    return "unknown XML error " + std::to_string(code);
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const xml_category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

namespace detail_impl {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// What append_decoded has to look at in each kind of character data.
constexpr byte_set text_specials("&\r"), attribute_specials("&\r\n\t"), literal_specials("\r");

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
bool is_xml_char(std::uint32_t c) {
  if (c < 0x20) return c == 0x9 || c == 0xA || c == 0xD;
  if (c <= 0xD7FF) return true;
  if (c < 0xE000) return false;
  if (c <= 0xFFFD) return true;
  return c >= 0x10000 && c <= 0x10FFFF;
}

// Offset of the first byte that is not part of a well-formed UTF-8 encoding of an XML Char
// (overlong forms, surrogates, values above U+10FFFF, truncated sequences, C0 controls other
// than tab/LF/CR, U+FFFE, U+FFFF), or npos.
std::size_t find_bad_character(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Eight bytes at a time while they are all printable ASCII (no high bit, none below 0x20).
    while (n - i >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      constexpr std::uint64_t high = 0x8080808080808080u, spaces = 0x2020202020202020u;
      if (((w | (w - spaces)) & high) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned c = p[i];
    if (c < 0x80) {
      if (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) return i;
      ++i;
      continue;
    }
    auto cont = [&](std::size_t k) { return i + k < n && (p[i + k] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(1)) return i;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (!cont(1) || !cont(2)) return i;
      unsigned c1 = p[i + 1], c2 = p[i + 2];
      if (c == 0xE0 && c1 < 0xA0) return i;                                 // overlong
      if (c == 0xED && c1 >= 0xA0) return i;                                // surrogate
      if (c == 0xEF && c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)) return i;  // U+FFFE, U+FFFF
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return i;
      unsigned c1 = p[i + 1];
      if (c == 0xF0 && c1 < 0x90) return i;   // overlong
      if (c == 0xF4 && c1 >= 0x90) return i;  // above U+10FFFF
      i += 4;
    } else {
      return i;  // continuation byte, overlong lead (C0, C1) or F5..FF
    }
  }
  return std::string_view::npos;
}

// Name characters (XML 1.0 section 2.3), ASCII exactly; every byte of a multi-byte UTF-8
// sequence is admitted (the sequence itself was validated by find_bad_character).
enum : unsigned char { name_start = 1, name_char = 2 };
struct name_table {
  unsigned char t[256] = {};
  constexpr name_table() {
    for (int c = 'a'; c <= 'z'; ++c) t[c] = name_start | name_char;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = name_start | name_char;
    t[static_cast<unsigned char>('_')] = t[static_cast<unsigned char>(':')] =
        name_start | name_char;
    for (int c = '0'; c <= '9'; ++c) t[c] = name_char;
    t[static_cast<unsigned char>('-')] = t[static_cast<unsigned char>('.')] = name_char;
    for (int c = 0x80; c < 0x100; ++c) t[c] = name_start | name_char;
  }
};
constexpr name_table names{};

// Appends the UTF-8 encoding of a code point already known to be a valid XML Char.
void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The reference starting at s[0] == '&': its length through ';' and the character it stands
// for, or length 0 when it is unknown, malformed, or refers to a character XML forbids.
struct reference {
  std::size_t length = 0;
  std::uint32_t ch = 0;
};
reference read_reference(std::string_view s) {
  if (s.size() >= 2 && s[1] == '#') {
    std::size_t i = 2;
    const bool hex = i < s.size() && s[i] == 'x';
    if (hex) ++i;
    const std::size_t first = i;
    std::uint32_t v = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      std::uint32_t d;
      if (c >= '0' && c <= '9')
        d = static_cast<std::uint32_t>(c - '0');
      else if (hex && c >= 'a' && c <= 'f')
        d = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (hex && c >= 'A' && c <= 'F')
        d = static_cast<std::uint32_t>(c - 'A' + 10);
      else
        break;
      v = v * (hex ? 16 : 10) + d;
      if (v > 0x10FFFF) return {};
    }
    if (i == first || i >= s.size() || s[i] != ';' || !is_xml_char(v)) return {};
    return {i + 1, v};
  }
  static constexpr std::pair<std::string_view, char> predefined[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  for (const auto& [name, ch] : predefined)
    if (s.compare(0, name.size(), name) == 0) return {name.size(), static_cast<unsigned char>(ch)};
  return {};
}

// Index of the first byte of s[from, n) equal to a, b or c, or (with `controls`) below 0x20,
// or n (from <= n). Eight bytes at a time: byte k of `hits` has its high bit set when byte k
// of the word matches, exactly so up to the first match (the borrow of a subtraction can only
// flag bytes above a true match). On little-endian machines the lowest flag is that first
// match; elsewhere the word is searched bytewise.
template <bool controls = false>
std::size_t find_any_of(const char* s, std::size_t from, std::size_t n, char a, char b, char c) {
  constexpr std::uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  const std::uint64_t ma = ones * static_cast<unsigned char>(a),
                      mb = ones * static_cast<unsigned char>(b),
                      mc = ones * static_cast<unsigned char>(c);
  std::size_t i = from;
  for (; n - i >= 8; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s + i, 8);
    const std::uint64_t x = w ^ ma, y = w ^ mb, z = w ^ mc;
    std::uint64_t hits = ((x - ones) & ~x) | ((y - ones) & ~y) | ((z - ones) & ~z);
    if (controls) hits |= (w - ones * 0x20) & ~w;
    hits &= high;
    if (hits == 0) continue;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return i + static_cast<std::size_t>(__builtin_ctzll(hits) >> 3);
#else
    break;
#endif
  }
  for (; i < n; ++i)
    if (s[i] == a || s[i] == b || s[i] == c ||
        (controls && static_cast<unsigned char>(s[i]) < 0x20))
      return i;
  return n;
}

// Equality for the short strings compared per element (prefixes, names): eight bytes at a
// time inline, which is cheaper than a call to memcmp.
bool equal_bytes(const char* a, const char* b, std::size_t n) {
  std::size_t i = 0;
  for (; n - i >= 8; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  for (; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}
bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && equal_bytes(a.data(), b.data(), a.size());
}

// A QName's prefix ("" when unprefixed) and local part, given the colon's offset (0: none;
// a QName never starts with ':').
std::string_view prefix_of(std::string_view q, std::size_t colon) {
  return std::string_view(q.data(), colon);
}
std::string_view local_of(std::string_view q, std::size_t colon) {
  return colon ? std::string_view(q.data() + colon + 1, q.size() - colon - 1) : q;
}

// xmlns or xmlns:p
bool is_declaration(std::string_view q, std::size_t colon) {
  return colon ? colon == 5 && same(q.substr(0, 5), "xmlns") : same(q, "xmlns");
}

// Byte range of one element as the pre-scan saw it (see node_state), with its QName's colon.
struct element_span {
  std::uint32_t begin, open_end, close_begin, end;
  std::uint32_t colon;  // offset of ':' in the element's QName, 0 when unprefixed
};

using rx_document = rapidxml::xml_document<char>;
using rx_node = rapidxml::xml_node<char>;

// Working memory of one parse, kept per thread so that a parse allocates only what the
// document keeps (trimmed after an unusually large document).
struct parse_scratch {
  struct open_element {  // pre-scan: an element whose end tag is still to come
    std::uint32_t span;
    std::uint32_t name_length;
    std::uint32_t declarations;  // its own, for the in-scope count
  };
  struct build_frame {  // builder: an element whose children are being visited
    const rx_node* rx;
    node_state* node;
    node_state* last_child;
    std::uint32_t scope_mark;  // scope.size() before its declarations
  };
  std::vector<element_span> spans;  // every element, document order
  std::vector<open_element> open;
  std::vector<build_frame> path;
  std::vector<ns_binding> scope;  // builder: declarations in scope, innermost last
  std::size_t attributes = 0;     // in the document, namespace declarations included
  std::size_t declarations = 0;

  static parse_scratch& for_this_thread() {
    thread_local parse_scratch s;
    if (s.spans.capacity() > 4096 || s.scope.capacity() > 1024) s = parse_scratch();
    s.spans.clear();
    s.open.clear();
    s.path.clear();
    s.scope.clear();
    s.attributes = s.declarations = 0;
    return s;
  }
};

// Pass 2, before RapidXML sees the bytes: an iterative lexer that enforces every limit as soon
// as it is crossed (RapidXML recurses once per nesting level, so depth and size must be capped
// first), refuses DOCTYPE, validates references, names, end tags and the prolog/epilog, which
// RapidXML does not (it accepts unknown entities, several roots, mismatched end tags without
// parse_validate_closing_tags), records each element's byte range and counts what the
// document's tables will hold. Namespaces are left to the builder (pass 4), so a namespace
// error is reported only when the document is well-formed and within limits.
class scanner {
 public:
  scanner(std::string_view src, const limits& lim, parse_scratch& scratch)
      : s_(src), lim_(lim), x_(scratch) {}

  // False with `error` set when the document is refused.
  bool run() {
    if (s_.compare(0, 3, "\xEF\xBB\xBF") == 0) p_ = 3;
    if (s_.compare(p_, 5, "<?xml") == 0 && p_ + 5 < s_.size() && is_space(s_[p_ + 5]) &&
        !xml_declaration())
      return false;
    for (;;) {  // prolog
      skip_space();
      if (p_ == s_.size()) return fail(errc::empty_document, "no root element");
      if (s_[p_] != '<') return fail(errc::malformed, "text before the root element");
      if (!at("<!") && !at("<?")) break;
      if (!misc()) return false;
    }
    if (!element_tree()) return false;
    for (;;) {  // epilog
      skip_space();
      if (p_ == s_.size()) break;
      if (!at("<!") && !at("<?")) return fail(errc::malformed, "content after the root element");
      if (!misc()) return false;
    }
    if (early_end_.code) {
      error = std::move(early_end_);
      return false;
    }
    return true;
  }

  failure error;

 private:
  using open_element = parse_scratch::open_element;

  bool fail(errc e, std::string what) {
    what += " at byte ";
    what += std::to_string(p_);
    error = failure(e, std::move(what));
    return false;
  }
  bool at(std::string_view lit) const {
    if (s_.size() - p_ < lit.size()) return false;
    for (std::size_t i = 0; i < lit.size(); ++i)
      if (s_[p_ + i] != lit[i]) return false;
    return true;
  }
  bool skip_space() {
    std::size_t start = p_;
    while (p_ < s_.size() && is_space(s_[p_])) ++p_;
    return p_ != start;
  }
  std::size_t name_length(std::size_t at) const {
    std::size_t i = at;
    if (i >= s_.size() || !(names.t[static_cast<unsigned char>(s_[i])] & name_start)) return 0;
    while (++i < s_.size() && (names.t[static_cast<unsigned char>(s_[i])] & name_char)) {
    }
    return i - at;
  }
  // A QName at p_: a Name with at most one ':', neither first nor last. `colon` is its
  // offset in the name, 0 when there is none.
  bool qname(std::size_t& length, std::size_t& colon, const char* what) {
    const char* s = s_.data();
    const std::size_t n = s_.size();
    std::size_t i = p_;
    if (i >= n || !(names.t[static_cast<unsigned char>(s[i])] & name_start)) {
      length = 0;
      if (p_ >= n) return fail(errc::malformed, "unexpected end of input");
      return fail(errc::malformed, std::string("expected ") + what);
    }
    std::size_t colons = 0;
    colon = 0;
    do {
      if (s[i] == ':' && colons++ == 0) colon = i - p_;
    } while (++i < n && (names.t[static_cast<unsigned char>(s[i])] & name_char));
    length = i - p_;
    if (colons != 0 && (colons > 1 || colon == 0 || colon + 1 == length))
      return fail(errc::malformed,
                  "'" + std::string(s_.substr(p_, length)) + "' is not a qualified name");
    return true;
  }
  bool count_node() {
    if (++nodes_ > lim_.max_nodes)
      return fail(errc::too_many_nodes, "more than " + std::to_string(lim_.max_nodes) + " nodes");
    return true;
  }
  // <?xml version="1.0" encoding="..." standalone="..."?>; p_ at '<'.
  bool xml_declaration() {
    p_ += 5;
    bool seen_version = false;
    std::size_t inner_end = 0;
    for (;;) {
      bool space = skip_space();
      if (at("?>")) {
        p_ += 2;
        if (!seen_version) return fail(errc::malformed, "XML declaration without version");
        if (inner_end)  // a value holding "?>", where the declaration would seem to end
          early_end_ = failure(errc::malformed, "'?>' in a value of the XML declaration at byte " +
                                                    std::to_string(inner_end));
        return true;
      }
      std::size_t len = name_length(p_);
      if (!space || len == 0) return fail(errc::malformed, "bad XML declaration");
      std::string_view name = s_.substr(p_, len);
      p_ += len;
      skip_space();
      if (!at("=")) return fail(errc::malformed, "bad XML declaration");
      ++p_;
      skip_space();
      if (p_ >= s_.size() || (s_[p_] != '"' && s_[p_] != '\''))
        return fail(errc::malformed, "bad XML declaration");
      std::size_t close = s_.find(s_[p_], p_ + 1);
      if (close == std::string_view::npos) return fail(errc::malformed, "bad XML declaration");
      std::string_view value = s_.substr(p_ + 1, close - p_ - 1);
      if (value.find("?>") != std::string_view::npos && !inner_end) inner_end = p_ + 1;
      if (name == "version") {
        seen_version = true;
      } else if (name == "encoding") {
        std::string v(value);
        for (char& c : v) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
        if (v != "UTF-8" && v != "US-ASCII")
          return fail(errc::malformed, "unsupported encoding '" + std::string(value) + "'");
      } else if (name != "standalone") {
        return fail(errc::malformed, "bad XML declaration");
      }
      p_ = close + 1;
    }
  }

  // A comment, PI, CDATA section or (refused) DOCTYPE starting at p_ ("<!" or "<?").
  bool misc() {
    if (at("<!--")) {
      std::size_t dashes = s_.find("--", p_ + 4);
      if (dashes == std::string_view::npos) return fail(errc::malformed, "unterminated comment");
      if (dashes + 2 >= s_.size() || s_[dashes + 2] != '>') {
        p_ = dashes;
        return fail(errc::malformed, "'--' inside a comment");
      }
      p_ = dashes + 3;
      return count_node();
    }
    if (at("<?")) {
      p_ += 2;
      std::size_t len = name_length(p_);
      if (len == 0) return fail(errc::malformed, "expected a processing instruction target");
      std::string target(s_.substr(p_, len));
      for (char& c : target) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      if (target == "xml") return fail(errc::malformed, "XML declaration not at the start");
      p_ += len;
      if (!at("?>") && (p_ >= s_.size() || !is_space(s_[p_])))
        return fail(errc::malformed, "bad processing instruction");
      std::size_t close = s_.find("?>", p_);
      if (close == std::string_view::npos)
        return fail(errc::malformed, "unterminated processing instruction");
      p_ = close + 2;
      return count_node();
    }
    if (at("<!DOCTYPE")) return fail(errc::doctype_not_allowed, "DOCTYPE declaration");
    if (!x_.open.empty() && at("<![CDATA[")) {
      std::size_t close = s_.find("]]>", p_ + 9);
      if (close == std::string_view::npos)
        return fail(errc::malformed, "unterminated CDATA section");
      p_ = close + 3;
      return count_node();
    }
    return fail(errc::malformed, "unexpected markup");
  }

  // '&' at p_.
  bool check_reference() {
    reference r = read_reference(s_.substr(p_));
    if (r.length == 0) {
      std::string_view text = s_.substr(p_, 12);
      text = text.substr(0, text.find_first_of(" \t\r\n<\"'"));
      return fail(errc::bad_reference, "'" + std::string(text) + "'");
    }
    p_ += r.length;
    return true;
  }

  // Character data up to the next '<' (or the end).
  bool text() {
    const std::size_t start = p_;
    const char* s = s_.data();
    const std::size_t n = s_.size();
    for (;;) {
      p_ = find_any_of(s, p_, n, '<', '&', ']');
      if (p_ == n || s[p_] == '<') break;
      if (s[p_] == '&') {
        if (!check_reference()) return false;
        continue;
      }
      if (at("]]>")) return fail(errc::malformed, "']]>' in character data");
      ++p_;
    }
    return p_ == start || count_node();
  }

  // A start tag at p_ ('<'); opens the element unless it is empty ("/>").
  bool start_tag() {
    const std::size_t begin = p_;
    ++p_;
    std::size_t len, colon;
    if (!qname(len, colon, "an element name")) return false;
    if (x_.open.size() >= std::min(lim_.max_depth, max_supported_depth))
      return fail(
          errc::too_deep,
          "nesting deeper than " + std::to_string(std::min(lim_.max_depth, max_supported_depth)));
    if (!count_node()) return false;
    p_ += len;
    std::size_t attributes = 0, declarations = 0;
    bool empty;
    for (;;) {
      bool space = skip_space();
      if (p_ >= s_.size()) return fail(errc::malformed, "unexpected end of input in a start tag");
      if (s_[p_] == '>') {
        ++p_;
        empty = false;
        break;
      }
      if (s_[p_] == '/') {
        if (!at("/>")) return fail(errc::malformed, "expected '>' after '/'");
        p_ += 2;
        empty = true;
        break;
      }
      if (!space) return fail(errc::malformed, "expected whitespace before an attribute");
      std::size_t alen, acolon;
      if (!qname(alen, acolon, "an attribute name")) return false;
      std::string_view aname = s_.substr(p_, alen);
      p_ += alen;
      skip_space();
      if (!at("=")) return fail(errc::malformed, "expected '=' after an attribute name");
      ++p_;
      skip_space();
      if (p_ >= s_.size() || (s_[p_] != '"' && s_[p_] != '\''))
        return fail(errc::malformed, "expected a quoted attribute value");
      const char quote = s_[p_++];
      for (;;) {
        p_ = find_any_of<true>(s_.data(), p_, s_.size(), quote, '<', '&');
        if (p_ >= s_.size() || s_[p_] == quote) break;
        if (s_[p_] == '<') return fail(errc::malformed, "'<' in an attribute value");
        if (s_[p_] != '&') {
          ++p_;  // tab, LF or CR (find_bad_character admits no other control)
          continue;
        }
        if (!check_reference()) return false;
      }
      if (p_ >= s_.size()) return fail(errc::malformed, "unterminated attribute value");
      ++p_;
      if (++attributes > lim_.max_attributes)
        return fail(errc::too_many_attributes,
                    "more than " + std::to_string(lim_.max_attributes) + " attributes");
      declarations += is_declaration(aname, acolon);
    }
    x_.attributes += attributes;
    x_.declarations += declarations;
    in_scope_ += declarations;
    if (in_scope_ > lim_.max_namespaces)
      return fail(errc::too_many_namespaces, "more than " + std::to_string(lim_.max_namespaces) +
                                                 " namespace declarations in scope");

    const auto b = static_cast<std::uint32_t>(begin), e = static_cast<std::uint32_t>(p_);
    x_.spans.push_back({b, e, e, e, static_cast<std::uint32_t>(colon)});
    if (empty)
      in_scope_ -= declarations;
    else
      x_.open.push_back({static_cast<std::uint32_t>(x_.spans.size() - 1),
                         static_cast<std::uint32_t>(len),
                         static_cast<std::uint32_t>(declarations)});
    return true;
  }

  // "</" at p_.
  bool end_tag() {
    const std::size_t begin = p_;
    p_ += 2;
    const open_element& top = x_.open.back();
    element_span& span = x_.spans[top.span];
    const std::string_view expected = s_.substr(span.begin + 1, top.name_length);
    // The expected name, not followed by another name character, is the name read.
    const bool match = s_.size() - p_ > expected.size() &&
                       equal_bytes(s_.data() + p_, expected.data(), expected.size()) &&
                       !(names.t[static_cast<unsigned char>(s_[p_ + expected.size()])] & name_char);
    const std::size_t len = match ? expected.size() : name_length(p_);
    if (p_ + len >= s_.size())
      return fail(errc::malformed, "unexpected end of input in an end tag");
    if (!match)
      return fail(errc::mismatched_tag, "</" + std::string(s_.substr(p_, len)) + "> closes <" +
                                            std::string(expected) + ">");
    p_ += len;
    skip_space();
    if (!at(">")) {
      if (p_ >= s_.size()) return fail(errc::malformed, "unexpected end of input in an end tag");
      return fail(errc::malformed, "expected '>' in an end tag");
    }
    ++p_;
    span.close_begin = static_cast<std::uint32_t>(begin);
    span.end = static_cast<std::uint32_t>(p_);
    in_scope_ -= top.declarations;
    x_.open.pop_back();
    return true;
  }

  // The root element and everything inside it; p_ at its '<'.
  bool element_tree() {
    if (!start_tag()) return false;
    while (!x_.open.empty()) {
      if (p_ >= s_.size()) {
        const open_element& top = x_.open.back();
        return fail(errc::malformed,
                    "unexpected end of input inside <" +
                        std::string(s_.substr(x_.spans[top.span].begin + 1, top.name_length)) +
                        ">");
      }
      bool ok;
      if (s_[p_] != '<')
        ok = text();
      else if (at("</"))
        ok = end_tag();
      else if (at("<!") || at("<?"))
        ok = misc();
      else
        ok = start_tag();
      if (!ok) return false;
    }
    return true;
  }

  std::string_view s_;
  const limits& lim_;
  parse_scratch& x_;
  std::size_t p_ = 0;
  std::size_t nodes_ = 0;
  std::size_t in_scope_ = 0;
  failure early_end_;  // reported after every other well-formedness error
};

// Pass 3 runs RapidXML over the copy the pre-scan accepted. Non-destructive (names and values
// stay views into the document's own copy, which outlives the RapidXML nodes); no data nodes
// and no element values (text is read later from the byte ranges); no closing-tag check (the
// pre-scan compared every end tag already). Not parse_trim_whitespace: it turns RapidXML's
// plain skip over text into its rewriting loop.
constexpr int rx_flags = rapidxml::parse_non_destructive | rapidxml::parse_no_data_nodes |
                         rapidxml::parse_no_element_values;

// RapidXML's node pool, one per thread, emptied after every parse. Its 64 KiB of inline
// storage holds the nodes of any STS reply seen so far, so such a parse allocates nothing in
// RapidXML; a larger tree takes 64 KiB blocks that the reset frees. The pool object lives on
// the heap rather than in thread-local storage because of that inline storage.
rx_document& thread_pool() {
  thread_local std::unique_ptr<rx_document> pool;
  if (!pool) pool = std::make_unique<rx_document>();
  return *pool;
}

struct pool_reset {
  rx_document& pool;
  ~pool_reset() { pool.clear(); }
};

// Offset of ':' in a QName the pre-scan validated, 0 when there is none.
std::size_t colon_of(std::string_view q) {
  for (std::size_t i = 1; i < q.size(); ++i)
    if (q[i] == ':') return i;
  return 0;
}

// is_declaration() for a QName whose colon is not known yet: xmlns or xmlns:p.
bool is_declaration(std::string_view q) {
  return q.size() >= 5 && same(q.substr(0, 5), "xmlns") && (q.size() == 5 || q[5] == ':');
}

// Pass 4: the element tree RapidXML built, turned into the document's tables. Iterative (a
// path of frames instead of recursion); the tables are reserved from the pre-scan's counts and
// written in place, so they are never reallocated and node_state pointers stay valid. Resolves
// every name through the declarations in scope and rejects duplicate attributes, which
// RapidXML accepts. Each element is checked against the pre-scan's span for it: any
// disagreement between the two readers refuses the document.
class builder {
 public:
  builder(doc_state& d, parse_scratch& scratch) : d_(d), x_(scratch) {
    d_.nodes.reserve(x_.spans.size());
    d_.decls.reserve(x_.declarations);
    d_.attrs.reserve(x_.attributes - x_.declarations);
  }

  bool run(const rx_node* root) {
    auto& path = x_.path;
    const std::size_t count = x_.spans.size();
    const rx_node* rx = root;
    while (rx) {
      if (rx->type() != rapidxml::node_element || d_.nodes.size() == count) return disagree();
      const element_span& span = x_.spans[d_.nodes.size()];
      const std::string_view qname(rx->name(), rx->name_size());
      if (qname.data() != d_.source.data() + span.begin + 1) return disagree();
      node_state& n = d_.nodes.emplace_back(span.begin, span.open_end, prefix_of(qname, span.colon),
                                            local_of(qname, span.colon));
      n.close_begin = span.close_begin;
      n.end = span.end;
      if (!path.empty()) {
        parse_scratch::build_frame& f = path.back();
        n.parent = f.node;
        (f.last_child ? f.last_child->next_sibling : f.node->first_child) = &n;
        f.last_child = &n;
      }
      const auto mark = static_cast<std::uint32_t>(x_.scope.size());
      if (!element(rx, n)) return false;
      if (const rx_node* child = rx->first_node()) {
        path.push_back({rx, &n, nullptr, mark});
        rx = child;
        continue;
      }
      x_.scope.resize(mark);
      for (;;) {  // next in document order: a sibling, or an ancestor's sibling
        if (path.empty()) {
          rx = nullptr;
          break;
        }
        if (const rx_node* next = rx->next_sibling()) {
          rx = next;
          break;
        }
        rx = path.back().rx;
        x_.scope.resize(path.back().scope_mark);
        path.pop_back();
      }
    }
    if (d_.nodes.size() != count) return disagree();
    return true;
  }

  failure error;

 private:
  bool fail(errc e, std::string what, const node_state& n) {
    what += " in <";
    what += n.qname(d_.source);
    what += "> at byte ";
    what += std::to_string(n.begin);
    error = failure(e, std::move(what));
    return false;
  }
  bool disagree() {
    error = failure(errc::malformed, "document structure not understood");
    return false;
  }

  const std::string_view* lookup(std::string_view prefix) const {
    for (auto it = x_.scope.rbegin(); it != x_.scope.rend(); ++it)
      if (same(it->prefix, prefix)) return &it->uri;
    static constexpr std::string_view xml_ns = xml_namespace;
    return same(prefix, "xml") ? &xml_ns : nullptr;
  }

  std::string_view decode_uri(std::string_view raw) {
    if (attribute_specials.find(raw) == std::string_view::npos) return raw;
    std::string& s = d_.decoded_uris.emplace_front();
    append_decoded(s, raw, char_data::attribute);
    return s;
  }

  // Declarations first (they apply to the element's own name and attributes), then the
  // element's name, then each attribute in order: the first error found this way is the
  // one reported.
  bool element(const rx_node* rx, node_state& n) {
    auto& decls = d_.decls;
    n.decl_begin = static_cast<std::uint32_t>(decls.size());
    for (auto* a = rx->first_attribute(); a; a = a->next_attribute()) {
      const std::string_view name(a->name(), a->name_size());
      if (!is_declaration(name)) continue;
      const std::string_view prefix = name.size() > 5 ? name.substr(6) : std::string_view();
      const std::string_view uri = decode_uri({a->value(), a->value_size()});
      for (std::size_t i = n.decl_begin; i < decls.size(); ++i)
        if (same(decls[i].prefix, prefix))
          return fail(errc::duplicate_attribute, "'" + std::string(name) + "' twice", n);
      if (prefix == "xmlns" || (prefix == "xml") != (uri == xml_namespace) ||
          uri == xmlns_namespace)
        return fail(errc::malformed, "reserved namespace misused by '" + std::string(name) + "'",
                    n);
      if (!prefix.empty() && uri.empty())
        return fail(errc::malformed, "'" + std::string(name) + "' declares an empty namespace", n);
      decls.emplace_back(prefix, uri);
      x_.scope.emplace_back(prefix, uri);
    }
    n.decl_end = static_cast<std::uint32_t>(decls.size());
    if (same(n.prefix, "xmlns")) return fail(errc::malformed, "element with the xmlns prefix", n);
    if (const std::string_view* uri = lookup(n.prefix))
      n.ns = *uri;
    else if (!n.prefix.empty())  // no default namespace declared: no namespace
      return fail(errc::undeclared_prefix, "prefix '" + std::string(n.prefix) + "'", n);

    auto& attrs = d_.attrs;
    n.attr_begin = static_cast<std::uint32_t>(attrs.size());
    for (auto* a = rx->first_attribute(); a; a = a->next_attribute()) {
      const std::string_view name(a->name(), a->name_size());
      if (is_declaration(name)) continue;
      const std::size_t colon = colon_of(name);
      const std::string_view prefix = prefix_of(name, colon), local = local_of(name, colon);
      std::string_view ns;
      if (colon) {
        const std::string_view* uri = lookup(prefix);
        if (!uri) return fail(errc::undeclared_prefix, "prefix '" + std::string(prefix) + "'", n);
        ns = *uri;
      }
      for (std::size_t i = n.attr_begin; i < attrs.size(); ++i) {
        const attr_state& o = attrs[i];
        if (same(o.local, local) && (same(o.prefix, prefix) || (!ns.empty() && o.ns == ns)))
          return fail(errc::duplicate_attribute, "'" + std::string(name) + "' twice", n);
      }
      attrs.emplace_back(prefix, local, ns, std::string_view(a->value(), a->value_size()));
    }
    n.attr_end = static_cast<std::uint32_t>(attrs.size());
    return true;
  }

  doc_state& d_;
  parse_scratch& x_;
};

}  // namespace

void append_decoded(std::string& out, std::string_view raw, char_data kind) {
  const byte_set& specials = kind == char_data::text        ? text_specials
                             : kind == char_data::attribute ? attribute_specials
                                                            : literal_specials;
  std::size_t i = 0;
  for (;;) {
    std::size_t j = specials.find(raw, i);
    out.append(raw.data() + i, (j == std::string_view::npos ? raw.size() : j) - i);
    if (j == std::string_view::npos) return;
    char c = raw[j];
    if (c == '&') {
      reference r = read_reference(raw.substr(j));
      if (r.length == 0) {  // not reached for validated input; keep the byte as it is
        out += '&';
        i = j + 1;
        continue;
      }
      append_utf8(out, r.ch);
      i = j + r.length;
      continue;
    }
    if (c == '\r' && j + 1 < raw.size() && raw[j + 1] == '\n') ++j;  // CR LF counts once
    out += kind == char_data::attribute ? ' ' : '\n';
    i = j + 1;
  }
}

const std::string_view* find_binding(const doc_state& d, const node_state* n,
                                     std::string_view prefix) {
  for (; n; n = n->parent)
    for (std::uint32_t i = n->decl_begin; i < n->decl_end; ++i)
      if (d.decls[i].prefix == prefix) return &d.decls[i].uri;
  static constexpr std::string_view xml_ns = xml_namespace;
  return prefix == "xml" ? &xml_ns : nullptr;
}

}  // namespace detail_impl

using detail_impl::doc_state;
using detail_impl::node_state;

result<document> parse(std::string_view bytes, const limits& lim) {
  if (bytes.size() > lim.max_bytes || bytes.size() >= std::numeric_limits<std::uint32_t>::max())
    return failure(errc::too_large,
                   std::to_string(bytes.size()) + " bytes, limit " + std::to_string(lim.max_bytes));
  try {
    if (std::size_t bad = detail_impl::find_bad_character(bytes); bad != std::string_view::npos)
      return failure(errc::invalid_utf8, "at byte " + std::to_string(bad));

    document doc;
    doc.s_ = std::make_unique<doc_state>();
    doc_state& d = *doc.s_;
    d.source.assign(bytes.data(), bytes.size());  // data()[size()] is the NUL RapidXML needs

    auto& scratch = detail_impl::parse_scratch::for_this_thread();
    detail_impl::scanner scan(d.source, lim, scratch);
    if (!scan.run()) return std::move(scan.error);

    auto& pool = detail_impl::thread_pool();
    detail_impl::pool_reset reset{pool};
    try {
      pool.parse<detail_impl::rx_flags>(d.source.data());
    } catch (const rapidxml::parse_error& e) {
      return failure(errc::malformed, std::string(e.what()) + " at byte " +
                                          std::to_string(e.where<char>() - d.source.data()));
    }
    detail_impl::builder build(d, scratch);
    if (!build.run(pool.first_node())) return std::move(build.error);
    return result<document>(std::move(doc));
  } catch (const std::bad_alloc&) {
    return failure(errc::too_large, "out of memory");
  }
}

// ---- document

document::document() = default;
document::document(document&&) noexcept = default;
document& document::operator=(document&&) noexcept = default;
document::~document() = default;

element document::root() const { return s_ ? element(s_.get(), s_->nodes.data()) : element(); }
std::string_view document::source() const {
  return s_ ? std::string_view(s_->source) : std::string_view();
}

// ---- element

std::string_view element::local_name() const { return n_ ? n_->local : std::string_view(); }
std::string_view element::prefix() const { return n_ ? n_->prefix : std::string_view(); }
std::string_view element::namespace_uri() const { return n_ ? n_->ns : std::string_view(); }
bool element::is(std::string_view ns, std::string_view local) const {
  return n_ && n_->local == local && n_->ns == ns;
}

element element::parent() const { return n_ && n_->parent ? element(d_, n_->parent) : element(); }

std::vector<element> element::children() const {
  std::vector<element> out;
  if (n_)
    for (const node_state* c = n_->first_child; c; c = c->next_sibling)
      out.push_back(element(d_, c));
  return out;
}

element element::first_child() const {
  return n_ && n_->first_child ? element(d_, n_->first_child) : element();
}

element element::next_sibling() const {
  return n_ && n_->next_sibling ? element(d_, n_->next_sibling) : element();
}

element element::child(std::string_view ns, std::string_view local) const {
  if (n_)
    for (const node_state* c = n_->first_child; c; c = c->next_sibling)
      if (c->local == local && c->ns == ns) return element(d_, c);
  return {};
}

element element::next_sibling(std::string_view ns, std::string_view local) const {
  if (n_)
    for (const node_state* c = n_->next_sibling; c; c = c->next_sibling)
      if (c->local == local && c->ns == ns) return element(d_, c);
  return {};
}

std::size_t element::count_children(std::string_view ns, std::string_view local) const {
  std::size_t count = 0;
  if (n_)
    for (const node_state* c = n_->first_child; c; c = c->next_sibling)
      count += c->local == local && c->ns == ns;
  return count;
}

bool element::has_element_children() const { return n_ && n_->first_child; }

std::optional<std::string> element::attribute(std::string_view ns, std::string_view local) const {
  if (!n_) return std::nullopt;
  const doc_state& d = *d_;
  for (std::uint32_t i = n_->attr_begin; i < n_->attr_end; ++i) {
    const detail_impl::attr_state& a = d.attrs[i];
    if (a.local == local && a.ns == ns) {
      std::string value;
      detail_impl::append_decoded(value, a.raw_value, detail_impl::char_data::attribute);
      return value;
    }
  }
  return std::nullopt;
}

std::vector<attribute_view> element::attributes() const {
  std::vector<attribute_view> out;
  if (!n_) return out;
  const doc_state& d = *d_;
  out.reserve(n_->attr_end - n_->attr_begin);
  for (std::uint32_t i = n_->attr_begin; i < n_->attr_end; ++i) {
    const detail_impl::attr_state& a = d.attrs[i];
    attribute_view& v = out.emplace_back();
    v.namespace_uri = a.ns;
    v.local_name = a.local;
    v.prefix = a.prefix;
    detail_impl::append_decoded(v.value, a.raw_value, detail_impl::char_data::attribute);
  }
  return out;
}

std::string element::text() const {
  std::string out;
  if (!n_) return out;
  detail_impl::content_cursor cursor(*d_, n_);
  detail_impl::content_piece p;
  while (cursor.next(p)) {
    if (p.kind == detail_impl::content_piece::text)
      detail_impl::append_decoded(out, p.raw, detail_impl::char_data::text);
    else if (p.kind == detail_impl::content_piece::cdata)
      detail_impl::append_decoded(out, p.raw, detail_impl::char_data::literal);
  }
  return out;
}

std::string_view element::text_view(std::string& storage) const {
  if (!n_) return {};
  detail_impl::content_cursor cursor(*d_, n_);
  detail_impl::content_piece p, only{};
  std::size_t runs = 0;
  while (cursor.next(p)) {
    if (p.kind != detail_impl::content_piece::text && p.kind != detail_impl::content_piece::cdata)
      continue;
    if (p.raw.empty()) continue;
    if (++runs > 1) break;
    only = p;
  }
  if (runs == 0) return {};
  if (runs == 1) {
    const detail_impl::byte_set& specials = only.kind == detail_impl::content_piece::text
                                                ? detail_impl::text_specials
                                                : detail_impl::literal_specials;
    if (specials.find(only.raw) == std::string_view::npos) return only.raw;
  }
  storage = text();
  return storage;
}

bool element::text_is_blank() const {
  if (!n_) return true;
  detail_impl::content_cursor cursor(*d_, n_);
  detail_impl::content_piece p;
  while (cursor.next(p)) {
    if (p.kind != detail_impl::content_piece::text && p.kind != detail_impl::content_piece::cdata)
      continue;
    for (std::size_t i = 0; i < p.raw.size(); ++i) {
      const char c = p.raw[i];
      if (detail_impl::is_space(c)) continue;
      if (c == '&' && p.kind == detail_impl::content_piece::text) {
        const detail_impl::reference r = detail_impl::read_reference(p.raw.substr(i));
        if (r.length != 0 && r.ch < 0x80 && detail_impl::is_space(static_cast<char>(r.ch))) {
          i += r.length - 1;
          continue;
        }
      }
      return false;
    }
  }
  return true;
}

std::optional<std::string_view> element::lookup_namespace(std::string_view prefix) const {
  if (!n_) return std::nullopt;
  if (const std::string_view* uri = detail_impl::find_binding(*d_, n_, prefix)) return *uri;
  return std::nullopt;
}

std::string_view element::raw() const {
  return n_ ? std::string_view(d_->source).substr(n_->begin, n_->end - n_->begin)
            : std::string_view();
}

std::size_t element::offset() const { return n_ ? n_->begin : 0; }

namespace {

constexpr std::string_view exc_c14n_namespace = "http://www.w3.org/2001/10/xml-exc-c14n#";

// Whether `s` is an NCName (a Name without ':'; ASCII exactly, multi-byte UTF-8 admitted as the
// parser admits it in names).
bool is_ncname(std::string_view s) {
  using detail_impl::names;
  if (s.empty() || s[0] == ':' ||
      !(names.t[static_cast<unsigned char>(s[0])] & detail_impl::name_start))
    return false;
  for (std::size_t i = 1; i < s.size(); ++i)
    if (s[i] == ':' || !(names.t[static_cast<unsigned char>(s[i])] & detail_impl::name_char))
      return false;
  return true;
}

// The prefix of a QName-looking value: `v`, less surrounding XML whitespace (xs:QName's
// whitespace facet is "collapse"), is exactly NCName ':' NCName. Empty when it is not.
std::string_view qname_value_prefix(std::string_view v) {
  std::size_t b = 0, e = v.size();
  while (b < e && detail_impl::is_space(v[b])) ++b;
  while (e > b && detail_impl::is_space(v[e - 1])) --e;
  v = v.substr(b, e - b);
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos || !is_ncname(v.substr(0, colon)) ||
      !is_ncname(v.substr(colon + 1)))
    return {};
  return v.substr(0, colon);
}

// What a leaf element's raw content can be, found without reading all of it: a byte that
// is neither XML whitespace, a name character nor ':' ends the question at once (base64 and
// most text hit '+', '/', '=', '.' or a space inside within a few bytes), unless markup or a
// reference ('<', '&') means only the decoded text can tell.
enum class leaf_shape { not_qname, maybe_qname, needs_decoding };

leaf_shape shape_of(std::string_view content) {
  using detail_impl::names;
  bool colon = false, inner_space = false, seen = false;
  for (const char c : content) {
    if (c == '<' || c == '&') return leaf_shape::needs_decoding;
    if (detail_impl::is_space(c)) {
      inner_space = seen;
      continue;
    }
    // A name character after whitespace that followed one: two tokens, not a QName.
    if (inner_space) return leaf_shape::not_qname;
    if (c == ':') {
      colon = true;
    } else if (!(names.t[static_cast<unsigned char>(c)] & detail_impl::name_char)) {
      return leaf_shape::not_qname;
    }
    seen = true;
  }
  return colon ? leaf_shape::maybe_qname : leaf_shape::not_qname;
}

}  // namespace

std::string element::lift() const {
  if (!n_) return {};
  const doc_state& d = *d_;
  // Walk the subtree in document order, keeping the prefixes declared inside it along the
  // current path; a prefix used where no such declaration is in scope comes from outside.
  // Uses: element and attribute name prefixes; the prefix of an attribute value or of a leaf
  // element's text that is a QName (NCName:NCName); and, from outside whatever the subtree
  // redeclares below its top, every prefix of an exc-c14n InclusiveNamespaces PrefixList.
  std::vector<std::string_view> declared;
  std::vector<std::size_t> marks;
  std::vector<detail_impl::ns_binding> carried;
  std::string scratch;   // a value or text that needed decoding (rare)
  declared.reserve(16);  // one block each for a typical token (grown when deeper or wider)
  marks.reserve(16);
  // The prefix last settled (declared inside or carried): most elements use their parent's.
  // Forgotten whenever a declaration goes out of scope.
  std::string_view settled;
  bool have_settled = false;
  // Carries the binding of `prefix` in scope above the subtree, if any. `prefix` may be a
  // view into `scratch`: what is kept is the declaration's own views into the document.
  auto carry = [&](std::string_view prefix) {
    using detail_impl::same;
    for (const auto& c : carried)
      if (same(c.prefix, prefix)) return;
    for (const node_state* a = n_->parent; a; a = a->parent)
      for (std::uint32_t i = a->decl_begin; i < a->decl_end; ++i)
        if (same(d.decls[i].prefix, prefix)) {
          if (!(prefix.empty() && d.decls[i].uri.empty())) carried.push_back(d.decls[i]);
          return;
        }
  };
  // A use inside the subtree, at the current element.
  auto use_here = [&](std::string_view prefix) {
    using detail_impl::same;
    if (same(prefix, "xml")) return;
    for (auto it = declared.rbegin(); it != declared.rend(); ++it)
      if (same(*it, prefix)) return;
    carry(prefix);
  };
  // use_here() for a name's prefix (a stable view), skipping the common repeat.
  auto use = [&](std::string_view prefix) {
    if (have_settled && detail_impl::same(prefix, settled)) return;
    settled = prefix;
    have_settled = true;
    use_here(prefix);
  };
  // A PrefixList names bindings that exc-c14n renders wherever they are in scope, the top of
  // the signed subtree included: an outer binding is needed unless the top redeclares it.
  auto use_at_top = [&](std::string_view prefix) {
    if (detail_impl::same(prefix, "xml")) return;
    for (std::uint32_t i = n_->decl_begin; i < n_->decl_end; ++i)
      if (detail_impl::same(d.decls[i].prefix, prefix)) return;
    carry(prefix);
  };
  // `scratch` may hold text of a secret-bearing token: wiped before reuse and at the end.
  auto wipe_scratch = [&] {
    if (!scratch.empty()) explicit_bzero(scratch.data(), scratch.size());
    scratch.clear();
  };
  auto value_of = [&](std::string_view raw, detail_impl::char_data kind) -> std::string_view {
    if (raw.find('&') == std::string_view::npos) return raw;
    wipe_scratch();
    detail_impl::append_decoded(scratch, raw, kind);
    return scratch;
  };
  const node_state* e = n_;
  for (;;) {
    marks.push_back(declared.size());
    for (std::uint32_t i = e->decl_begin; i < e->decl_end; ++i)
      declared.push_back(d.decls[i].prefix);
    use(e->prefix);
    for (std::uint32_t i = e->attr_begin; i < e->attr_end; ++i) {
      const detail_impl::attr_state& a = d.attrs[i];
      if (!a.prefix.empty()) use(a.prefix);
      if (a.raw_value.find_first_of(":&") == std::string_view::npos) continue;
      std::string_view p =
          qname_value_prefix(value_of(a.raw_value, detail_impl::char_data::attribute));
      if (!p.empty()) use_here(p);
    }
    if (detail_impl::same(e->local, "InclusiveNamespaces") && e->ns == exc_c14n_namespace) {
      for (std::uint32_t i = e->attr_begin; i < e->attr_end; ++i) {
        const detail_impl::attr_state& a = d.attrs[i];
        if (!a.prefix.empty() || !detail_impl::same(a.local, "PrefixList")) continue;
        std::string_view list = value_of(a.raw_value, detail_impl::char_data::attribute);
        std::size_t pos = 0;
        while (pos < list.size()) {
          if (detail_impl::is_space(list[pos])) {
            ++pos;
            continue;
          }
          std::size_t stop = pos;
          while (stop < list.size() && !detail_impl::is_space(list[stop])) ++stop;
          const std::string_view token = list.substr(pos, stop - pos);
          if (token == "#default")
            use_at_top("");
          else if (is_ncname(token))
            use_at_top(token);
          pos = stop;
        }
      }
    }
    if (e->first_child) {
      e = e->first_child;
      continue;
    }
    // A leaf: its text may be a QName (a SOAP fault code). Comments, CDATA or references in
    // it take the decoding path.
    const std::string_view content =
        std::string_view(d.source).substr(e->open_end, e->close_begin - e->open_end);
    const leaf_shape shape = shape_of(content);
    if (shape != leaf_shape::not_qname) {
      std::string_view text = content;
      if (shape == leaf_shape::needs_decoding) {
        wipe_scratch();
        scratch = element(d_, e).text();
        text = scratch;
      }
      std::string_view p = qname_value_prefix(text);
      if (!p.empty()) use_here(p);
    }
    for (;;) {
      if (declared.size() != marks.back()) {
        declared.resize(marks.back());
        have_settled = false;
      }
      marks.pop_back();
      if (e == n_) goto done;
      if (e->next_sibling) {
        e = e->next_sibling;
        break;
      }
      e = e->parent;
    }
  }
done:
  wipe_scratch();
  std::string_view raw = this->raw();
  if (carried.empty()) return std::string(raw);
  std::sort(carried.begin(), carried.end(),
            [](const auto& a, const auto& b) { return a.prefix < b.prefix; });
  std::string out;
  out.reserve(raw.size() + 64 * carried.size());
  const std::size_t name_end = 1 + n_->qname(d.source).size();
  out.append(raw.substr(0, name_end));
  for (const auto& c : carried) {
    out += c.prefix.empty() ? " xmlns" : " xmlns:";
    out += c.prefix;
    out += "=\"";
    escape_attribute(out, c.uri);
    out += '"';
  }
  out.append(raw.substr(name_end));
  return out;
}

}  // namespace wst::detail::xml
