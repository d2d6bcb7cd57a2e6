// WS_XML_BUFFER, WS_XML_READER, WS_XML_WRITER and their entry points.
#include <wst/capi/call.hpp>
#include <wst/capi/xml_buffer.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

_WS_XML_BUFFER::~_WS_XML_BUFFER() {
  wst::detail::capi::wipe(xml.data(), xml.size());
  wst::detail::capi::kill_magic(magic);
}

namespace wst::detail::capi {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr std::string_view fragment_open = "<f>";  // wrapper: no namespace, no attributes
constexpr std::string_view fragment_close = "</f>";

bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Drops a leading BOM and XML declaration ("<?xml" followed by whitespace, up to "?>").
std::string_view strip_prolog(std::string_view s) {
  if (s.substr(0, utf8_bom.size()) == utf8_bom) s.remove_prefix(utf8_bom.size());
  if (s.size() > 5 && s.substr(0, 5) == "<?xml" && is_space(s[5])) {
    const auto end = s.find("?>");
    if (end != std::string_view::npos) s.remove_prefix(end + 2);
  }
  return s;
}

}  // namespace

result<WS_XML_BUFFER*> make_element_buffer(WS_HEAP& heap, std::string_view element_xml) {
  auto b = heap_make<_WS_XML_BUFFER>(heap, element_xml.size());
  if (!b) return b;
  WS_XML_BUFFER* buffer = *b;
  buffer->xml.assign(element_xml);
  buffer->element_count = 1;
  buffer->single_element = true;
  buffer->element_offset = 0;
  buffer->element_size = element_xml.size();
  return buffer;
}

result<WS_XML_BUFFER*> parse_buffer(WS_HEAP& heap, std::string_view bytes,
                                    const xml::limits& limits, bool fragment) {
  if (bytes.size() > heap.available() || heap.available() - bytes.size() < sizeof(_WS_XML_BUFFER))
    return quota_failure(heap, bytes.size() + sizeof(_WS_XML_BUFFER));
  if (bytes.size() >= 2 &&
      ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF')))
    return failure(errc::not_supported, "UTF-16 input (byte order mark found): only UTF-8");

  const std::string_view content = fragment ? strip_prolog(bytes) : trim(strip_prolog(bytes));
  xml::limits lim = limits;
  std::string wrapped;  // fragment mode parses "<f>" + content + "</f>"
  std::string_view input = bytes;
  if (fragment) {
    wrapped.reserve(fragment_open.size() + content.size() + fragment_close.size());
    wrapped.append(fragment_open).append(content).append(fragment_close);
    input = wrapped;
    lim.max_depth = std::min(lim.max_depth, xml::max_supported_depth - 1) + 1;
  }
  lim.max_bytes = input.size();  // the heap's quota already bounded the size
  auto doc = xml::parse(input, lim);
  wipe(wrapped.data(), wrapped.size());  // the content may be a token: leave no copy behind
  if (!doc) return std::move(doc).error();

  struct {
    std::size_t element_count = 0;
    bool single_element = false;
    std::size_t element_offset = 0;  // relative to `content`
    std::size_t element_size = 0;
  } shape;
  const xml::element root = doc->root();
  if (fragment) {
    const auto children = root.children();
    shape.element_count = children.size();
    if (children.size() == 1) {
      const std::size_t begin = children[0].offset() - fragment_open.size();
      const std::size_t size = children[0].raw().size();
      // Only whitespace and comments/PIs may surround the element (what a document allows);
      // text around it makes the buffer a fragment.
      const bool text_around = !root.text().empty() && !trim(root.text()).empty();
      shape.single_element = !text_around;
      shape.element_offset = begin;
      shape.element_size = size;
    }
  } else {
    // The parser accepted `bytes`; the content starts where strip_prolog + trim put it.
    const std::size_t content_start = static_cast<std::size_t>(content.data() - bytes.data());
    shape.element_count = 1;
    shape.single_element = true;
    shape.element_offset = root.offset() - content_start;
    shape.element_size = root.raw().size();
  }

  auto b = heap_make<_WS_XML_BUFFER>(heap, content.size());
  if (!b) return b;
  WS_XML_BUFFER* buffer = *b;
  buffer->xml.assign(content);
  buffer->element_count = shape.element_count;
  buffer->single_element = shape.single_element;
  buffer->element_offset = shape.element_offset;
  buffer->element_size = shape.element_size;
  return buffer;
}

}  // namespace wst::detail::capi

