// sdk/xml writer: structure, escaping, and round trips through the reader.
#include <wst/xml/reader.hpp>
#include <wst/xml/writer.hpp>

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace wst::detail::xml;

BOOST_AUTO_TEST_SUITE(xml_writer)

BOOST_AUTO_TEST_CASE(escaping) {
  std::string out;
  escape_text(out, "a&b<c>d\re\"f'g\th\ni");
  BOOST_TEST(out == "a&amp;b&lt;c&gt;d&#xD;e\"f'g\th\ni");
  out.clear();
  escape_attribute(out, "a&b<c>d\re\"f'g\th\ni");
  BOOST_TEST(out == "a&amp;b&lt;c&gt;d&#xD;e&quot;f'g&#x9;h&#xA;i");
  out.clear();
  escape_text(out, "plain \xE2\x82\xAC text");
  BOOST_TEST(out == "plain \xE2\x82\xAC text");
}

BOOST_AUTO_TEST_CASE(structure) {
  std::string out = "<!-- prefix kept -->";
  writer w(out);
  w.start_element("s", "Envelope");
  w.namespace_decl("s", "http://www.w3.org/2003/05/soap-envelope");
  w.namespace_decl("", "urn:default");
  BOOST_TEST(w.depth() == 1u);
  w.start_element("s", "Header");
  w.end_element();  // empty: self-closing
  w.start_element("s", "Body");
  w.attribute("", "id", "b&1");
  w.text_element("", "Empty", "");
  w.text_element("t", "Value", "1 < 2");
  w.raw("<x:Token xmlns:x=\"urn:x\">verbatim &amp; kept</x:Token>");
  w.start_element("", "Mixed");
  w.text("a");
  w.start_element("", "b");
  w.end_element();
  w.text("c");
  w.end_element();
  w.end_element();
  w.end_element();
  BOOST_TEST(w.depth() == 0u);
  BOOST_TEST(
      out ==
      "<!-- prefix kept --><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
      "xmlns=\"urn:default\"><s:Header/><s:Body id=\"b&amp;1\"><Empty/><t:Value>1 &lt; 2"
      "</t:Value><x:Token xmlns:x=\"urn:x\">verbatim &amp; kept</x:Token><Mixed>a<b/>c</Mixed>"
      "</s:Body></s:Envelope>");
}

BOOST_AUTO_TEST_CASE(long_names_survive_buffer_growth) {
  std::string out;
  writer w(out);
  const std::string name(300, 'n');
  w.start_element("p", name);
  w.namespace_decl("p", "urn:p");
  for (int i = 0; i < 100; ++i) w.text_element("", "item", std::string(100, 'x'));
  w.end_element();
  BOOST_TEST(out.substr(out.size() - 305) == "</p:" + name + ">");
  BOOST_TEST(parse(out, {1 << 20}).has_value());
}

// Whatever goes in through the writer comes back out of the reader unchanged, including
// characters the reader would otherwise normalize (CR in text, whitespace in attributes).
BOOST_AUTO_TEST_CASE(round_trip_through_the_reader) {
  const std::string values[] = {
      "",
      "plain",
      "& < > \" ' ]]> --",
      "tab\there\nline\r\nend\rcr",
      "  leading and trailing  ",
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
      "<not>markup</not> &amp; &#0;",
  };
  for (const std::string& v : values) {
    BOOST_TEST_CONTEXT(v) {
      std::string out;
      writer w(out);
      w.start_element("p", "root");
      w.namespace_decl("p", "urn:p&q");
      w.attribute("p", "attr", v);
      w.attribute("", "plain", v);
      w.text_element("p", "child", v);
      w.start_element("", "cdata-free");
      w.text(v);
      w.text(v);
      w.end_element();
      w.end_element();
      auto doc = parse(out);
      BOOST_TEST_REQUIRE(doc.has_value(), out);
      element root = doc->root();
      BOOST_TEST(root.is("urn:p&q", "root"));
      BOOST_TEST(root.attribute("urn:p&q", "attr").value_or("?") == v);
      BOOST_TEST(root.attribute("", "plain").value_or("?") == v);
      BOOST_TEST(root.child("urn:p&q", "child").text() == v);
      BOOST_TEST(root.child("", "cdata-free").text() == v + v);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
