// Exclusive XML Canonicalization 1.0 (https://www.w3.org/TR/xml-exc-c14n/), without
// comments, of an element subtree, as XML Signature's exc-c14n transform needs it.
#pragma once

#include <wst/base/result.hpp>
#include <wst/xml/reader.hpp>

#include <string>
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

}  // namespace wst::detail::xml
