#include <wst/version.hpp>

#define WST_STR2(x) #x
#define WST_STR(x) WST_STR2(x)

namespace wst {

const char* version() noexcept {
  return WST_STR(WST_VERSION_MAJOR) "." WST_STR(WST_VERSION_MINOR) "." WST_STR(WST_VERSION_PATCH);
}

}  // namespace wst
