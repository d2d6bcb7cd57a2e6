// sdk/xml element::lift(): the declarations carried for QName-valued attributes and text and
// for exc-c14n InclusiveNamespaces PrefixList prefixes (docs/xml.md, "Reading: what a
// document offers"). Every expectation is byte-exact; the documents are written for this test.
#include <wst/xml/c14n.hpp>
#include <wst/xml/reader.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace wst::detail::xml;

namespace {

document must_parse(std::string_view xml) {
  auto r = parse(xml);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().describe()));
  return std::move(r).value();
}

// The only child of the document's root, lifted.
std::string lift_child(std::string_view xml) {
  document doc = must_parse(xml);
  element e = doc.root().first_child();
  BOOST_TEST_REQUIRE(bool(e));
  std::string lifted = e.lift();
  BOOST_TEST_REQUIRE(parse(lifted).has_value(), lifted);  // always a standalone document
  return lifted;
}

constexpr const char* outer =  // three prefixes and a default, declared above the lifted element
    "<r xmlns='urn:d' xmlns:xs='urn:xs' xmlns:xsi='urn:xsi' xmlns:q='urn:q'>";

}  // namespace

// (a) Attribute values.

BOOST_AUTO_TEST_CASE(qname_attribute_value_carries_its_prefix) {
  BOOST_TEST(lift_child(std::string(outer) + "<v xsi:type='xs:string'>x</v></r>") ==
             "<v xmlns=\"urn:d\" xmlns:xs=\"urn:xs\" xmlns:xsi=\"urn:xsi\" "
             "xsi:type='xs:string'>x</v>");
  // Unprefixed attribute, deeper element, surrounding whitespace (xs:QName collapses it), a
  // character reference in the value.
  BOOST_TEST(
      lift_child(std::string(outer) +
                 "<a:v xmlns:a='urn:a'><a:w t=' q:one\t'/><a:w u='xs&#58;two'/></a:v></r>") ==
      "<a:v xmlns:q=\"urn:q\" xmlns:xs=\"urn:xs\" xmlns:a='urn:a'><a:w t=' q:one\t'/>"
      "<a:w u='xs&#58;two'/></a:v>");
}

BOOST_AUTO_TEST_CASE(non_qname_or_locally_declared_attribute_values_carry_nothing) {
  const std::string lifted =
      lift_child(std::string(outer) +
                 "<a:v xmlns:a='urn:a' u1='http://q' u2='q:b:c' u3=':q' u4='q:' u5='q: x' u6='q:1x'"
                 " u7='urn:q:x' u8='xml:lang' u9='undeclared:x' u10='xmlns:q'>"
                 "<a:w xmlns:xs='urn:inner' t='xs:string'/></a:v></r>");
  // Nothing carried: no QName, a prefix declared inside before its use, an undeclared prefix
  // (not invented), xml and xmlns.
  BOOST_TEST(lifted ==
             "<a:v xmlns:a='urn:a' u1='http://q' u2='q:b:c' u3=':q' u4='q:' u5='q: x' u6='q:1x'"
             " u7='urn:q:x' u8='xml:lang' u9='undeclared:x' u10='xmlns:q'>"
             "<a:w xmlns:xs='urn:inner' t='xs:string'/></a:v>");
  // A QName value whose prefix the subtree redeclares only on a sibling branch still needs
  // the outer binding where it is used.
  BOOST_TEST(
      lift_child(std::string(outer) +
                 "<a:v xmlns:a='urn:a'><a:w xmlns:xs='urn:inner'/><a:w t='xs:int'/></a:v></r>") ==
      "<a:v xmlns:xs=\"urn:xs\" xmlns:a='urn:a'><a:w xmlns:xs='urn:inner'/>"
      "<a:w t='xs:int'/></a:v>");
}

// (b) InclusiveNamespaces PrefixList.

BOOST_AUTO_TEST_CASE(prefix_list_carries_its_prefixes) {
  const std::string xml =
      std::string(outer) +
      "<a:v xmlns:a='urn:a'><a:s><ec:InclusiveNamespaces"
      " xmlns:ec='http://www.w3.org/2001/10/xml-exc-c14n#' PrefixList='xs&#9;q  #default"
      " xml undeclared'/></a:s></a:v></r>";
  BOOST_TEST(lift_child(xml) ==
             "<a:v xmlns=\"urn:d\" xmlns:q=\"urn:q\" xmlns:xs=\"urn:xs\" xmlns:a='urn:a'><a:s>"
             "<ec:InclusiveNamespaces xmlns:ec='http://www.w3.org/2001/10/xml-exc-c14n#'"
             " PrefixList='xs&#9;q  #default xml undeclared'/></a:s></a:v>");
  // Redeclared below the top of the subtree: exc-c14n still renders the outer binding on the
  // top element (it is in scope there), so it is carried.
  BOOST_TEST(lift_child(std::string(outer) +
                        "<a:v xmlns:a='urn:a'><a:s xmlns:xs='urn:inner'><ec:InclusiveNamespaces"
                        " xmlns:ec='http://www.w3.org/2001/10/xml-exc-c14n#' PrefixList='xs'/>"
                        "</a:s></a:v></r>") ==
             "<a:v xmlns:xs=\"urn:xs\" xmlns:a='urn:a'><a:s xmlns:xs='urn:inner'>"
             "<ec:InclusiveNamespaces xmlns:ec='http://www.w3.org/2001/10/xml-exc-c14n#'"
             " PrefixList='xs'/></a:s></a:v>");
}

