#!/usr/bin/env bash
# Builds the libFuzzer flavour (clang, ASan + UBSan, -DWST_FUZZ=ON) and runs one fuzz target
# for a given time on a scratch copy of its seed corpus. See docs/fuzzing.md.
#   scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags...]
#   TARGET: rstr | xml | http_response | http_request | capi_properties
# Environment: WST_BUILD_DIR (default build/fuzz), WST_JOBS (build jobs), WST_FUZZ_WORK (scratch
# directory, default a fresh mktemp directory; kept afterwards, with the log, the grown corpus
# and any crash file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() { echo "usage: scripts/fuzz.sh rstr|xml|http_response|http_request|capi_properties SECONDS [libFuzzer flags...]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target=$1 seconds=$2
shift 2
[[ "$seconds" =~ ^[0-9]+$ ]] || usage
# -max_len per target: a little above the largest seed (the readers' own limits are 64 KiB;
# the http inputs can ask for small parser limits to reach the size checks cheaply).
case "$target" in
  rstr|xml) max_len=16384 ;;
  http_response|http_request) max_len=8192 ;;
  # capi_properties inputs are recipes (a few hundred bytes describe a dozen properties).
  capi_properties) max_len=4096 ;;
  *) usage ;;
esac

dir=${WST_BUILD_DIR:-$root/build/fuzz}
if [[ ! -f "$dir/CMakeCache.txt" ]]; then
  command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
  # -O1 -g without NDEBUG: assertions stay on while fuzzing.
  cmake -S "$root" -B "$dir" -DWST_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DWST_BUILD_BENCHMARKS=OFF -DWST_BUILD_SAMPLES=OFF >&2
fi
cmake --build "$dir" --target "fuzz_$target" -j "${WST_JOBS:-$(nproc)}" >&2
bin="$dir/tests/fuzz/fuzz_$target"

work=${WST_FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/wst-fuzz-$target.XXXXXX")}
mkdir -p "$work/corpus" "$work/artifacts"
cp -n "$root/tests/fuzz/corpus/$target/"* "$work/corpus/"
regressions="$root/tests/fuzz/regressions/$target"
extra_dirs=()
[[ -d "$regressions" ]] && extra_dirs+=("$regressions")
dict="$root/tests/fuzz/dict/$target.dict"
dict_flag=()
[[ -f "$dict" ]] && dict_flag+=("-dict=$dict")
before=$(find "$work/corpus" -type f | wc -l)

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "fuzz.sh: $target for ${seconds}s, -max_len=$max_len, scratch $work" >&2
set +e
"$bin" "$work/corpus" "${extra_dirs[@]}" "${dict_flag[@]}" -max_total_time="$seconds" \
  -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" >"$work/fuzz.log" 2>&1
status=$?
set -e

stat() { sed -n "s/^stat::$1: *//p" "$work/fuzz.log" | tail -1; }
after=$(find "$work/corpus" -type f | wc -l)
echo "target:      $target"
echo "executions:  $(stat number_of_executed_units)"
echo "exec/s:      $(stat average_exec_per_sec)"
echo "peak RSS:    $(stat peak_rss_mb) MB"
echo "corpus:      $before -> $after files ($work/corpus)"
echo "coverage:    $(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/fuzz.log" | tail -1)"
echo "log:         $work/fuzz.log"
crashes=$(find "$work/artifacts" -type f | sort)
if [[ -n "$crashes" ]]; then
  echo "crash files (reproduce: $bin FILE):"
  echo "$crashes" | sed 's/^/  /'
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "fuzz.sh: the fuzzer exited with status $status (see the log)" >&2
  exit "$status"
fi
echo "crashes:     none"
