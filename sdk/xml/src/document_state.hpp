// What a parsed document holds, shared by reader.cpp and c14n.cpp (private to sdk/xml).
//
// The document owns a copy of the input. Every name, value and namespace URI is a view into
// that copy, except namespace URIs that contained character references, which are decoded once
// into `decoded_uris`. Elements live in one vector in document order, linked to their parent,
// first element child and next element sibling, and remember four offsets into the source:
//
//   <p:e a="1">text<c/>more</p:e>
//   ^begin     ^open_end   ^close_begin ^end      (for <e/>: open_end == close_begin == end)
//
// Character data, CDATA sections, comments and processing instructions are not stored: they
// are read back from the source between the children's byte ranges (content_cursor), which
// keeps whitespace-only text exactly as it was (RapidXML drops it).
#pragma once

#include <wst/xml/reader.hpp>

#include <cstdint>
#include <cstring>
#include <forward_list>
#include <string>
#include <string_view>
#include <vector>

namespace wst::detail::xml::detail_impl {

inline constexpr std::string_view xml_namespace = "http://www.w3.org/XML/1998/namespace";
inline constexpr std::string_view xmlns_namespace = "http://www.w3.org/2000/xmlns/";

// One namespace declaration: xmlns:prefix="uri" (prefix "" for xmlns="uri").
struct ns_binding {
  ns_binding() = default;
  ns_binding(std::string_view prefix, std::string_view uri) : prefix(prefix), uri(uri) {}

  std::string_view prefix;
  std::string_view uri;  // decoded; "" only for an un-declared default namespace (xmlns="")
};

// One attribute other than a namespace declaration.
struct attr_state {
  attr_state() = default;
  attr_state(std::string_view prefix, std::string_view local, std::string_view ns,
             std::string_view raw_value)
      : prefix(prefix), local(local), ns(ns), raw_value(raw_value) {}

  std::string_view prefix;
  std::string_view local;
  std::string_view ns;         // resolved; "" for unprefixed attributes
  std::string_view raw_value;  // between the quotes, references not decoded
};

struct node_state {
  node_state() = default;
  // An element whose start tag spans [begin, open_end), not linked, resolved or closed yet.
  node_state(std::uint32_t begin, std::uint32_t open_end, std::string_view prefix,
             std::string_view local)
      : prefix(prefix),
        local(local),
        begin(begin),
        open_end(open_end),
        close_begin(open_end),
        end(open_end) {}

  const node_state* parent = nullptr;
  const node_state* first_child = nullptr;
  const node_state* next_sibling = nullptr;
  std::string_view prefix;
  std::string_view local;
  std::string_view ns;
  std::uint32_t begin = 0, open_end = 0, close_begin = 0, end = 0;
  std::uint32_t attr_begin = 0, attr_end = 0;  // [attr_begin, attr_end) in doc_state::attrs
  std::uint32_t decl_begin = 0, decl_end = 0;  // [decl_begin, decl_end) in doc_state::decls

  std::string_view qname(std::string_view source) const {
    return source.substr(begin + 1,
                         prefix.empty() ? local.size() : prefix.size() + 1 + local.size());
  }
};

struct doc_state {
  std::string source;             // the input, byte for byte
  std::vector<node_state> nodes;  // document order; nodes[0] is the root element
  std::vector<attr_state> attrs;
  std::vector<ns_binding> decls;
  std::forward_list<std::string> decoded_uris;  // empty (no allocation) in most documents

  doc_state() = default;
  doc_state(const doc_state&) = delete;
  doc_state& operator=(const doc_state&) = delete;
  // The source may carry secrets (an RSTR's BinarySecret entropy or key): wiped at the end.
  ~doc_state() {
    if (!source.empty()) explicit_bzero(source.data(), source.size());
  }

