// webservices.h compiled as C++ (-Wall -Wextra -Werror -pedantic), with the numeric values and
// the x86_64 struct layouts of Windows' header checked at compile time.
//
// Windows x64 is LLP64 and Linux x86_64 is LP64; with ULONG and LONG kept at 32 bits (and
// enums at 4 bytes, pointers at 8, natural alignment on both), every struct here has the same
// size and member offsets as on Windows x64. Only WCHAR differs (4 bytes here, 2 there),
// which no struct holds by value. Expected numbers follow from the Windows SDK definitions.
#include <webservices.h>

#include <cstddef>
#include <cstdio>
#include <cwchar>

static_assert(sizeof(ULONG) == 4 && sizeof(LONG) == 4 && sizeof(HRESULT) == 4, "32-bit ULONG");
static_assert(sizeof(BOOL) == 4 && sizeof(BYTE) == 1 && sizeof(USHORT) == 2, "base types");
static_assert(sizeof(LANGID) == 2 && sizeof(ULONGLONG) == 8, "base types");
static_assert(sizeof(GUID) == 16, "GUID");

// Values that code compares against or switches on.
static_assert(WS_S_ASYNC == 0x003D0000 && WS_E_QUOTA_EXCEEDED == static_cast<HRESULT>(0x803D0008),
              "HRESULTs");
static_assert(WS_E_ENDPOINT_FAULT_RECEIVED == static_cast<HRESULT>(0x803D0013), "HRESULTs");
static_assert(WS_E_SECURITY_SYSTEM_FAILURE == static_cast<HRESULT>(0x803D0023), "HRESULTs");
static_assert(E_INVALIDARG == static_cast<HRESULT>(0x80070057) &&
                  E_OUTOFMEMORY == static_cast<HRESULT>(0x8007000E) &&
                  E_FAIL == static_cast<HRESULT>(0x80004005),
              "HRESULTs");
static_assert(FAILED(WS_E_INVALID_FORMAT) && SUCCEEDED(WS_S_ASYNC) && SUCCEEDED(S_FALSE), "macros");
static_assert(WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE == 1 &&
                  WS_HTTP_HEADER_AUTH_SECURITY_BINDING_TYPE == 3 &&
                  WS_USERNAME_MESSAGE_SECURITY_BINDING_TYPE == 4 &&
                  WS_XML_TOKEN_MESSAGE_SECURITY_BINDING_TYPE == 6 &&
                  WS_NAMEDPIPE_SSPI_TRANSPORT_SECURITY_BINDING_TYPE == 9,
              "security binding types are 1-based");
static_assert(WS_CHANNEL_STATE_OPEN == 3 && WS_CHANNEL_STATE_FAULTED == 4 &&
                  WS_CHANNEL_STATE_CLOSED == 6,
              "channel states");
static_assert(WS_CHANNEL_PROPERTY_ENVELOPE_VERSION == 5 && WS_CHANNEL_PROPERTY_STATE == 8 &&
                  WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL == 9 &&
                  WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT == 11 &&
                  WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT == 16,
              "channel properties");
static_assert(WS_CHANNEL_TYPE_REQUEST == 8 && WS_HTTP_CHANNEL_BINDING == 0, "channel");
static_assert(WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO == 1 &&
                  WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY == 9 &&
                  WS_REQUEST_SECURITY_TOKEN_PROPERTY_BEARER_KEY_TYPE_VERSION == 13,
              "RST properties");
static_assert(WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE == 1 &&
                  WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY == 7 &&
                  WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME == 4 &&
                  WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE_TYPE == 1,
              "token properties");
static_assert(WS_SECURITY_KEY_TYPE_NONE == 1 && WS_SECURITY_KEY_ENTROPY_MODE_COMBINED == 3 &&
                  WS_TRUST_VERSION_1_3 == 2 &&
                  WS_REQUEST_SECURITY_TOKEN_ACTION_RENEW_CONTEXT == 3 &&
                  WS_SECURITY_BEARER_KEY_TYPE_VERSION_1_3_ERRATA_01 == 3,
              "token enums");
