// secure_bytes semantics, including the wipe: this test program replaces the global
// operator delete to look at every block the heap gets back while a test watches for a
// marker, so a secret left in freed memory is seen. A plain std::vector is the control that
// proves the detector sees what it should. The XML reader's documents are checked the same way
// (an RSTR's text carries entropy and keys).
#include <wst/crypto/crypto.hpp>
#include <wst/xml/reader.hpp>

#include <boost/test/unit_test.hpp>

#include <malloc.h>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

namespace crypto = wst::detail::crypto;

namespace {

constexpr std::uint8_t marker[16] = {0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15,
                                     0xf3, 0x9c, 0xc0, 0x60, 0x5c, 0xed, 0xc8, 0x34};
// An ASCII marker for text that must be wiped (XML documents refuse the binary one).
constexpr char text_marker[] = "wst-secret-text-marker-3f9c1e";
std::atomic<bool> watching{false};
std::atomic<int> marker_freed{0};
const std::uint8_t* watched = marker;  // what the detector looks for
std::size_t watched_size = sizeof marker;

void inspect(void* p) noexcept {
  if (p == nullptr || !watching.load(std::memory_order_relaxed)) return;
  const std::size_t n = ::malloc_usable_size(p);
  const auto* b = static_cast<const std::uint8_t*>(p);
  for (std::size_t i = 0; i + watched_size <= n; ++i) {
    if (std::memcmp(b + i, watched, watched_size) == 0) {
      marker_freed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
}

// Runs `body` and returns how many freed blocks still held the marker.
template <class F>
int freed_markers(F&& body) {
  marker_freed = 0;
  watching = true;
  body();
  watching = false;
  return marker_freed.load();
}

crypto::secure_bytes marked() { return crypto::secure_bytes(marker, sizeof marker); }

// freed_markers() looking for text_marker instead.
template <class F>
int freed_text_markers(F&& body) {
  watched = reinterpret_cast<const std::uint8_t*>(text_marker);
  watched_size = sizeof text_marker - 1;
  const int n = freed_markers(std::forward<F>(body));
  watched = marker;
  watched_size = sizeof marker;
  return n;
}

}  // namespace

// The replacements pair malloc with free; GCC's check would otherwise see free() meet memory
// from operator new once they are inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  inspect(p);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  inspect(p);
  std::free(p);
}
#pragma GCC diagnostic pop

BOOST_AUTO_TEST_SUITE(secure_bytes)

BOOST_AUTO_TEST_CASE(detector_sees_an_unwiped_vector) {
  BOOST_TEST(freed_markers([] { std::vector<std::uint8_t> v(marker, marker + sizeof marker); }) ==
             1);
}

BOOST_AUTO_TEST_CASE(wiped_on_destruction) {
  BOOST_TEST(freed_markers([] { auto s = marked(); }) == 0);
}

BOOST_AUTO_TEST_CASE(wiped_on_clear) {
  auto s = marked();
  BOOST_TEST(freed_markers([&] { s.clear(); }) == 0);
  BOOST_TEST(s.empty());
  BOOST_TEST(s.size() == 0u);
}

BOOST_AUTO_TEST_CASE(wiped_on_copy_and_move_assignment) {
  BOOST_TEST(freed_markers([] {
               auto s = marked();
               crypto::secure_bytes other(8);
               s = other;  // the old marker buffer is released here
               BOOST_TEST(s.size() == 8u);
             }) == 0);
  BOOST_TEST(freed_markers([] {
               auto s = marked();
               s = crypto::secure_bytes(4);
               BOOST_TEST(s.size() == 4u);
             }) == 0);
  BOOST_TEST(freed_markers([] {
               auto a = marked();
               auto b = marked();
               b = a;  // copies: both buffers are wiped when a and b go away
               a = std::move(b);
             }) == 0);
}

BOOST_AUTO_TEST_CASE(construction) {
  crypto::secure_bytes empty;
  BOOST_TEST(empty.empty());
  crypto::secure_bytes zeros(5);
  BOOST_TEST(zeros.size() == 5u);
  for (std::size_t i = 0; i < zeros.size(); ++i) BOOST_TEST(zeros.data()[i] == 0);
  auto s = marked();
  BOOST_REQUIRE(s.size() == sizeof marker);
  BOOST_TEST(std::memcmp(s.data(), marker, sizeof marker) == 0);
  BOOST_TEST(static_cast<const void*>(s.data()) != static_cast<const void*>(marker));
}

BOOST_AUTO_TEST_CASE(copies_are_independent) {
  auto a = marked();
  crypto::secure_bytes b(a);
  BOOST_TEST((b == a));
  BOOST_TEST(b.data() != a.data());
  b.data()[0] ^= 1;
  BOOST_TEST((!(b == a)));
  crypto::secure_bytes c;
  c = a;
  BOOST_TEST((c == a));
  c = c;  // self-assignment keeps the contents
  BOOST_TEST((c == a));
}

BOOST_AUTO_TEST_CASE(move_leaves_the_source_empty) {
  auto a = marked();
  const std::uint8_t* buffer = a.data();
  crypto::secure_bytes b(std::move(a));
  BOOST_TEST(a.empty());           // NOLINT(bugprone-use-after-move): documented state
  BOOST_TEST(b.data() == buffer);  // the buffer changed hands, nothing was copied
  crypto::secure_bytes c(3);
  c = std::move(b);
  BOOST_TEST(b.empty());  // NOLINT(bugprone-use-after-move)
  BOOST_TEST(c.size() == sizeof marker);
  BOOST_TEST(c.data() == buffer);
  c = std::move(c);
  BOOST_TEST(c.size() == sizeof marker);
}

BOOST_AUTO_TEST_CASE(equality) {
  const crypto::secure_bytes a(reinterpret_cast<const std::uint8_t*>("abcd"), 4);
  const crypto::secure_bytes b(reinterpret_cast<const std::uint8_t*>("abcd"), 4);
  const crypto::secure_bytes c(reinterpret_cast<const std::uint8_t*>("abce"), 4);
  const crypto::secure_bytes d(reinterpret_cast<const std::uint8_t*>("abc"), 3);
  BOOST_TEST((a == b));
  BOOST_TEST((!(a == c)));
  BOOST_TEST((!(a == d)));
  BOOST_TEST((crypto::secure_bytes() == crypto::secure_bytes()));
}

BOOST_AUTO_TEST_SUITE_END()

// The XML reader keeps a copy of the input (an RSTR: entropy, keys) for the document's life and
// wipes it when the document goes; a std::string copy of the same text is the control.
BOOST_AUTO_TEST_CASE(xml_document_source_wiped) {
  const std::string xml = std::string("<a><b>") + text_marker + "</b></a>";
  BOOST_TEST(freed_text_markers([&] { std::string copy = xml; }) == 1);
  BOOST_TEST(freed_text_markers([&] {
               auto doc = wst::detail::xml::parse(xml);
               BOOST_REQUIRE(doc);
               std::string storage;  // stays empty: plain text is viewed in place
               BOOST_TEST(doc->root().child("", "b").text_view(storage) == text_marker);
             }) == 0);
}
