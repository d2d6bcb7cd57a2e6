// libFuzzer entry point for one fuzz target: WST_FUZZ_ENTRY names the function of
// entries/entries.hpp (set per executable by tests/fuzz/CMakeLists.txt).
#include "entries/entries.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

#ifndef WST_FUZZ_ENTRY
#error "WST_FUZZ_ENTRY must name an entry of entries/entries.hpp"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wst::fuzz::WST_FUZZ_ENTRY(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
