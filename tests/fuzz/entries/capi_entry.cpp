// Fuzz entry for the C facade's property decoding (see entries.hpp): the input is a recipe for
// the structures a C caller hands to the facade - WS_REQUEST_SECURITY_TOKEN_PROPERTY arrays
// with nested values, WS_CHANNEL_PROPERTY arrays, and Ws*Get*Property calls - including NULL
// pointers, dead-typed handles and sizes that do not fit. Every value is allocated with exactly
// the size the recipe says, so a read or write past what a caller provided is an ASan report.
#include "c_caller.h"
#include "entries.hpp"

#include "request_properties.hpp"  // sdk/capi/src: capi::read_request_properties

#include <wst/capi/errors.hpp>
#include <wst/core/environment.hpp>
#include <wst/core/negotiation.hpp>

#include <webservices.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace capi = wst::detail::capi;
namespace core = wst::detail::core;
namespace xml = wst::detail::xml;

namespace wst::fuzz {
namespace {

constexpr const char* entry = "capi_properties";
constexpr unsigned char canary = 0xA5;

// Reads the recipe; past the end every read gives zeros.
class recipe {
 public:
  explicit recipe(std::string_view in) : in_(in) {}
  std::uint8_t u8() { return at_ < in_.size() ? static_cast<std::uint8_t>(in_[at_++]) : 0; }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | u8();
    return v;
  }
  std::string_view bytes(std::size_t n) {
    n = std::min(n, in_.size() - at_);
    const std::string_view out = in_.substr(at_, n);
    at_ += n;
    return out;
  }
  // Mostly small values around the valid ranges (-1..6), sometimes any 32-bit value; plus
  // `shift`, wrapping (ids are 32-bit patterns, not arithmetic).
  int small_int(unsigned shift = 0) {
    const std::uint8_t b = u8();
    const std::uint32_t v = b < 0xF0 ? static_cast<std::uint32_t>(b % 8) - 1u : u32();
    return static_cast<int>(v + shift);
  }
  // A valueSize: usually the right one, else 0, one off, or anything.
  ULONG size(ULONG right) {
    switch (u8() % 8) {
      case 5: return 0;
      case 6: return right + 1;
      case 7: return u32();
      default: return right;
    }
  }

 private:
  std::string_view in_;
  std::size_t at_ = 0;
};

// Owns every block handed to the facade for one input; blocks have exactly their stated size.
class arena {
 public:
  void* block(std::size_t n, const void* init = nullptr) {
    blocks_.push_back(std::make_unique<unsigned char[]>(n));  // n == 0: a pointer to nothing
    if (init != nullptr && n != 0) std::memcpy(blocks_.back().get(), init, n);
    return blocks_.back().get();
  }
  template <class T>
  T* copy(const T& v) {
    return static_cast<T*>(block(sizeof v, &v));
  }

 private:
  std::vector<std::unique_ptr<unsigned char[]>> blocks_;
};

// The C objects one input works with, freed at the end.
struct objects {
  WS_ERROR* error = nullptr;
  WS_HEAP* heap = nullptr;
  WS_XML_READER* reader = nullptr;
  WS_XML_BUFFER* fuzzed = nullptr;   // parsed from the recipe (may be NULL: it did not parse)
  WS_XML_BUFFER* element = nullptr;  // <p:Extra xmlns:p="urn:p">1</p:Extra>
  WS_XML_BUFFER* pair = nullptr;     // two elements (not a single element)
  WS_SECURITY_TOKEN* token = nullptr;
  std::string key;                   // the token's symmetric key ("" = none)
  std::optional<ULONGLONG> from, till;
  alignas(16) unsigned char decoy[128] = {};  // a pointer to it is no live handle of any type

  ~objects() {
    WsFreeSecurityToken(token);
    WsFreeReader(reader);
    WsFreeHeap(heap);  // frees the buffers
    WsFreeError(error);
  }

  WS_XML_BUFFER* parse(std::string_view text, bool fragment) {
    BOOL allow = fragment ? TRUE : FALSE;
    WS_XML_READER_PROPERTY p{WS_XML_READER_PROPERTY_ALLOW_FRAGMENT, &allow, sizeof allow};
    WS_XML_BUFFER* b = nullptr;
    if (WsReadXmlBufferFromBytes(reader, nullptr, &p, 1, text.data(), static_cast<ULONG>(text.size()), heap,
                                 &b, nullptr) != S_OK)
      return nullptr;
    return b;
  }

