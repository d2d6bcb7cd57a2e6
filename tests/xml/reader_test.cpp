// sdk/xml reader: namespaces, lookups, attributes, text, byte ranges and lifting.
//
// Vectors: tests/vectors/captured/* (origins in tests/vectors/README.md; ADFS and ADAL files
// from AzureAD/azure-activedirectory-library-for-nodejs test/wstrust (Apache-2.0), the fault
// from AzureAD/microsoft-authentication-library-for-java (MIT), vSphere from vmware/govmomi
// sts/internal/types_test.go (Apache-2.0), WCF/CoreWCF files from CoreWCF/CoreWCF
// Documentation/DesignDocs/transport_message_cred_using_cert.md (MIT)).
#include <wst/xml/c14n.hpp>
#include <wst/xml/reader.hpp>

#include "test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace wst::detail::xml;

namespace wst::detail::xml {
std::ostream& operator<<(std::ostream& os, errc e) { return os << make_error_code(e).message(); }
}  // namespace wst::detail::xml
using wst::test::list_dir;
using wst::test::read_file;
using wst::test::vectors_dir;

namespace {

document must_parse(std::string_view xml) {
  auto r = parse(xml);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().describe()));
  return std::move(r).value();
}

// Every element of the subtree in document order.
void for_each_element(const element& e, const std::function<void(const element&)>& fn) {
  fn(e);
  for (const element& c : e.children()) for_each_element(c, fn);
}

std::string captured(const std::string& name) {
  return read_file(vectors_dir() + "/captured/" + name);
}

constexpr std::string_view xml_ns = "http://www.w3.org/XML/1998/namespace";

}  // namespace

BOOST_AUTO_TEST_SUITE(xml_reader)

BOOST_AUTO_TEST_CASE(prefixes_default_namespace_and_the_xml_prefix) {
  document doc = must_parse(
      "<a:root xmlns:a='urn:a' xmlns='urn:d' xml:lang='en'>"
      "<child/>"
      "<a:child a:x='1' y='2'/>"
      "<other xmlns='urn:e'><inner/></other>"
      "<b:x xmlns:b='urn:b'><a:shadow xmlns:a='urn:a2'><a:deep/></a:shadow><a:back/></b:x>"
      "<plain xmlns=''><none/></plain>"
      "</a:root>");
  element root = doc.root();
  BOOST_TEST(root.is("urn:a", "root"));
  BOOST_TEST(root.prefix() == "a");
  BOOST_TEST(root.local_name() == "root");
  BOOST_TEST(root.attribute(std::string(xml_ns), "lang").value_or("") == "en");

  auto kids = root.children();
  BOOST_TEST_REQUIRE(kids.size() == 5u);
  BOOST_TEST(kids[0].is("urn:d", "child"));  // default namespace
  BOOST_TEST(kids[0].prefix().empty());
  BOOST_TEST(kids[1].is("urn:a", "child"));
  BOOST_TEST(kids[1].attribute("urn:a", "x").value_or("") == "1");
  BOOST_TEST(kids[1].attribute("", "y").value_or("") == "2");  // unprefixed: no namespace
  BOOST_TEST(!kids[1].attribute("urn:d", "y"));                // default does not apply
  BOOST_TEST(kids[2].is("urn:e", "other"));                    // default redeclared
  BOOST_TEST(kids[2].children()[0].is("urn:e", "inner"));
  element shadow = kids[3].children()[0];
  BOOST_TEST(shadow.is("urn:a2", "shadow"));  // prefix redeclared
  BOOST_TEST(shadow.children()[0].is("urn:a2", "deep"));
  BOOST_TEST(kids[3].children()[1].is("urn:a", "back"));  // out of the shadowing scope again
  BOOST_TEST(kids[4].is("", "plain"));                    // xmlns="" un-declares the default
  BOOST_TEST(kids[4].children()[0].is("", "none"));
  BOOST_TEST(kids[4].children()[0].namespace_uri().empty());

  BOOST_TEST(*kids[0].lookup_namespace("") == "urn:d");
  BOOST_TEST(*kids[0].lookup_namespace("a") == "urn:a");
  BOOST_TEST(*kids[0].lookup_namespace("xml") == xml_ns);
  BOOST_TEST(*shadow.lookup_namespace("a") == "urn:a2");
  BOOST_TEST(*shadow.lookup_namespace("b") == "urn:b");
  BOOST_TEST(!kids[0].lookup_namespace("b"));
  BOOST_TEST(kids[4].lookup_namespace("")->empty());            // declared empty
  BOOST_TEST(!must_parse("<r/>").root().lookup_namespace(""));  // never declared
}

