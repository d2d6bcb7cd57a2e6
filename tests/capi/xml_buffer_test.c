/* XML buffers through bytes: round trips, fragments, limits, quotas, encodings, properties,
 * bad handles. */
#include "check.h"

static const char doc_root[] =
    "<a:root xmlns:a=\"urn:a\"><a:child x='1'>text &amp; more</a:child><!--c--><e/></a:root>";

/* Reads `text` with `reader` (and call properties) into a buffer on `heap`. */
static HRESULT read_text(WS_XML_READER* reader, const WS_XML_READER_PROPERTY* props, ULONG count,
                         const char* text, WS_HEAP* heap, WS_XML_BUFFER** buffer, WS_ERROR* error) {
  return WsReadXmlBufferFromBytes(reader, NULL, props, count, text, (ULONG)strlen(text), heap,
                                  buffer, error);
}

/* Writes `buffer` and compares the bytes with `expected`. */
static int writes_as(WS_XML_WRITER* writer, WS_XML_BUFFER* buffer,
                     const WS_XML_WRITER_PROPERTY* props, ULONG count, WS_HEAP* heap,
                     const char* expected) {
  void* bytes = NULL;
  ULONG size = 0;
  if (WsWriteXmlBufferToBytes(writer, buffer, NULL, props, count, heap, &bytes, &size, NULL) !=
      S_OK)
    return 0;
  return size == strlen(expected) && memcmp(bytes, expected, size) == 0;
}

