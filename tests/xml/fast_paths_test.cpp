// sdk/xml reader: the word-at-a-time scanning paths of the pre-scan, and the passes' order.
//
// The character check and the scanner look at eight bytes at a time where they can, so every
// special byte is placed at every offset of runs long enough to cross several words: the
// result must be the same wherever the word boundaries fall. Also: the end tag fast path,
// the allocation-free child walk and text views, error precedence of the pre-scan over the
// namespace resolution that follows RapidXML, and documents staying intact while the
// per-thread scratch and RapidXML pool are reused.
//
// Vectors: tests/vectors/captured/* (origins in tests/vectors/README.md) and the responses of
// tests/data/*/ (transcripts written for this project).
#include <wst/xml/reader.hpp>

#include "test_support.hpp"

#include "parse_errors.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace wst::detail::xml;

namespace {

std::string message_of(std::string_view xml) {
  auto r = parse(xml);
  return r ? std::string() : r.error().describe();
}

document must_parse(std::string_view xml) {
  auto r = parse(xml);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().describe()));
  return std::move(r).value();
}

// `len` filler bytes with `piece` inserted at `at` (0 <= at <= len).
std::string filler_with(std::size_t len, std::size_t at, std::string_view piece) {
  std::string s;
  for (std::size_t i = 0; i < len; ++i) s += static_cast<char>('a' + i % 26);
  s.insert(at, piece);
  return s;
}

void for_each_element(const element& e, const std::function<void(const element&)>& fn) {
  fn(e);
  for (const element& c : e.children()) for_each_element(c, fn);
}

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

// Every file the walk tests go through: the captures and the transcript responses.
std::vector<std::string> sample_documents() {
  std::vector<std::string> docs;
  const std::string captured = wst::test::vectors_dir() + "/captured/";
  for (const auto& name : wst::test::list_dir(captured))
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".xml") == 0)
      docs.push_back(wst::test::read_file(captured + name));
  const std::string data = wst::test::data_dir() + "/";
  for (const char* c : {"bench", "t13-issue-symmetric-combined-soap11-wsa2004",
                        "t2005-issue-params-vsphere-soap12-wsa10", "t13-sct-renew-combined-soap12-wsa10"})
    docs.push_back(wst::test::read_file(data + c + "/response.xml"));
  return docs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xml_fast_paths)