namespace capi = wst::detail::capi;
using capi::errc;
using wst::detail::failure;
using wst::detail::result;

namespace {

template <class T>
result<T> value_of(const void* value, ULONG size, const char* what) {
  if (value == nullptr || size != sizeof(T))
    return failure(errc::invalid_argument, std::string(what) +
                                               ": value is NULL or valueSize is "
                                               "not " +
                                               std::to_string(sizeof(T)));
  T v;
  std::memcpy(&v, value, sizeof(T));
  return v;
}

result<bool> bool_of(const void* value, ULONG size, const char* what) {
  auto v = value_of<BOOL>(value, size, what);
  if (!v) return std::move(v).error();
  if (*v != TRUE && *v != FALSE)
    return failure(errc::invalid_argument, std::string(what) + " must be TRUE or FALSE");
  return *v == TRUE;
}

// A ULONG limit in 1..max.
result<std::size_t> limit_of(const void* value, ULONG size, const char* what, std::size_t max) {
  auto v = value_of<ULONG>(value, size, what);
  if (!v) return std::move(v).error();
  if (*v == 0) return failure(errc::invalid_argument, std::string(what) + " must not be 0");
  return std::min<std::size_t>(*v, max);
}

result<void> apply(_WS_XML_READER& r, const WS_XML_READER_PROPERTY* properties, ULONG count) {
  if (properties == nullptr && count != 0)
    return failure(errc::invalid_argument, "properties is NULL but propertyCount is not 0");
  for (ULONG i = 0; i < count; ++i) {
    const auto& p = properties[i];
    const int id = capi::raw(p.id);
    switch (id) {
      case WS_XML_READER_PROPERTY_MAX_DEPTH: {
        auto v = limit_of(p.value, p.valueSize, "WS_XML_READER_PROPERTY_MAX_DEPTH",
                          wst::detail::xml::max_supported_depth);
        if (!v) return std::move(v).error();
        r.limits.max_depth = *v;
        break;
      }
      case WS_XML_READER_PROPERTY_MAX_ATTRIBUTES: {
        auto v = limit_of(p.value, p.valueSize, "WS_XML_READER_PROPERTY_MAX_ATTRIBUTES",
                          std::numeric_limits<ULONG>::max());
        if (!v) return std::move(v).error();
        r.limits.max_attributes = *v;
        break;
      }
      case WS_XML_READER_PROPERTY_MAX_NAMESPACES: {
        auto v = limit_of(p.value, p.valueSize, "WS_XML_READER_PROPERTY_MAX_NAMESPACES",
                          std::numeric_limits<ULONG>::max());
        if (!v) return std::move(v).error();
        r.limits.max_namespaces = *v;
        break;
      }
      case WS_XML_READER_PROPERTY_ALLOW_FRAGMENT: {
        auto v = bool_of(p.value, p.valueSize, "WS_XML_READER_PROPERTY_ALLOW_FRAGMENT");
        if (!v) return std::move(v).error();
        r.allow_fragment = *v;
        break;
      }
      case WS_XML_READER_PROPERTY_READ_DECLARATION: {
        auto v = bool_of(p.value, p.valueSize, "WS_XML_READER_PROPERTY_READ_DECLARATION");
        if (!v) return std::move(v).error();
        if (!*v)
          return failure(errc::not_supported,
                         "WS_XML_READER_PROPERTY_READ_DECLARATION FALSE (declarations are read)");
        break;
      }
      case WS_XML_READER_PROPERTY_CHARSET: {
        auto v = value_of<int>(p.value, p.valueSize, "WS_XML_READER_PROPERTY_CHARSET");
        if (!v) return std::move(v).error();
        if (*v == WS_CHARSET_UTF16LE || *v == WS_CHARSET_UTF16BE)
          return failure(errc::not_supported, "UTF-16 input: only UTF-8");
        if (*v != WS_CHARSET_AUTO && *v != WS_CHARSET_UTF8)
          return failure(errc::invalid_argument, "unknown WS_CHARSET");
        break;
      }
      case WS_XML_READER_PROPERTY_UTF8_TRIM_SIZE:
      case WS_XML_READER_PROPERTY_STREAM_BUFFER_SIZE:
      case WS_XML_READER_PROPERTY_STREAM_MAX_ROOT_MIME_PART_SIZE:
      case WS_XML_READER_PROPERTY_STREAM_MAX_MIME_HEADERS_SIZE:
      case WS_XML_READER_PROPERTY_MAX_MIME_PARTS: {
        // Sizes for streamed and MTOM input: checked, without effect on text in memory.
        auto v = value_of<ULONG>(p.value, p.valueSize, "reader buffer-size property");
        if (!v) return std::move(v).error();
        break;
      }
      case WS_XML_READER_PROPERTY_ALLOW_INVALID_CHARACTER_REFERENCES: {
        auto v = bool_of(p.value, p.valueSize,
                         "WS_XML_READER_PROPERTY_ALLOW_INVALID_CHARACTER_REFERENCES");
        if (!v) return std::move(v).error();
        if (*v)
          return failure(errc::not_supported, "invalid character references are always refused");
        break;
      }
      case WS_XML_READER_PROPERTY_ROW:
      case WS_XML_READER_PROPERTY_COLUMN:
      case WS_XML_READER_PROPERTY_IN_ATTRIBUTE:
        return failure(errc::invalid_argument,
                       "reader property " + std::to_string(id) + " is read only");
      default:
        return failure(errc::invalid_argument,
                       "unknown WS_XML_READER_PROPERTY_ID " + std::to_string(id));
    }
  }
  return {};
}

result<void> apply(_WS_XML_WRITER& w, const WS_XML_WRITER_PROPERTY* properties, ULONG count) {
  if (properties == nullptr && count != 0)
    return failure(errc::invalid_argument, "properties is NULL but propertyCount is not 0");
  for (ULONG i = 0; i < count; ++i) {
    const auto& p = properties[i];
    const int id = capi::raw(p.id);
    switch (id) {
      case WS_XML_WRITER_PROPERTY_WRITE_DECLARATION: {
        auto v = bool_of(p.value, p.valueSize, "WS_XML_WRITER_PROPERTY_WRITE_DECLARATION");
        if (!v) return std::move(v).error();
        w.write_declaration = *v;
        break;
      }
      case WS_XML_WRITER_PROPERTY_ALLOW_FRAGMENT: {
        auto v = bool_of(p.value, p.valueSize, "WS_XML_WRITER_PROPERTY_ALLOW_FRAGMENT");
        if (!v) return std::move(v).error();
        w.allow_fragment = *v;
        break;
      }
      case WS_XML_WRITER_PROPERTY_CHARSET: {
        auto v = value_of<int>(p.value, p.valueSize, "WS_XML_WRITER_PROPERTY_CHARSET");
        if (!v) return std::move(v).error();
        if (*v == WS_CHARSET_UTF16LE || *v == WS_CHARSET_UTF16BE)
          return failure(errc::not_supported, "UTF-16 output: only UTF-8");
        if (*v != WS_CHARSET_UTF8)
          return failure(errc::invalid_argument, "the writer's charset must be WS_CHARSET_UTF8");
        break;
      }
      case WS_XML_WRITER_PROPERTY_INDENT: {
        auto v = value_of<ULONG>(p.value, p.valueSize, "WS_XML_WRITER_PROPERTY_INDENT");
        if (!v) return std::move(v).error();
        if (*v != 0)
          return failure(errc::not_supported, "indentation (content is written as it was read)");
        break;
      }
      case WS_XML_WRITER_PROPERTY_BUFFERS:
      case WS_XML_WRITER_PROPERTY_BYTES:
      case WS_XML_WRITER_PROPERTY_IN_ATTRIBUTE:
      case WS_XML_WRITER_PROPERTY_BYTES_WRITTEN:
      case WS_XML_WRITER_PROPERTY_BYTES_TO_CLOSE:
        return failure(errc::invalid_argument,
                       "writer property " + std::to_string(id) + " is read only");
      case WS_XML_WRITER_PROPERTY_MAX_DEPTH:
      case WS_XML_WRITER_PROPERTY_MAX_ATTRIBUTES:
      case WS_XML_WRITER_PROPERTY_BUFFER_TRIM_SIZE:
      case WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE:
      case WS_XML_WRITER_PROPERTY_MAX_MIME_PARTS_BUFFER_SIZE:
      case WS_XML_WRITER_PROPERTY_INITIAL_BUFFER:
      case WS_XML_WRITER_PROPERTY_ALLOW_INVALID_CHARACTER_REFERENCES:
      case WS_XML_WRITER_PROPERTY_MAX_NAMESPACES:
      case WS_XML_WRITER_PROPERTY_COMPRESS_EMPTY_ELEMENTS:
      case WS_XML_WRITER_PROPERTY_EMIT_UNCOMPRESSED_EMPTY_ELEMENTS:
        return failure(errc::not_supported, "writer property " + std::to_string(id) +
                                                " (buffers are written back as they were read)");
      default:
        return failure(errc::invalid_argument,
                       "unknown WS_XML_WRITER_PROPERTY_ID " + std::to_string(id));
    }
  }
  return {};
}

}  // namespace

