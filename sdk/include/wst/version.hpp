// wst — WS-Trust client SDK. Version information of the library actually loaded.
#pragma once

#if defined(WST_BUILDING) || defined(WST_SHARED_EXPORTS)
#define WST_API __attribute__((visibility("default")))
#else
#define WST_API
#endif

#define WST_VERSION_MAJOR 0
#define WST_VERSION_MINOR 1
#define WST_VERSION_PATCH 0

namespace wst {

// "MAJOR.MINOR.PATCH" of the libwst that is loaded (may differ from the headers).
WST_API const char* version() noexcept;

}  // namespace wst
