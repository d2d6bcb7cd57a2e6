// The internal side of the C facade: wrapping a core issued_token (what WsRequestSecurityToken
// will hand out), the HRESULT of every layer's codes, and WS_ERROR recording.
#include <wst/actors/errors.hpp>
#include <wst/capi/async.hpp>
#include <wst/capi/call.hpp>
#include <wst/capi/errors.hpp>
#include <wst/capi/security_token.hpp>
#include <wst/capi/text.hpp>
#include <wst/core/errors.hpp>
#include <wst/crypto/crypto.hpp>
#include <wst/http/errc.hpp>
#include <wst/tls/context.hpp>
#include <wst/transport.hpp>
#include <wst/xml/reader.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace capi = wst::detail::capi;
namespace core = wst::detail::core;
namespace xml = wst::detail::xml;
namespace crypto = wst::detail::crypto;
namespace actors = wst::detail::actors;
namespace http = wst::detail::http;
namespace tls = wst::detail::tls;

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
  BOOST_TEST(capi::hresult_of(core::errc::invalid_supporting_token) == E_INVALIDARG);
  BOOST_TEST(capi::hresult_of(core::errc::invalid_existing_token) == E_INVALIDARG);
  // Actors.
  BOOST_TEST(capi::hresult_of(actors::errc::invalid_state) == WS_E_INVALID_OPERATION);
  BOOST_TEST(capi::hresult_of(actors::errc::channel_faulted) == WS_E_OBJECT_FAULTED);
  BOOST_TEST(capi::hresult_of(actors::errc::aborted) == WS_E_OPERATION_ABORTED);
  BOOST_TEST(capi::hresult_of(actors::errc::shutting_down) == WS_E_OPERATION_ABORTED);
  BOOST_TEST(capi::hresult_of(actors::errc::timed_out) == WS_E_OPERATION_TIMED_OUT);
  BOOST_TEST(capi::hresult_of(actors::errc::server_fault) == WS_E_ENDPOINT_FAULT_RECEIVED);
  BOOST_TEST(capi::hresult_of(actors::errc::token_expired) == WS_E_SECURITY_TOKEN_EXPIRED);
  BOOST_TEST(capi::hresult_of(actors::errc::runtime_failure) == WS_E_OTHER);
  // Transport.
  BOOST_TEST(capi::hresult_of(wst::transport_errc::connection_refused) ==
             WS_E_ENDPOINT_UNREACHABLE);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::connection_reset) == WS_E_ENDPOINT_DISCONNECTED);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::eof) == WS_E_ENDPOINT_DISCONNECTED);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::host_not_found) == WS_E_ENDPOINT_NOT_FOUND);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::timed_out) == WS_E_OPERATION_TIMED_OUT);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::aborted) == WS_E_OPERATION_ABORTED);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::tls_verification_failed) ==
             WS_E_SECURITY_VERIFICATION_FAILURE);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::tls_handshake_failed) ==
             WS_E_SECURITY_VERIFICATION_FAILURE);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::tls_protocol_error) == WS_E_INVALID_FORMAT);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::message_too_large) == WS_E_QUOTA_EXCEEDED);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::queue_full) == WS_E_QUOTA_EXCEEDED);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::invalid_url) == WS_E_INVALID_ENDPOINT_URL);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::io_error) == WS_E_OTHER);
  BOOST_TEST(capi::hresult_of(wst::transport_errc::shutting_down) == WS_E_OPERATION_ABORTED);
  // HTTP.
  BOOST_TEST(capi::hresult_of(http::errc::basic_auth_required) == WS_E_SERVER_REQUIRES_BASIC_AUTH);
  BOOST_TEST(capi::hresult_of(http::errc::digest_auth_required) ==
             WS_E_SERVER_REQUIRES_DIGEST_AUTH);
  BOOST_TEST(capi::hresult_of(http::errc::ntlm_auth_required) == WS_E_SERVER_REQUIRES_NTLM_AUTH);
  BOOST_TEST(capi::hresult_of(http::errc::negotiate_auth_required) ==
             WS_E_SERVER_REQUIRES_NEGOTIATE_AUTH);
  BOOST_TEST(capi::hresult_of(http::errc::auth_required) == WS_E_ENDPOINT_ACCESS_DENIED);
  BOOST_TEST(capi::hresult_of(http::errc::proxy_auth_required) == WS_E_PROXY_ACCESS_DENIED);
  BOOST_TEST(capi::hresult_of(http::errc::endpoint_not_found) == WS_E_ENDPOINT_NOT_FOUND);
  BOOST_TEST(capi::hresult_of(http::errc::redirect) == WS_E_ENDPOINT_NOT_FOUND);
  BOOST_TEST(capi::hresult_of(http::errc::server_busy) == WS_E_ENDPOINT_TOO_BUSY);
  BOOST_TEST(capi::hresult_of(http::errc::unexpected_status) == WS_E_ENDPOINT_FAILURE);
  BOOST_TEST(capi::hresult_of(http::errc::malformed) == WS_E_INVALID_FORMAT);
  BOOST_TEST(capi::hresult_of(http::errc::wrong_content_type) == WS_E_INVALID_FORMAT);
  BOOST_TEST(capi::hresult_of(http::errc::unsupported_charset) == WS_E_INVALID_FORMAT);
  BOOST_TEST(capi::hresult_of(http::errc::truncated) == WS_E_ENDPOINT_DISCONNECTED);
  BOOST_TEST(capi::hresult_of(http::errc::message_too_large) == WS_E_QUOTA_EXCEEDED);
  BOOST_TEST(capi::hresult_of(http::errc::header_too_large) == WS_E_QUOTA_EXCEEDED);
  BOOST_TEST(capi::hresult_of(http::errc::unsupported) == WS_E_NOT_SUPPORTED);
  BOOST_TEST(capi::hresult_of(http::errc::invalid_request) == E_INVALIDARG);
  // TLS configuration.
  BOOST_TEST(capi::hresult_of(tls::errc::file_unreadable) == E_INVALIDARG);
  BOOST_TEST(capi::hresult_of(tls::errc::invalid_private_key) == E_INVALIDARG);
  BOOST_TEST(capi::hresult_of(tls::errc::missing_credentials) == E_INVALIDARG);
  BOOST_TEST(capi::hresult_of(tls::errc::trust_store_unavailable) == WS_E_SECURITY_SYSTEM_FAILURE);
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

