// Exclusive XML Canonicalization 1.0 without comments, over the tables of document_state.hpp.
//
// The walk is iterative (one frame per open element), so document depth never becomes stack
// depth. Namespace rendering keeps a stack of the bindings each output element rendered or
// visibly used (`rendered_`), the model libxml2 uses and the W3C vectors were produced with:
//  - a prefix an output element (or one of its output attributes) uses is rendered unless the
//    nearest entry for that prefix on the stack has the same URI and its namespace node was in
//    the subset; with no entry, only the empty default counts as already rendered;
//  - a PrefixList prefix in scope is rendered unless the nearest output ancestor's own entries
//    (`window_` onwards) hold the same binding, as in inclusive c14n; this also happens for an
//    element outside the subset, whose namespace node is then output on its own;
//  - xmlns="" is rendered on an output element that uses the empty default namespace (or on
//    any output element when #default is in the PrefixList) when a non-empty default is the
//    nearest one on the stack.
#include "byte_set.hpp"
#include "document_state.hpp"

#include <wst/xml/c14n.hpp>

#include <algorithm>
#include <new>

namespace wst::detail::xml {
namespace {

using detail_impl::attr_state;
using detail_impl::char_data;
using detail_impl::content_cursor;
using detail_impl::content_piece;
using detail_impl::doc_state;
using detail_impl::node_state;

constexpr detail_impl::byte_set text_specials("&<>\r"), value_specials("&<\"\t\n\r");
constexpr detail_impl::byte_set decoded_in_text("&\r"), decoded_in_literal("\r");

void escape_text(std::string& out, std::string_view s) { detail_impl::append_escaped(out, s, text_specials); }
void escape_value(std::string& out, std::string_view s) { detail_impl::append_escaped(out, s, value_specials); }

class canonicalizer {
 public:
  canonicalizer(const doc_state& d, const c14n_options& opts, const node_predicate* pred,
                std::string& out)
      : d_(d), pred_(pred), out_(out), exclude_(doc_state::state_of(opts.exclude)) {
    for (const std::string& p : opts.inclusive_prefixes) {
      if (p == "#default")
        default_inclusive_ = true;
      else if (p != "xml" && !p.empty())
        inclusive_.push_back(p);
    }
  }

  // The subtree of `root`, every node of it in the subset (unless a predicate says otherwise).
  void subtree(const node_state* root) {
    std::vector<const node_state*> ancestors;
    for (const node_state* a = root->parent; a; a = a->parent) ancestors.push_back(a);
    for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it)
      for (std::uint32_t i = (*it)->decl_begin; i < (*it)->decl_end; ++i)
        scope_.push_back(d_.decls[i]);
    if (root != exclude_) {
      open(root);
      drain();
    }
  }

  // The whole document: PIs around the root (C14N separates them from it with a LF), the root.
  void whole_document() {
    content_cursor top(d_, nullptr);
    content_piece p;
    while (top.next(p)) {
      if (p.kind == content_piece::child) {
        if (p.element != exclude_) {
          open(p.element);
          drain();
        }
      } else if (p.kind == content_piece::pi && pi_in_subset(nullptr, p)) {
        const bool after = top.after_root();
        if (after) out_ += '\n';
        append_pi(p);
        if (!after) out_ += '\n';
      }
    }
  }

 private:
  struct binding {
    std::string_view prefix;
    std::string_view uri;
    bool in_subset;  // whether its namespace node was in the subset where it was recorded
  };
  struct frame {
    const node_state* e;
    bool visible;
    std::size_t rendered_mark;
    std::size_t scope_mark;
    std::size_t saved_window;
    content_cursor cursor;
  };
  struct output_attribute {
    const attr_state* a;
    std::size_t value_begin, value_size;  // in values_
  };

  element handle(const node_state* e) const { return doc_state::make_element(&d_, e); }
  bool in_subset(const node_ref& n) const { return !pred_ || (*pred_)(n); }
  bool ns_in_subset(const node_state* e, std::string_view prefix, std::string_view uri) const {
    return !pred_ || (*pred_)(node_ref{node_kind::namespace_node, handle(e), prefix, {}, uri, {}});
  }

