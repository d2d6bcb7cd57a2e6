#!/usr/bin/env bash
# Builds wst and runs every test with CTest.
#   scripts/test.sh                 release build, whole suite
#   scripts/test.sh asan            AddressSanitizer + UndefinedBehaviorSanitizer build
#   scripts/test.sh tsan            ThreadSanitizer build: the threaded parts (labels actors, api,
#                                   transports, http); with extra arguments only what they select
#   scripts/test.sh debug -R xml    extra arguments go to ctest
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
flavour=release
case "${1:-}" in release|debug|asan|tsan) flavour=$1; shift ;; esac
dir=$("$root/scripts/build.sh" "$flavour")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$dir"
if [[ $flavour == tsan && $# -eq 0 ]]; then set -- -L '^(actors|api|transports|http)$'; fi
ctest --output-on-failure -j "${WST_JOBS:-$(nproc)}" "$@"
