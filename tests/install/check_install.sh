#!/usr/bin/env bash
# Called by CTest (see CMakeLists.txt). Fails on the first step that does not work.
set -euo pipefail
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$WST_BUILD" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name wst.pc | head -n1)")/..
test -e "$libdir/libwst.so" || { echo "libwst.so not installed"; exit 1; }
soname=$(readelf -d "$libdir/libwst.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[[ "$soname" == libwst.so.* ]] || { echo "unexpected SONAME '$soname'"; exit 1; }

# 1. pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# WST_CONSUMER_FLAGS: the sanitizer flags of a sanitizer build (its libwst needs their runtime).
flags=${WST_CONSUMER_FLAGS:-}
g++ -std=c++17 $flags -o "$prefix/consumer-pc" "$WST_SOURCE/consumer/consumer.cpp" $(pkg-config --cflags --libs wst)
LD_LIBRARY_PATH="$libdir" "$prefix/consumer-pc"

# 1b. a C program against webservices.h
gcc -std=c99 -Wall -Wextra -Werror -pedantic $flags -o "$prefix/consumer-c" "$WST_SOURCE/consumer/consumer.c" \
  $(pkg-config --cflags --libs wst)
LD_LIBRARY_PATH="$libdir" "$prefix/consumer-c"

# 2. find_package(wst)
cmake -S "$WST_SOURCE/consumer" -B "$prefix/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$prefix/consumer-build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$prefix/consumer-build/consumer"
echo "install check passed"
