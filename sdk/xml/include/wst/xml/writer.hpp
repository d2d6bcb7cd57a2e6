// Streaming XML writer: well-formed, escaped output with prefixes chosen by the caller.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wst::detail::xml {

// Appends to a caller-owned string. Misuse (end without start, attribute after content,
// text after the root closed) is a programming error caught by assertions. The caller may
// append to the string between calls but must not shorten it while elements are open (the
// writer finds the names of open elements in what it already wrote).
class writer {
 public:
  explicit writer(std::string& out) : out_(out) {}

  // <prefix:local  (prefix may be empty)
  void start_element(std::string_view prefix, std::string_view local);
  // xmlns:prefix="uri" (prefix empty: xmlns="uri") on the element just started.
  void namespace_decl(std::string_view prefix, std::string_view uri);
  // prefix:local="value" on the element just started; value escaped (& < > " and
  // whitespace characters \t \n \r as character references).
  void attribute(std::string_view prefix, std::string_view local, std::string_view value);
  // Character data, escaped (& < > and \r).
  void text(std::string_view s);
  // A complete, well-formed fragment inserted verbatim (for example an issued token or a
  // caller-supplied parameter buffer). The caller vouches for it.
  void raw(std::string_view xml);
  // Closes the innermost open element: "/>" when it has no content, else "</p:l>".
  void end_element();
  // Convenience: start, text, end.
  void text_element(std::string_view prefix, std::string_view local, std::string_view s);

  std::size_t depth() const noexcept { return open_.size(); }

 private:
  void close_start_tag();
  std::string& out_;
  struct open_element {
    std::size_t offset, size;  // where its qualified name sits in out_
  };
  std::vector<open_element> open_;
  bool start_tag_open_ = false;
};

// Escaping used by writer, available for callers that assemble text themselves.
void escape_text(std::string& out, std::string_view s);
void escape_attribute(std::string& out, std::string_view s);

}  // namespace wst::detail::xml