static_assert(WS_ENVELOPE_VERSION_SOAP_1_1 == 1 && WS_ADDRESSING_VERSION_1_0 == 2 &&
                  WS_LONG_CALLBACK == 1 && WS_DATETIME_FORMAT_NONE == 2,
              "versions");
static_assert(WS_ERROR_PROPERTY_LANGID == 2 && WS_HEAP_PROPERTY_ACTUAL_SIZE == 3 &&
                  WS_XML_READER_PROPERTY_MAX_NAMESPACES == 14 &&
                  WS_XML_WRITER_PROPERTY_EMIT_UNCOMPRESSED_EMPTY_ELEMENTS == 18,
              "object properties");
static_assert(WS_HTTP_HEADER_AUTH_SCHEME_BASIC == 2 && WS_STRING_USERNAME_CREDENTIAL_TYPE == 1 &&
                  WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE == 1 &&
                  WS_SUPPORTING_MESSAGE_SECURITY_USAGE == 1,
              "credentials");

static_assert(WS_BUFFERED_TRANSFER_MODE == 0 && WS_STREAMED_TRANSFER_MODE == 3 &&
                  WS_HTTP_PROXY_SETTING_MODE_NONE == 2 && INFINITE == 0xFFFFFFFFu,
              "channel property values");
static_assert(WS_SECURITY_BINDING_PROPERTY_PEM_FILE_TRUSTED_CA == 1000,
              "wst extension, far from Windows' ids");