BOOST_AUTO_TEST_CASE(navigation_by_expanded_name) {
  document doc = must_parse(
      "<r xmlns:p='urn:p' xmlns:q='urn:p'>text<p:a n='1'/><!-- c --><q:a n='2'/><p:b/><a/>"
      "<p:a n='3'/></r>");
  element r = doc.root();
  BOOST_TEST(r.has_element_children());
  BOOST_TEST(r.count_children("urn:p", "a") == 3u);  // two prefixes, one namespace
  BOOST_TEST(r.count_children("", "a") == 1u);
  element a = r.child("urn:p", "a");
  BOOST_TEST(a.attribute("", "n").value_or("") == "1");
  a = a.next_sibling("urn:p", "a");
  BOOST_TEST(a.attribute("", "n").value_or("") == "2");
  a = a.next_sibling("urn:p", "a");
  BOOST_TEST(a.attribute("", "n").value_or("") == "3");
  BOOST_TEST(!a.next_sibling("urn:p", "a"));
  BOOST_TEST(!r.child("urn:p", "missing"));
  BOOST_TEST((a.parent() == r));
  BOOST_TEST(!r.parent());
  BOOST_TEST(!a.has_element_children());
  BOOST_TEST(r.children().size() == 5u);

  element null;
  BOOST_TEST(!null);
  BOOST_TEST(null.local_name().empty());
  BOOST_TEST(!null.child("", "a"));
  BOOST_TEST(null.children().empty());
  BOOST_TEST(!null.attribute("", "n"));
  BOOST_TEST(null.raw().empty());
  BOOST_TEST(null.lift().empty());
  BOOST_TEST(!null.lookup_namespace(""));
}

BOOST_AUTO_TEST_CASE(attribute_values_are_decoded_and_normalized) {
  document doc = must_parse(
      "<r xmlns:p='urn:p' a='x &amp; y &lt;&gt; &quot;&apos;' b=\"tab\there\nline\r\nend\" "
      "c='&#9;&#10;&#13;&#x20AC;&#128512;' p:d='' e='caf\xC3\xA9'/>");
  element r = doc.root();
  BOOST_TEST(r.attribute("", "a").value() == "x & y <> \"'");
  BOOST_TEST(r.attribute("", "b").value() == "tab here line end");  // literal whitespace -> space
  BOOST_TEST(r.attribute("", "c").value() ==
             "\t\n\r\xE2\x82\xAC\xF0\x9F\x98\x80");  // references kept
  BOOST_TEST(r.attribute("urn:p", "d").value() == "");
  BOOST_TEST(r.attribute("", "e").value() == "caf\xC3\xA9");
  auto all = r.attributes();  // namespace declarations are not attributes
  BOOST_TEST_REQUIRE(all.size() == 5u);
  BOOST_TEST(all[3].prefix == "p");
  BOOST_TEST(all[3].namespace_uri == "urn:p");
  BOOST_TEST(all[3].local_name == "d");
  BOOST_TEST(all[0].value == "x & y <> \"'");
}

BOOST_AUTO_TEST_CASE(text_with_entities_cdata_comments_and_line_ends) {
  document doc = must_parse(
      "<r>a &amp; b<!-- x --> &lt;c&gt;<![CDATA[<raw> &amp; ]]>\r\nd&#13;&#xA;"
      "<?pi data?><child>not mine</child>e</r>");
  BOOST_TEST(doc.root().text() == "a & b <c><raw> &amp; \nd\r\ne");
  BOOST_TEST(must_parse("<r><![CDATA[x\r\ny\rz]]></r>").root().text() == "x\ny\nz");
  BOOST_TEST(must_parse("<r/>").root().text().empty());
  BOOST_TEST(must_parse("<r>  \n </r>").root().text() == "  \n ");  // whitespace is kept
}

