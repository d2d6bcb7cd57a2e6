// sdk/xml reader: limits and hostile input, each refused with its precise error.
//
// Vectors: tests/vectors/captured/* (origins in tests/vectors/README.md), truncated at every
// byte offset.
#include <wst/xml/c14n.hpp>
#include <wst/xml/reader.hpp>

#include "test_support.hpp"

#include "parse_errors.hpp"

#include <boost/test/unit_test.hpp>

using namespace wst::detail::xml;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string nested(std::size_t depth) { return repeat("<a>", depth) + repeat("</a>", depth); }

}  // namespace

BOOST_AUTO_TEST_SUITE(xml_limits)

BOOST_AUTO_TEST_CASE(error_codes_have_a_category_and_messages) {
  std::error_code ec = errc::too_deep;
  BOOST_TEST(ec.category().name() == std::string("wst.xml"));
  BOOST_TEST(!ec.message().empty());
  auto r = parse("<a><b></a>");
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().describe().find("</a> closes <b>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(deep_nesting) {
  limits huge;
  huge.max_bytes = 1 << 20;
  BOOST_TEST(error_of(nested(100000), huge) == errc::too_deep);  // refused before RapidXML
  huge.max_depth = 1000000;  // asking for more than the reader ever admits changes nothing
  BOOST_TEST(error_of(nested(100000), huge) == errc::too_deep);
  BOOST_TEST(error_of(nested(max_supported_depth), huge) == std::error_code());
  BOOST_TEST(error_of(nested(32)) == std::error_code());  // the default limit is inclusive
  BOOST_TEST(error_of(nested(33)) == errc::too_deep);
  BOOST_TEST(error_of("<r>" + repeat("<a/>", 1000) + "</r>") == std::error_code());  // wide is fine
  BOOST_TEST(error_of(nested(max_supported_depth + 1), huge) == errc::too_deep);
}

BOOST_AUTO_TEST_CASE(too_many_attributes) {
  std::string attrs;
  for (int i = 0; i < 128; ++i) attrs += " a" + std::to_string(i) + "=''";
  BOOST_TEST(error_of("<r" + attrs + "/>") == std::error_code());
  BOOST_TEST(error_of("<r" + attrs + " x=''/>") == errc::too_many_attributes);
  BOOST_TEST(error_of("<r" + attrs + " xmlns:x='urn:x'/>") == errc::too_many_attributes);
}

BOOST_AUTO_TEST_CASE(duplicate_attributes) {
  BOOST_TEST(error_of("<r a='1' a='2'/>") == errc::duplicate_attribute);
  BOOST_TEST(error_of("<r xmlns:p='urn:p' p:a='1' p:a='2'/>") == errc::duplicate_attribute);
  // Same expanded name through two prefixes.
  BOOST_TEST(error_of("<r xmlns:p='urn:x' xmlns:q='urn:x' p:a='1' q:a='2'/>") ==
             errc::duplicate_attribute);
  BOOST_TEST(error_of("<r xmlns:p='urn:x' xmlns:p='urn:y'/>") == errc::duplicate_attribute);
  BOOST_TEST(error_of("<r xmlns='urn:x' xmlns='urn:x'/>") == errc::duplicate_attribute);
  // Distinct expanded names are fine.
  BOOST_TEST(error_of("<r xmlns:p='urn:x' xmlns:q='urn:y' p:a='1' q:a='2' a='3'/>") ==
             std::error_code());
  BOOST_TEST(error_of("<r xmlns='urn:x' xmlns:p='urn:x' a='1' p:a='2'/>") == std::error_code());
}

BOOST_AUTO_TEST_CASE(too_many_nodes_and_namespaces) {
  limits lim;
  lim.max_nodes = 10;
  BOOST_TEST(error_of("<r>" + repeat("<a/>", 9) + "</r>", lim) == std::error_code());
  BOOST_TEST(error_of("<r>" + repeat("<a/>", 10) + "</r>", lim) == errc::too_many_nodes);
  BOOST_TEST(error_of("<r>" + repeat("<a/>t", 5) + "</r>", lim) ==
             errc::too_many_nodes);  // text counts
  limits big;
  big.max_bytes = 1 << 20;
  BOOST_TEST(error_of("<r>" + repeat("<a/>", 100000) + "</r>", big) == errc::too_many_nodes);

  std::string decls;
  for (int i = 0; i < 64; ++i)
    decls += " xmlns:n" + std::to_string(i) + "='urn:" + std::to_string(i) + "'";
  BOOST_TEST(error_of("<r" + decls + "><a/></r>") == std::error_code());
  BOOST_TEST(error_of("<r" + decls + "><a xmlns:x='urn:x'/></r>") == errc::too_many_namespaces);
  BOOST_TEST(error_of("<r" + decls + "/><!-- -->") == std::error_code());
}

BOOST_AUTO_TEST_CASE(size_limit) {
  std::string xml = "<r>" + std::string(65536 - 7, 'x') + "</r>";
  BOOST_TEST(xml.size() == 65536u);
  BOOST_TEST(error_of(xml) == std::error_code());
  BOOST_TEST(error_of(xml + " ") == errc::too_large);
  limits small;
  small.max_bytes = 10;
  BOOST_TEST(error_of("<r>abcdefgh</r>", small) == errc::too_large);
}

BOOST_AUTO_TEST_CASE(doctype_and_entity_declarations_are_refused) {
  const std::string laughs =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE lolz [\n"
      " <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
      "]>\n"
      "<lolz>&lol3;</lolz>";
  BOOST_TEST(error_of(laughs) == errc::doctype_not_allowed);
  BOOST_TEST(error_of("<!DOCTYPE r><r/>") == errc::doctype_not_allowed);
  BOOST_TEST(error_of("<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r>&x;</r>") ==
             errc::doctype_not_allowed);
  BOOST_TEST(error_of("<r><!DOCTYPE r></r>") == errc::doctype_not_allowed);
  BOOST_TEST(error_of("<r/><!DOCTYPE r>") == errc::doctype_not_allowed);
}

BOOST_AUTO_TEST_CASE(bad_references) {
  BOOST_TEST(error_of("<r>&lol;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r a='&lol;'/>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#0;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#x0;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#1;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#xD800;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#xFFFE;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#x110000;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#99999999999999999999;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#x;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&#12a;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&amp</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>a & b</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r>&AMP;</r>") == errc::bad_reference);
  BOOST_TEST(error_of("<r a='&#x10FFFF;&#00065;&#x0041;'>&#9;&#x9;</r>") == std::error_code());
}

BOOST_AUTO_TEST_CASE(invalid_utf8_and_forbidden_characters) {
  for (std::string_view bad : {
           std::string_view("\xC0\xAF", 2),          // overlong '/'
           std::string_view("\xC1\xBF", 2),          // overlong
           std::string_view("\xE0\x80\xAF", 3),      // overlong, three bytes
           std::string_view("\xF0\x80\x80\xAF", 4),  // overlong, four bytes
           std::string_view("\xED\xA0\x80", 3),      // high surrogate U+D800
           std::string_view("\xED\xBF\xBF", 3),      // low surrogate U+DFFF
           std::string_view("\xF4\x90\x80\x80", 4),  // above U+10FFFF
           std::string_view("\xE2\x82", 2),          // truncated sequence
           std::string_view("\xE2\x82<", 3),         // truncated sequence before markup
           std::string_view("\x80", 1),              // lone continuation byte
           std::string_view("\xF5\x80\x80\x80", 4),  // invalid lead byte
           std::string_view("\xFF", 1),              //
           std::string_view("\xEF\xBF\xBE", 3),      // U+FFFE
           std::string_view("\x01", 1),              // C0 control
           std::string_view("\x00", 1),              // NUL
           std::string_view("\x1B", 1),              // ESC
       }) {
    BOOST_TEST_CONTEXT(
        wst::test::to_hex(reinterpret_cast<const std::uint8_t*>(bad.data()), bad.size())) {
      BOOST_TEST(error_of("<r>" + std::string(bad) + "</r>") == errc::invalid_utf8);
      BOOST_TEST(error_of("<r a='" + std::string(bad) + "'/>") == errc::invalid_utf8);
    }
  }
  BOOST_TEST(error_of("\xEF\xBB") == errc::invalid_utf8);  // half a BOM
  BOOST_TEST(error_of("<r "
                      "a='\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD\xED\x9F\xBF\xEE\x80\x80'"
                      ">\t\r\n</r>") == std::error_code());
}

BOOST_AUTO_TEST_CASE(undeclared_prefixes) {
  BOOST_TEST(error_of("<p:r/>") == errc::undeclared_prefix);
  BOOST_TEST(error_of("<r p:a='1'/>") == errc::undeclared_prefix);
  BOOST_TEST(error_of("<r><a xmlns:p='urn:p'/><p:b/></r>") ==
             errc::undeclared_prefix);  // out of scope
  BOOST_TEST(error_of("<r xml:lang='en' xml:space='preserve'/>") == std::error_code());
}

BOOST_AUTO_TEST_CASE(mismatched_and_malformed) {
  BOOST_TEST(error_of("<a><b></a></b>") == errc::mismatched_tag);
  BOOST_TEST(error_of("<a></A>") == errc::mismatched_tag);
  BOOST_TEST(error_of("<p:a xmlns:p='urn:p'></q:a>") == errc::mismatched_tag);
  BOOST_TEST(error_of("") == errc::empty_document);
  BOOST_TEST(error_of(" \n\t") == errc::empty_document);
  BOOST_TEST(error_of("<?xml version='1.0'?><!-- nothing -->") == errc::empty_document);
  BOOST_TEST(error_of("\xEF\xBB\xBF") == errc::empty_document);
  for (std::string_view bad : {
           "<a/><b/>",                                         // two roots
           "<a/>text",                                         // text after the root
           "text<a/>",                                         // text before the root
           "<a b='<'/>",                                       // '<' in an attribute value
           "<a b=1/>",                                         // unquoted value
           "<a b='1'c='2'/>",                                  // no space between attributes
           "<a b/>",                                           // attribute without value
           "<a>]]></a>",                                       // CDATA end in text
           "<a><!-- x -- y --></a>",                           // '--' in a comment
           "<a><!-- x --->",                                   // comment ending in '-'
           "<a/><?xml version='1.0'?>",                        // declaration not at the start
           " <?xml version='1.0'?><a/>",                       // not even after whitespace
           "<?xml encoding='UTF-8'?><a/>",                     // declaration without version
           "<?xml version='1.0' encoding='ISO-8859-1'?><a/>",  // an encoding we do not read
           "<a xmlns:p=''/>",             // prefix un-declaration (not in XML 1.0 names)
           "<a xmlns:xml='urn:other'/>",  // xml prefix rebound
           "<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>",
           "<a xmlns:xmlns='urn:x'/>",
           "<xmlns:a/>",
           "<a:b:c xmlns:a='urn:a'/>",  // two colons
           "<:a/>",
           "<a: xmlns:a='urn:a'/>",
           "<1a/>",
           "< a/>",
           "<a></a",
           "<a><![CDATA[x]></a>",
           "<a><!x></a>",
           "<a><? ?></a>",
           "<![CDATA[x]]><a/>",
       }) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(error_of(bad) == errc::malformed); }
  }
}

