// An outside program built only from the installed headers and libwst.
#include <wst/version.hpp>

#include <cstdio>
#include <cstring>

int main() {
  const char* v = wst::version();
  if (std::strncmp(v, "0.", 2) != 0) {
    std::fprintf(stderr, "unexpected wst version %s\n", v);
    return 1;
  }
  std::printf("linked against wst %s\n", v);
  return 0;
}