BOOST_AUTO_TEST_CASE(bom_and_xml_declaration_are_accepted) {
  std::string xml = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\" standalone='yes'?>\n<r/>";
  document doc = must_parse(xml);
  BOOST_TEST(doc.source() == xml);  // unmodified, BOM included
  BOOST_TEST(doc.root().offset() == xml.size() - 4);
  BOOST_TEST(doc.root().raw() == "<r/>");
  BOOST_TEST(must_parse("<?xml version='1.0'?><r/>").root().is("", "r"));
}

BOOST_AUTO_TEST_CASE(raw_is_the_exact_byte_range_even_around_tricky_content) {
  const std::string xml =
      "<r><a x='&gt;/>' y=\"&lt;/a>\">"
      "<!-- </a> --><![CDATA[</a>]]><?pi </a> ?>t</a  >"
      "<b/><c\n/><d></d></r>";
  document doc = must_parse(xml);
  auto kids = doc.root().children();
  BOOST_TEST_REQUIRE(kids.size() == 4u);
  BOOST_TEST(kids[0].raw() ==
             "<a x='&gt;/>' y=\"&lt;/a>\"><!-- </a> --><![CDATA[</a>]]><?pi </a> ?>t</a  >");
  BOOST_TEST(kids[0].offset() == 3u);
  BOOST_TEST(kids[0].text() == "</a>t");
  BOOST_TEST(kids[1].raw() == "<b/>");
  BOOST_TEST(kids[2].raw() == "<c\n/>");
  BOOST_TEST(kids[3].raw() == "<d></d>");
  BOOST_TEST(doc.root().raw() == xml);
}

BOOST_AUTO_TEST_CASE(lift_carries_used_declarations_and_nothing_else) {
  document doc = must_parse(
      "<a:root xmlns:a='urn:a' xmlns='urn:d' xmlns:b='urn:b&amp;x' xmlns:unused='urn:u'>"
      "<a:x b:attr='1'><y/><c:z xmlns:c='urn:c' c:k='v'/></a:x>"
      "<none xmlns=''><a:y/></none>"
      "<a:own xmlns:a='urn:own'><a:y xml:lang='en'/></a:own>"
      "</a:root>");
  auto kids = doc.root().children();
  // Declarations are inserted after the element name, sorted by prefix.
  BOOST_TEST(kids[0].lift() ==
             "<a:x xmlns=\"urn:d\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b&amp;x\" b:attr='1'><y/>"
             "<c:z xmlns:c='urn:c' c:k='v'/></a:x>");
  // xmlns="" inside the subtree: the outer default is not needed.
  BOOST_TEST(kids[1].lift() == "<none xmlns:a=\"urn:a\" xmlns=''><a:y/></none>");
  // Everything declared on the lifted element itself: bytes unchanged.
  BOOST_TEST(kids[2].lift() == kids[2].raw());
  BOOST_TEST(kids[2].children()[0].lift() == "<a:y xmlns:a=\"urn:own\" xml:lang='en'/>");
  BOOST_TEST(doc.root().lift() == doc.root().raw());
}

// For every element of every capture: raw() is the exact source range, lift() parses on its own
// to the same expanded names and canonicalizes exactly as the element does in place.
BOOST_AUTO_TEST_CASE(every_element_of_every_capture_lifts_faithfully) {
  const std::string dir = vectors_dir() + "/captured";
  std::size_t files = 0, elements = 0;
  for (const std::string& name : list_dir(dir)) {
    BOOST_TEST_CONTEXT(name) {
      const std::string xml = read_file(dir + "/" + name);
      document doc = must_parse(xml);
      ++files;
      for_each_element(doc.root(), [&](const element& e) {
        ++elements;
        std::string_view raw = e.raw();
        BOOST_TEST(raw.data() == doc.source().data() + e.offset());
        BOOST_TEST(raw.substr(0, 1) == "<");
        BOOST_TEST(raw.substr(raw.size() - 1) == ">");
        const std::string lifted = e.lift();
        auto standalone = parse(lifted);
        BOOST_TEST_REQUIRE(
            standalone.has_value(),
            e.local_name() << ": " << (standalone ? std::string() : standalone.error().describe()));
        // Same expanded names and attributes, element by element.
        std::vector<element> in_place, alone;
        for_each_element(e, [&](const element& x) { in_place.push_back(x); });
        for_each_element(standalone->root(), [&](const element& x) { alone.push_back(x); });
        BOOST_TEST_REQUIRE(in_place.size() == alone.size());
        for (std::size_t i = 0; i < in_place.size(); ++i) {
          BOOST_TEST(alone[i].namespace_uri() == in_place[i].namespace_uri());
          BOOST_TEST(alone[i].local_name() == in_place[i].local_name());
          BOOST_TEST(alone[i].attributes().size() == in_place[i].attributes().size());
          BOOST_TEST(alone[i].text() == in_place[i].text());
        }
        auto c1 = exclusive_c14n(e);
        auto c2 = exclusive_c14n(standalone->root());
        BOOST_TEST_REQUIRE(c1.has_value());
        BOOST_TEST_REQUIRE(c2.has_value());
        BOOST_TEST(*c1 == *c2);
      });
    }
  }
  BOOST_TEST(files == 13u);
  BOOST_TEST(elements > 400u);
}

