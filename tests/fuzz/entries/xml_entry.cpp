// Fuzz entry for sdk/xml: parse, walk, lift, canonicalize (see entries.hpp).
#include "entries.hpp"
#include "text_checks.hpp"

#include <wst/xml/c14n.hpp>
#include <wst/xml/reader.hpp>

#include <string>
#include <vector>

namespace wst::fuzz {

namespace {

namespace x = wst::detail::xml;

constexpr const char* entry = "xml";

void check(bool ok, const std::string& what) {
  if (!ok) violated(entry, what);
}

std::string name_of(const x::element& e) {
  return "{" + std::string(e.namespace_uri()) + "}" + std::string(e.local_name());
}

// Limits for re-parsing what the library produced from an accepted document: lift() adds
// the inherited declarations to the root, c14n may repeat one on every element that uses it
// and spells out empty elements and character references, so only depth stays as it was.
x::limits reparse_limits(std::size_t size) {
  x::limits l;
  l.max_bytes = size;
  l.max_attributes += l.max_namespaces;
  return l;
}

// Element names, namespaces, attributes (by expanded name) and text of two subtrees agree.
// `budget` bounds the elements compared per input so that lifting every element of a large
// document stays roughly linear.
bool same_subtree(const x::element& a, const x::element& b, std::size_t& budget, std::string& why) {
  if (budget == 0) return true;
  --budget;
  if (a.namespace_uri() != b.namespace_uri() || a.local_name() != b.local_name()) {
    why = name_of(a) + " became " + name_of(b);
    return false;
  }
  const auto aa = a.attributes(), ba = b.attributes();
  if (aa.size() != ba.size()) {
    why = name_of(a) + ": attribute count changed";
    return false;
  }
  for (std::size_t i = 0; i < aa.size(); ++i) {
    if (aa[i].namespace_uri != ba[i].namespace_uri || aa[i].local_name != ba[i].local_name ||
        aa[i].value != ba[i].value) {
      why = name_of(a) + ": attribute " + std::string(aa[i].local_name) + " changed";
      return false;
    }
  }
  if (a.text() != b.text()) {
    why = name_of(a) + ": text changed";
    return false;
  }
  const auto ac = a.children(), bc = b.children();
  if (ac.size() != bc.size()) {
    why = name_of(a) + ": child count changed";
    return false;
  }
  for (std::size_t i = 0; i < ac.size(); ++i)
    if (!same_subtree(ac[i], bc[i], budget, why)) return false;
  return true;
}

void walk(const x::document& doc, const x::element& e, std::size_t& budget) {
  const std::string_view src = doc.source();
  const std::string name = name_of(e);

  check(!e.local_name().empty(), "element without a local name at byte " + std::to_string(e.offset()));
  const std::string_view raw = e.raw();
  check(raw.size() >= 3 && raw.front() == '<' && raw.back() == '>' && e.offset() <= src.size() &&
            src.substr(e.offset(), raw.size()) == raw,
        name + ": raw() is not the source range at offset()");
  check(e.is(e.namespace_uri(), e.local_name()), name + ": is() disagrees with its own name");

  const auto bound = e.lookup_namespace(e.prefix());
  if (!e.prefix().empty() && e.prefix() != "xml")
    check(bound && *bound == e.namespace_uri(), name + ": prefix lookup disagrees with namespace_uri()");
  if (e.prefix().empty())
    check(bound.value_or(std::string_view()) == e.namespace_uri(),
          name + ": default namespace lookup disagrees with namespace_uri()");

  for (const auto& a : e.attributes()) {
    check(!a.local_name.empty(), name + ": attribute without a local name");
    check(is_xml_text(a.value), name + ": attribute " + std::string(a.local_name) +
                                    " decodes to bytes that are not XML characters in UTF-8");
    const auto v = e.attribute(a.namespace_uri, a.local_name);
    check(v && *v == a.value, name + ": attribute(" + std::string(a.local_name) +
                                  ") disagrees with attributes()");
  }
  check(is_xml_text(e.text()), name + ": text decodes to bytes that are not XML characters in UTF-8");

  const auto kids = e.children();
  check(kids.empty() != e.has_element_children(), name + ": has_element_children() disagrees with children()");
  for (const auto& k : kids) {
    check(k.parent() == e, name_of(k) + ": parent() is not the element it is a child of");
    const x::element first = e.child(k.namespace_uri(), k.local_name());
    check(first && first.offset() <= k.offset(), name_of(k) + ": child() misses it");
    check(e.count_children(k.namespace_uri(), k.local_name()) >= 1, name_of(k) + ": count_children() is 0");
    const x::element next = k.next_sibling(k.namespace_uri(), k.local_name());
    check(!next || next.offset() > k.offset(), name_of(k) + ": next_sibling() goes backwards");
  }

  const std::string lifted = e.lift();
  if (!e.parent()) check(lifted == raw, "lift() of the root element is not its raw bytes");
  auto again = x::parse(lifted, reparse_limits(lifted.size()));
  if (!again) violated(entry, name + ": lift() output does not parse: " + again.error().describe());
  std::string why;
  check(same_subtree(e, again->root(), budget, why), "lift() of " + name + " changed its meaning: " + why);

  for (const auto& k : kids) walk(doc, k, budget);
}

void canonicalize(const x::document& doc) {
  auto c = x::exclusive_c14n(doc.root());
  if (!c) violated(entry, "exclusive_c14n of an accepted document failed: " + c.error().describe());
  check(c->find('\r') == std::string::npos, "c14n output holds a raw CR");
  check(is_xml_text(*c), "c14n output is not XML characters in UTF-8");
  auto again = x::parse(*c, reparse_limits(c->size()));
  if (!again) violated(entry, "c14n output does not parse: " + again.error().describe());
  auto twice = x::exclusive_c14n(again->root());
  if (!twice) violated(entry, "c14n of c14n output failed: " + twice.error().describe());
  check(*twice == *c, "c14n is not idempotent:\n" + *c + "\n---\n" + *twice);
}

}  // namespace

bool xml(std::string_view input) {
  auto doc = x::parse(input);
  if (!doc) {
    check(doc.error().code.category() == x::category(), "parse failed with a foreign error code");
    return false;
  }
  std::string_view body = input;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  check(is_xml_text(body), "parse accepted bytes that are not XML characters in UTF-8");
  check(doc->source() == input, "source() is not the input");
  const x::element root = doc->root();
  check(bool(root) && !root.parent(), "an accepted document has no root element");
  std::size_t budget = 20000;
  walk(*doc, root, budget);
  canonicalize(*doc);
  return true;
}

}  // namespace wst::fuzz