extern "C" {

HRESULT WINAPI WsCreateXmlBuffer(WS_HEAP* heap, const WS_XML_BUFFER_PROPERTY* properties,
                                 ULONG propertyCount, WS_XML_BUFFER** buffer, WS_ERROR* error) {
  return capi::guard("WsCreateXmlBuffer", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(heap) == nullptr) return c.bad_handle("heap", "WS_HEAP");
    if (buffer == nullptr) return c.fail(errc::invalid_argument, "buffer is NULL");
    if (properties == nullptr && propertyCount != 0)
      return c.fail(errc::invalid_argument, "properties is NULL but propertyCount is not 0");
    if (propertyCount != 0)
      return c.fail(errc::invalid_argument, "there are no WS_XML_BUFFER properties");
    auto b = capi::heap_make<_WS_XML_BUFFER>(*heap, 0);
    if (!b) return c.fail(b.error());
    *buffer = *b;
    return S_OK;
  });
}

HRESULT WINAPI WsCreateReader(const WS_XML_READER_PROPERTY* properties, ULONG propertyCount,
                              WS_XML_READER** reader, WS_ERROR* error) {
  return capi::guard("WsCreateReader", error, [&](capi::call& c) -> HRESULT {
    if (reader == nullptr) return c.fail(errc::invalid_argument, "reader is NULL");
    auto r = std::make_unique<_WS_XML_READER>();
    if (auto ok = apply(*r, properties, propertyCount); !ok) return c.fail(ok.error());
    *reader = r.release();
    return S_OK;
  });
}