BOOST_AUTO_TEST_CASE(lifted_adfs_assertion_stands_alone) {
  const std::string xml = captured("adfs-wst13-soap12-saml11-bearer-SIGVALID.xml");
  document doc = must_parse(xml);
  const std::string trust = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
  element assertion = doc.root()
                          .child("http://www.w3.org/2003/05/soap-envelope", "Body")
                          .child(trust, "RequestSecurityTokenResponseCollection")
                          .child(trust, "RequestSecurityTokenResponse")
                          .child(trust, "RequestedSecurityToken")
                          .child("urn:oasis:names:tc:SAML:1.0:assertion", "Assertion");
  BOOST_TEST_REQUIRE(bool(assertion));
  BOOST_TEST(xml.compare(assertion.offset(), assertion.raw().size(), assertion.raw()) == 0);
  BOOST_TEST(assertion.raw().substr(0, 16) == "<saml:Assertion ");
  BOOST_TEST(assertion.raw().substr(assertion.raw().size() - 17) == "</saml:Assertion>");
  auto alone = parse(assertion.lift());
  BOOST_TEST_REQUIRE(alone.has_value());
  BOOST_TEST(alone->root().is("urn:oasis:names:tc:SAML:1.0:assertion", "Assertion"));
  BOOST_TEST(alone->root().attribute("", "AssertionID").value_or("") ==
             "_bf137f90-7dd7-4668-8a39-8bf55eb52017");
  BOOST_TEST(*exclusive_c14n(alone->root()) == *exclusive_c14n(assertion));
}

BOOST_AUTO_TEST_CASE(fault_subcode_qname_and_reason_text) {
  document doc = must_parse(captured("adfs-soap12-fault-requestfailed.xml"));
  const std::string s = "http://www.w3.org/2003/05/soap-envelope";
  element fault = doc.root().child(s, "Body").child(s, "Fault");
  BOOST_TEST_REQUIRE(bool(fault));
  element subcode = fault.child(s, "Code").child(s, "Subcode").child(s, "Value");
  BOOST_TEST_REQUIRE(bool(subcode));
  BOOST_TEST(subcode.text() == "a:RequestFailed");
  // "a" is WS-Addressing on the envelope but WS-Trust where the QName sits.
  BOOST_TEST(*subcode.lookup_namespace("a") == "http://docs.oasis-open.org/ws-sx/ws-trust/200512");
  BOOST_TEST(*doc.root().lookup_namespace("a") == "http://www.w3.org/2005/08/addressing");
  element text = fault.child(s, "Reason").child(s, "Text");
  BOOST_TEST(text.attribute(std::string(xml_ns), "lang").value_or("") == "en-US");
  BOOST_TEST(text.text() == "MSIS3127: The specified request failed.\n\t\t\t\t");
}

BOOST_AUTO_TEST_CASE(documents_move_and_elements_stay_valid) {
  auto r = parse("<r><a/></r>");
  BOOST_TEST_REQUIRE(r.has_value());
  document a = std::move(r).value();
  element child = a.root().children()[0];
  document b = std::move(a);
  BOOST_TEST(b.root().children()[0].raw() == "<a/>");
  BOOST_TEST(child.parent().raw() == "<r><a/></r>");  // state is on the heap, not in the handle
}

BOOST_AUTO_TEST_SUITE_END()
