// Namespace-aware, limit-checked XML reading over RapidXML.
//
// parse() copies the input, checks its characters and enforces every limit in an iterative
// pre-scan *before* RapidXML sees it (RapidXML recurses once per nesting level), lets RapidXML
// build the element tree, then builds an immutable document from it. Elements are cheap
// handles into the document; names are resolved to (namespace URI, local name) through the
// in-scope declarations, the default namespace and the implicit `xml` prefix.
//
// Every element remembers its byte range in the original input, so a subtree (for example an
// issued SAML assertion whose signature must keep verifying) can be taken out byte for byte
// with raw(), or with lift(), which also carries onto it the namespace declarations it uses
// from its ancestors.
#pragma once

#include <wst/base/result.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace wst::detail::xml {

// Every way a document can be refused. Each value is fatal for that input (not retryable).
enum class errc {
  too_large = 1,        // input longer than limits::max_bytes
  too_deep,             // element nesting deeper than limits::max_depth
  too_many_attributes,  // one element carries more than limits::max_attributes
  too_many_namespaces,  // more namespace declarations in scope than limits::max_namespaces
  too_many_nodes,       // more elements/text nodes in total than limits::max_nodes
  duplicate_attribute,  // the same attribute (by expanded name or by qname) twice
  undeclared_prefix,    // an element or attribute prefix with no declaration in scope
  malformed,            // not well-formed XML (the failure text names the construct and byte)
  doctype_not_allowed,  // DOCTYPE / entity declarations (entity expansion tricks)
  invalid_utf8,         // bytes that are not UTF-8, or characters XML forbids
  bad_reference,        // unknown entity or bad character reference (&foo; &#0;)
  mismatched_tag,       // an end tag that does not close the open element
  empty_document,       // no root element
};
const std::error_category& category() noexcept;
std::error_code make_error_code(errc e) noexcept;

struct limits {
  std::size_t max_bytes = 65536;
  // RapidXML recurses once per level: values above max_supported_depth act as that value.
  std::size_t max_depth = 32;
  std::size_t max_attributes = 128;  // per element, namespace declarations included
  std::size_t max_namespaces = 64;   // declarations in scope at any element
  std::size_t max_nodes = 100000;    // elements, text runs, CDATA, comments and PIs in total
};

// The deepest nesting parse() ever admits, whatever limits::max_depth says.
inline constexpr std::size_t max_supported_depth = 1024;

class document;
namespace detail_impl {
struct doc_state;
struct node_state;
}  // namespace detail_impl

// A namespace-qualified attribute of an element (namespace declarations excluded).
struct attribute_view {
  std::string_view namespace_uri;  // empty for unprefixed attributes
  std::string_view local_name;
  std::string_view prefix;
  std::string value;  // entity references decoded
};

// A handle to one element of a document; valid while the document (or the document it was
// moved into) lives. A default-constructed (null) element is false; lookups on a null element
// return null / empty.
class element {
 public:
  element() = default;
  explicit operator bool() const noexcept { return n_ != nullptr; }

  std::string_view local_name() const;
  std::string_view prefix() const;         // empty when unprefixed
  std::string_view namespace_uri() const;  // resolved; empty for no namespace
  bool is(std::string_view ns, std::string_view local) const;

  element parent() const;
  // Element children in document order (text, comments, PIs skipped).
  std::vector<element> children() const;
  // The same children one at a time, without building a vector: the first element child and
  // the next element sibling, whatever their names; null at the end.
  element first_child() const;
  element next_sibling() const;
  // The first / next element child with this expanded name; null if none.
  element child(std::string_view ns, std::string_view local) const;
  element next_sibling(std::string_view ns, std::string_view local) const;
  // How many element children carry this expanded name (to reject duplicates).
  std::size_t count_children(std::string_view ns, std::string_view local) const;
  bool has_element_children() const;

  // Attribute value (entities decoded) by expanded name; unprefixed attributes have ns "".
  std::optional<std::string> attribute(std::string_view ns, std::string_view local) const;
  std::vector<attribute_view> attributes() const;

  // Concatenated character data of the direct text and CDATA children, entities decoded.
  std::string text() const;
  // text() without a copy where possible: a view into the document when the content is one
  // run of character data that needs no decoding (no reference, no CR), otherwise text()
  // stored in `storage` (which the caller wipes if the text is secret). Valid while the
  // document and `storage` live.
  std::string_view text_view(std::string& storage) const;
  // Whether text() is empty or XML whitespace only (space, tab, CR, LF), without building it.
  bool text_is_blank() const;

  // The namespace URI bound to `prefix` at this element ("" = the default namespace);
  // nullopt when undeclared. For QName-valued content such as SOAP fault codes.
  std::optional<std::string_view> lookup_namespace(std::string_view prefix) const;

  // The element's exact bytes in the original input, start tag to end tag inclusive.
  std::string_view raw() const;
  std::size_t offset() const;  // byte offset of '<' in the original input
  // raw(), with every namespace declaration that the subtree uses but inherits from an
  // ancestor added to its start tag (after the name, sorted by prefix), so the result is a
  // standalone document with the same meaning. Nothing else changes. Uses: element and
  // attribute prefixes; the prefix P of an attribute value, or of a leaf element's text, that
  // is exactly P:local (two NCNames, surrounding whitespace allowed), such as
  // xsi:type="xs:string" or a SOAP fault code; every prefix ("#default": the default
  // namespace) of the PrefixList of an exc-c14n InclusiveNamespaces element, whose outer
  // binding is carried unless the top element itself redeclares it. A prefix declared inside
  // the subtree where it is used, an undeclared prefix and `xml` are never carried. Every
  // carried declaration was in scope at the top already, so no element's in-scope namespaces
  // change and exclusive c14n of any part of the subtree, with any PrefixList, is unchanged.
  std::string lift() const;

  bool operator==(const element& o) const noexcept { return n_ == o.n_; }
  bool operator!=(const element& o) const noexcept { return n_ != o.n_; }

 private:
  friend class document;
  friend struct detail_impl::doc_state;
  element(const detail_impl::doc_state* d, const detail_impl::node_state* n) : d_(d), n_(n) {}
  const detail_impl::doc_state* d_ = nullptr;  // owned by the document, stable across moves
  const detail_impl::node_state* n_ = nullptr;
};

class document {
 public:
  document(document&&) noexcept;
  document& operator=(document&&) noexcept;
  ~document();

  element root() const;
  std::string_view source() const;  // the original input bytes, unmodified

 private:
  friend result<document> parse(std::string_view, const limits&);
  friend class element;
  friend struct detail_impl::doc_state;
  document();
  std::unique_ptr<detail_impl::doc_state> s_;
};

// Parses a complete document. A leading UTF-8 BOM and an XML declaration are accepted;
// DOCTYPE is refused. Limits are enforced before RapidXML runs.
result<document> parse(std::string_view bytes, const limits& lim = {});

}  // namespace wst::detail::xml

namespace std {
template <>
struct is_error_code_enum<wst::detail::xml::errc> : true_type {};
}  // namespace std