BOOST_AUTO_TEST_CASE(narrow_encodes_utf8_and_refuses_what_is_not_text) {
  WCHAR chars[] = {L'a', 0xE9, 0x4E2D, 0x1F600};
  WS_STRING s{4, chars};
  auto r = capi::narrow(s, "x");
  BOOST_REQUIRE(r);
  BOOST_TEST((*r == "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"));
  BOOST_TEST(capi::narrow(WS_STRING{0, nullptr}, "x").value().empty());
  BOOST_TEST(!capi::narrow(WS_STRING{1, nullptr}, "x"));
  WCHAR surrogate[] = {0xDC00};
  BOOST_TEST(!capi::narrow(WS_STRING{1, surrogate}, "x"));
  WCHAR beyond[] = {static_cast<WCHAR>(0x110000)};
  BOOST_TEST(!capi::narrow(WS_STRING{1, beyond}, "x"));
  WCHAR nul[] = {L'a', 0};
  auto n = capi::narrow(WS_STRING{2, nul}, "the url");
  BOOST_REQUIRE(!n);
  BOOST_TEST(n.error().message.find("the url") == 0u);
  BOOST_TEST(!capi::narrow(WS_STRING{4, chars}, "x", 3));
}

namespace {

struct callback_log {
  std::mutex mu;
  std::condition_variable cv;
  int calls = 0;
  HRESULT hr = S_OK;
  WS_CALLBACK_MODEL model = WS_SHORT_CALLBACK;
  std::thread::id thread;

