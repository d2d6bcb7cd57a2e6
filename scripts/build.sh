#!/usr/bin/env bash
# Configures and builds one flavour of wst in build/<flavour> and prints that directory.
#   scripts/build.sh [release|debug|asan|tsan] [extra cmake -D options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
flavour=${1:-release}
shift || true
case "$flavour" in
  release) opts=(-DCMAKE_BUILD_TYPE=Release) ;;
  debug)   opts=(-DCMAKE_BUILD_TYPE=Debug) ;;
  asan)    opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DWST_SANITIZE=ON) ;;
  tsan)    opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DWST_TSAN=ON) ;;
  *) echo "unknown flavour '$flavour' (release, debug, asan, tsan)" >&2; exit 2 ;;
esac
"$root/scripts/install-deps.sh"
# Let ccache share objects between checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
dir=${WST_BUILD_DIR:-$root/build/$flavour}
jobs=${WST_JOBS:-$(nproc)}
if [[ ! -f "$dir/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$dir" "${opts[@]}" "$@" >&2
elif [[ $# -gt 0 ]]; then
  cmake "$dir" "$@" >&2
fi
cmake --build "$dir" -j "$jobs" >&2
echo "$dir"