BOOST_AUTO_TEST_CASE(prefix_list_declared_on_top_or_in_another_namespace_carries_nothing) {
  // Declared on the lifted element itself (and xmlns="" there): nothing to add.
  const std::string own =
      "<a:v xmlns:a='urn:a' xmlns:xs='urn:own' xmlns=''><ec:InclusiveNamespaces"
      " xmlns:ec='http://www.w3.org/2001/10/xml-exc-c14n#' PrefixList='xs #default'/></a:v>";
  BOOST_TEST(lift_child(std::string(outer) + own + "</r>") == own);
  // Not the exc-c14n namespace, or a prefixed PrefixList attribute: not a PrefixList.
  const std::string other =
      "<a:v xmlns:a='urn:a'><a:InclusiveNamespaces PrefixList='xs q'/>"
      "<ec:InclusiveNamespaces xmlns:ec='http://www.w3.org/2001/10/xml-exc-c14n#'"
      " a:PrefixList='xs q'/></a:v>";
  BOOST_TEST(lift_child(std::string(outer) + other + "</r>") == other);
}

// (c) Element text.

BOOST_AUTO_TEST_CASE(qname_text_carries_its_prefix) {
  // A SOAP 1.2 fault code, one in a CDATA section with whitespace around it, and one split by
  // a comment (text() is what counts).
  BOOST_TEST(
      lift_child("<s:E xmlns:s='urn:s' xmlns:a='urn:a' xmlns:b='urn:b'><s:Code><s:Value>"
                 "s:Sender</s:Value><s:Subcode><s:Value>\n <![CDATA[a:Failed]]> "
                 "</s:Value><s:Detail>b<!-- -->&#58;x</s:Detail></s:Subcode></s:Code></s:E>") ==
      "<s:Code xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" xmlns:s=\"urn:s\"><s:Value>s:Sender"
      "</s:Value><s:Subcode><s:Value>\n <![CDATA[a:Failed]]> </s:Value>"
      "<s:Detail>b<!-- -->&#58;x</s:Detail></s:Subcode></s:Code>");
}

BOOST_AUTO_TEST_CASE(non_qname_or_locally_declared_text_carries_nothing) {
  const std::string inner =
      "<v><t>http://q/x</t><t>q:b:c</t><t>undeclared:x</t><t>q:x y</t><t>urn:q:x</t>"
      "<t xmlns:q='urn:inner'>q:x</t><m>q:<i/>x</m></v>";
  // Every t is a leaf whose text is not a QName with an outer prefix; m is not a leaf (its
  // text pieces are not taken as one QName). Only the default namespace of v is carried.
  BOOST_TEST(lift_child(std::string(outer) + inner + "</r>") ==
             "<v xmlns=\"urn:d\"" + inner.substr(2));
}

// End to end: an element signed with exc-c14n and PrefixList="xs", where xs is declared only
// above it and used only in an attribute value, canonicalizes identically in place and
// lifted (before the PrefixList rule and the value rule, the lifted form lost xmlns:xs).
BOOST_AUTO_TEST_CASE(prefix_list_signed_subtree_canonicalizes_identically_lifted) {
  const std::string xml =
      "<S:Envelope xmlns:S='http://www.w3.org/2003/05/soap-envelope'"
      " xmlns:xs='http://www.w3.org/2001/XMLSchema'"
      " xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><S:Body>"
      "<saml:Assertion xmlns:saml='urn:oasis:names:tc:SAML:2.0:assertion' ID='_1'>"
      "<ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'><ds:SignedInfo>"
      "<ds:Reference URI='#_1'><ds:Transforms>"
      "<ds:Transform Algorithm='http://www.w3.org/2001/10/xml-exc-c14n#'>"
      "<ec:InclusiveNamespaces xmlns:ec='http://www.w3.org/2001/10/xml-exc-c14n#'"
      " PrefixList='xs'/></ds:Transform></ds:Transforms></ds:Reference></ds:SignedInfo>"
      "</ds:Signature>"
      "<saml:AttributeStatement><saml:Attribute Name='n'>"
      "<saml:AttributeValue xsi:type='xs:string'>v</saml:AttributeValue>"
      "</saml:Attribute></saml:AttributeStatement></saml:Assertion></S:Body></S:Envelope>";
  document doc = must_parse(xml);
  element assertion = doc.root().first_child().first_child();
  BOOST_TEST_REQUIRE(assertion.local_name() == "Assertion");
  const std::string lifted = assertion.lift();
  BOOST_TEST(lifted.substr(0, lifted.find('>') + 1) ==
             "<saml:Assertion xmlns:xs=\"http://www.w3.org/2001/XMLSchema\""
             " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
             " xmlns:saml='urn:oasis:names:tc:SAML:2.0:assertion' ID='_1'>");
  document alone = must_parse(lifted);
  c14n_options opts;
  opts.inclusive_prefixes = {"xs"};
  opts.exclude = assertion.first_child();  // enveloped signature
  auto in_place = exclusive_c14n(assertion, opts);
  opts.exclude = alone.root().first_child();
  auto standalone = exclusive_c14n(alone.root(), opts);
  BOOST_TEST_REQUIRE(in_place.has_value());
  BOOST_TEST_REQUIRE(standalone.has_value());
  BOOST_TEST(*standalone == *in_place);
  // The PrefixList binding is rendered on the top element, in both.
  BOOST_TEST(in_place->find("<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
                            " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" ID=\"_1\">") == 0u);
}
