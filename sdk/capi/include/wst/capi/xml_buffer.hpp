// WS_XML_BUFFER, WS_XML_READER and WS_XML_WRITER.
//
// wst keeps an XML buffer as text: the UTF-8 bytes of its content (elements, text, comments),
// exactly as they were read, without byte order mark or XML declaration. This is what wst
// needs buffers for (issued tokens and their references, whose signatures must keep
// verifying byte for byte, and request parameters copied verbatim into an RST), and it makes
// writing a buffer back to bytes exact. A buffer lives on a WS_HEAP, which charges its text
// against the heap's quota and destroys it (wiping the text) on reset.
#pragma once

#include <wst/base/result.hpp>
#include <wst/capi/handle.hpp>
#include <wst/capi/heap.hpp>
#include <wst/xml/reader.hpp>

#include <webservices.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct _WS_XML_BUFFER final : wst::detail::capi::heap_object {
  static constexpr std::uint32_t live_magic = 0x46554258u;  // "XBUF"

  std::uint32_t magic = live_magic;
  std::string xml;                // the content
  std::size_t element_count = 0;  // top-level elements
  // True when the content is one element, optionally with comments, processing instructions
  // and whitespace around it (what a document holds): element_offset/element_size locate it.
  bool single_element = false;
  std::size_t element_offset = 0;
  std::size_t element_size = 0;

  _WS_XML_BUFFER() = default;
  ~_WS_XML_BUFFER();

  // The sole element's bytes; empty unless single_element.
  std::string_view element() const noexcept {
    return single_element ? std::string_view(xml).substr(element_offset, element_size)
                          : std::string_view();
  }
};

struct _WS_XML_READER {
  static constexpr std::uint32_t live_magic = 0x44525858u;  // "XXRD"

  std::uint32_t magic = live_magic;
  wst::detail::xml::limits limits;  // max_bytes is set per call from the heap's quota
  bool allow_fragment = false;

  _WS_XML_READER() = default;
  ~_WS_XML_READER() { wst::detail::capi::kill_magic(magic); }
};

struct _WS_XML_WRITER {
  static constexpr std::uint32_t live_magic = 0x52575858u;  // "XXWR"

  std::uint32_t magic = live_magic;
  bool write_declaration = false;
  bool allow_fragment = false;

  _WS_XML_WRITER() = default;
  ~_WS_XML_WRITER() { wst::detail::capi::kill_magic(magic); }
};

namespace wst::detail::capi {

// A buffer on `heap` holding one element whose text the caller vouches for (a token or
// reference the core already parsed). Charged against the heap's quota.
result<WS_XML_BUFFER*> make_element_buffer(WS_HEAP& heap, std::string_view element_xml);

// Parses `bytes` (UTF-8 text, BOM and XML declaration allowed) under `limits` into a buffer
// on `heap`. fragment = false: a document (one root element); true: any sequence of elements,
// text, comments. The heap's quota bounds the input size. XML errors keep the xml layer's
// codes; quota_exceeded for the heap.
result<WS_XML_BUFFER*> parse_buffer(WS_HEAP& heap, std::string_view bytes,
                                    const xml::limits& limits, bool fragment);

}  // namespace wst::detail::capi