HRESULT WINAPI WsReadXmlBufferFromBytes(WS_XML_READER* reader,
                                        const WS_XML_READER_ENCODING* encoding,
                                        const WS_XML_READER_PROPERTY* properties,
                                        ULONG propertyCount, const void* bytes, ULONG byteCount,
                                        WS_HEAP* heap, WS_XML_BUFFER** xmlBuffer, WS_ERROR* error) {
  return capi::guard("WsReadXmlBufferFromBytes", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(reader) == nullptr) return c.bad_handle("reader", "WS_XML_READER");
    if (capi::live(heap) == nullptr) return c.bad_handle("heap", "WS_HEAP");
    if (xmlBuffer == nullptr) return c.fail(errc::invalid_argument, "xmlBuffer is NULL");
    if (bytes == nullptr && byteCount != 0)
      return c.fail(errc::invalid_argument, "bytes is NULL but byteCount is not 0");
    if (encoding != nullptr) {
      const int type = capi::raw(encoding->encodingType);
      if (type != WS_XML_READER_ENCODING_TYPE_TEXT) {
        const bool known =
            type >= WS_XML_READER_ENCODING_TYPE_BINARY && type <= WS_XML_READER_ENCODING_TYPE_RAW;
        return c.fail(known ? errc::not_supported : errc::invalid_argument,
                      known ? "binary, MTOM and raw encodings (only text)"
                            : "unknown WS_XML_READER_ENCODING_TYPE");
      }
      const int charset =
          capi::raw(reinterpret_cast<const WS_XML_READER_TEXT_ENCODING*>(encoding)->charSet);
      if (charset == WS_CHARSET_UTF16LE || charset == WS_CHARSET_UTF16BE)
        return c.fail(errc::not_supported, "UTF-16 text (only UTF-8)");
      if (charset != WS_CHARSET_AUTO && charset != WS_CHARSET_UTF8)
        return c.fail(errc::invalid_argument, "unknown WS_CHARSET");
    }
    _WS_XML_READER settings;
    settings.limits = reader->limits;
    settings.allow_fragment = reader->allow_fragment;
    if (auto ok = apply(settings, properties, propertyCount); !ok) return c.fail(ok.error());

    const std::string_view input(static_cast<const char*>(bytes), byteCount);
    auto b = capi::parse_buffer(*heap, input, settings.limits, settings.allow_fragment);
    if (!b) return c.fail(b.error());
    *xmlBuffer = *b;
    return S_OK;
  });
}