static void test_round_trip(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_XML_READER* reader = NULL;
  WS_XML_WRITER* writer = NULL;
  WS_XML_BUFFER* buffer = NULL;
  WS_XML_WRITER_PROPERTY decl;
  BOOL yes = TRUE;
  char input[512];
  char expected[512];
  WS_XML_READER_TEXT_ENCODING text_encoding;
  WS_XML_WRITER_TEXT_ENCODING out_encoding;
  void* bytes = NULL;
  ULONG size = 0;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsCreateReader(NULL, 0, &reader, error), S_OK);
  CHECK_HR(WsCreateWriter(NULL, 0, &writer, error), S_OK);

  /* declaration, BOM and surrounding whitespace go; the element comes back byte for byte */
  snprintf(input, sizeof input, "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n%s\n",
           doc_root);
  CHECK_HR(read_text(reader, NULL, 0, input, heap, &buffer, error), S_OK);
  CHECK(buffer != NULL);
  CHECK(writes_as(writer, buffer, NULL, 0, heap, doc_root));

  decl.id = WS_XML_WRITER_PROPERTY_WRITE_DECLARATION;
  decl.value = &yes;
  decl.valueSize = sizeof(yes);
  snprintf(expected, sizeof expected, "<?xml version=\"1.0\" encoding=\"utf-8\"?>%s", doc_root);
  CHECK(writes_as(writer, buffer, &decl, 1, heap, expected));

  /* explicit text encodings */
  text_encoding.encoding.encodingType = WS_XML_READER_ENCODING_TYPE_TEXT;
  text_encoding.charSet = WS_CHARSET_UTF8;
  CHECK_HR(WsReadXmlBufferFromBytes(reader, &text_encoding.encoding, NULL, 0, doc_root,
                                    (ULONG)strlen(doc_root), heap, &buffer, error),
           S_OK);
  out_encoding.encoding.encodingType = WS_XML_WRITER_ENCODING_TYPE_TEXT;
  out_encoding.charSet = WS_CHARSET_UTF8;
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, &out_encoding.encoding, NULL, 0, heap, &bytes,
                                   &size, error),
           S_OK);
  CHECK(size == strlen(doc_root) && memcmp(bytes, doc_root, size) == 0);

  /* a comment before the root belongs to the document */
  CHECK_HR(read_text(reader, NULL, 0, "<!-- head --><r/>", heap, &buffer, error), S_OK);
  CHECK(writes_as(writer, buffer, NULL, 0, heap, "<!-- head --><r/>"));

  /* writer settings given at creation apply to every call */
  WsFreeWriter(writer);
  CHECK_HR(WsCreateWriter(&decl, 1, &writer, error), S_OK);
  CHECK(writes_as(writer, buffer, NULL, 0, heap,
                  "<?xml version=\"1.0\" encoding=\"utf-8\"?><!-- head --><r/>"));

  CHECK(error_string_count(error) == 0);
  WsFreeWriter(writer);
  WsFreeReader(reader);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_fragments(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_XML_READER* reader = NULL;
  WS_XML_WRITER* writer = NULL;
  WS_XML_BUFFER* buffer = NULL;
  WS_XML_READER_PROPERTY rfrag;
  WS_XML_WRITER_PROPERTY wfrag;
  BOOL yes = TRUE;
  void* bytes = NULL;
  ULONG size = 0;

  rfrag.id = WS_XML_READER_PROPERTY_ALLOW_FRAGMENT;
  rfrag.value = &yes;
  rfrag.valueSize = sizeof(yes);
  wfrag.id = WS_XML_WRITER_PROPERTY_ALLOW_FRAGMENT;
  wfrag.value = &yes;
  wfrag.valueSize = sizeof(yes);
  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsCreateReader(NULL, 0, &reader, error), S_OK);
  CHECK_HR(WsCreateWriter(NULL, 0, &writer, error), S_OK);

  /* two roots: only as a fragment */
  CHECK_HR(read_text(reader, NULL, 0, "<a/><b/>", heap, &buffer, error), WS_E_INVALID_FORMAT);
  CHECK(buffer == NULL);
  CHECK_HR(
      read_text(reader, &rfrag, 1, " <p:a xmlns:p=\"urn:p\"/>tail<b>x</b> ", heap, &buffer, error),
      S_OK);
  CHECK(buffer != NULL);
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, NULL, NULL, 0, heap, &bytes, &size, error),
           WS_E_INVALID_FORMAT);
  CHECK(error_string_contains(error, 0, L"ALLOW_FRAGMENT"));
  CHECK(writes_as(writer, buffer, &wfrag, 1, heap, " <p:a xmlns:p=\"urn:p\"/>tail<b>x</b> "));

  /* an empty fragment is an empty buffer; an empty document is an error */
  CHECK_HR(read_text(reader, &rfrag, 1, "", heap, &buffer, error), S_OK);
  CHECK(writes_as(writer, buffer, &wfrag, 1, heap, ""));
  CHECK_HR(read_text(reader, NULL, 0, "", heap, &buffer, error), WS_E_INVALID_FORMAT);

  /* one element read as a fragment is still one element */
  CHECK_HR(read_text(reader, &rfrag, 1, "<only/>", heap, &buffer, error), S_OK);
  CHECK(writes_as(writer, buffer, NULL, 0, heap, "<only/>"));

  /* a new, empty buffer needs ALLOW_FRAGMENT to be written */
  CHECK_HR(WsCreateXmlBuffer(heap, NULL, 0, &buffer, error), S_OK);
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, NULL, NULL, 0, heap, &bytes, &size, error),
           WS_E_INVALID_FORMAT);
  CHECK(writes_as(writer, buffer, &wfrag, 1, heap, ""));

  /* reader settings given at creation apply to every call */
  WsFreeReader(reader);
  CHECK_HR(WsCreateReader(&rfrag, 1, &reader, error), S_OK);
  CHECK_HR(read_text(reader, NULL, 0, "<a/><b/>", heap, &buffer, error), S_OK);

  WsFreeWriter(writer);
  WsFreeReader(reader);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_limits(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_HEAP* small = NULL;
  WS_XML_READER* reader = NULL;
  WS_XML_READER* shallow = NULL;
  WS_XML_WRITER* writer = NULL;
  WS_XML_BUFFER* buffer = NULL;
  WS_XML_READER_PROPERTY prop;
  ULONG depth = 3, attributes = 2;
  char big[400];
  void* bytes = NULL;
  ULONG size = 0;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsCreateReader(NULL, 0, &reader, error), S_OK);
  CHECK_HR(WsCreateWriter(NULL, 0, &writer, error), S_OK);

  prop.id = WS_XML_READER_PROPERTY_MAX_DEPTH;
  prop.value = &depth;
  prop.valueSize = sizeof(depth);
  CHECK_HR(read_text(reader, &prop, 1, "<a><b><c/></b></a>", heap, &buffer, error), S_OK);
  CHECK_HR(read_text(reader, &prop, 1, "<a><b><c><d/></c></b></a>", heap, &buffer, error),
           WS_E_QUOTA_EXCEEDED);
  CHECK(error_string_count(error) == 1);
  /* the same limit set on the reader */
  CHECK_HR(WsCreateReader(&prop, 1, &shallow, error), S_OK);
  CHECK_HR(read_text(shallow, NULL, 0, "<a><b><c><d/></c></b></a>", heap, &buffer, error),
           WS_E_QUOTA_EXCEEDED);
  WsFreeReader(shallow);
  /* the default depth is 32 */
  CHECK_HR(read_text(reader, NULL, 0,
                     "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
                     "<a><a><a><a><a><a><a><a><a/></a></a></a></a></a></a></a></a></a></a></a>"
                     "</a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a>"
                     "</a></a></a>",
                     heap, &buffer, error),
           WS_E_QUOTA_EXCEEDED);

  prop.id = WS_XML_READER_PROPERTY_MAX_ATTRIBUTES;
  prop.value = &attributes;
  prop.valueSize = sizeof(attributes);
  CHECK_HR(read_text(reader, &prop, 1, "<a x='1' y='2'/>", heap, &buffer, error), S_OK);
  CHECK_HR(read_text(reader, &prop, 1, "<a x='1' y='2' z='3'/>", heap, &buffer, error),
           WS_E_QUOTA_EXCEEDED);

  /* the heap's quota bounds the input: nothing is left behind on failure */
  memset(big, 'x', sizeof big);
  memcpy(big, "<a>", 3);
  memcpy(big + sizeof big - 5, "</a>", 5); /* includes the terminating NUL */
  CHECK_HR(WsCreateHeap(256, 0, NULL, 0, &small, error), S_OK);
  buffer = NULL;
  CHECK_HR(read_text(reader, NULL, 0, big, small, &buffer, error), WS_E_QUOTA_EXCEEDED);
  CHECK(buffer == NULL);
  CHECK(error_string_contains(error, 0, L"maximum size of 256 bytes"));
  CHECK_HR(read_text(reader, NULL, 0, big, heap, &buffer, error), S_OK);

  /* writing needs room on the target heap too */
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, NULL, NULL, 0, small, &bytes, &size, error),
           WS_E_QUOTA_EXCEEDED);
  CHECK(bytes == NULL && size == 0);

  WsFreeHeap(small);
  WsFreeWriter(writer);
  WsFreeReader(reader);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_malformed(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_XML_READER* reader = NULL;
  WS_XML_BUFFER* buffer = NULL;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsCreateReader(NULL, 0, &reader, error), S_OK);
  CHECK_HR(read_text(reader, NULL, 0, "<a><b></a>", heap, &buffer, error), WS_E_INVALID_FORMAT);
  CHECK_HR(read_text(reader, NULL, 0, "<a>", heap, &buffer, error), WS_E_INVALID_FORMAT);
  CHECK_HR(
      read_text(reader, NULL, 0, "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", heap, &buffer, error),
      WS_E_INVALID_FORMAT);
  CHECK_HR(read_text(reader, NULL, 0, "<a>\xC3\x28</a>", heap, &buffer, error),
           WS_E_INVALID_FORMAT);
  CHECK_HR(read_text(reader, NULL, 0, "<p:a/>", heap, &buffer, error), WS_E_INVALID_FORMAT);
  CHECK_HR(read_text(reader, NULL, 0, "<a x='1' x='2'/>", heap, &buffer, error),
           WS_E_INVALID_FORMAT);
  CHECK_HR(read_text(reader, NULL, 0, "just text", heap, &buffer, error), WS_E_INVALID_FORMAT);
  CHECK(buffer == NULL);
  CHECK(error_string_count(error) == 7);
  CHECK(error_string_contains(error, 0, L"WsReadXmlBufferFromBytes"));
  WsFreeReader(reader);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_encodings_and_properties(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_XML_READER* reader = NULL;
  WS_XML_WRITER* writer = NULL;
  WS_XML_BUFFER* buffer = NULL;
  WS_XML_READER_ENCODING binary;
  WS_XML_READER_TEXT_ENCODING utf16;
  WS_XML_WRITER_ENCODING wbinary;
  WS_XML_WRITER_TEXT_ENCODING wtext;
  WS_XML_READER_PROPERTY rp;
  WS_XML_WRITER_PROPERTY wp;
  BOOL no = FALSE, maybe = 2;
  ULONG zero = 0, two = 2;
  WS_CHARSET utf16le = WS_CHARSET_UTF16LE;
  void* bytes = NULL;
  ULONG size = 0;
  static const char utf16_doc[] = "\xFF\xFE<\0a\0/\0>\0";

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsCreateReader(NULL, 0, &reader, error), S_OK);
  CHECK_HR(WsCreateWriter(NULL, 0, &writer, error), S_OK);

  binary.encodingType = WS_XML_READER_ENCODING_TYPE_BINARY;
  CHECK_HR(WsReadXmlBufferFromBytes(reader, &binary, NULL, 0, "<a/>", 4, heap, &buffer, error),
           WS_E_NOT_SUPPORTED);
  binary.encodingType = (WS_XML_READER_ENCODING_TYPE)99;
  CHECK_HR(WsReadXmlBufferFromBytes(reader, &binary, NULL, 0, "<a/>", 4, heap, &buffer, error),
           E_INVALIDARG);
  utf16.encoding.encodingType = WS_XML_READER_ENCODING_TYPE_TEXT;
  utf16.charSet = WS_CHARSET_UTF16LE;
  CHECK_HR(
      WsReadXmlBufferFromBytes(reader, &utf16.encoding, NULL, 0, "<a/>", 4, heap, &buffer, error),
      WS_E_NOT_SUPPORTED);
  CHECK_HR(WsReadXmlBufferFromBytes(reader, NULL, NULL, 0, utf16_doc, sizeof utf16_doc - 1, heap,
                                    &buffer, error),
           WS_E_NOT_SUPPORTED);
  CHECK(error_string_contains(error, 0, L"UTF-16"));

  rp.id = WS_XML_READER_PROPERTY_READ_DECLARATION;
  rp.value = &no;
  rp.valueSize = sizeof(no);
  CHECK_HR(read_text(reader, &rp, 1, "<a/>", heap, &buffer, error), WS_E_NOT_SUPPORTED);
  rp.id = WS_XML_READER_PROPERTY_ALLOW_FRAGMENT;
  rp.value = &maybe;
  CHECK_HR(read_text(reader, &rp, 1, "<a/>", heap, &buffer, error), E_INVALIDARG);
  rp.id = WS_XML_READER_PROPERTY_CHARSET;
  rp.value = &utf16le;
  rp.valueSize = sizeof(utf16le);
  CHECK_HR(read_text(reader, &rp, 1, "<a/>", heap, &buffer, error), WS_E_NOT_SUPPORTED);
  rp.id = WS_XML_READER_PROPERTY_ROW;
  CHECK_HR(read_text(reader, &rp, 1, "<a/>", heap, &buffer, error), E_INVALIDARG);
  rp.id = (WS_XML_READER_PROPERTY_ID)99;
  CHECK_HR(read_text(reader, &rp, 1, "<a/>", heap, &buffer, error), E_INVALIDARG);
  rp.id = WS_XML_READER_PROPERTY_MAX_DEPTH;
  rp.value = &zero;
  rp.valueSize = sizeof(zero);
  CHECK_HR(read_text(reader, &rp, 1, "<a/>", heap, &buffer, error), E_INVALIDARG);
  rp.valueSize = 8;
  CHECK_HR(read_text(reader, &rp, 1, "<a/>", heap, &buffer, error), E_INVALIDARG);
  CHECK_HR(WsCreateReader(&rp, 1, &reader, error), E_INVALIDARG);
  rp.id = WS_XML_READER_PROPERTY_UTF8_TRIM_SIZE; /* a size hint: accepted */
  rp.value = &two;
  rp.valueSize = sizeof(two);
  CHECK_HR(read_text(reader, &rp, 1, "<a/>", heap, &buffer, error), S_OK);

  wbinary.encodingType = WS_XML_WRITER_ENCODING_TYPE_MTOM;
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, &wbinary, NULL, 0, heap, &bytes, &size, error),
           WS_E_NOT_SUPPORTED);
  wtext.encoding.encodingType = WS_XML_WRITER_ENCODING_TYPE_TEXT;
  wtext.charSet = WS_CHARSET_UTF16BE;
  CHECK_HR(
      WsWriteXmlBufferToBytes(writer, buffer, &wtext.encoding, NULL, 0, heap, &bytes, &size, error),
      WS_E_NOT_SUPPORTED);
  wp.id = WS_XML_WRITER_PROPERTY_INDENT;
  wp.value = &two;
  wp.valueSize = sizeof(two);
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, NULL, &wp, 1, heap, &bytes, &size, error),
           WS_E_NOT_SUPPORTED);
  wp.id = WS_XML_WRITER_PROPERTY_BYTES_WRITTEN;
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, NULL, &wp, 1, heap, &bytes, &size, error),
           E_INVALIDARG);
  CHECK_HR(WsCreateWriter(&wp, 1, &writer, error), E_INVALIDARG);
  CHECK_HR(WsCreateXmlBuffer(heap, (const WS_XML_BUFFER_PROPERTY*)&wp, 1, &buffer, error),
           E_INVALIDARG);
  CHECK(bytes == NULL && size == 0);

  WsFreeWriter(writer);
  WsFreeReader(reader);
  WsFreeHeap(heap);
  WsFreeError(error);
}