  // Bridges for c14n.cpp (doc_state is a friend of element and document).
  static element make_element(const doc_state* d, const node_state* n) { return element(d, n); }
  static const node_state* state_of(const element& e) { return e.n_; }
  static const doc_state* document_of(const element& e) { return e.d_; }
  static const doc_state* of(const document& d) { return d.s_.get(); }
};

// How character data found in the source is turned into its value.
enum class char_data {
  text,       // references decoded, line ends normalized (CR LF and lone CR become LF)
  attribute,  // as text, then literal tab, LF and CR become a space (XML 1.0 section 3.3.3)
  literal,    // CDATA sections and PI data: line ends normalized only
};

// Appends `raw` (as it appears in the source, already validated by the parser) decoded.
void append_decoded(std::string& out, std::string_view raw, char_data kind);

// The namespace URI bound to `prefix` at `n` ("" prefix: the default namespace); nullptr when
// undeclared. The implicit xml prefix is bound everywhere.
const std::string_view* find_binding(const doc_state& d, const node_state* n,
                                     std::string_view prefix);

// One piece of an element's content, in document order.
struct content_piece {
  enum kind_t { text, cdata, comment, pi, child } kind;
  std::string_view raw;       // text: undecoded; cdata: between the brackets; pi: the data
  std::string_view target;    // pi only
  const node_state* element;  // child only
};

// Walks an element's content (or, with a null element, the top level of the document, where
// whitespace, the XML declaration and comments are skipped and only PIs and the root appear).
class content_cursor {
 public:
  content_cursor(const doc_state& d, const node_state* e)
      : src_(d.source),
        pos_(e ? e->open_end : 0),
        stop_(e ? e->close_begin : static_cast<std::uint32_t>(d.source.size())),
        next_child_(e ? e->first_child : d.nodes.data()),
        top_level_(e == nullptr) {}

  // The next piece, or false at the end of the content.
  bool next(content_piece& p) {
    while (pos_ < stop_) {
      if (next_child_ && pos_ == next_child_->begin) {
        p = {content_piece::child, {}, {}, next_child_};
        pos_ = next_child_->end;
        next_child_ = top_level_ ? nullptr : next_child_->next_sibling;
        return true;
      }
      std::uint32_t limit = next_child_ ? next_child_->begin : stop_;
      std::string_view rest = src_.substr(pos_, limit - pos_);
      if (rest[0] != '<') {
        std::size_t n = rest.find('<');
        if (n == std::string_view::npos) n = rest.size();
        pos_ += static_cast<std::uint32_t>(n);
        if (top_level_) continue;  // whitespace (or a BOM) outside the root
        p = {content_piece::text, rest.substr(0, n), {}, nullptr};
        return true;
      }
      if (rest.compare(0, 9, "<![CDATA[") == 0) {
        std::string_view body = take(rest, 9, "]]>");
        p = {content_piece::cdata, body, {}, nullptr};
        return true;
      }
      if (rest.compare(0, 4, "<!--") == 0) {
        std::string_view body = take(rest, 4, "-->");
        if (top_level_) continue;
        p = {content_piece::comment, body, {}, nullptr};
        return true;
      }
      // "<?target data?>" (the parser admits nothing else here)
      std::string_view body = take(rest, 2, "?>");
      std::size_t t = body.find_first_of(" \t\r\n");
      std::string_view target = body.substr(0, t);
      std::string_view data;
      if (t != std::string_view::npos) {
        std::size_t d = body.find_first_not_of(" \t\r\n", t);
        if (d != std::string_view::npos) data = body.substr(d);
      }
      if (top_level_ && target == "xml") continue;  // the XML declaration
      p = {content_piece::pi, data, target, nullptr};
      return true;
    }
    return false;
  }

  // Whether the root element has been passed (top level only: PIs before and after the root
  // are rendered differently by c14n).
  bool after_root() const { return top_level_ && next_child_ == nullptr; }

 private:
  // Consumes rest[0, end of `close`) and returns what lies between the opener (`open` bytes)
  // and `close`. The parser has validated the source, so `close` is always there; should it
  // not be, the rest of the range is consumed.
  std::string_view take(std::string_view rest, std::size_t open, std::string_view close) {
    std::size_t n = rest.find(close, open);
    if (n == std::string_view::npos) {
      pos_ += static_cast<std::uint32_t>(rest.size());
      return rest.substr(open < rest.size() ? open : rest.size());
    }
    pos_ += static_cast<std::uint32_t>(n + close.size());
    return rest.substr(open, n - open);
  }

  std::string_view src_;
  std::uint32_t pos_;
  std::uint32_t stop_;
  const node_state* next_child_;
  bool top_level_;
};

}  // namespace wst::detail::xml::detail_impl
