// Streaming XML writer.
#include <wst/xml/writer.hpp>

#include "byte_set.hpp"

#include <cassert>

namespace wst::detail::xml {
namespace {

constexpr detail_impl::byte_set text_specials("&<>\r"), attribute_specials("&<>\"\t\n\r");


void append_qname(std::string& out, std::string_view prefix, std::string_view local) {
  if (!prefix.empty()) {
    out += prefix;
    out += ':';
  }
  out += local;
}

}  // namespace

void escape_text(std::string& out, std::string_view s) { detail_impl::append_escaped(out, s, text_specials); }
void escape_attribute(std::string& out, std::string_view s) {
  detail_impl::append_escaped(out, s, attribute_specials);
}

void writer::start_element(std::string_view prefix, std::string_view local) {
  close_start_tag();
  out_ += '<';
  const std::size_t offset = out_.size();
  append_qname(out_, prefix, local);
  open_.push_back({offset, out_.size() - offset});
  start_tag_open_ = true;
}

void writer::namespace_decl(std::string_view prefix, std::string_view uri) {
  assert(start_tag_open_);
  out_ += prefix.empty() ? " xmlns" : " xmlns:";
  out_ += prefix;
  out_ += "=\"";
  escape_attribute(out_, uri);
  out_ += '"';
}

void writer::attribute(std::string_view prefix, std::string_view local, std::string_view value) {
  assert(start_tag_open_);
  out_ += ' ';
  append_qname(out_, prefix, local);
  out_ += "=\"";
  escape_attribute(out_, value);
  out_ += '"';
}

void writer::text(std::string_view s) {
  assert(!open_.empty());
  close_start_tag();
  escape_text(out_, s);
}

void writer::raw(std::string_view xml) {
  close_start_tag();
  out_ += xml;
}

void writer::end_element() {
  assert(!open_.empty());
  const open_element e = open_.back();
  open_.pop_back();
  if (start_tag_open_) {
    out_ += "/>";
    start_tag_open_ = false;
    return;
  }
  assert(e.offset + e.size <= out_.size());
  out_.reserve(out_.size() + e.size + 3);  // no reallocation below: the name stays in place
  out_ += "</";
  out_.append(out_.data() + e.offset, e.size);
  out_ += '>';
}

void writer::text_element(std::string_view prefix, std::string_view local, std::string_view s) {
  start_element(prefix, local);
  if (!s.empty()) text(s);
  end_element();
}

void writer::close_start_tag() {
  if (start_tag_open_) {
    out_ += '>';
    start_tag_open_ = false;
  }
}

}  // namespace wst::detail::xml