  // A handle of the wanted kind, as the recipe picks it: NULL, the real one, the decoy, a live
  // handle of another type, or another live one of the same type.
  void* handle(std::uint8_t pick, void* real, void* other_type, void* same_type) {
    switch (pick % 5) {
      case 0: return nullptr;
      case 1: return real;
      case 2: return decoy;
      case 3: return other_type;
      default: return same_type;
    }
  }
  WS_XML_BUFFER* buffer(std::uint8_t pick) {
    return static_cast<WS_XML_BUFFER*>(handle(pick, pick & 0x80 ? element : fuzzed, token, pair));
  }
  WS_SECURITY_TOKEN* token_handle(std::uint8_t pick) {
    return static_cast<WS_SECURITY_TOKEN*>(handle(pick, token, element, token));
  }
};

// Setup: the fuzzed buffer and the token (WsCreateXmlSecurityToken with recipe-chosen key,
// references and validity; its own property decoding is fuzzed on the way).
void set_up(recipe& r, objects& o, arena& a) {
  (void)WsCreateError(nullptr, 0, &o.error);
  (void)WsCreateHeap(1 << 20, 0, nullptr, 0, &o.heap, nullptr);
  (void)WsCreateReader(nullptr, 0, &o.reader, nullptr);
  const std::uint8_t flags = r.u8();
  o.fuzzed = o.parse(r.bytes(r.u8()), flags & 1);
  o.element = o.parse("<p:Extra xmlns:p=\"urn:p\">1</p:Extra>", false);
  o.pair = o.parse("<a/><b/>", true);
  WS_XML_BUFFER* token_xml = o.parse("<t:Token xmlns:t=\"urn:t\" Id=\"x\"/>", false);

  WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE key{};
  key.keyHandle.keyHandleType = WS_RAW_SYMMETRIC_SECURITY_KEY_HANDLE_TYPE;
  if (flags & 2) {
    o.key.assign(r.bytes(r.u8() % 80));
    key.rawKeyBytes.length = static_cast<ULONG>(o.key.size());
    key.rawKeyBytes.bytes = o.key.empty() ? nullptr : reinterpret_cast<BYTE*>(o.key.data());
  }
  std::vector<WS_XML_SECURITY_TOKEN_PROPERTY> props;
  const std::uint8_t count = r.u8() % 6;
  for (std::uint8_t i = 0; i < count; ++i) {
    WS_XML_SECURITY_TOKEN_PROPERTY p{};
    const int id = r.small_int();
    std::memcpy(&p.id, &id, sizeof id);
    if (id == WS_XML_SECURITY_TOKEN_PROPERTY_VALID_FROM_TIME || id == WS_XML_SECURITY_TOKEN_PROPERTY_VALID_TILL_TIME) {
      WS_DATETIME t{};
      const bool wide = r.u8() & 1;
      const ULONGLONG high = r.u32();  // two statements: the reads happen in this order
      t.ticks = wide ? high << 32 | r.u32() : high;
      const int format = r.small_int();
      std::memcpy(&t.format, &format, sizeof format);
      p.value = a.copy(t);
      p.valueSize = r.size(sizeof t);
    } else {
      WS_XML_BUFFER* b = o.buffer(r.u8());
      p.value = a.copy(b);
      p.valueSize = r.size(sizeof b);
    }
    props.push_back(p);
  }
  const HRESULT hr = WsCreateXmlSecurityToken(token_xml, flags & 2 ? &key.keyHandle : nullptr,
                                              props.data(), static_cast<ULONG>(props.size()), &o.token, o.error);
  if (FAILED(hr)) {
    o.key.clear();
    WsResetError(o.error);
    (void)WsCreateXmlSecurityToken(token_xml, nullptr, nullptr, 0, &o.token, nullptr);
  }
}

// One WS_REQUEST_SECURITY_TOKEN_PROPERTY as the recipe says.
WS_REQUEST_SECURITY_TOKEN_PROPERTY request_property(recipe& r, objects& o, arena& a) {
  WS_REQUEST_SECURITY_TOKEN_PROPERTY p{};
  const std::uint8_t pick = r.u8();
  const int id = pick < 0xF0 ? pick % 16 : static_cast<int>(r.u32());
  std::memcpy(&p.id, &id, sizeof id);
  const std::uint8_t kind = r.u8() % 8;
  if (kind == 0) {  // NULL value, any size
    p.valueSize = r.size(4);
    return p;
  }
  // Raw bytes only where the value holds no pointer: bytes in a pointer's place would be a wild
  // pointer, which a C caller cannot pass either (the facade trusts pointers it is given).
  const bool holds_pointers = id == WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO ||
                              id == WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE ||
                              id == WS_REQUEST_SECURITY_TOKEN_PROPERTY_EXISTING_TOKEN ||
                              id == WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS ||
                              id == WS_REQUEST_SECURITY_TOKEN_PROPERTY_SERVICE_REQUEST_PARAMETERS ||
                              id == WS_REQUEST_SECURITY_TOKEN_PROPERTY_MESSAGE_PROPERTIES;
  if (kind == 1 && !holds_pointers) {  // raw bytes of the recipe
    const std::string_view raw = r.bytes(r.u8() % 40);
    p.value = a.block(raw.size(), raw.data());
    p.valueSize = static_cast<ULONG>(raw.size());
    return p;
  }
  auto set = [&](const auto& v) {
    p.value = a.copy(v);
    p.valueSize = r.size(sizeof v);
  };
  switch (id) {
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_APPLIES_TO: {
      WS_ENDPOINT_ADDRESS e{};
      const std::string_view url = r.bytes(r.u8() % 64);
      auto* chars = static_cast<WCHAR*>(a.block(url.size() * sizeof(WCHAR)));
      for (std::size_t i = 0; i < url.size(); ++i) {  // bytes >= 0xF0 become lone surrogates
        const auto byte = static_cast<unsigned char>(url[i]);
        chars[i] = static_cast<WCHAR>(byte >= 0xF0 ? 0xD800 + byte % 16 : byte);
      }
      e.url.length = static_cast<ULONG>(url.size());
      const std::uint8_t f = r.u8();
      e.url.chars = f & 1 ? nullptr : chars;
      if (f & 2) e.headers = reinterpret_cast<WS_XML_BUFFER*>(o.decoy);
      if (f & 4) e.extensions = reinterpret_cast<WS_XML_BUFFER*>(o.decoy);
      if (f & 8) e.identity = reinterpret_cast<WS_ENDPOINT_IDENTITY*>(o.decoy);
      set(e);
      break;
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_TYPE: {
      WS_XML_STRING s{};
      const std::string_view text = r.bytes(r.u8() % 96);
      s.length = static_cast<ULONG>(text.size());
      s.bytes = r.u8() & 1 ? nullptr : static_cast<BYTE*>(a.block(text.size(), text.data()));
      set(s);
      break;
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_EXISTING_TOKEN:
      set(o.token_handle(r.u8()));
      break;
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_ISSUED_TOKEN_KEY_SIZE: {
      static constexpr ULONG sizes[] = {0, 7, 8, 128, 256, 512, 4096, 4104};
      const std::uint8_t b = r.u8();
      set(b < 0xF0 ? sizes[b % 8] : static_cast<ULONG>(r.u32()));
      break;
    }
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_LOCAL_REQUEST_PARAMETERS:
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_SERVICE_REQUEST_PARAMETERS:
      set(o.buffer(r.u8()));
      break;
    case WS_REQUEST_SECURITY_TOKEN_PROPERTY_MESSAGE_PROPERTIES: {
      WS_MESSAGE_PROPERTIES m{};
      m.propertyCount = r.u8() % 4;
      auto* list = static_cast<WS_MESSAGE_PROPERTY*>(a.block(m.propertyCount * sizeof(WS_MESSAGE_PROPERTY)));
      for (ULONG i = 0; i < m.propertyCount; ++i) {
        const int mid = r.u8() & 1 ? WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES : r.small_int(8);
        std::memcpy(&list[i].id, &mid, sizeof mid);
        WS_XML_READER_PROPERTIES rp{};
        rp.propertyCount = r.u8() % 4;
        auto* readers = static_cast<WS_XML_READER_PROPERTY*>(a.block(rp.propertyCount * sizeof(WS_XML_READER_PROPERTY)));
        for (ULONG k = 0; k < rp.propertyCount; ++k) {
          const int rid = r.small_int();
          std::memcpy(&readers[k].id, &rid, sizeof rid);
          const ULONG v = r.u8() & 1 ? r.u32() : r.u8();
          readers[k].value = r.u8() & 1 ? nullptr : a.copy(v);
          readers[k].valueSize = r.size(sizeof v);
        }
        rp.properties = r.u8() % 8 == 0 ? nullptr : readers;
        list[i].value = r.u8() % 8 == 0 ? nullptr : a.copy(rp);
        list[i].valueSize = r.size(sizeof rp);
      }
      m.properties = r.u8() % 8 == 0 ? nullptr : list;
      set(m);
      break;
    }
    default:  // the enum-valued ones, and unknown ids: an int
      set(r.small_int());
      break;
  }
  return p;
}

// True when the properties were accepted (and the core wrote the RST).
bool check_request_properties(recipe& r, objects& o, arena& a) {
  std::vector<WS_REQUEST_SECURITY_TOKEN_PROPERTY> props;
  const std::uint8_t count = r.u8() % 16;
  for (std::uint8_t i = 0; i < count; ++i) props.push_back(request_property(r, o, a));
  // Exactly the array, so reading past its end is a report.
  auto* array = static_cast<WS_REQUEST_SECURITY_TOKEN_PROPERTY*>(
      a.block(props.size() * sizeof(WS_REQUEST_SECURITY_TOKEN_PROPERTY), props.data()));

  auto decode = [&](core::request_description& d, xml::limits& limits) {
    d.sts_address = "http://127.0.0.1/sts";
    return capi::read_request_properties(array, static_cast<ULONG>(props.size()), d, limits);
  };
  core::request_description d;
  xml::limits limits;
  auto got = decode(d, limits);
  core::request_description d2;
  xml::limits limits2;
  auto again = decode(d2, limits2);
  if (static_cast<bool>(got) != static_cast<bool>(again) ||
      (!got && got.error().describe() != again.error().describe()))
    violated(entry, "decoding the same properties twice gave different results");
  if (!got) {
    const HRESULT hr = capi::hresult_of(got.error().code);
    if (got.error().message.empty()) violated(entry, "a refusal without a message: " + got.error().describe());
    if (!FAILED(hr) || hr == E_FAIL || hr == E_OUTOFMEMORY)
      violated(entry, "a refusal that maps to no precise HRESULT: " + got.error().describe());
    return false;
  }
  if (limits.max_depth == 0 || limits.max_depth > xml::max_supported_depth || limits.max_attributes == 0 ||
      limits.max_namespaces == 0)
    violated(entry, "accepted reader limits out of range");
  // What the facade accepts, the core can send.
  core::fixed_environment env;
  core::negotiation n(std::move(d), env, limits);
  auto rst = n.start();
  if (!rst) violated(entry, "accepted properties the core cannot send: " + rst.error().describe());
  return true;
}

// The output rule of Ws*Get*Property: S_OK only with the exact size; otherwise an error, the
// output untouched, and a message in the WS_ERROR.
template <class Call>
void check_getter(recipe& r, objects& o, const char* what, Call call) {
  const std::uint8_t flags = r.u8();
  const ULONG claimed = flags & 0x80 ? r.u32() : r.u8() % 40;
  // The buffer holds what the caller claims (at most 256 bytes: a claim beyond that is larger
  // than every property, so the facade must not use it all).
  const std::size_t held = std::min<std::size_t>(claimed, 256);
  std::vector<unsigned char> out(held, canary);
  void* value = flags & 1 || held == 0 ? nullptr : out.data();
  WS_ERROR* error = flags & 2 ? o.error : nullptr;
  WsResetError(o.error);
  const HRESULT hr = call(value, claimed, flags, error);
  if (FAILED(hr)) {
    for (unsigned char c : out)
      if (c != canary) violated(entry, std::string(what) + " wrote its output and failed");
    ULONG strings = 0;
    if (error && (WsGetErrorProperty(error, WS_ERROR_PROPERTY_STRING_COUNT, &strings, sizeof strings) != S_OK ||
                  strings == 0))
      violated(entry, std::string(what) + " failed without a message");
    if (hr == E_FAIL) violated(entry, std::string(what) + " failed with E_FAIL (an internal error)");
    return;
  }
  if (hr != S_OK) violated(entry, std::string(what) + " returned a success other than S_OK");
  if (value == nullptr) violated(entry, std::string(what) + " succeeded with a NULL value");
}

void check_token_getters(recipe& r, objects& o) {
  const std::uint8_t calls = r.u8() % 6;
  for (std::uint8_t i = 0; i < calls; ++i) {
    const int id = r.small_int(1);  // 0..7 mostly: every property and its neighbours
    auto* token = o.token_handle(r.u8());
    const std::uint8_t heap_pick = r.u8() % 3;
    WS_HEAP* heap = heap_pick == 0 ? nullptr : heap_pick == 1 ? o.heap : reinterpret_cast<WS_HEAP*>(o.decoy);
    check_getter(r, o, "WsGetSecurityTokenProperty", [&](void* value, ULONG size, std::uint8_t, WS_ERROR* error) {
      const HRESULT hr = wst_fuzz_get_security_token_property(token, id, value, size, heap, error);
      if (hr != S_OK) return hr;
      if (token != o.token) violated(entry, "WsGetSecurityTokenProperty succeeded on a dead handle");
      if (id == WS_SECURITY_TOKEN_PROPERTY_SYMMETRIC_KEY) {
        WS_BYTES k;
        std::memcpy(&k, value, sizeof k);
        if (std::string(reinterpret_cast<const char*>(k.bytes), k.length) != o.key)
          violated(entry, "SYMMETRIC_KEY differs from the key the token was made with");
      }
      return hr;
    });
  }
}

// WsCreateChannel with recipe-made properties; then WsGetChannelProperty calls. A property
// WsCreateChannel accepted reads back as it was given.
void check_channel(recipe& r, objects& o, arena& a) {
  std::vector<WS_CHANNEL_PROPERTY> props;
  std::vector<std::pair<int, ULONG>> given;  // ULONG-valued properties accepted as given
  const std::uint8_t count = r.u8() % 8;
  for (std::uint8_t i = 0; i < count; ++i) {
    WS_CHANNEL_PROPERTY p{};
    const std::uint8_t pick = r.u8();
    const int id = pick < 0xF0 ? pick % 40 : static_cast<int>(r.u32());
    std::memcpy(&p.id, &id, sizeof id);
    const ULONG v = r.u8() & 1 ? r.u32() : static_cast<ULONG>(r.small_int());
    p.value = r.u8() % 8 == 0 ? nullptr : a.copy(v);
    p.valueSize = r.size(sizeof v);
    if (p.value && p.valueSize == sizeof v) given.emplace_back(id, v);
    props.push_back(p);
  }
  auto* array = static_cast<WS_CHANNEL_PROPERTY*>(a.block(props.size() * sizeof(WS_CHANNEL_PROPERTY), props.data()));
  WS_CHANNEL* channel = nullptr;
  if (WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, array, static_cast<ULONG>(props.size()),
                      nullptr, &channel, nullptr) != S_OK)
    channel = nullptr;
  if (channel != nullptr)
    for (const auto& [id, v] : given) {
      switch (id) {
        case WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE:
        case WS_CHANNEL_PROPERTY_ENVELOPE_VERSION:
        case WS_CHANNEL_PROPERTY_ADDRESSING_VERSION:
        case WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL:
        case WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT:
        case WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT: {
          ULONG back = 0;
          if (wst_fuzz_get_channel_property(channel, id, &back, sizeof back, nullptr) != S_OK || back != v)
            violated(entry, "channel property " + std::to_string(id) + " does not read back as given");
          break;
        }
        default:
          break;
      }
    }
  const std::uint8_t calls = r.u8() % 6;
  for (std::uint8_t i = 0; i < calls; ++i) {
    const std::uint8_t pick = r.u8();
    const int id = pick < 0xF0 ? pick % 40 : static_cast<int>(r.u32());
    auto* handle = static_cast<WS_CHANNEL*>(o.handle(r.u8(), channel, o.token, channel));
    check_getter(r, o, "WsGetChannelProperty", [&](void* value, ULONG size, std::uint8_t, WS_ERROR* error) {
      const HRESULT hr = wst_fuzz_get_channel_property(handle, id, value, size, error);
      if (hr == S_OK && (handle == nullptr || handle != channel))
        violated(entry, "WsGetChannelProperty succeeded on a dead handle");
      return hr;
    });
  }
  WsFreeChannel(channel);
}

}  // namespace

bool capi_properties(std::string_view input) {
  // A channel that lives as long as the process keeps the facade's engine (created with the
  // first channel) from being built and torn down for every input.
  // Freed at exit, so the leak checker sees nothing.
  static const struct keeper_channel {
    WS_CHANNEL* channel = nullptr;
    keeper_channel() {
      (void)WsCreateChannel(WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, nullptr, 0, nullptr, &channel, nullptr);
    }
    ~keeper_channel() { WsFreeChannel(channel); }
  } keeper;
  (void)keeper;
  recipe r(input);
  arena a;
  objects o;
  set_up(r, o, a);
  if (o.token == nullptr || o.element == nullptr || o.pair == nullptr)
    violated(entry, "the fixed objects could not be made");
  const bool accepted = check_request_properties(r, o, a);
  check_token_getters(r, o);
  check_channel(r, o, a);
  return accepted;
}

}  // namespace wst::fuzz