void WINAPI WsFreeReader(WS_XML_READER* reader) {
  if (capi::live(reader) != nullptr) delete reader;
}

HRESULT WINAPI WsCreateWriter(const WS_XML_WRITER_PROPERTY* properties, ULONG propertyCount,
                              WS_XML_WRITER** writer, WS_ERROR* error) {
  return capi::guard("WsCreateWriter", error, [&](capi::call& c) -> HRESULT {
    if (writer == nullptr) return c.fail(errc::invalid_argument, "writer is NULL");
    auto w = std::make_unique<_WS_XML_WRITER>();
    if (auto ok = apply(*w, properties, propertyCount); !ok) return c.fail(ok.error());
    *writer = w.release();
    return S_OK;
  });
}

HRESULT WINAPI WsWriteXmlBufferToBytes(WS_XML_WRITER* writer, WS_XML_BUFFER* buffer,
                                       const WS_XML_WRITER_ENCODING* encoding,
                                       const WS_XML_WRITER_PROPERTY* properties,
                                       ULONG propertyCount, WS_HEAP* heap, void** bytes,
                                       ULONG* byteCount, WS_ERROR* error) {
  return capi::guard("WsWriteXmlBufferToBytes", error, [&](capi::call& c) -> HRESULT {
    if (capi::live(writer) == nullptr) return c.bad_handle("writer", "WS_XML_WRITER");
    if (capi::live(buffer) == nullptr) return c.bad_handle("buffer", "WS_XML_BUFFER");
    if (capi::live(heap) == nullptr) return c.bad_handle("heap", "WS_HEAP");
    if (bytes == nullptr || byteCount == nullptr)
      return c.fail(errc::invalid_argument, "bytes or byteCount is NULL");
    if (encoding != nullptr) {
      const int type = capi::raw(encoding->encodingType);
      if (type != WS_XML_WRITER_ENCODING_TYPE_TEXT) {
        const bool known =
            type >= WS_XML_WRITER_ENCODING_TYPE_BINARY && type <= WS_XML_WRITER_ENCODING_TYPE_RAW;
        return c.fail(known ? errc::not_supported : errc::invalid_argument,
                      known ? "binary, MTOM and raw encodings (only text)"
                            : "unknown WS_XML_WRITER_ENCODING_TYPE");
      }
      const int charset =
          capi::raw(reinterpret_cast<const WS_XML_WRITER_TEXT_ENCODING*>(encoding)->charSet);
      if (charset == WS_CHARSET_UTF16LE || charset == WS_CHARSET_UTF16BE)
        return c.fail(errc::not_supported, "UTF-16 text (only UTF-8)");
      if (charset != WS_CHARSET_UTF8)
        return c.fail(errc::invalid_argument, "the text encoding's charset must be UTF-8");
    }
    _WS_XML_WRITER settings;
    settings.write_declaration = writer->write_declaration;
    settings.allow_fragment = writer->allow_fragment;
    if (auto ok = apply(settings, properties, propertyCount); !ok) return c.fail(ok.error());
    if (!settings.allow_fragment && !buffer->single_element)
      return c.fail(errc::invalid_format,
                    "the buffer holds " + std::to_string(buffer->element_count) +
                        " top-level elements (or text beside its element); writing it needs "
                        "WS_XML_WRITER_PROPERTY_ALLOW_FRAGMENT");

    constexpr std::string_view declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    const std::size_t size =
        buffer->xml.size() + (settings.write_declaration ? declaration.size() : 0);
    if (size > std::numeric_limits<ULONG>::max())
      return c.fail(errc::quota_exceeded, "the text exceeds 4 GiB");
    auto p = capi::heap_allocate(*heap, size);
    if (!p) return c.fail(p.error());
    auto* out = static_cast<char*>(*p);
    if (settings.write_declaration) {
      std::memcpy(out, declaration.data(), declaration.size());
      out += declaration.size();
    }
    if (!buffer->xml.empty()) std::memcpy(out, buffer->xml.data(), buffer->xml.size());
    *bytes = *p;
    *byteCount = static_cast<ULONG>(size);
    return S_OK;
  });
}

void WINAPI WsFreeWriter(WS_XML_WRITER* writer) {
  if (capi::live(writer) != nullptr) delete writer;
}

}  // extern "C"