// find_bad_character skips printable ASCII eight bytes at a time.
BOOST_AUTO_TEST_CASE(bad_characters_at_every_offset) {
  const std::string_view bad[] = {"\x01", "\x7f\x80", "\x80", "\xC0\xAF", "\xED\xA0\x80",
                                  "\xEF\xBF\xBE", "\xF4\x90\x80\x80", "\xFF", "\xE2\x82"};
  for (std::string_view b : bad) {
    for (std::size_t len = 0; len <= 24; ++len) {
      for (std::size_t at = 0; at <= len; ++at) {
        std::string doc = "<a>" + filler_with(len, at, b) + "</a>";
        auto r = parse(doc);
        BOOST_TEST_REQUIRE(!r.has_value());
        BOOST_TEST(r.error().code == errc::invalid_utf8);
        // DEL (0x7f) is a Char; the byte after it is the bad one.
        const std::size_t where = 3 + at + (b[0] == '\x7f' ? 1 : 0);
        BOOST_TEST(r.error().message == "at byte " + std::to_string(where), doc);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(good_characters_at_every_offset) {
  const std::string_view good[] = {"\t", "\n", "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xEF\xBF\xBD",
                                   "\xF0\x9D\x84\x9E", "\xF4\x8F\xBF\xBF"};
  for (std::string_view g : good) {
    for (std::size_t len = 0; len <= 24; ++len) {
      for (std::size_t at = 0; at <= len; ++at) {
        const std::string text = filler_with(len, at, g);
        auto doc = must_parse("<a>" + text + "</a>");
        BOOST_TEST(doc.root().text() == text);
      }
    }
  }
}

// Character data: '<', '&' and ']' stop the word-at-a-time scan.
BOOST_AUTO_TEST_CASE(text_specials_at_every_offset) {
  for (std::size_t len = 0; len <= 24; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      const std::string plain = filler_with(len, 0, "");
      std::string expected = plain;
      expected.insert(at, "&<]>");
      auto doc = must_parse("<a>" + filler_with(len, at, "&amp;&lt;]&#x3E;") + "</a>");
      BOOST_TEST(doc.root().text() == expected);
      BOOST_TEST(error_of("<a>" + filler_with(len, at, "]]>") + "</a>") == errc::malformed);
      BOOST_TEST(error_of("<a>" + filler_with(len, at, "&bogus;") + "</a>") == errc::bad_reference);
      BOOST_TEST(error_of("<a>" + filler_with(len, at, "&#0;") + "</a>") == errc::bad_reference);
      // A child element at every offset splits the text where it stands.
      auto split = must_parse("<a>" + filler_with(len, at, "<b/>") + "</a>");
      BOOST_TEST(split.root().text() == plain);
      BOOST_TEST_REQUIRE(static_cast<bool>(split.root().first_child()));
      BOOST_TEST(split.root().first_child().offset() == 3 + at);
    }
  }
}

// Attribute values: the quote, '<', '&' and tab/LF/CR stop the word-at-a-time scan; a value
// that held none of them is used undecoded (namespace URIs included).
BOOST_AUTO_TEST_CASE(attribute_specials_at_every_offset) {
  for (std::size_t len = 0; len <= 24; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      const std::string plain = filler_with(len, 0, "");
      auto decoded = [&](std::string_view piece) {
        std::string s = plain;
        s.insert(at, piece);
        return s;
      };
      auto doc = must_parse("<a v=\"" + filler_with(len, at, "&amp;'\t\r\n&#9;") + "\"/>");
      BOOST_TEST(*doc.root().attribute("", "v") == decoded("&'  \t"));  // CR LF is one
      auto single = must_parse("<a v='" + filler_with(len, at, "\"&apos;") + "'/>");
      BOOST_TEST(*single.root().attribute("", "v") == decoded("\"'"));
      BOOST_TEST(error_of("<a v='" + filler_with(len, at, "<") + "'/>") == errc::malformed);
      BOOST_TEST(error_of("<a v='" + filler_with(len, at, "&x;") + "'/>") == errc::bad_reference);
      auto early = must_parse("<a v='" + filler_with(len, at, "' w='") + "'/>");
      BOOST_TEST(*early.root().attribute("", "v") == plain.substr(0, at));
      BOOST_TEST(*early.root().attribute("", "w") == plain.substr(at));
      // Namespace URIs: decoded only when they hold a reference or tab/LF/CR.
      for (std::string_view piece : {"", "&#x41;", "\t"}) {
        const std::string uri = "urn:" + filler_with(len, at, piece);
        auto ns = must_parse("<p:a xmlns:p='" + uri + "'><p:b/></p:a>");
        const std::string want = "urn:" + decoded(piece == "&#x41;" ? "A" : piece.empty() ? "" : " ");
        BOOST_TEST(ns.root().namespace_uri() == want);
        BOOST_TEST(ns.root().first_child().namespace_uri() == want);
        BOOST_TEST(ns.root().first_child().is(want, "b"));
      }
    }
  }
}

// End tags are matched against the open element's name without scanning the name first.
BOOST_AUTO_TEST_CASE(end_tags) {
  for (std::size_t len = 1; len <= 20; ++len) {
    const std::string name = filler_with(len, 0, "");
    BOOST_TEST(error_of("<" + name + "></" + name + ">") == std::error_code());
    BOOST_TEST(error_of("<" + name + "></" + name + " \t>") == std::error_code());
    BOOST_TEST(error_of("<p:" + name + " xmlns:p='urn:p'></p:" + name + ">") == std::error_code());
    BOOST_TEST(error_of("<" + name + "></" + name + "x>") == errc::mismatched_tag);
    BOOST_TEST(error_of("<" + name + "></" + name + ".>") == errc::mismatched_tag);
    BOOST_TEST(error_of("<" + name + "></" + name + ":>") == errc::mismatched_tag);
    BOOST_TEST(error_of("<" + name + "x></" + name + ">") == errc::mismatched_tag);
    BOOST_TEST(error_of("<" + name + "></" + name + "/>") == errc::malformed);
    BOOST_TEST(error_of("<" + name + "></" + name) == errc::malformed);
    BOOST_TEST(error_of("<" + name + "></" + name.substr(0, len - 1)) == errc::malformed);
    std::string flipped = name;
    flipped.back() = 'Z';
    BOOST_TEST(message_of("<" + name + "></" + flipped + ">") ==
               "XML end tag does not match the start tag: </" + flipped + "> closes <" + name +
                   "> at byte " + std::to_string(len + 4));
  }
  BOOST_TEST(message_of("<a></a") == "malformed XML: unexpected end of input in an end tag at byte 5");
  BOOST_TEST(message_of("<a></ab") == "malformed XML: unexpected end of input in an end tag at byte 5");
}

// Element and attribute names are split at their colon while they are scanned.
BOOST_AUTO_TEST_CASE(qualified_names) {
  auto doc = must_parse("<p:a xmlns:p='urn:p' xmlns='urn:d' p:x='1' y='2' xmlns:q='urn:q' q:z='3'>"
                        "<b/><q:c/></p:a>");
  const element a = doc.root();
  BOOST_TEST(a.prefix() == "p");
  BOOST_TEST(a.local_name() == "a");
  BOOST_TEST(a.namespace_uri() == "urn:p");
  BOOST_TEST(*a.attribute("urn:p", "x") == "1");
  BOOST_TEST(*a.attribute("", "y") == "2");
  BOOST_TEST(*a.attribute("urn:q", "z") == "3");
  BOOST_TEST(a.attributes().size() == 3u);
  BOOST_TEST(a.first_child().is("urn:d", "b"));
  BOOST_TEST(a.first_child().prefix().empty());
  BOOST_TEST(a.first_child().next_sibling().is("urn:q", "c"));
  for (const char* bad : {"<:a/>", "<a:/>", "<a:b:c xmlns:a='u'/>", "<a :b='1'/>", "<a b:='1'/>",
                          "<a x:y:z='1'/>"})
    BOOST_TEST(error_of(bad) == errc::malformed, bad);
  BOOST_TEST(error_of("<xmlns:a/>") == errc::malformed);
  BOOST_TEST(error_of("<a xmlnsx='u'/>") == std::error_code());  // an ordinary attribute
  BOOST_TEST(error_of("<a xmlnsx:b='u'/>") == errc::undeclared_prefix);
}

// Namespace errors are found after the pre-scan and RapidXML, so they are reported only when
// the document is otherwise well-formed and within limits.
BOOST_AUTO_TEST_CASE(namespace_errors_keep_their_precedence) {
  BOOST_TEST(error_of("<p:a><b></c></p:a>") == errc::mismatched_tag);
  BOOST_TEST(error_of("<a b='1' b='2'><c></a>") == errc::mismatched_tag);
  BOOST_TEST(error_of("<p:a>&bogus;</p:a>") == errc::bad_reference);
  BOOST_TEST(error_of("<p:a/><b/>") == errc::malformed);
  limits shallow;
  shallow.max_depth = 2;
  BOOST_TEST(error_of("<p:a><b><c/></b></p:a>", shallow) == errc::too_deep);
  BOOST_TEST(error_of("<p:a><b/></p:a>", shallow) == errc::undeclared_prefix);
  // The first namespace error in document order wins.
  BOOST_TEST(message_of("<r><a x='1' x='2'/><p:b/></r>") ==
             "duplicate XML attribute: 'x' twice in <a> at byte 3");
  BOOST_TEST(message_of("<r><p:b/><a x='1' x='2'/></r>") ==
             "undeclared XML namespace prefix: prefix 'p' in <p:b> at byte 3");
  // Declarations of an element before its name, its name before its attributes.
  BOOST_TEST(message_of("<p:a q:x='1' xmlns:p='urn:p' xmlns:p='urn:p'/>") ==
             "duplicate XML attribute: 'xmlns:p' twice in <p:a> at byte 0");
  BOOST_TEST(message_of("<p:a q:x='1'/>") ==
             "undeclared XML namespace prefix: prefix 'p' in <p:a> at byte 0");
  // Scope ends with the element, also for empty elements.
  BOOST_TEST(error_of("<r><a xmlns:p='urn:p'/><p:b/></r>") == errc::undeclared_prefix);
  BOOST_TEST(error_of("<r><a xmlns:p='urn:p'></a><p:b/></r>") == errc::undeclared_prefix);
  BOOST_TEST(error_of("<r xmlns:p='urn:p'><a xmlns:p='urn:q'/><p:b/></r>") == std::error_code());
  auto doc = must_parse("<r xmlns:p='urn:p'><a xmlns:p='urn:q'><p:c/></a><p:b/></r>");
  BOOST_TEST(doc.root().first_child().first_child().namespace_uri() == "urn:q");
  BOOST_TEST(doc.root().first_child().next_sibling().namespace_uri() == "urn:p");
}

// "?>" inside a value of the XML declaration is refused (it would seem to end it there), after
// every other well-formedness error.
BOOST_AUTO_TEST_CASE(declaration_values) {
  BOOST_TEST(message_of("<?xml version=\"1.0?>\"?><a/>") ==
             "malformed XML: '?>' in a value of the XML declaration at byte 15");
  BOOST_TEST(error_of("<?xml version='1.0' standalone='?>'?><a/>") == errc::malformed);
  BOOST_TEST(error_of("<?xml version='1.0?>'?><a></b>") == errc::mismatched_tag);
  BOOST_TEST(error_of("<?xml version='1.0?>'?><p:a/>") == errc::malformed);
  BOOST_TEST(error_of("<?xml version='1.0' standalone='yes'?><a/>") == std::error_code());
}

// first_child()/next_sibling() walk what children() lists; text_view() and text_is_blank()
// agree with text() on every element of every sample document.
BOOST_AUTO_TEST_CASE(walks_and_text_views_agree_on_samples) {
  std::size_t elements = 0, views = 0;
  for (const std::string& bytes : sample_documents()) {
    auto doc = must_parse(bytes);
    for_each_element(doc.root(), [&](const element& e) {
      ++elements;
      std::vector<element> walked;
      for (element c = e.first_child(); c; c = c.next_sibling()) walked.push_back(c);
      BOOST_TEST((walked == e.children()));
      const std::string text = e.text();
      std::string storage;
      const std::string_view view = e.text_view(storage);
      BOOST_TEST(view == text);
      if (storage.empty() && !view.empty()) {
        ++views;  // a view into the document's copy of the input
        BOOST_TEST((view.data() >= doc.source().data() &&
                    view.data() + view.size() <= doc.source().data() + doc.source().size()));
      }
      BOOST_TEST(e.text_is_blank() == blank(text));
    });
  }
  BOOST_TEST(elements > 500u);
  BOOST_TEST(views > 100u);
  BOOST_TEST(!element().first_child());
  BOOST_TEST(!element().next_sibling());
  std::string storage;
  BOOST_TEST(element().text_view(storage).empty());
  BOOST_TEST(element().text_is_blank());
}

BOOST_AUTO_TEST_CASE(text_views) {
  struct sample {
    const char* xml;
    const char* text;
    bool viewed;  // no decoding needed: a view into the document
    bool blank;
  };
  const sample samples[] = {
      {"<a/>", "", true, true},
      {"<a></a>", "", true, true},
      {"<a>x y</a>", "x y", true, false},
      {"<a> \t\n</a>", " \t\n", true, true},
      {"<a>\r\n</a>", "\n", false, true},
      {"<a>&#x20;&#9;&#xA;&#13;</a>", " \t\n\r", false, true},
      {"<a>&#x41;</a>", "A", false, false},
      {"<a>&#160;</a>", "\xC2\xA0", false, false},
      {"<a><![CDATA[x&amp;]]></a>", "x&amp;", true, false},
      {"<a><![CDATA[ ]]> </a>", "  ", false, true},
      {"<a><![CDATA[]]>x</a>", "x", true, false},
      {"<a><!-- c -->x<?pi d?></a>", "x", true, false},
      {"<a>x<b>y</b>z</a>", "xz", false, false},
      {"<a> <b>y</b> </a>", "  ", false, true},
      {"<a><b>y</b></a>", "", true, true},
  };
  for (const sample& s : samples) {
    auto doc = must_parse(s.xml);
    std::string storage;
    const std::string_view view = doc.root().text_view(storage);
    BOOST_TEST(view == s.text, s.xml);
    BOOST_TEST(doc.root().text() == s.text, s.xml);
    BOOST_TEST(storage.empty() == s.viewed, s.xml);
    BOOST_TEST(doc.root().text_is_blank() == s.blank, s.xml);
  }
}

// The pre-scan's spans and RapidXML's nodes live in per-thread memory that the next parse
// reuses (the wide document overflows RapidXML's static pool); a document keeps its own tables.
BOOST_AUTO_TEST_CASE(documents_outlive_the_scratch) {
  std::string wide = "<r xmlns:p='urn:p'>";
  for (int i = 0; i < 5000; ++i) wide += "<p:e i='" + std::to_string(i) + "'/>";
  wide += "</r>";
  limits big;
  big.max_bytes = 1 << 20;
  auto first = parse(wide, big);
  BOOST_TEST_REQUIRE(first.has_value());
  auto second = must_parse("<x xmlns='urn:x'><y a='1'/></x>");  // shrinks the scratch
  BOOST_TEST(error_of("<x><p:y/></x>") == errc::undeclared_prefix);  // fails half way
  auto third = must_parse("<q:z xmlns:q='urn:q' b='2'/>");
  std::size_t n = 0;
  for (element c = first->root().first_child(); c; c = c.next_sibling(), ++n) {
    if (!c.is("urn:p", "e") || *c.attribute("", "i") != std::to_string(n)) {
      BOOST_FAIL("element " << n << " changed");
    }
  }
  BOOST_TEST(n == 5000u);
  BOOST_TEST(second.root().first_child().is("urn:x", "y"));
  BOOST_TEST(*second.root().first_child().attribute("", "a") == "1");
  BOOST_TEST(third.root().is("urn:q", "z"));
  BOOST_TEST(*third.root().attribute("", "b") == "2");
  BOOST_TEST(!third.root().first_child());
}

BOOST_AUTO_TEST_SUITE_END()