static void test_bad_handles(void) {
  WS_ERROR* error = NULL;
  WS_HEAP* heap = NULL;
  WS_XML_READER* reader = NULL;
  WS_XML_WRITER* writer = NULL;
  WS_XML_BUFFER* buffer = NULL;
  long long fake_storage[32] = {0};
  void* fake = fake_storage;
  void* bytes = NULL;
  ULONG size = 0;

  CHECK_HR(WsCreateError(NULL, 0, &error), S_OK);
  CHECK_HR(WsCreateHeap(1 << 16, 0, NULL, 0, &heap, error), S_OK);
  CHECK_HR(WsCreateReader(NULL, 0, &reader, error), S_OK);
  CHECK_HR(WsCreateWriter(NULL, 0, &writer, error), S_OK);
  CHECK_HR(read_text(reader, NULL, 0, "<a/>", heap, &buffer, error), S_OK);

  CHECK_HR(WsCreateXmlBuffer((WS_HEAP*)fake, NULL, 0, &buffer, error), E_INVALIDARG);
  CHECK_HR(WsCreateXmlBuffer(heap, NULL, 0, NULL, error), E_INVALIDARG);
  CHECK_HR(WsCreateReader(NULL, 0, NULL, error), E_INVALIDARG);
  CHECK_HR(WsCreateWriter(NULL, 0, NULL, error), E_INVALIDARG);
  CHECK_HR(read_text((WS_XML_READER*)fake, NULL, 0, "<a/>", heap, &buffer, error), E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"reader is not a valid WS_XML_READER handle"));
  CHECK_HR(read_text((WS_XML_READER*)writer, NULL, 0, "<a/>", heap, &buffer, error), E_INVALIDARG);
  CHECK_HR(read_text(reader, NULL, 0, "<a/>", (WS_HEAP*)reader, &buffer, error), E_INVALIDARG);
  CHECK_HR(read_text(reader, NULL, 0, "<a/>", heap, NULL, error), E_INVALIDARG);
  CHECK_HR(WsReadXmlBufferFromBytes(reader, NULL, NULL, 0, NULL, 4, heap, &buffer, error),
           E_INVALIDARG);
  CHECK_HR(WsReadXmlBufferFromBytes(reader, NULL, NULL, 1, "<a/>", 4, heap, &buffer, error),
           E_INVALIDARG);
  CHECK_HR(WsWriteXmlBufferToBytes((WS_XML_WRITER*)reader, buffer, NULL, NULL, 0, heap, &bytes,
                                   &size, error),
           E_INVALIDARG);
  CHECK_HR(WsWriteXmlBufferToBytes(writer, (WS_XML_BUFFER*)fake, NULL, NULL, 0, heap, &bytes, &size,
                                   error),
           E_INVALIDARG);
  CHECK(error_string_contains(error, 0, L"buffer is not a valid WS_XML_BUFFER handle"));
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, NULL, NULL, 0, NULL, &bytes, &size, error),
           E_INVALIDARG);
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, NULL, NULL, 0, heap, NULL, &size, error),
           E_INVALIDARG);
  CHECK_HR(WsWriteXmlBufferToBytes(writer, buffer, NULL, NULL, 0, heap, &bytes, NULL, error),
           E_INVALIDARG);
  CHECK(bytes == NULL && size == 0);
  WsFreeReader((WS_XML_READER*)fake);
  WsFreeWriter((WS_XML_WRITER*)fake);
  WsFreeReader(NULL);
  WsFreeWriter(NULL);
  CHECK(fake_storage[0] == 0 && fake_storage[31] == 0);

  WsFreeWriter(writer);
  WsFreeReader(reader);
  WsFreeHeap(heap);
  WsFreeError(error);
}

int main(void) {
  test_round_trip();
  test_fragments();
  test_limits();
  test_malformed();
  test_encodings_and_properties();
  test_bad_handles();
  return finish();
}
