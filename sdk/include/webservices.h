/*
 * webservices.h - the Windows Web Services API (WWSAPI) subset that wst implements on Linux.
 *
 * Code written against Windows' <webservices.h> for the functions below compiles against this
 * header without changes and behaves the same: the names, numeric values and struct layouts
 * are Windows' (x86_64 layouts are identical, see tests/capi/layout_test.cpp), and so is the
 * calling contract (HRESULT results, WS_ERROR strings, WS_ASYNC_CONTEXT completion).
 * The header is plain C99 and may also be included from C++.
 *
 * Differences from Windows, all forced by the platform (docs/capi.md says more):
 *  - ULONG is 32 bits as on Windows, so it is `unsigned int` here, not `unsigned long` (64 bits
 *    on Linux); LONG and HRESULT are `int`.
 *  - WCHAR is wchar_t so that L"..." literals compile. On Linux wchar_t holds UTF-32 (4 bytes),
 *    not UTF-16: WS_STRING lengths count wchar_t units, which for UTF-32 are code points.
 *  - Client certificates come from PEM files: WS_PEM_FILE_CERT_CREDENTIAL (a wst extension;
 *    Windows' certificate store credentials do not exist on Linux).
 *  - Nothing is exported with __stdcall; WINAPI and CALLBACK are empty.
 *
 * Threads: objects are not internally synchronised (as on Windows): use one object from one
 * thread at a time. Distinct objects may be used from different threads at once.
 * Define WST_WEBSERVICES_NO_BASE_TYPES before including this header if another header already
 * provides the Windows base types (BOOL, BYTE, ULONG, HRESULT, ...).
 */
#ifndef WST_WEBSERVICES_H
#define WST_WEBSERVICES_H

#include <stddef.h> /* NULL, size_t, wchar_t */

#ifdef __cplusplus
extern "C" {
#endif

/* Marks wst's own additions, so portable code can test for them. */
#define WST_WEBSERVICES_EXTENSIONS 1

#if defined(__GNUC__)
#define WST_C_API __attribute__((visibility("default")))
#else
#define WST_C_API
#endif
#ifndef WINAPI
#define WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif

/* ------------------------------------------------------------------------------------------ */
/* Windows base types                                                                          */
/* ------------------------------------------------------------------------------------------ */

#ifndef WST_WEBSERVICES_NO_BASE_TYPES
typedef int BOOL; /* TRUE / FALSE */
typedef unsigned char BYTE;
typedef unsigned short USHORT;
typedef unsigned short LANGID;
typedef int LONG;           /* 32 bits, as on Windows */
typedef unsigned int ULONG; /* 32 bits, as on Windows (not unsigned long) */
typedef unsigned long long ULONGLONG;
typedef size_t SIZE_T;
typedef wchar_t WCHAR; /* UTF-32 on Linux */
typedef LONG HRESULT;
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
  ULONG Data1;
  USHORT Data2;
  USHORT Data3;
  BYTE Data4[8];
} GUID;
#endif

#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif

/* ------------------------------------------------------------------------------------------ */
/* Result codes                                                                                */
/* ------------------------------------------------------------------------------------------ */

#ifndef S_OK
#define S_OK ((HRESULT)0x00000000L)
#endif
#ifndef S_FALSE
#define S_FALSE ((HRESULT)0x00000001L)
#endif
#ifndef NO_ERROR
#define NO_ERROR 0L
#endif
#ifndef E_FAIL
#define E_FAIL ((HRESULT)0x80004005L)
#endif
#ifndef E_INVALIDARG
#define E_INVALIDARG ((HRESULT)0x80070057L)
#endif
#ifndef INFINITE
#define INFINITE 0xFFFFFFFF /* a timeout that never expires */
#endif
#ifndef E_OUTOFMEMORY
#define E_OUTOFMEMORY ((HRESULT)0x8007000EL)
#endif

/* The operation goes on asynchronously: exactly one callback of the WS_ASYNC_CONTEXT follows. */
#define WS_S_ASYNC ((HRESULT)0x003D0000L)
#define WS_S_END ((HRESULT)0x003D0001L)
#define WS_E_INVALID_FORMAT ((HRESULT)0x803D0000L)
#define WS_E_OBJECT_FAULTED ((HRESULT)0x803D0001L)
#define WS_E_NUMERIC_OVERFLOW ((HRESULT)0x803D0002L)
#define WS_E_INVALID_OPERATION ((HRESULT)0x803D0003L)
#define WS_E_OPERATION_ABORTED ((HRESULT)0x803D0004L)
#define WS_E_ENDPOINT_ACCESS_DENIED ((HRESULT)0x803D0005L)
#define WS_E_OPERATION_TIMED_OUT ((HRESULT)0x803D0006L)
#define WS_E_OPERATION_ABANDONED ((HRESULT)0x803D0007L)
#define WS_E_QUOTA_EXCEEDED ((HRESULT)0x803D0008L)
#define WS_E_NO_TRANSLATION_AVAILABLE ((HRESULT)0x803D0009L)
#define WS_E_SECURITY_VERIFICATION_FAILURE ((HRESULT)0x803D000AL)
#define WS_E_ADDRESS_IN_USE ((HRESULT)0x803D000BL)
#define WS_E_ADDRESS_NOT_AVAILABLE ((HRESULT)0x803D000CL)
#define WS_E_ENDPOINT_NOT_FOUND ((HRESULT)0x803D000DL)
#define WS_E_ENDPOINT_NOT_AVAILABLE ((HRESULT)0x803D000EL)
#define WS_E_ENDPOINT_FAILURE ((HRESULT)0x803D000FL)
#define WS_E_ENDPOINT_UNREACHABLE ((HRESULT)0x803D0010L)
#define WS_E_ENDPOINT_ACTION_NOT_SUPPORTED ((HRESULT)0x803D0011L)
#define WS_E_ENDPOINT_TOO_BUSY ((HRESULT)0x803D0012L)
#define WS_E_ENDPOINT_FAULT_RECEIVED ((HRESULT)0x803D0013L)
#define WS_E_ENDPOINT_DISCONNECTED ((HRESULT)0x803D0014L)
#define WS_E_PROXY_FAILURE ((HRESULT)0x803D0015L)
#define WS_E_PROXY_ACCESS_DENIED ((HRESULT)0x803D0016L)
#define WS_E_NOT_SUPPORTED ((HRESULT)0x803D0017L)
#define WS_E_PROXY_REQUIRES_BASIC_AUTH ((HRESULT)0x803D0018L)
#define WS_E_PROXY_REQUIRES_DIGEST_AUTH ((HRESULT)0x803D0019L)
#define WS_E_PROXY_REQUIRES_NTLM_AUTH ((HRESULT)0x803D001AL)
#define WS_E_PROXY_REQUIRES_NEGOTIATE_AUTH ((HRESULT)0x803D001BL)
#define WS_E_SERVER_REQUIRES_BASIC_AUTH ((HRESULT)0x803D001CL)
#define WS_E_SERVER_REQUIRES_DIGEST_AUTH ((HRESULT)0x803D001DL)
#define WS_E_SERVER_REQUIRES_NTLM_AUTH ((HRESULT)0x803D001EL)
#define WS_E_SERVER_REQUIRES_NEGOTIATE_AUTH ((HRESULT)0x803D001FL)
#define WS_E_INVALID_ENDPOINT_URL ((HRESULT)0x803D0020L)
#define WS_E_OTHER ((HRESULT)0x803D0021L)
#define WS_E_SECURITY_TOKEN_EXPIRED ((HRESULT)0x803D0022L)
#define WS_E_SECURITY_SYSTEM_FAILURE ((HRESULT)0x803D0023L)

/* ------------------------------------------------------------------------------------------ */
/* Helper macros                                                                               */
/* ------------------------------------------------------------------------------------------ */

/* Number of elements of an array (not of a pointer). */
#define WsCountOf(arrayValue) (sizeof(arrayValue) / sizeof((arrayValue)[0]))
/* Initializer of a WS_STRING from a wide string literal: WS_STRING s = WS_STRING_VALUE(L"x"); */
#define WS_STRING_VALUE(S) \
  { (ULONG)(WsCountOf(S) - 1), (WCHAR*)(S) }
/* Initializer of a WS_XML_STRING from a UTF-8 string literal (no dictionary). */
#define WS_XML_STRING_VALUE(S) \
  { (ULONG)(WsCountOf(S) - 1), (BYTE*)(S), NULL, 0 }

/* ------------------------------------------------------------------------------------------ */
/* Opaque objects                                                                              */
/* ------------------------------------------------------------------------------------------ */