  static void CALLBACK record(HRESULT hr, WS_CALLBACK_MODEL model, void* state) {
    auto* log = static_cast<callback_log*>(state);
    std::lock_guard<std::mutex> lock(log->mu);
    ++log->calls;
    log->hr = hr;
    log->model = model;
    log->thread = std::this_thread::get_id();
    log->cv.notify_all();
  }
  bool wait(int n) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return calls >= n; });
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(an_operation_completed_before_it_returns_is_synchronous) {
  callback_log log;
  WS_ASYNC_CONTEXT context{callback_log::record, &log};
  capi::operation op(&context, WS_SHORT_CALLBACK);
  op.complete(WS_E_OPERATION_ABORTED);  // inline: before initiated()
  BOOST_TEST(op.initiated() == WS_E_OPERATION_ABORTED);
  BOOST_TEST(log.calls == 0);  // no callback for a synchronous result
}

BOOST_AUTO_TEST_CASE(an_asynchronous_operation_calls_back_exactly_once) {
  callback_log log;
  WS_ASYNC_CONTEXT context{callback_log::record, &log};
  auto op = std::make_shared<capi::operation>(&context, WS_SHORT_CALLBACK);
  BOOST_TEST(op->initiated() == WS_S_ASYNC);
  std::thread([op] { op->complete(E_FAIL); }).join();
  BOOST_TEST(log.wait(1));
  BOOST_TEST(log.calls == 1);
  BOOST_TEST(log.hr == E_FAIL);
  BOOST_TEST(log.model == WS_SHORT_CALLBACK);

  // Long: on a long-callback thread, not the completing one.
  callback_log long_log;
  WS_ASYNC_CONTEXT long_context{callback_log::record, &long_log};
  auto long_op = std::make_shared<capi::operation>(&long_context, WS_LONG_CALLBACK);
  BOOST_TEST(long_op->initiated() == WS_S_ASYNC);
  std::thread::id completer;
  std::thread t([long_op, &completer] {
    completer = std::this_thread::get_id();
    long_op->complete(S_OK);
  });
  t.join();
  BOOST_TEST(long_log.wait(1));
  BOOST_TEST(long_log.model == WS_LONG_CALLBACK);
  BOOST_TEST((long_log.thread != completer));
}

BOOST_AUTO_TEST_CASE(a_synchronous_operation_waits_for_its_result) {
  auto op = std::make_shared<capi::operation>(nullptr, WS_LONG_CALLBACK);
  std::thread t([op] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    op->complete(WS_E_OPERATION_TIMED_OUT);
  });
  BOOST_TEST(op->initiated() == WS_E_OPERATION_TIMED_OUT);
  t.join();
}

BOOST_AUTO_TEST_CASE(long_callback_threads_run_blocking_tasks_side_by_side_up_to_the_cap) {
  // Every task blocks until all have started: they need a thread each.
  constexpr int n = 8;
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;
  std::atomic<int> finished{0};
  for (int i = 0; i < n; ++i)
    BOOST_TEST(capi::long_callback_threads::run([&] {
      std::unique_lock<std::mutex> lock(mu);
      ++started;
      cv.notify_all();
      cv.wait_for(lock, std::chrono::seconds(10), [&] { return started == n; });
      ++finished;
    }));
  {
    std::unique_lock<std::mutex> lock(mu);
    BOOST_TEST(cv.wait_for(lock, std::chrono::seconds(10), [&] { return started == n; }));
  }
  for (int i = 0; i < 1000 && finished < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  BOOST_TEST(finished == n);
  // Let those threads return to idle (a task ends a moment before its thread is idle again).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // At the cap, run() declines (the caller then runs the callback short).
  std::promise<void> release;
  std::shared_future<void> go = release.get_future().share();
  std::atomic<int> busy{0};
  int taken = 0;
  for (std::size_t i = 0; i < capi::long_callback_threads::max_threads + 4; ++i)
    if (capi::long_callback_threads::run([go, &busy] {
          ++busy;
          go.wait();
          --busy;
        }))
      ++taken;
  BOOST_TEST(taken == static_cast<int>(capi::long_callback_threads::max_threads));
  release.set_value();
  for (int i = 0; i < 1000 && busy > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  BOOST_TEST(busy == 0);
}

BOOST_AUTO_TEST_SUITE_END()