#if defined(__x86_64__)
#define LAYOUT(type, size) static_assert(sizeof(type) == (size), #type " size")
#define AT(type, member, offset) \
  static_assert(offsetof(type, member) == (offset), #type "." #member " offset")

LAYOUT(WS_STRING, 16);
AT(WS_STRING, chars, 8);
LAYOUT(WS_BYTES, 16);
AT(WS_BYTES, bytes, 8);
LAYOUT(WS_XML_DICTIONARY, 32);
AT(WS_XML_DICTIONARY, strings, 16);
AT(WS_XML_DICTIONARY, stringCount, 24);
AT(WS_XML_DICTIONARY, isConst, 28);
LAYOUT(WS_XML_STRING, 32);
AT(WS_XML_STRING, bytes, 8);
AT(WS_XML_STRING, dictionary, 16);
AT(WS_XML_STRING, id, 24);
LAYOUT(WS_DATETIME, 16);
AT(WS_DATETIME, format, 8);
LAYOUT(WS_ERROR_PROPERTY, 24);
AT(WS_ERROR_PROPERTY, value, 8);
AT(WS_ERROR_PROPERTY, valueSize, 16);
LAYOUT(WS_HEAP_PROPERTY, 24);
LAYOUT(WS_XML_BUFFER_PROPERTY, 24);
LAYOUT(WS_XML_READER_PROPERTY, 24);
LAYOUT(WS_XML_WRITER_PROPERTY, 24);
LAYOUT(WS_XML_READER_TEXT_ENCODING, 8);
AT(WS_XML_READER_TEXT_ENCODING, charSet, 4);
LAYOUT(WS_XML_WRITER_TEXT_ENCODING, 8);
LAYOUT(WS_XML_READER_BUFFER_INPUT, 24);
AT(WS_XML_READER_BUFFER_INPUT, encodedData, 8);
AT(WS_XML_READER_BUFFER_INPUT, encodedDataSize, 16);
LAYOUT(WS_XML_READER_PROPERTIES, 16);
AT(WS_XML_READER_PROPERTIES, propertyCount, 8);
LAYOUT(WS_ASYNC_CONTEXT, 16);
AT(WS_ASYNC_CONTEXT, callbackState, 8);
LAYOUT(WS_CHANNEL_PROPERTY, 24);
LAYOUT(WS_CHANNEL_PROPERTIES, 16);
LAYOUT(WS_ENDPOINT_ADDRESS, 40);
AT(WS_ENDPOINT_ADDRESS, headers, 16);
AT(WS_ENDPOINT_ADDRESS, extensions, 24);
AT(WS_ENDPOINT_ADDRESS, identity, 32);
LAYOUT(WS_MESSAGE_PROPERTIES, 16);
LAYOUT(WS_SECURITY_BINDING_PROPERTY, 24);
LAYOUT(WS_SECURITY_BINDING, 24);
AT(WS_SECURITY_BINDING, properties, 8);
AT(WS_SECURITY_BINDING, propertyCount, 16);
LAYOUT(WS_SECURITY_PROPERTY, 24);
LAYOUT(WS_SECURITY_DESCRIPTION, 32);
AT(WS_SECURITY_DESCRIPTION, securityBindingCount, 8);
AT(WS_SECURITY_DESCRIPTION, properties, 16);
AT(WS_SECURITY_DESCRIPTION, propertyCount, 24);
LAYOUT(WS_SSL_TRANSPORT_SECURITY_BINDING, 32);
AT(WS_SSL_TRANSPORT_SECURITY_BINDING, localCertCredential, 24);
LAYOUT(WS_HTTP_HEADER_AUTH_SECURITY_BINDING, 32);
AT(WS_HTTP_HEADER_AUTH_SECURITY_BINDING, clientCredential, 24);
LAYOUT(WS_USERNAME_MESSAGE_SECURITY_BINDING, 56);
AT(WS_USERNAME_MESSAGE_SECURITY_BINDING, bindingUsage, 24);
AT(WS_USERNAME_MESSAGE_SECURITY_BINDING, clientCredential, 32);
AT(WS_USERNAME_MESSAGE_SECURITY_BINDING, passwordValidator, 40);
AT(WS_USERNAME_MESSAGE_SECURITY_BINDING, passwordValidatorCallbackState, 48);
LAYOUT(WS_XML_TOKEN_MESSAGE_SECURITY_BINDING, 40);
AT(WS_XML_TOKEN_MESSAGE_SECURITY_BINDING, bindingUsage, 24);
AT(WS_XML_TOKEN_MESSAGE_SECURITY_BINDING, xmlToken, 32);
LAYOUT(WS_CERT_CREDENTIAL, 4);
LAYOUT(WS_USERNAME_CREDENTIAL, 4);
LAYOUT(WS_STRING_USERNAME_CREDENTIAL, 40);
AT(WS_STRING_USERNAME_CREDENTIAL, username, 8);
AT(WS_STRING_USERNAME_CREDENTIAL, password, 24);
LAYOUT(WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL, 56);
AT(WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL, username, 8);
AT(WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL, password, 24);
AT(WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL, domain, 40);
LAYOUT(WS_PEM_FILE_CERT_CREDENTIAL, 56);  // wst extension, laid out like its siblings
AT(WS_PEM_FILE_CERT_CREDENTIAL, certificateFile, 8);
LAYOUT(WS_REQUEST_SECURITY_TOKEN_PROPERTY, 24);
AT(WS_REQUEST_SECURITY_TOKEN_PROPERTY, value, 8);
AT(WS_REQUEST_SECURITY_TOKEN_PROPERTY, valueSize, 16);
LAYOUT(WS_XML_SECURITY_TOKEN_PROPERTY, 24);
LAYOUT(WS_SECURITY_KEY_HANDLE, 4);
LAYOUT(WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE, 24);
AT(WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE, rawKeyBytes, 8);
#endif

namespace {
int passed = 0, failed = 0;
void check(bool ok, const char* what) {
  ok ? ++passed : ++failed;
  if (!ok) std::fprintf(stderr, "failed: %s\n", what);
}
}  // namespace

int main() {
  // The helper macros as Windows code writes them, in C++.
  WS_STRING s = WS_STRING_VALUE(L"abc");
  check(s.length == 3 && std::wcsncmp(s.chars, L"abc", 3) == 0, "WS_STRING_VALUE");
  WS_XML_STRING x = WS_XML_STRING_VALUE("token");
  check(x.length == 5 && x.dictionary == nullptr && x.id == 0, "WS_XML_STRING_VALUE");
  int array[7] = {};
  check(WsCountOf(array) == 7 && array[0] == 0, "WsCountOf");

  // The C functions link from C++.
  WS_ERROR* error = nullptr;
  check(WsCreateError(nullptr, 0, &error) == S_OK && error != nullptr, "WsCreateError");
  check(WsAddErrorString(error, &s) == S_OK, "WsAddErrorString");
  WsFreeError(error);

  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