typedef struct _WS_ERROR WS_ERROR;                   /* rich error information */
typedef struct _WS_HEAP WS_HEAP;                     /* arena: freed all at once */
typedef struct _WS_XML_BUFFER WS_XML_BUFFER;         /* XML content, lives on a WS_HEAP */
typedef struct _WS_XML_READER WS_XML_READER;         /* XML reading settings */
typedef struct _WS_XML_WRITER WS_XML_WRITER;         /* XML writing settings */
typedef struct _WS_CHANNEL WS_CHANNEL;               /* request channel to an STS */
typedef struct _WS_SECURITY_TOKEN WS_SECURITY_TOKEN; /* an issued or XML security token */

/* ------------------------------------------------------------------------------------------ */
/* Strings, bytes, times                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* Wide characters, not zero terminated. */
typedef struct _WS_STRING {
  ULONG length; /* in WCHARs */
  WCHAR* chars;
} WS_STRING;

typedef struct _WS_BYTES {
  ULONG length;
  BYTE* bytes;
} WS_BYTES;

typedef struct _WS_BUFFERS {
  ULONG bufferCount;
  WS_BYTES* buffers;
} WS_BUFFERS;

struct _WS_XML_STRING;

typedef struct _WS_XML_DICTIONARY {
  GUID guid;
  struct _WS_XML_STRING* strings;
  ULONG stringCount;
  BOOL isConst;
} WS_XML_DICTIONARY;

/* UTF-8 bytes, not zero terminated; dictionary/id are for binary XML (unused by wst). */
typedef struct _WS_XML_STRING {
  ULONG length;
  BYTE* bytes;
  WS_XML_DICTIONARY* dictionary;
  ULONG id;
} WS_XML_STRING;

typedef enum {
  WS_DATETIME_FORMAT_UTC = 0,
  WS_DATETIME_FORMAT_LOCAL = 1,
  WS_DATETIME_FORMAT_NONE = 2
} WS_DATETIME_FORMAT;

/* 100-nanosecond ticks since 0001-01-01T00:00:00Z (UTC); at most 3155378975999999999
   (9999-12-31T23:59:59.9999999Z). `format` says how the time was expressed, not its zone. */
typedef struct _WS_DATETIME {
  ULONGLONG ticks;
  WS_DATETIME_FORMAT format;
} WS_DATETIME;

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */
/* ------------------------------------------------------------------------------------------ */

typedef enum {
  WS_ERROR_PROPERTY_STRING_COUNT = 0,        /* ULONG, read only */
  WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE = 1, /* HRESULT */
  WS_ERROR_PROPERTY_LANGID = 2               /* LANGID */
} WS_ERROR_PROPERTY_ID;

