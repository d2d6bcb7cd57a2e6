// The internal side of the C facade: wrapping a core issued_token (what WsRequestSecurityToken
// will hand out), the HRESULT of every layer's codes, and WS_ERROR recording.
#include <wst/capi/call.hpp>
#include <wst/capi/errors.hpp>
#include <wst/capi/security_token.hpp>
#include <wst/core/errors.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/xml/reader.hpp>

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace capi = wst::detail::capi;
namespace core = wst::detail::core;
namespace xml = wst::detail::xml;
namespace crypto = wst::detail::crypto;

namespace {

std::string written(WS_XML_BUFFER* buffer, WS_HEAP* heap) {
  WS_XML_WRITER* writer = nullptr;
  BOOST_REQUIRE_EQUAL(WsCreateWriter(nullptr, 0, &writer, nullptr), S_OK);
  void* bytes = nullptr;
  ULONG size = 0;
  BOOST_REQUIRE_EQUAL(
      WsWriteXmlBufferToBytes(writer, buffer, nullptr, nullptr, 0, heap, &bytes, &size, nullptr),
      S_OK);
  WsFreeWriter(writer);
  return std::string(static_cast<const char*>(bytes), size);
}

std::wstring newest_string(WS_ERROR* error) {
  WS_STRING s{};
  BOOST_REQUIRE_EQUAL(WsGetErrorString(error, 0, &s), S_OK);
  return std::wstring(s.chars, s.length);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_internals)

BOOST_AUTO_TEST_CASE(wraps_an_issued_token_without_copying) {
  auto t = std::make_shared<core::issued_token>();
  t->xml =
      "<sc:SecurityContextToken xmlns:sc=\"http://schemas.xmlsoap.org/ws/2005/02/sc\">"
      "<sc:Identifier>urn:uuid:1</sc:Identifier></sc:SecurityContextToken>";
  t->attached_reference =
      "<o:SecurityTokenReference xmlns:o=\"urn:o\"><o:Reference URI=\"#x\"/>"
      "</o:SecurityTokenReference>";
  t->valid_from = core::datetime{638501616000000000};
  t->valid_till = core::datetime{core::datetime::max_ticks};
  t->key = core::key_type::symmetric;
  const std::uint8_t key[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  t->proof_key = crypto::secure_bytes(key, sizeof key);
  t->key_size_bits = 128;
  std::shared_ptr<const core::issued_token> shared = t;

  std::unique_ptr<WS_SECURITY_TOKEN> handle = capi::make_security_token(shared);
  BOOST_TEST(capi::token_of(handle.get()) == shared);  // the same object, not a copy
  BOOST_TEST(shared.use_count() == 3);                 // t, shared, the handle

  WS_HEAP* heap = nullptr;
  BOOST_REQUIRE_EQUAL(WsCreateHeap(1 << 16, 0, nullptr, 0, &heap, nullptr), S_OK);
  WS_SECURITY_KEY_TYPE type{};
  BOOST_TEST(WsGetSecurityTokenProperty(handle.get(), WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE, &type,
                                        sizeof type, nullptr, nullptr) == S_OK);
  BOOST_TEST(type == WS_SECURITY_KEY_TYPE_SYMMETRIC);
  WS_DATETIME from{}, till{};
  BOOST_TEST(WsGetSecurityTokenProperty(handle.get(), WS_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME,
                                        &from, sizeof from, nullptr, nullptr) == S_OK);
  BOOST_TEST(WsGetSecurityTokenProperty(handle.get(), WS_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME,
                                        &till, sizeof till, nullptr, nullptr) == S_OK);
  BOOST_TEST(from.ticks == 638501616000000000ULL);
  BOOST_TEST(till.ticks == 3155378975999999999ULL);
  WS_XML_BUFFER* buffer = nullptr;
  BOOST_TEST(WsGetSecurityTokenProperty(handle.get(), WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML,
                                        &buffer, sizeof buffer, heap, nullptr) == S_OK);
  BOOST_TEST(written(buffer, heap) == t->xml);
  BOOST_TEST(WsGetSecurityTokenProperty(handle.get(),
                                        WS_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE_XML, &buffer,
                                        sizeof buffer, heap, nullptr) == S_OK);
  BOOST_TEST(written(buffer, heap) == t->attached_reference);
  WS_BYTES bytes{};
  BOOST_TEST(WsGetSecurityTokenProperty(handle.get(), WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY,
                                        &bytes, sizeof bytes, heap, nullptr) == S_OK);
  BOOST_TEST(bytes.length == 16u);
  BOOST_TEST(std::memcmp(bytes.bytes, key, 16) == 0);

  WsFreeSecurityToken(handle.release());
  BOOST_TEST(shared.use_count() == 2);
  WsFreeHeap(heap);
}

BOOST_AUTO_TEST_CASE(token_of_refuses_what_is_not_a_token) {
  BOOST_TEST(capi::token_of(nullptr) == nullptr);
  long long fake[8] = {};
  BOOST_TEST(capi::token_of(reinterpret_cast<WS_SECURITY_TOKEN*>(fake)) == nullptr);
}

BOOST_AUTO_TEST_CASE(every_layer_maps_to_an_hresult) {
  BOOST_TEST(capi::hresult_of({}) == S_OK);
  BOOST_TEST(capi::hresult_of(capi::errc::invalid_argument) == E_INVALIDARG);
  BOOST_TEST(capi::hresult_of(capi::errc::out_of_memory) == E_OUTOFMEMORY);
  BOOST_TEST(capi::hresult_of(capi::errc::quota_exceeded) == WS_E_QUOTA_EXCEEDED);
  BOOST_TEST(capi::hresult_of(capi::errc::invalid_format) == WS_E_INVALID_FORMAT);
  BOOST_TEST(capi::hresult_of(capi::errc::invalid_operation) == WS_E_INVALID_OPERATION);
  BOOST_TEST(capi::hresult_of(capi::errc::not_supported) == WS_E_NOT_SUPPORTED);
  BOOST_TEST(capi::hresult_of(xml::errc::too_deep) == WS_E_QUOTA_EXCEEDED);
  BOOST_TEST(capi::hresult_of(xml::errc::too_large) == WS_E_QUOTA_EXCEEDED);
  BOOST_TEST(capi::hresult_of(xml::errc::malformed) == WS_E_INVALID_FORMAT);
  BOOST_TEST(capi::hresult_of(core::errc::fault_received) == WS_E_ENDPOINT_FAULT_RECEIVED);
  BOOST_TEST(capi::hresult_of(core::errc::invalid_key_size) == E_INVALIDARG);
  BOOST_TEST(capi::hresult_of(core::errc::not_supported) == WS_E_NOT_SUPPORTED);
  BOOST_TEST(capi::hresult_of(core::errc::xml_limit_exceeded) == WS_E_QUOTA_EXCEEDED);
  BOOST_TEST(capi::hresult_of(core::errc::key_size_mismatch) == WS_E_INVALID_FORMAT);
  BOOST_TEST(capi::hresult_of(crypto::errc::signature_invalid) ==
             WS_E_SECURITY_VERIFICATION_FAILURE);
  BOOST_TEST(capi::hresult_of(crypto::errc::backend_failure) == WS_E_SECURITY_SYSTEM_FAILURE);
  BOOST_TEST(capi::hresult_of(std::make_error_code(std::errc::not_enough_memory)) == E_OUTOFMEMORY);
  BOOST_TEST(capi::hresult_of(std::make_error_code(std::errc::io_error)) == E_FAIL);
}

BOOST_AUTO_TEST_CASE(guard_turns_exceptions_into_hresults) {
  WS_ERROR* error = nullptr;
  BOOST_REQUIRE_EQUAL(WsCreateError(nullptr, 0, &error), S_OK);
  BOOST_TEST(capi::guard("F", error, [](capi::call&) -> HRESULT { throw std::bad_alloc(); }) ==
             E_OUTOFMEMORY);
  BOOST_TEST((newest_string(error) == L"F: out of memory"));
  BOOST_TEST(capi::guard("G", error, [](capi::call&) -> HRESULT {
               throw std::runtime_error("boom");
             }) == E_FAIL);
  BOOST_TEST((newest_string(error) == L"G: internal error: boom"));
  BOOST_TEST(capi::guard("H", error, [](capi::call&) -> HRESULT { throw 42; }) == E_FAIL);
  BOOST_TEST((newest_string(error) == L"H: internal error"));
  // A failure of another layer keeps its category's wording.
  BOOST_TEST(capi::guard("I", error, [](capi::call& c) {
               return c.fail(wst::detail::failure(core::errc::fault_received, "s:Sender: no"));
             }) == WS_E_ENDPOINT_FAULT_RECEIVED);
  BOOST_TEST((newest_string(error).find(L"I: ") == 0u));
  BOOST_TEST(newest_string(error).find(L"s:Sender: no") != std::wstring::npos);
  HRESULT original = 0;
  BOOST_TEST(WsGetErrorProperty(error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &original,
                                sizeof original) == S_OK);
  BOOST_TEST(original == WS_E_ENDPOINT_FAULT_RECEIVED);
  WsFreeError(error);
}

BOOST_AUTO_TEST_CASE(record_keeps_the_newest_64_strings) {
  WS_ERROR* error = nullptr;
  BOOST_REQUIRE_EQUAL(WsCreateError(nullptr, 0, &error), S_OK);
  for (int i = 0; i < 70; ++i) capi::record(error, E_FAIL, "message " + std::to_string(i));
  ULONG count = 0;
  BOOST_TEST(WsGetErrorProperty(error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof count) ==
             S_OK);
  BOOST_TEST(count == 64u);
  BOOST_TEST((newest_string(error) == L"message 69"));
  WS_STRING oldest{};
  BOOST_TEST(WsGetErrorString(error, 63, &oldest) == S_OK);
  BOOST_TEST((std::wstring(oldest.chars, oldest.length) == L"message 6"));
  // Long text is cut, never refused.
  capi::record(error, E_FAIL, std::string(100000, 'x'));
  BOOST_TEST(newest_string(error).size() == 65536u);
  // A NULL or foreign error object is left alone.
  BOOST_TEST(capi::record(nullptr, E_FAIL, "x") == E_FAIL);
  WsFreeError(error);
}

BOOST_AUTO_TEST_CASE(widen_decodes_utf8_and_replaces_what_is_malformed) {
  BOOST_TEST((capi::widen("abc") == L"abc"));
  BOOST_TEST((capi::widen("\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80") == L"\u00E9\u4E2D\U0001F600"));
  BOOST_TEST((capi::widen("a\xC3") == L"a\uFFFD"));                              // truncated
  BOOST_TEST((capi::widen("\xC0\xAF") == L"\uFFFD\uFFFD"));                      // overlong '/'
  BOOST_TEST((capi::widen("\xED\xA0\x80") == L"\uFFFD\uFFFD\uFFFD"));            // surrogate
  BOOST_TEST((capi::widen("\xF4\x90\x80\x80") == L"\uFFFD\uFFFD\uFFFD\uFFFD"));  // > U+10FFFF
  BOOST_TEST((capi::widen("\x80z") == L"\uFFFDz"));
}

BOOST_AUTO_TEST_SUITE_END()
