// Exclusive XML Canonicalization 1.0 (https://www.w3.org/TR/xml-exc-c14n/), without
// comments, of an element subtree, as XML Signature's exc-c14n transform needs it.
//
// The output follows Canonical XML 1.0 (https://www.w3.org/TR/xml-c14n) for everything but the
// namespace axis: UTF-8, no XML declaration, line ends already LF, attribute values normalized
// and quoted with ", empty elements as start/end tag pairs, attributes sorted by (namespace
// URI, local name), namespace declarations sorted by prefix, text escaped as &amp; &lt; &gt;
// &#xD;, attribute values as &amp; &lt; &quot; &#x9; &#xA; &#xD;, comments dropped, processing
// instructions kept. A namespace declaration is rendered on an output element only where that
// element or one of its output attributes visibly uses the prefix (or, for prefixes in the
// InclusiveNamespaces PrefixList, wherever it is in scope) and the nearest output ancestor
// did not already render the same binding; xmlns="" appears where an unprefixed element would
// otherwise inherit a rendered non-empty default namespace. xml:* attributes of ancestors are
// never imported.
#pragma once

#include <wst/base/result.hpp>
#include <wst/xml/reader.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wst::detail::xml {

struct c14n_options {
  // InclusiveNamespaces PrefixList: prefixes treated as in inclusive c14n ("#default" for
  // the default namespace).
  std::vector<std::string> inclusive_prefixes;
  // A descendant subtree left out of the output (the enveloped-signature transform passes
  // the ds:Signature element here). Null: nothing excluded.
  element exclude;
};

// Canonical form of `root` and its descendants, as octets (UTF-8).
result<std::string> exclusive_c14n(const element& root, const c14n_options& opts = {});

// ---- Document subsets (XPath node-sets)

// The kinds of node of the XPath data model a document subset is made of. Comments never
// appear: this is c14n without comments.
enum class node_kind {
  element,
  attribute,       // namespace declarations are namespace nodes, not attributes
  namespace_node,  // one in-scope binding of an element: (prefix, namespace_uri)
  text,            // one run of character data or one CDATA section
  processing_instruction,
};

// A node as the subset predicate sees it. Views are valid during the call only.
struct node_ref {
  node_kind kind;
  // element: the node itself. Other kinds: the element that owns the attribute or namespace
  // node, or the parent of the text or PI (null for a PI outside the root element).
  element el;
  std::string_view prefix;         // attribute or namespace node prefix ("" = default namespace)
  std::string_view local_name;     // attribute local name; PI target
  std::string_view namespace_uri;  // attribute: its namespace; namespace node: the bound URI
  std::string_view value;          // attribute value, character data or PI data, decoded
};

// True when the node belongs to the subset.
using node_predicate = std::function<bool(const node_ref&)>;

// Canonical form of the subset of `doc` selected by `in_subset` (the XPath node-set input of
// XML Signature), with the same rules as above. Subset semantics follow the W3C
// recommendations: the namespace axis and attributes of an element outside the subset are
// still visited (an InclusiveNamespaces prefix bound on it, or an attribute of it, may be
// output on its own), text and PIs in the subset are output wherever they are, and an element
// in the subset is output even when its parent is not. The predicate is asked only about the
// nodes canonicalization needs: every element, text run, PI and attribute, but only the
// namespace nodes that could be rendered (prefixes an element or its attributes use, and the
// PrefixList ones); an un-declared default namespace (xmlns="") is treated as absent rather
// than asked about. `opts.exclude` removes a subtree on top of the predicate.
result<std::string> exclusive_c14n(const document& doc, const node_predicate& in_subset,
                                   const c14n_options& opts = {});

}  // namespace wst::detail::xml