// Every capture cut at every offset: an error each time, never a crash and never a partial
// tree. The only prefixes that parse are those missing nothing but trailing whitespace.
BOOST_AUTO_TEST_CASE(every_capture_truncated_at_every_offset) {
  const std::string dir = wst::test::vectors_dir() + "/captured";
  std::size_t cuts = 0;
  for (const std::string& name : wst::test::list_dir(dir)) {
    const std::string xml = wst::test::read_file(dir + "/" + name);
    auto full = parse(xml);
    BOOST_TEST_REQUIRE(full.has_value(), name);
    const std::string_view root = full->root().raw();
    for (std::size_t n = 0; n < xml.size(); ++n, ++cuts) {
      auto r = parse(std::string_view(xml).substr(0, n));
      if (!r) continue;
      BOOST_TEST(xml.find_first_not_of(" \t\r\n", n) == std::string::npos, name << " cut at " << n);
      BOOST_TEST(r->root().raw() == root);
    }
  }
  BOOST_TEST(cuts > 40000u);
}

// Every byte of three captures replaced in turn by markup-significant bytes: whatever parses
// must be a consistent tree (ranges nested in document order, each element's bytes starting
// with its name, standalone after lifting, canonicalizable).
BOOST_AUTO_TEST_CASE(every_byte_of_some_captures_mutated) {
  std::size_t parsed = 0, refused = 0;
  for (const char* name :
       {"adfs-soap12-fault-requestfailed.xml", "corewcf-sct-rstr2005-computedkey-psha1.xml",
        "adal-rst2005-template.xml"}) {
    const std::string original =
        wst::test::read_file(wst::test::vectors_dir() + "/captured/" + name);
    for (std::size_t i = 0; i < original.size(); ++i) {
      for (char c : {'<', '>', '&', '"', '/', ':', '=', '\x80'}) {
        if (original[i] == c) continue;
        std::string xml = original;
        xml[i] = c;
        auto r = parse(xml);
        if (!r) {
          ++refused;
          continue;
        }
        ++parsed;
        std::vector<element> todo{r->root()};
        while (!todo.empty()) {
          element e = todo.back();
          todo.pop_back();
          std::string_view raw = e.raw();
          const std::string qname =
              e.prefix().empty() ? std::string(e.local_name())
                                 : std::string(e.prefix()) + ":" + std::string(e.local_name());
          BOOST_TEST_REQUIRE(raw.substr(0, qname.size() + 1) == "<" + qname, name << " @" << i);
          BOOST_TEST_REQUIRE(raw.back() == '>');
          std::size_t end = e.offset() + raw.size();
          std::size_t prev = e.offset();
          for (const element& c : e.children()) {
            BOOST_TEST_REQUIRE(c.offset() > prev);
            BOOST_TEST_REQUIRE(c.offset() + c.raw().size() <= end);
            prev = c.offset() + c.raw().size() - 1;
            todo.push_back(c);
          }
        }
        auto lifted =
            parse(r->root().children().empty() ? r->root().lift() : r->root().children()[0].lift());
        BOOST_TEST_REQUIRE(lifted.has_value(), name << " @" << i);
        BOOST_TEST_REQUIRE(exclusive_c14n(r->root()).has_value());
      }
    }
  }
  BOOST_TEST(parsed > 1000u);
  BOOST_TEST(refused > 10000u);
}

BOOST_AUTO_TEST_SUITE_END()