typedef struct _WS_ERROR_PROPERTY {
  WS_ERROR_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_ERROR_PROPERTY;

/* ------------------------------------------------------------------------------------------ */
/* Heaps                                                                                       */
/* ------------------------------------------------------------------------------------------ */

typedef enum {
  WS_HEAP_PROPERTY_MAX_SIZE = 0,       /* SIZE_T */
  WS_HEAP_PROPERTY_TRIM_SIZE = 1,      /* SIZE_T */
  WS_HEAP_PROPERTY_REQUESTED_SIZE = 2, /* SIZE_T, read only */
  WS_HEAP_PROPERTY_ACTUAL_SIZE = 3     /* SIZE_T, read only */
} WS_HEAP_PROPERTY_ID;

typedef struct _WS_HEAP_PROPERTY {
  WS_HEAP_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_HEAP_PROPERTY;

/* ------------------------------------------------------------------------------------------ */
/* XML buffers, readers and writers                                                            */
/* ------------------------------------------------------------------------------------------ */

/* Windows defines no XML buffer property. */
typedef int WS_XML_BUFFER_PROPERTY_ID;

typedef struct _WS_XML_BUFFER_PROPERTY {
  WS_XML_BUFFER_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_XML_BUFFER_PROPERTY;

typedef enum {
  WS_XML_READER_PROPERTY_MAX_DEPTH = 0,                           /* ULONG */
  WS_XML_READER_PROPERTY_ALLOW_FRAGMENT = 1,                      /* BOOL */
  WS_XML_READER_PROPERTY_MAX_ATTRIBUTES = 2,                      /* ULONG */
  WS_XML_READER_PROPERTY_READ_DECLARATION = 3,                    /* BOOL */
  WS_XML_READER_PROPERTY_CHARSET = 4,                             /* WS_CHARSET */
  WS_XML_READER_PROPERTY_ROW = 5,                                 /* ULONGLONG, read only */
  WS_XML_READER_PROPERTY_COLUMN = 6,                              /* ULONGLONG, read only */
  WS_XML_READER_PROPERTY_UTF8_TRIM_SIZE = 7,                      /* ULONG */
  WS_XML_READER_PROPERTY_STREAM_BUFFER_SIZE = 8,                  /* ULONG */
  WS_XML_READER_PROPERTY_IN_ATTRIBUTE = 9,                        /* BOOL, read only */
  WS_XML_READER_PROPERTY_STREAM_MAX_ROOT_MIME_PART_SIZE = 10,     /* ULONG */
  WS_XML_READER_PROPERTY_STREAM_MAX_MIME_HEADERS_SIZE = 11,       /* ULONG */
  WS_XML_READER_PROPERTY_MAX_MIME_PARTS = 12,                     /* ULONG */
  WS_XML_READER_PROPERTY_ALLOW_INVALID_CHARACTER_REFERENCES = 13, /* BOOL */
  WS_XML_READER_PROPERTY_MAX_NAMESPACES = 14                      /* ULONG */
} WS_XML_READER_PROPERTY_ID;

typedef struct _WS_XML_READER_PROPERTY {
  WS_XML_READER_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_XML_READER_PROPERTY;

/* A set of reader properties (the value of WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES). */
typedef struct _WS_XML_READER_PROPERTIES {
  WS_XML_READER_PROPERTY* properties;
  ULONG propertyCount;
} WS_XML_READER_PROPERTIES;

typedef enum {
  WS_XML_WRITER_PROPERTY_MAX_DEPTH = 0,                           /* ULONG */
  WS_XML_WRITER_PROPERTY_ALLOW_FRAGMENT = 1,                      /* BOOL */
  WS_XML_WRITER_PROPERTY_MAX_ATTRIBUTES = 2,                      /* ULONG */
  WS_XML_WRITER_PROPERTY_WRITE_DECLARATION = 3,                   /* BOOL */
  WS_XML_WRITER_PROPERTY_INDENT = 4,                              /* ULONG */
  WS_XML_WRITER_PROPERTY_BUFFER_TRIM_SIZE = 5,                    /* ULONG */
  WS_XML_WRITER_PROPERTY_CHARSET = 6,                             /* WS_CHARSET */
  WS_XML_WRITER_PROPERTY_BUFFERS = 7,                             /* WS_BUFFERS, read only */
  WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE = 8,                     /* ULONG */
  WS_XML_WRITER_PROPERTY_BYTES = 9,                               /* WS_BYTES, read only */
  WS_XML_WRITER_PROPERTY_IN_ATTRIBUTE = 10,                       /* BOOL, read only */
  WS_XML_WRITER_PROPERTY_MAX_MIME_PARTS_BUFFER_SIZE = 11,         /* ULONG */
  WS_XML_WRITER_PROPERTY_INITIAL_BUFFER = 12,                     /* WS_BYTES */
  WS_XML_WRITER_PROPERTY_ALLOW_INVALID_CHARACTER_REFERENCES = 13, /* BOOL */
  WS_XML_WRITER_PROPERTY_MAX_NAMESPACES = 14,                     /* ULONG */
  WS_XML_WRITER_PROPERTY_BYTES_WRITTEN = 15,                      /* ULONG, read only */
  WS_XML_WRITER_PROPERTY_BYTES_TO_CLOSE = 16,                     /* ULONG, read only */
  WS_XML_WRITER_PROPERTY_COMPRESS_EMPTY_ELEMENTS = 17,            /* BOOL */
  WS_XML_WRITER_PROPERTY_EMIT_UNCOMPRESSED_EMPTY_ELEMENTS = 18    /* BOOL */
} WS_XML_WRITER_PROPERTY_ID;

typedef struct _WS_XML_WRITER_PROPERTY {
  WS_XML_WRITER_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_XML_WRITER_PROPERTY;

typedef enum {
  WS_CHARSET_AUTO = 0,
  WS_CHARSET_UTF8 = 1,
  WS_CHARSET_UTF16LE = 2,
  WS_CHARSET_UTF16BE = 3
} WS_CHARSET;

typedef enum {
  WS_XML_READER_ENCODING_TYPE_TEXT = 1,
  WS_XML_READER_ENCODING_TYPE_BINARY = 2,
  WS_XML_READER_ENCODING_TYPE_MTOM = 3,
  WS_XML_READER_ENCODING_TYPE_RAW = 4
} WS_XML_READER_ENCODING_TYPE;

/* Base of every reader encoding (the subtype is chosen by encodingType). */
typedef struct _WS_XML_READER_ENCODING {
  WS_XML_READER_ENCODING_TYPE encodingType;
} WS_XML_READER_ENCODING;

typedef struct _WS_XML_READER_TEXT_ENCODING {
  WS_XML_READER_ENCODING encoding; /* encodingType = WS_XML_READER_ENCODING_TYPE_TEXT */
  WS_CHARSET charSet;
} WS_XML_READER_TEXT_ENCODING;

typedef enum {
  WS_XML_WRITER_ENCODING_TYPE_TEXT = 1,
  WS_XML_WRITER_ENCODING_TYPE_BINARY = 2,
  WS_XML_WRITER_ENCODING_TYPE_MTOM = 3,
  WS_XML_WRITER_ENCODING_TYPE_RAW = 4
} WS_XML_WRITER_ENCODING_TYPE;

typedef struct _WS_XML_WRITER_ENCODING {
  WS_XML_WRITER_ENCODING_TYPE encodingType;
} WS_XML_WRITER_ENCODING;

typedef struct _WS_XML_WRITER_TEXT_ENCODING {
  WS_XML_WRITER_ENCODING encoding; /* encodingType = WS_XML_WRITER_ENCODING_TYPE_TEXT */
  WS_CHARSET charSet;
} WS_XML_WRITER_TEXT_ENCODING;

typedef enum {
  WS_XML_READER_INPUT_TYPE_BUFFER = 1,
  WS_XML_READER_INPUT_TYPE_STREAM = 2
} WS_XML_READER_INPUT_TYPE;

typedef struct _WS_XML_READER_INPUT {
  WS_XML_READER_INPUT_TYPE inputType;
} WS_XML_READER_INPUT;

typedef struct _WS_XML_READER_BUFFER_INPUT {
  WS_XML_READER_INPUT input; /* inputType = WS_XML_READER_INPUT_TYPE_BUFFER */
  void* encodedData;
  ULONG encodedDataSize;
} WS_XML_READER_BUFFER_INPUT;

typedef enum {
  WS_XML_WRITER_OUTPUT_TYPE_BUFFER = 1,
  WS_XML_WRITER_OUTPUT_TYPE_STREAM = 2
} WS_XML_WRITER_OUTPUT_TYPE;

typedef struct _WS_XML_WRITER_OUTPUT {
  WS_XML_WRITER_OUTPUT_TYPE outputType;
} WS_XML_WRITER_OUTPUT;

typedef struct _WS_XML_WRITER_BUFFER_OUTPUT {
  WS_XML_WRITER_OUTPUT output; /* outputType = WS_XML_WRITER_OUTPUT_TYPE_BUFFER */
} WS_XML_WRITER_BUFFER_OUTPUT;

/* ------------------------------------------------------------------------------------------ */
/* Asynchronous completion                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef enum {
  WS_SHORT_CALLBACK = 0, /* the callback must not block */
  WS_LONG_CALLBACK = 1   /* the callback may block */
} WS_CALLBACK_MODEL;

/* Called once with the operation's final result when a function returned WS_S_ASYNC. */
typedef void(CALLBACK* WS_ASYNC_CALLBACK)(HRESULT errorCode, WS_CALLBACK_MODEL callbackModel,
                                          void* callbackState);

typedef struct _WS_ASYNC_CONTEXT {
  WS_ASYNC_CALLBACK callback;
  void* callbackState;
} WS_ASYNC_CONTEXT;

/* ------------------------------------------------------------------------------------------ */
/* Channels                                                                                    */
/* ------------------------------------------------------------------------------------------ */

typedef enum {
  WS_CHANNEL_TYPE_INPUT = 0x1,
  WS_CHANNEL_TYPE_OUTPUT = 0x2,
  WS_CHANNEL_TYPE_SESSION = 0x4,
  WS_CHANNEL_TYPE_INPUT_SESSION = (WS_CHANNEL_TYPE_INPUT | WS_CHANNEL_TYPE_SESSION),
  WS_CHANNEL_TYPE_OUTPUT_SESSION = (WS_CHANNEL_TYPE_OUTPUT | WS_CHANNEL_TYPE_SESSION),
  WS_CHANNEL_TYPE_DUPLEX = (WS_CHANNEL_TYPE_INPUT | WS_CHANNEL_TYPE_OUTPUT),
  WS_CHANNEL_TYPE_DUPLEX_SESSION =
      (WS_CHANNEL_TYPE_INPUT | WS_CHANNEL_TYPE_OUTPUT | WS_CHANNEL_TYPE_SESSION),
  WS_CHANNEL_TYPE_REQUEST = 0x8,
  WS_CHANNEL_TYPE_REPLY = 0x10
} WS_CHANNEL_TYPE;

typedef enum {
  WS_HTTP_CHANNEL_BINDING = 0,
  WS_TCP_CHANNEL_BINDING = 1,
  WS_UDP_CHANNEL_BINDING = 2,
  WS_CUSTOM_CHANNEL_BINDING = 3,
  WS_NAMEDPIPE_CHANNEL_BINDING = 4
} WS_CHANNEL_BINDING;

typedef enum {
  WS_CHANNEL_STATE_CREATED = 0,
  WS_CHANNEL_STATE_OPENING = 1,
  WS_CHANNEL_STATE_ACCEPTING = 2,
  WS_CHANNEL_STATE_OPEN = 3,
  WS_CHANNEL_STATE_FAULTED = 4,
  WS_CHANNEL_STATE_CLOSING = 5,
  WS_CHANNEL_STATE_CLOSED = 6
} WS_CHANNEL_STATE;

typedef enum {
  WS_ENCODING_XML_BINARY_1 = 0,
  WS_ENCODING_XML_BINARY_SESSION_1 = 1,
  WS_ENCODING_XML_MTOM_UTF8 = 2,
  WS_ENCODING_XML_MTOM_UTF16BE = 3,
  WS_ENCODING_XML_MTOM_UTF16LE = 4,
  WS_ENCODING_XML_UTF8 = 5,
  WS_ENCODING_XML_UTF16BE = 6,
  WS_ENCODING_XML_UTF16LE = 7,
  WS_ENCODING_RAW = 8
} WS_ENCODING;

typedef enum {
  WS_ENVELOPE_VERSION_SOAP_1_1 = 1,
  WS_ENVELOPE_VERSION_SOAP_1_2 = 2,
  WS_ENVELOPE_VERSION_NONE = 3
} WS_ENVELOPE_VERSION;

typedef enum {
  WS_ADDRESSING_VERSION_0_9 = 1, /* WS-Addressing August 2004 */
  WS_ADDRESSING_VERSION_1_0 = 2, /* W3C WS-Addressing 1.0 */
  WS_ADDRESSING_VERSION_TRANSPORT = 3
} WS_ADDRESSING_VERSION;

typedef enum {
  WS_STREAMED_INPUT_TRANSFER_MODE = 0x1,
  WS_STREAMED_OUTPUT_TRANSFER_MODE = 0x2,
  WS_BUFFERED_TRANSFER_MODE = 0x0,
  WS_STREAMED_TRANSFER_MODE = (WS_STREAMED_INPUT_TRANSFER_MODE | WS_STREAMED_OUTPUT_TRANSFER_MODE)
} WS_TRANSFER_MODE;

typedef enum {
  WS_HTTP_PROXY_SETTING_MODE_AUTO = 1,
  WS_HTTP_PROXY_SETTING_MODE_NONE = 2,
  WS_HTTP_PROXY_SETTING_MODE_CUSTOM = 3
} WS_HTTP_PROXY_SETTING_MODE;

/* Value types: MAX_BUFFERED_MESSAGE_SIZE ULONG bytes; ENCODING WS_ENCODING; ENVELOPE_VERSION
   WS_ENVELOPE_VERSION; ADDRESSING_VERSION WS_ADDRESSING_VERSION; STATE WS_CHANNEL_STATE;
   ASYNC_CALLBACK_MODEL WS_CALLBACK_MODEL; the *_TIMEOUT ids ULONG milliseconds (INFINITE =
   none); ENABLE_TIMEOUTS BOOL; TRANSFER_MODE WS_TRANSFER_MODE; CHANNEL_TYPE WS_CHANNEL_TYPE;
   HTTP_PROXY_SETTING_MODE WS_HTTP_PROXY_SETTING_MODE. docs/capi.md lists what wst accepts. */
typedef enum {
  WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE = 0,
  WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE = 1,
  WS_CHANNEL_PROPERTY_MAX_STREAMED_START_SIZE = 2,
  WS_CHANNEL_PROPERTY_MAX_STREAMED_FLUSH_SIZE = 3,
  WS_CHANNEL_PROPERTY_ENCODING = 4,
  WS_CHANNEL_PROPERTY_ENVELOPE_VERSION = 5,
  WS_CHANNEL_PROPERTY_ADDRESSING_VERSION = 6,
  WS_CHANNEL_PROPERTY_MAX_SESSION_DICTIONARY_SIZE = 7,
  WS_CHANNEL_PROPERTY_STATE = 8,
  WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL = 9,
  WS_CHANNEL_PROPERTY_IP_VERSION = 10,
  WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT = 11,
  WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT = 12,
  WS_CHANNEL_PROPERTY_SEND_TIMEOUT = 13,
  WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT = 14,
  WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT = 15,
  WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT = 16,
  WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS = 17,
  WS_CHANNEL_PROPERTY_TRANSFER_MODE = 18,
  WS_CHANNEL_PROPERTY_MULTICAST_INTERFACE = 19,
  WS_CHANNEL_PROPERTY_MULTICAST_HOPS = 20,
  WS_CHANNEL_PROPERTY_REMOTE_ADDRESS = 21,
  WS_CHANNEL_PROPERTY_REMOTE_IP_ADDRESS = 22,
  WS_CHANNEL_PROPERTY_HTTP_CONNECTION_ID = 23,
  WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS = 24,
  WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_PARAMETERS = 25,
  WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_INSTANCE = 26,
  WS_CHANNEL_PROPERTY_TRANSPORT_URL = 27,
  WS_CHANNEL_PROPERTY_NO_DELAY = 28,
  WS_CHANNEL_PROPERTY_SEND_KEEP_ALIVES = 29,
  WS_CHANNEL_PROPERTY_KEEP_ALIVE_TIME = 30,
  WS_CHANNEL_PROPERTY_KEEP_ALIVE_INTERVAL = 31,
  WS_CHANNEL_PROPERTY_MAX_HTTP_SERVER_CONNECTIONS = 32,
  WS_CHANNEL_PROPERTY_IS_SESSION_SHUT_DOWN = 33,
  WS_CHANNEL_PROPERTY_CHANNEL_TYPE = 34,
  WS_CHANNEL_PROPERTY_TRIM_BUFFERED_MESSAGE_SIZE = 35,
  WS_CHANNEL_PROPERTY_ENCODER = 36,
  WS_CHANNEL_PROPERTY_DECODER = 37,
  WS_CHANNEL_PROPERTY_PROTECTION_LEVEL = 38,
  WS_CHANNEL_PROPERTY_COOKIE_MODE = 39,
  WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE = 40,
  WS_CHANNEL_PROPERTY_CUSTOM_HTTP_PROXY = 41,
  WS_CHANNEL_PROPERTY_HTTP_MESSAGE_MAPPING = 42,
  WS_CHANNEL_PROPERTY_ENABLE_HTTP_REDIRECT = 43,
  WS_CHANNEL_PROPERTY_HTTP_REDIRECT_CALLBACK_CONTEXT = 44,
  WS_CHANNEL_PROPERTY_FAULTS_AS_ERRORS = 45,
  WS_CHANNEL_PROPERTY_ALLOW_UNSECURED_FAULTS = 46,
  WS_CHANNEL_PROPERTY_HTTP_SERVER_SPN = 47,
  WS_CHANNEL_PROPERTY_HTTP_PROXY_SPN = 48,
  WS_CHANNEL_PROPERTY_MAX_HTTP_REQUEST_HEADERS_BUFFER_SIZE = 49
} WS_CHANNEL_PROPERTY_ID;

typedef struct _WS_CHANNEL_PROPERTY {
  WS_CHANNEL_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_CHANNEL_PROPERTY;

typedef struct _WS_CHANNEL_PROPERTIES {
  WS_CHANNEL_PROPERTY* properties;
  ULONG propertyCount;
} WS_CHANNEL_PROPERTIES;

typedef enum {
  WS_DNS_ENDPOINT_IDENTITY_TYPE = 1,
  WS_UPN_ENDPOINT_IDENTITY_TYPE = 2,
  WS_SPN_ENDPOINT_IDENTITY_TYPE = 3,
  WS_RSA_ENDPOINT_IDENTITY_TYPE = 4,
  WS_CERT_ENDPOINT_IDENTITY_TYPE = 5,
  WS_UNKNOWN_ENDPOINT_IDENTITY_TYPE = 6
} WS_ENDPOINT_IDENTITY_TYPE;

typedef struct _WS_ENDPOINT_IDENTITY {
  WS_ENDPOINT_IDENTITY_TYPE identityType;
} WS_ENDPOINT_IDENTITY;

typedef struct _WS_ENDPOINT_ADDRESS {
  WS_STRING url;
  WS_XML_BUFFER* headers;
  WS_XML_BUFFER* extensions;
  WS_ENDPOINT_IDENTITY* identity;
} WS_ENDPOINT_ADDRESS;

typedef enum {
  WS_MESSAGE_PROPERTY_STATE = 0,
  WS_MESSAGE_PROPERTY_HEAP = 1,
  WS_MESSAGE_PROPERTY_ENVELOPE_VERSION = 2,
  WS_MESSAGE_PROPERTY_ADDRESSING_VERSION = 3,
  WS_MESSAGE_PROPERTY_HEADER_BUFFER = 4,
  WS_MESSAGE_PROPERTY_HEADER_POSITION = 5,
  WS_MESSAGE_PROPERTY_BODY_READER = 6,
  WS_MESSAGE_PROPERTY_BODY_WRITER = 7,
  WS_MESSAGE_PROPERTY_IS_ADDRESSED = 8,
  WS_MESSAGE_PROPERTY_HEAP_PROPERTIES = 9,
  WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES = 10,
  WS_MESSAGE_PROPERTY_XML_WRITER_PROPERTIES = 11,
  WS_MESSAGE_PROPERTY_IS_FAULT = 12,
  WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS = 13,
  WS_MESSAGE_PROPERTY_USERNAME = 14,
  WS_MESSAGE_PROPERTY_ENCODED_CERT = 15,
  WS_MESSAGE_PROPERTY_TRANSPORT_SECURITY_WINDOWS_TOKEN = 16,
  WS_MESSAGE_PROPERTY_HTTP_HEADER_AUTH_WINDOWS_TOKEN = 17,
  WS_MESSAGE_PROPERTY_MESSAGE_SECURITY_WINDOWS_TOKEN = 18,
  WS_MESSAGE_PROPERTY_SAML_ASSERTION = 19,
  WS_MESSAGE_PROPERTY_SECURITY_CONTEXT = 20,
  WS_MESSAGE_PROPERTY_PROTECTION_LEVEL = 21
} WS_MESSAGE_PROPERTY_ID;

typedef struct _WS_MESSAGE_PROPERTY {
  WS_MESSAGE_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_MESSAGE_PROPERTY;

typedef struct _WS_MESSAGE_PROPERTIES {
  WS_MESSAGE_PROPERTY* properties;
  ULONG propertyCount;
} WS_MESSAGE_PROPERTIES;

/* ------------------------------------------------------------------------------------------ */
/* Channel security                                                                            */
/* ------------------------------------------------------------------------------------------ */

/* 1-based, as in Windows (Wine's port starts at 0; it is wrong). */
typedef enum {
  WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE = 1,
  WS_TCP_SSPI_TRANSPORT_SECURITY_BINDING_TYPE = 2,
  WS_HTTP_HEADER_AUTH_SECURITY_BINDING_TYPE = 3,
  WS_USERNAME_MESSAGE_SECURITY_BINDING_TYPE = 4,
  WS_KERBEROS_APREQ_MESSAGE_SECURITY_BINDING_TYPE = 5,
  WS_XML_TOKEN_MESSAGE_SECURITY_BINDING_TYPE = 6,
  WS_SAML_MESSAGE_SECURITY_BINDING_TYPE = 7,
  WS_SECURITY_CONTEXT_MESSAGE_SECURITY_BINDING_TYPE = 8,
  WS_NAMEDPIPE_SSPI_TRANSPORT_SECURITY_BINDING_TYPE = 9
} WS_SECURITY_BINDING_TYPE;

typedef enum {
  WS_SECURITY_BINDING_PROPERTY_REQUIRE_SSL_CLIENT_CERT = 1,
  WS_SECURITY_BINDING_PROPERTY_WINDOWS_INTEGRATED_AUTH_PACKAGE = 2,
  WS_SECURITY_BINDING_PROPERTY_REQUIRE_SERVER_AUTH = 3,
  WS_SECURITY_BINDING_PROPERTY_ALLOW_ANONYMOUS_CLIENTS = 4,
  WS_SECURITY_BINDING_PROPERTY_ALLOWED_IMPERSONATION_LEVEL = 5,
  WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_SCHEME =
      6, /* ULONG, WS_HTTP_HEADER_AUTH_SCHEME_* */
  WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_TARGET = 7, /* WS_HTTP_HEADER_AUTH_TARGET */
  WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_BASIC_REALM = 8,
  WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_DIGEST_REALM = 9,
  WS_SECURITY_BINDING_PROPERTY_HTTP_HEADER_AUTH_DIGEST_DOMAIN = 10,
  WS_SECURITY_BINDING_PROPERTY_SECURITY_CONTEXT_KEY_SIZE = 11,
  WS_SECURITY_BINDING_PROPERTY_SECURITY_CONTEXT_KEY_ENTROPY_MODE = 12,
  WS_SECURITY_BINDING_PROPERTY_MESSAGE_PROPERTIES = 13,
  WS_SECURITY_BINDING_PROPERTY_SECURITY_CONTEXT_MAX_PENDING_CONTEXTS = 14,
  WS_SECURITY_BINDING_PROPERTY_SECURITY_CONTEXT_MAX_ACTIVE_CONTEXTS = 15,
  WS_SECURITY_BINDING_PROPERTY_SECURE_CONVERSATION_VERSION = 16,
  WS_SECURITY_BINDING_PROPERTY_SECURITY_CONTEXT_SUPPORT_RENEW = 17,
  WS_SECURITY_BINDING_PROPERTY_SECURITY_CONTEXT_RENEWAL_INTERVAL = 18,
  WS_SECURITY_BINDING_PROPERTY_SECURITY_CONTEXT_ROLLOVER_INTERVAL = 19,
  WS_SECURITY_BINDING_PROPERTY_CERT_FAILURES_TO_IGNORE = 20,       /* ULONG, WS_CERT_FAILURE_* */
  WS_SECURITY_BINDING_PROPERTY_DISABLE_CERT_REVOCATION_CHECK = 21, /* BOOL */
  WS_SECURITY_BINDING_PROPERTY_DISALLOWED_SECURE_PROTOCOLS = 22,   /* ULONG, WS_SECURE_PROTOCOL_* */
  WS_SECURITY_BINDING_PROPERTY_CERTIFICATE_VALIDATION_CALLBACK_CONTEXT = 23,
  /* wst extension (WS_SSL_TRANSPORT_SECURITY_BINDING): WS_STRING, the path of a PEM file of CA
     certificates trusted instead of the system bundle (/etc/ssl/certs/ca-certificates.crt).
     On Windows the machine's certificate store plays this part. */
  WS_SECURITY_BINDING_PROPERTY_PEM_FILE_TRUSTED_CA = 1000
} WS_SECURITY_BINDING_PROPERTY_ID;

typedef struct _WS_SECURITY_BINDING_PROPERTY {
  WS_SECURITY_BINDING_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_SECURITY_BINDING_PROPERTY;

typedef struct _WS_SECURITY_BINDING_PROPERTIES {
  WS_SECURITY_BINDING_PROPERTY* properties;
  ULONG propertyCount;
} WS_SECURITY_BINDING_PROPERTIES;

/* Base of every security binding (the subtype is chosen by bindingType). */
typedef struct _WS_SECURITY_BINDING {
  WS_SECURITY_BINDING_TYPE bindingType;
  WS_SECURITY_BINDING_PROPERTY* properties;
  ULONG propertyCount;
} WS_SECURITY_BINDING;

typedef enum {
  WS_SECURITY_PROPERTY_TRANSPORT_PROTECTION_LEVEL = 1,
  WS_SECURITY_PROPERTY_ALGORITHM_SUITE = 2,
  WS_SECURITY_PROPERTY_ALGORITHM_SUITE_NAME = 3,
  WS_SECURITY_PROPERTY_MAX_ALLOWED_LATENCY = 4,
  WS_SECURITY_PROPERTY_TIMESTAMP_VALIDITY_DURATION = 5,
  WS_SECURITY_PROPERTY_MAX_ALLOWED_CLOCK_SKEW = 6,
  WS_SECURITY_PROPERTY_TIMESTAMP_USAGE = 7,
  WS_SECURITY_PROPERTY_SECURITY_HEADER_LAYOUT = 8,
  WS_SECURITY_PROPERTY_SECURITY_HEADER_VERSION = 9,
  WS_SECURITY_PROPERTY_EXTENDED_PROTECTION_POLICY = 10,
  WS_SECURITY_PROPERTY_EXTENDED_PROTECTION_SCENARIO = 11,
  WS_SECURITY_PROPERTY_SERVICE_IDENTITIES = 12
} WS_SECURITY_PROPERTY_ID;

typedef struct _WS_SECURITY_PROPERTY {
  WS_SECURITY_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_SECURITY_PROPERTY;

typedef struct _WS_SECURITY_PROPERTIES {
  WS_SECURITY_PROPERTY* properties;
  ULONG propertyCount;
} WS_SECURITY_PROPERTIES;

typedef struct _WS_SECURITY_DESCRIPTION {
  WS_SECURITY_BINDING** securityBindings;
  ULONG securityBindingCount;
  WS_SECURITY_PROPERTY* properties;
  ULONG propertyCount;
} WS_SECURITY_DESCRIPTION;

typedef enum { WS_SUPPORTING_MESSAGE_SECURITY_USAGE = 1 } WS_MESSAGE_SECURITY_USAGE;

#define WS_HTTP_HEADER_AUTH_SCHEME_NONE 0x1
#define WS_HTTP_HEADER_AUTH_SCHEME_BASIC 0x2
#define WS_HTTP_HEADER_AUTH_SCHEME_DIGEST 0x4
#define WS_HTTP_HEADER_AUTH_SCHEME_NTLM 0x8
#define WS_HTTP_HEADER_AUTH_SCHEME_NEGOTIATE 0x10
#define WS_HTTP_HEADER_AUTH_SCHEME_PASSPORT 0x20

typedef enum {
  WS_HTTP_HEADER_AUTH_TARGET_SERVICE = 1,
  WS_HTTP_HEADER_AUTH_TARGET_PROXY = 2
} WS_HTTP_HEADER_AUTH_TARGET;

#define WS_CERT_FAILURE_CN_MISMATCH 0x1
#define WS_CERT_FAILURE_INVALID_DATE 0x2
#define WS_CERT_FAILURE_UNTRUSTED_ROOT 0x4
#define WS_CERT_FAILURE_WRONG_USAGE 0x8
#define WS_CERT_FAILURE_REVOCATION_OFFLINE 0x10

#define WS_SECURE_PROTOCOL_SSL2 0x1
#define WS_SECURE_PROTOCOL_SSL3 0x2
#define WS_SECURE_PROTOCOL_TLS1_0 0x4
#define WS_SECURE_PROTOCOL_TLS1_1 0x8
#define WS_SECURE_PROTOCOL_TLS1_2 0x10

/* --- credentials --- */

typedef enum {
  WS_SUBJECT_NAME_CERT_CREDENTIAL_TYPE = 1, /* Windows certificate store: not on Linux */
  WS_THUMBPRINT_CERT_CREDENTIAL_TYPE = 2,   /* Windows certificate store: not on Linux */
  WS_CUSTOM_CERT_CREDENTIAL_TYPE = 3,       /* CERT_CONTEXT callback: not on Linux */
  /* wst extension: PEM files, WS_PEM_FILE_CERT_CREDENTIAL. Far from Windows' values so a
     future Windows type cannot collide with it. */
  WS_PEM_FILE_CERT_CREDENTIAL_TYPE = 1000
} WS_CERT_CREDENTIAL_TYPE;

/* Base of every certificate credential (the subtype is chosen by credentialType). */
typedef struct _WS_CERT_CREDENTIAL {
  WS_CERT_CREDENTIAL_TYPE credentialType;
} WS_CERT_CREDENTIAL;

/* wst extension: a client certificate and its private key read from PEM files when the
   channel opens. certificateFile holds the certificate chain, leaf first; privateKeyFile a
   PKCS#8 key ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with privateKeyPassword; length 0 =
   not encrypted). Paths are UTF-32 WCHAR strings, converted to UTF-8 file names. */
typedef struct _WS_PEM_FILE_CERT_CREDENTIAL {
  WS_CERT_CREDENTIAL credential; /* credentialType = WS_PEM_FILE_CERT_CREDENTIAL_TYPE */
  WS_STRING certificateFile;
  WS_STRING privateKeyFile;
  WS_STRING privateKeyPassword;
} WS_PEM_FILE_CERT_CREDENTIAL;

typedef enum {
  WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE = 1,
  WS_DEFAULT_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE = 2, /* logged-on user: not on Linux */
  WS_OPAQUE_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE = 3   /* SSPI identity: not on Linux */
} WS_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE;

/* Base of the credentials of WS_HTTP_HEADER_AUTH_SECURITY_BINDING. */
typedef struct _WS_WINDOWS_INTEGRATED_AUTH_CREDENTIAL {
  WS_WINDOWS_INTEGRATED_AUTH_CREDENTIAL_TYPE credentialType;
} WS_WINDOWS_INTEGRATED_AUTH_CREDENTIAL;

/* User name and password (HTTP Basic uses username and password; domain must be empty). */
typedef struct _WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL {
  WS_WINDOWS_INTEGRATED_AUTH_CREDENTIAL credential;
  WS_STRING username;
  WS_STRING password;
  WS_STRING domain;
} WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL;

typedef enum { WS_STRING_USERNAME_CREDENTIAL_TYPE = 1 } WS_USERNAME_CREDENTIAL_TYPE;

typedef struct _WS_USERNAME_CREDENTIAL {
  WS_USERNAME_CREDENTIAL_TYPE credentialType;
} WS_USERNAME_CREDENTIAL;

typedef struct _WS_STRING_USERNAME_CREDENTIAL {
  WS_USERNAME_CREDENTIAL credential; /* credentialType = WS_STRING_USERNAME_CREDENTIAL_TYPE */
  WS_STRING username;
  WS_STRING password;
} WS_STRING_USERNAME_CREDENTIAL;

/* Server-side password check (not used by a client; kept for layout). */
typedef HRESULT(CALLBACK* WS_VALIDATE_PASSWORD_CALLBACK)(void* passwordValidatorCallbackState,
                                                         const WS_STRING* username,
                                                         const WS_STRING* password,
                                                         const WS_ASYNC_CONTEXT* asyncContext,
                                                         WS_ERROR* error);

/* --- the four security bindings wst supports --- */

/* TLS (https). localCertCredential: optional client certificate (WS_PEM_FILE_CERT_CREDENTIAL). */
typedef struct _WS_SSL_TRANSPORT_SECURITY_BINDING {
  WS_SECURITY_BINDING binding; /* bindingType = WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE */
  WS_CERT_CREDENTIAL* localCertCredential;
} WS_SSL_TRANSPORT_SECURITY_BINDING;

/* HTTP header authentication (wst: Basic) with a WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL. */
typedef struct _WS_HTTP_HEADER_AUTH_SECURITY_BINDING {
  WS_SECURITY_BINDING binding; /* bindingType = WS_HTTP_HEADER_AUTH_SECURITY_BINDING_TYPE */
  WS_WINDOWS_INTEGRATED_AUTH_CREDENTIAL* clientCredential;
} WS_HTTP_HEADER_AUTH_SECURITY_BINDING;

/* WS-Security UsernameToken (PasswordText) in every request; requires TLS. */
typedef struct _WS_USERNAME_MESSAGE_SECURITY_BINDING {
  WS_SECURITY_BINDING binding; /* bindingType = WS_USERNAME_MESSAGE_SECURITY_BINDING_TYPE */
  WS_MESSAGE_SECURITY_USAGE bindingUsage;
  WS_USERNAME_CREDENTIAL* clientCredential;
  WS_VALIDATE_PASSWORD_CALLBACK passwordValidator; /* server side; must be NULL */
  void* passwordValidatorCallbackState;
} WS_USERNAME_MESSAGE_SECURITY_BINDING;

/* An XML (issued) token presented as a supporting token, signed with its proof key. */
typedef struct _WS_XML_TOKEN_MESSAGE_SECURITY_BINDING {
  WS_SECURITY_BINDING binding; /* bindingType = WS_XML_TOKEN_MESSAGE_SECURITY_BINDING_TYPE */
  WS_MESSAGE_SECURITY_USAGE bindingUsage;
  WS_SECURITY_TOKEN* xmlToken;
} WS_XML_TOKEN_MESSAGE_SECURITY_BINDING;

/* ------------------------------------------------------------------------------------------ */
/* Security tokens                                                                             */
/* ------------------------------------------------------------------------------------------ */

typedef enum { WS_TRUST_VERSION_FEBRUARY_2005 = 1, WS_TRUST_VERSION_1_3 = 2 } WS_TRUST_VERSION;

typedef enum {
  WS_SECURE_CONVERSATION_VERSION_FEBRUARY_2005 = 1,
  WS_SECURE_CONVERSATION_VERSION_1_3 = 2
} WS_SECURE_CONVERSATION_VERSION;

typedef enum {
  WS_REQUEST_SECURITY_TOKEN_ACTION_ISSUE = 1,
  WS_REQUEST_SECURITY_TOKEN_ACTION_NEW_CONTEXT = 2,
  WS_REQUEST_SECURITY_TOKEN_ACTION_RENEW_CONTEXT = 3
} WS_REQUEST_SECURITY_TOKEN_ACTION;

typedef enum {
  WS_SECURITY_KEY_TYPE_NONE = 1, /* bearer token: no proof key */
  WS_SECURITY_KEY_TYPE_SYMMETRIC = 2,
  WS_SECURITY_KEY_TYPE_ASYMMETRIC = 3 /* not supported by wst */
} WS_SECURITY_KEY_TYPE;

typedef enum {
  WS_SECURITY_KEY_ENTROPY_MODE_CLIENT_ONLY = 1,
  WS_SECURITY_KEY_ENTROPY_MODE_SERVER_ONLY = 2,
  WS_SECURITY_KEY_ENTROPY_MODE_COMBINED = 3
} WS_SECURITY_KEY_ENTROPY_MODE;

typedef enum {
  WS_SECURITY_BEARER_KEY_TYPE_VERSION_1_3_ORIGINAL_SPECIFICATION = 1,
  WS_SECURITY_BEARER_KEY_TYPE_VERSION_1_3_ORIGINAL_SCHEMA = 2,
  WS_SECURITY_BEARER_KEY_TYPE_VERSION_1_3_ERRATA_01 = 3
} WS_SECURITY_BEARER_KEY_TYPE_VERSION;

/* Value types in brackets. */
typedef enum {
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO = 1,    /* WS_ENDPOINT_ADDRESS */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_TRUST_VERSION = 2, /* WS_TRUST_VERSION */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_SECURE_CONVERSATION_VERSION = 3,
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE = 4, /* WS_XML_STRING */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_REQUEST_ACTION = 5,
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_EXISTING_TOKEN = 6,        /* WS_SECURITY_TOKEN* */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_TYPE = 7, /* WS_SECURITY_KEY_TYPE */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_SIZE = 8, /* ULONG bits */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_ENTROPY = 9,
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS = 10,   /* WS_XML_BUFFER* */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_SERVICE_REQUEST_PARAMETERS = 11, /* WS_XML_BUFFER* */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_MESSAGE_PROPERTIES = 12,         /* WS_MESSAGE_PROPERTIES */
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_BEARER_KEY_TYPE_VERSION = 13
} WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID;

typedef struct _WS_REQUEST_SECURITY_TOKEN_PROPERTY {
  WS_REQUEST_SECURITY_TOKEN_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_REQUEST_SECURITY_TOKEN_PROPERTY;

/* Properties of a token, read with WsGetSecurityTokenProperty. */
typedef enum {
  WS_SECURITY_TOKEN_PROPERTY_KEY_TYPE = 1,                 /* WS_SECURITY_KEY_TYPE */
  WS_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME = 2,          /* WS_DATETIME */
  WS_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME = 3,          /* WS_DATETIME */
  WS_SECURITY_TOKEN_PROPERTY_SERIALIZED_XML = 4,           /* WS_XML_BUFFER*, heap needed */
  WS_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE_XML = 5,   /* WS_XML_BUFFER*, heap needed */
  WS_SECURITY_TOKEN_PROPERTY_UNATTACHED_REFERENCE_XML = 6, /* WS_XML_BUFFER*, heap needed */
  WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY = 7             /* WS_BYTES, heap needed */
} WS_SECURITY_TOKEN_PROPERTY_ID;

/* Properties given to WsCreateXmlSecurityToken. */
typedef enum {
  WS_XML_SECURITY_TOKEN_PROPERTY_ATTACHED_REFERENCE = 1,   /* WS_XML_BUFFER* */
  WS_XML_SECURITY_TOKEN_PROPERTY_UNATTACHED_REFERENCE = 2, /* WS_XML_BUFFER* */
  WS_XML_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME = 3,      /* WS_DATETIME */
  WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME = 4       /* WS_DATETIME */
} WS_XML_SECURITY_TOKEN_PROPERTY_ID;

typedef struct _WS_XML_SECURITY_TOKEN_PROPERTY {
  WS_XML_SECURITY_TOKEN_PROPERTY_ID id;
  void* value;
  ULONG valueSize;
} WS_XML_SECURITY_TOKEN_PROPERTY;

typedef enum {
  WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE_TYPE = 1,
  WS_NCRYPT_ASYMMETRIC_SECURITY_KEY_HANDLE_TYPE = 2, /* not on Linux */
  WS_CAPI_ASYMMETRIC_SECURITY_KEY_HANDLE_TYPE = 3    /* not on Linux */
} WS_SECURITY_KEY_HANDLE_TYPE;

/* Base of every key handle (the subtype is chosen by keyHandleType). */
typedef struct _WS_SECURITY_KEY_HANDLE {
  WS_SECURITY_KEY_HANDLE_TYPE keyHandleType;
} WS_SECURITY_KEY_HANDLE;

typedef struct _WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE {
  WS_SECURITY_KEY_HANDLE keyHandle; /* keyHandleType = WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE_TYPE */
  WS_BYTES rawKeyBytes;
} WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE;

/* ========================================================================================== */
/* Functions                                                                                   */
/*                                                                                             */
/* Common contract: every handle argument is checked; a NULL, freed or foreign handle gives    */
/* E_INVALIDARG (a bad `error` handle is then left alone). On failure a readable description  */
/* is added to `error` (when given) and out-parameters are left untouched. No function lets a  */
/* C++ exception escape; running out of memory gives E_OUTOFMEMORY.                           */
/* ========================================================================================== */

/* --- errors ------------------------------------------------------------------------------- */

/* Creates an error object. Settable properties: LANGID (wst writes English strings whatever
   it says; default 0x0409) and ORIGINAL_ERROR_CODE. STRING_COUNT is read only. */
WST_C_API HRESULT WINAPI WsCreateError(const WS_ERROR_PROPERTY* properties, ULONG propertyCount,
                                       WS_ERROR** error);
/* Adds a copy of `string` to the error; it becomes string 0 (at most 64 strings of at most
   65536 WCHARs are kept: WS_E_QUOTA_EXCEEDED beyond). */
WST_C_API HRESULT WINAPI WsAddErrorString(WS_ERROR* error, const WS_STRING* string);
/* STRING_COUNT (ULONG), ORIGINAL_ERROR_CODE (HRESULT: the code of the last failure wst
   recorded, or the value set at creation; 0 when none), LANGID (LANGID). valueSize must equal
   the size of the value's type. */
WST_C_API HRESULT WINAPI WsGetErrorProperty(WS_ERROR* error, WS_ERROR_PROPERTY_ID id, void* buffer,
                                            ULONG bufferSize);
/* String `index`: 0 is the most recently added. The chars stay valid until WsResetError or
   WsFreeError; they are not zero terminated. E_INVALIDARG for an index >= STRING_COUNT. */
WST_C_API HRESULT WINAPI WsGetErrorString(WS_ERROR* error, ULONG index, WS_STRING* string);
/* Removes every string and sets ORIGINAL_ERROR_CODE back to 0 (the LANGID stays). */
WST_C_API HRESULT WINAPI WsResetError(WS_ERROR* error);
/* Frees the object; NULL is ignored. */
WST_C_API void WINAPI WsFreeError(WS_ERROR* error);

/* --- heaps -------------------------------------------------------------------------------- */

/* Creates an arena. maxSize: total bytes its allocations (and the objects created on it,
   XML buffers included) may take; beyond it allocations fail with WS_E_QUOTA_EXCEEDED.
   trimSize: memory kept for reuse by WsResetHeap (must be <= maxSize). No property may be
   given here (MAX_SIZE and TRIM_SIZE are the arguments). */
WST_C_API HRESULT WINAPI WsCreateHeap(SIZE_T maxSize, SIZE_T trimSize,
                                      const WS_HEAP_PROPERTY* properties, ULONG propertyCount,
                                      WS_HEAP** heap, WS_ERROR* error);
/* `size` bytes aligned for any type, valid until WsResetHeap or WsFreeHeap. size 0 gives a
   distinct valid pointer. */
WST_C_API HRESULT WINAPI WsAlloc(WS_HEAP* heap, SIZE_T size, void** ptr, WS_ERROR* error);
/* Frees every allocation and every object (XML buffers) of the heap at once. Their memory is
   overwritten with zeros first (token keys and XML may be secret). */
WST_C_API HRESULT WINAPI WsResetHeap(WS_HEAP* heap, WS_ERROR* error);
/* WsResetHeap, then frees the heap; NULL is ignored. */
WST_C_API void WINAPI WsFreeHeap(WS_HEAP* heap);

/* --- XML buffers ---------------------------------------------------------------------------- */

/* An empty XML buffer on `heap` (freed with the heap). No property is defined. */
WST_C_API HRESULT WINAPI WsCreateXmlBuffer(WS_HEAP* heap, const WS_XML_BUFFER_PROPERTY* properties,
                                           ULONG propertyCount, WS_XML_BUFFER** buffer,
                                           WS_ERROR* error);
/* Reader settings (see WsReadXmlBufferFromBytes for the properties honoured). */
WST_C_API HRESULT WINAPI WsCreateReader(const WS_XML_READER_PROPERTY* properties,
                                        ULONG propertyCount, WS_XML_READER** reader,
                                        WS_ERROR* error);
/* Parses UTF-8 XML text into a new buffer on `heap`. `encoding` NULL or
   WS_XML_READER_TEXT_ENCODING with charset AUTO/UTF8 (UTF-16, binary, MTOM and raw:
   WS_E_NOT_SUPPORTED). The properties given here override the reader's: MAX_DEPTH (default
   32), MAX_ATTRIBUTES (128), MAX_NAMESPACES (64), ALLOW_FRAGMENT (FALSE: exactly one root
   element; TRUE: any sequence of elements and text), READ_DECLARATION (TRUE only), CHARSET;
   buffer-size hints (UTF8_TRIM_SIZE, STREAM_*, MAX_MIME_PARTS) have no effect on text input.
   A leading byte order mark and XML declaration are dropped; DOCTYPE is refused. Errors:
   WS_E_INVALID_FORMAT (not well-formed), WS_E_QUOTA_EXCEEDED (a limit, or the heap's quota,
   which bounds the input size). */
WST_C_API HRESULT WINAPI WsReadXmlBufferFromBytes(WS_XML_READER* reader,
                                                  const WS_XML_READER_ENCODING* encoding,
                                                  const WS_XML_READER_PROPERTY* properties,
                                                  ULONG propertyCount, const void* bytes,
                                                  ULONG byteCount, WS_HEAP* heap,
                                                  WS_XML_BUFFER** xmlBuffer, WS_ERROR* error);
WST_C_API void WINAPI WsFreeReader(WS_XML_READER* reader);
/* Writer settings (see WsWriteXmlBufferToBytes). */
WST_C_API HRESULT WINAPI WsCreateWriter(const WS_XML_WRITER_PROPERTY* properties,
                                        ULONG propertyCount, WS_XML_WRITER** writer,
                                        WS_ERROR* error);
/* Serialises `buffer` as UTF-8 text into memory allocated on `heap`. `encoding` NULL or
   WS_XML_WRITER_TEXT_ENCODING with charset UTF8. Properties (overriding the writer's):
   WRITE_DECLARATION (prepends <?xml version="1.0" encoding="utf-8"?>), ALLOW_FRAGMENT (FALSE:
   the buffer must hold exactly one element, else WS_E_INVALID_FORMAT), CHARSET (UTF8),
   INDENT (0 only). Content read from bytes is written back as it was read. */
WST_C_API HRESULT WINAPI WsWriteXmlBufferToBytes(WS_XML_WRITER* writer, WS_XML_BUFFER* buffer,
                                                 const WS_XML_WRITER_ENCODING* encoding,
                                                 const WS_XML_WRITER_PROPERTY* properties,
                                                 ULONG propertyCount, WS_HEAP* heap, void** bytes,
                                                 ULONG* byteCount, WS_ERROR* error);
WST_C_API void WINAPI WsFreeWriter(WS_XML_WRITER* writer);

/* --- channels ------------------------------------------------------------------------------- */
/*                                                                                             */
/* Asynchronous contract (WsOpenChannel, WsCloseChannel, WsRequestSecurityToken): with a NULL  */
/* asyncContext the call blocks until done (not allowed on a wst thread, i.e. inside a         */
/* WS_SHORT_CALLBACK: WS_E_INVALID_OPERATION). With a context it returns either the final      */
/* HRESULT (argument and state errors, or work that finished at once: no callback) or          */
/* WS_S_ASYNC, after which the callback runs exactly once; WS_ERROR, out-parameters and the    */
/* channel state are final before it runs. The channel's ASYNC_CALLBACK_MODEL picks where:     */
/* WS_SHORT_CALLBACK on a wst runtime thread (must not block), WS_LONG_CALLBACK (default) on a */
/* thread of its own where blocking delays nothing else; when no such thread can be had the    */
/* callback runs short and its callbackModel argument says so.                                 */

/* A WS_CHANNEL_TYPE_REQUEST channel over WS_HTTP_CHANNEL_BINDING to an STS, in state CREATED.
   Properties: MAX_BUFFERED_MESSAGE_SIZE (1024..64 MiB, default 65536; the largest reply),
   ENVELOPE_VERSION (SOAP 1.1/1.2, default 1.2), ADDRESSING_VERSION (0.9/1.0, default 1.0),
   ASYNC_CALLBACK_MODEL (default WS_LONG_CALLBACK), RESOLVE_TIMEOUT (60 s), CONNECT_TIMEOUT
   (30 s, TLS handshake included), SEND_TIMEOUT (30 s), RECEIVE_RESPONSE_TIMEOUT and
   RECEIVE_TIMEOUT (30 s each; the smaller bounds the whole response), CLOSE_TIMEOUT (5 s),
   ENABLE_TIMEOUTS (FALSE: timeouts not given become INFINITE), and the defaults ENCODING
   (XML_UTF8), TRANSFER_MODE (BUFFERED), HTTP_PROXY_SETTING_MODE (NONE). Security bindings:
   WS_SSL_TRANSPORT_SECURITY_BINDING (https; client certificate WS_PEM_FILE_CERT_CREDENTIAL;
   CERT_FAILURES_TO_IGNORE CN_MISMATCH/REVOCATION_OFFLINE, DISALLOWED_SECURE_PROTOCOLS,
   DISABLE_CERT_REVOCATION_CHECK, PEM_FILE_TRUSTED_CA), WS_HTTP_HEADER_AUTH_SECURITY_BINDING
   (HTTP_HEADER_AUTH_SCHEME must be BASIC; WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL without
   domain), WS_USERNAME_MESSAGE_SECURITY_BINDING and WS_XML_TOKEN_MESSAGE_SECURITY_BINDING
   (both WS_SUPPORTING_MESSAGE_SECURITY_USAGE, both need the SSL binding; the XML token is kept,
   so it may be freed afterwards). Anything else: E_INVALIDARG when it is wrong,
   WS_E_NOT_SUPPORTED when it is a valid Windows option wst does not implement. */
WST_C_API HRESULT WINAPI WsCreateChannel(WS_CHANNEL_TYPE channelType,
                                         WS_CHANNEL_BINDING channelBinding,
                                         const WS_CHANNEL_PROPERTY* properties, ULONG propertyCount,
                                         const WS_SECURITY_DESCRIPTION* securityDescription,
                                         WS_CHANNEL** channel, WS_ERROR* error);
/* CREATED -> OPENING -> OPEN, or FAULTED when the address cannot be used (bad URL:
   WS_E_INVALID_ENDPOINT_URL) or a TLS file cannot be loaded (E_INVALIDARG). Nothing is sent
   yet: connections are made by the requests. The url must be https exactly when the channel
   has the SSL binding; headers, extensions and identity must be NULL. Other states:
   WS_E_INVALID_OPERATION. */
WST_C_API HRESULT WINAPI WsOpenChannel(WS_CHANNEL* channel,
                                       const WS_ENDPOINT_ADDRESS* endpointAddress,
                                       const WS_ASYNC_CONTEXT* asyncContext, WS_ERROR* error);
/* OPEN or FAULTED -> CLOSING -> CLOSED: waits up to CLOSE_TIMEOUT for requests in flight,
   then aborts them (WS_E_OPERATION_TIMED_OUT). Closed even when it reports a failure. */
WST_C_API HRESULT WINAPI WsCloseChannel(WS_CHANNEL* channel, const WS_ASYNC_CONTEXT* asyncContext,
                                        WS_ERROR* error);
/* Any state. Every pending operation completes with WS_E_OPERATION_ABORTED; OPENING/OPEN ->
   FAULTED, CLOSING -> CLOSED. Does not wait for I/O. */
WST_C_API HRESULT WINAPI WsAbortChannel(WS_CHANNEL* channel, WS_ERROR* error);
/* CREATED or CLOSED -> CREATED (a new WsOpenChannel may name another address). */
WST_C_API HRESULT WINAPI WsResetChannel(WS_CHANNEL* channel, WS_ERROR* error);
/* Frees the channel in any state; pending operations complete with WS_E_OPERATION_ABORTED
   (their callbacks still run, once). NULL is ignored. */
WST_C_API void WINAPI WsFreeChannel(WS_CHANNEL* channel);
/* STATE, CHANNEL_TYPE and every property WsCreateChannel accepts (as given, or the default).
   valueSize must equal the size of the property's type. */
WST_C_API HRESULT WINAPI WsGetChannelProperty(WS_CHANNEL* channel, WS_CHANNEL_PROPERTY_ID id,
                                              void* value, ULONG valueSize, WS_ERROR* error);

/* --- security tokens ------------------------------------------------------------------------ */

/* Obtains a token from the STS the OPEN channel talks to (WS-Trust; one RST, one RSTR).
   Properties (each at most once): APPLIES_TO (WS_ENDPOINT_ADDRESS, url only), TRUST_VERSION,
   SECURE_CONVERSATION_VERSION, ISSUED_TOKEN_TYPE (WS_XML_STRING), REQUEST_ACTION,
   EXISTING_TOKEN (WS_SECURITY_TOKEN*, RENEW_CONTEXT only, with its proof key),
   ISSUED_TOKEN_KEY_TYPE (ASYMMETRIC: WS_E_NOT_SUPPORTED), ISSUED_TOKEN_KEY_SIZE,
   ISSUED_TOKEN_KEY_ENTROPY, LOCAL_REQUEST_PARAMETERS and SERVICE_REQUEST_PARAMETERS
   (WS_XML_BUFFER* of elements, copied verbatim), MESSAGE_PROPERTIES (XML_READER_PROPERTIES:
   MAX_DEPTH, MAX_ATTRIBUTES, MAX_NAMESPACES bound the reply), BEARER_KEY_TYPE_VERSION.
   Argument errors return at once (E_INVALIDARG, WS_E_NOT_SUPPORTED; no callback); a channel
   not OPEN gives WS_E_INVALID_OPERATION. On success *token receives a new token (free it with
   WsFreeSecurityToken); on failure *token is untouched and the channel is OPEN, or FAULTED
   when its connection became unusable (refused, reset, timeout, TLS, garbled HTTP). A SOAP
   fault is WS_E_ENDPOINT_FAULT_RECEIVED with its code and reason in WS_ERROR. */
WST_C_API HRESULT WINAPI WsRequestSecurityToken(
    WS_CHANNEL* channel, const WS_REQUEST_SECURITY_TOKEN_PROPERTY* properties, ULONG propertyCount,
    WS_SECURITY_TOKEN** token, const WS_ASYNC_CONTEXT* asyncContext, WS_ERROR* error);
/* Reads a property of a token. KEY_TYPE, VALID_FROM_TIME and VALID_TILL_TIME (ticks 0 when
   the token states no such bound) need valueSize = sizeof the type and no heap.
   SERIALIZED_XML, ATTACHED_REFERENCE_XML and UNATTACHED_REFERENCE_XML write a WS_XML_BUFFER*
   created on `heap` (NULL when the token has no such reference). SYMMETRIC_KEY writes a
   WS_BYTES whose bytes are copied into `heap` (WS_E_INVALID_OPERATION for a token without a
   symmetric key). WS_E_QUOTA_EXCEEDED when the heap is too small. */
WST_C_API HRESULT WINAPI WsGetSecurityTokenProperty(WS_SECURITY_TOKEN* securityToken,
                                                    WS_SECURITY_TOKEN_PROPERTY_ID id, void* value,
                                                    ULONG valueSize, WS_HEAP* heap,
                                                    WS_ERROR* error);
/* A token from its XML: `tokenXml` must hold exactly one element, which is copied (the buffer
   and its heap may go away afterwards). `tokenKey` NULL (key type NONE) or a
   WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE with 1..512 key bytes (copied). Properties: ATTACHED_
   and UNATTACHED_REFERENCE (WS_XML_BUFFER* holding one element), VALID_FROM_TIME and
   VALID_TILL_TIME (WS_DATETIME, from <= till). */
WST_C_API HRESULT WINAPI WsCreateXmlSecurityToken(WS_XML_BUFFER* tokenXml,
                                                  WS_SECURITY_KEY_HANDLE* tokenKey,
                                                  const WS_XML_SECURITY_TOKEN_PROPERTY* properties,
                                                  ULONG propertyCount, WS_SECURITY_TOKEN** token,
                                                  WS_ERROR* error);
/* Frees the token and wipes its key; NULL is ignored. */
WST_C_API void WINAPI WsFreeSecurityToken(WS_SECURITY_TOKEN* token);

#ifdef __cplusplus
}
#endif

#endif /* WST_WEBSERVICES_H */