  const std::string_view* lookup(std::string_view prefix) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it)
      if (it->prefix == prefix) return &it->uri;
    return nullptr;
  }
  bool rendered_exclusive(std::string_view prefix, std::string_view uri) const {
    for (auto it = rendered_.rbegin(); it != rendered_.rend(); ++it)
      if (it->prefix == prefix) return it->uri == uri && it->in_subset;
    return uri.empty();
  }
  bool rendered_inclusive(std::string_view prefix, std::string_view uri) const {
    for (std::size_t i = rendered_.size(); i-- > window_;)
      if (rendered_[i].prefix == prefix) return rendered_[i].uri == uri;
    return uri.empty();
  }
  void render(std::string_view prefix, std::string_view uri) {
    for (const auto& o : ns_out_)
      if (o.prefix == prefix) return;
    ns_out_.push_back({prefix, uri, true});
  }

  // A PrefixList binding in scope at e (PrefixList semantics: inclusive c14n).
  void inclusive_binding(const node_state* e, bool visible, std::string_view prefix,
                         bool& has_default) {
    const std::string_view* uri = lookup(prefix);
    if (!uri || uri->empty() || !ns_in_subset(e, prefix, *uri)) return;
    const bool done = rendered_inclusive(prefix, *uri);
    if (visible) rendered_.push_back({prefix, *uri, true});
    if (!done) render(prefix, *uri);
    if (prefix.empty()) has_default = true;
  }

  // A binding e or one of its output attributes uses (exclusive c14n).
  void used_binding(const node_state* e, std::string_view prefix, std::string_view uri) {
    const bool in = ns_in_subset(e, prefix, uri);
    if (in && !rendered_exclusive(prefix, uri)) render(prefix, uri);
    rendered_.push_back({prefix, uri, in});
  }

  void open(const node_state* e) {
    const bool visible = in_subset(node_ref{node_kind::element, handle(e), {}, {}, {}, {}});
    const std::size_t rendered_mark = rendered_.size(), scope_mark = scope_.size();
    for (std::uint32_t i = e->decl_begin; i < e->decl_end; ++i) scope_.push_back(d_.decls[i]);
    ns_out_.clear();
    attrs_.clear();
    values_.clear();

    bool has_default = false;
    if (default_inclusive_) inclusive_binding(e, visible, {}, has_default);
    for (std::string_view p : inclusive_) inclusive_binding(e, visible, p, has_default);

    bool uses_empty_default = false;
    if (visible && e->prefix != "xml") {
      if (!e->prefix.empty() || !e->ns.empty()) {
        used_binding(e, e->prefix, e->ns);
        has_default |= e->prefix.empty();
      } else {
        uses_empty_default = true;
      }
    }
    for (std::uint32_t i = e->attr_begin; i < e->attr_end; ++i) {
      const attr_state& a = d_.attrs[i];
      const std::size_t begin = values_.size();
      detail_impl::append_decoded(values_, a.raw_value, char_data::attribute);
      const std::string_view value = std::string_view(values_).substr(begin);
      if (!in_subset(node_ref{node_kind::attribute, handle(e), a.prefix, a.local, a.ns, value})) {
        values_.resize(begin);
        continue;
      }
      attrs_.push_back({&a, begin, values_.size() - begin});
      if (visible && !a.prefix.empty() && a.prefix != "xml") used_binding(e, a.prefix, a.ns);
    }
    if (visible && !has_default && (uses_empty_default || default_inclusive_) &&
        !rendered_exclusive({}, {})) {
      render({}, {});
      rendered_.push_back({{}, {}, true});
    }

    if (visible) {
      out_ += '<';
      out_ += e->qname(d_.source);
    }
    std::sort(ns_out_.begin(), ns_out_.end(),
              [](const binding& a, const binding& b) { return a.prefix < b.prefix; });
    for (const binding& b : ns_out_) {
      out_ += b.prefix.empty() ? " xmlns=\"" : " xmlns:";
      if (!b.prefix.empty()) {
        out_ += b.prefix;
        out_ += "=\"";
      }
      escape_value(out_, b.uri);
      out_ += '"';
    }
    std::sort(attrs_.begin(), attrs_.end(),
              [](const output_attribute& x, const output_attribute& y) {
                return x.a->ns != y.a->ns ? x.a->ns < y.a->ns : x.a->local < y.a->local;
              });
    for (const output_attribute& o : attrs_) {
      out_ += ' ';
      if (!o.a->prefix.empty()) {
        out_ += o.a->prefix;
        out_ += ':';
      }
      out_ += o.a->local;
      out_ += "=\"";
      escape_value(out_, std::string_view(values_).substr(o.value_begin, o.value_size));
      out_ += '"';
    }
    if (visible) out_ += '>';

    stack_.push_back({e, visible, rendered_mark, scope_mark, window_, content_cursor(d_, e)});
    if (visible) window_ = rendered_mark;
  }

  void close() {
    const frame& f = stack_.back();
    if (f.visible) {
      out_ += "</";
      out_ += f.e->qname(d_.source);
      out_ += '>';
    }
    rendered_.resize(f.rendered_mark);
    scope_.resize(f.scope_mark);
    window_ = f.saved_window;
    stack_.pop_back();
  }

  void character_data(const node_state* parent, std::string_view raw, char_data kind) {
    const bool plain = (kind == char_data::text ? decoded_in_text : decoded_in_literal).find(raw) ==
                       std::string_view::npos;
    std::string_view value = raw;
    if (!plain) {
      scratch_.clear();
      detail_impl::append_decoded(scratch_, raw, kind);
      value = scratch_;
    }
    if (in_subset(node_ref{node_kind::text, handle(parent), {}, {}, {}, value}))
      escape_text(out_, value);
  }

  // Decodes the PI's data into scratch_ and asks whether the PI is in the subset.
  bool pi_in_subset(const node_state* parent, const content_piece& p) {
    scratch_.clear();
    detail_impl::append_decoded(scratch_, p.raw, char_data::literal);
    return in_subset(node_ref{node_kind::processing_instruction,
                              parent ? handle(parent) : element(),
                              {},
                              p.target,
                              {},
                              scratch_});
  }
  void append_pi(const content_piece& p) {
    out_ += "<?";
    out_ += p.target;
    if (!scratch_.empty()) {
      out_ += ' ';
      out_ += scratch_;
    }
    out_ += "?>";
  }

  // Runs until the element opened last (and everything inside it) is closed.
  void drain() {
    content_piece p;
    while (!stack_.empty()) {
      frame& f = stack_.back();
      if (!f.cursor.next(p)) {
        close();
        continue;
      }
      switch (p.kind) {
        case content_piece::child:
          if (p.element != exclude_) open(p.element);
          break;
        case content_piece::text:
          character_data(f.e, p.raw, char_data::text);
          break;
        case content_piece::cdata:
          character_data(f.e, p.raw, char_data::literal);
          break;
        case content_piece::pi:
          if (pi_in_subset(f.e, p)) append_pi(p);
          break;
        case content_piece::comment:
          break;
      }
    }
  }

  const doc_state& d_;
  const node_predicate* pred_;
  std::string& out_;
  const node_state* exclude_;
  std::vector<std::string_view> inclusive_;
  bool default_inclusive_ = false;

  std::vector<frame> stack_;
  std::vector<detail_impl::ns_binding> scope_;  // in-scope declarations, innermost last
  std::vector<binding> rendered_;
  std::size_t window_ = 0;  // where the nearest output ancestor's entries start in rendered_
  std::vector<binding> ns_out_;
  std::vector<output_attribute> attrs_;
  std::string values_;   // decoded attribute values of the element being opened
  std::string scratch_;  // decoded text or PI data
};

}  // namespace

result<std::string> exclusive_c14n(const element& root, const c14n_options& opts) {
  const node_state* n = doc_state::state_of(root);
  const doc_state* d = doc_state::document_of(root);
  if (!n || !d) return failure(errc::empty_document, "no element to canonicalize");
  try {
    std::string out;
    out.reserve(root.raw().size() + root.raw().size() / 8);
    canonicalizer c(*d, opts, nullptr, out);
    c.subtree(n);
    return result<std::string>(std::move(out));
  } catch (const std::bad_alloc&) {
    return failure(errc::too_large, "out of memory while canonicalizing");
  }
}

result<std::string> exclusive_c14n(const document& doc, const node_predicate& in_subset,
                                   const c14n_options& opts) {
  const doc_state* d = doc_state::of(doc);
  if (!d) return failure(errc::empty_document, "no document to canonicalize");
  try {
    std::string out;
    canonicalizer c(*d, opts, in_subset ? &in_subset : nullptr, out);
    c.whole_document();
    return result<std::string>(std::move(out));
  } catch (const std::bad_alloc&) {
    return failure(errc::too_large, "out of memory while canonicalizing");
  }
}

}  // namespace wst::detail::xml
