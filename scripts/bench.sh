#!/usr/bin/env bash
# Runs wst's standard benchmark set and prints the tables (see docs/benchmarks.md):
#   1. negotiation_bench, replay mode, concurrency 64, median of 5 runs: wst::client, the C
#      facade and the raw HTTP floor in the same runs (issue 7's throughput and p99 targets)
#   2. the same in issue mode (the STS signs every token: end to end)
#   3. the token-store hit path (cache mode) at concurrency 64
#   4. 10,000 negotiations in flight: RSS per in-flight negotiation
#   5. the micro-benchmarks: RST write / RSTR read (core_bench), P_SHA1 (crypto_bench), actor
#      round trip (actor_bench)
#
#   scripts/bench.sh [--quick] [--sweep]
#     --quick  one run per point and fewer requests (a minute; for trying things out)
#     --sweep  also sweep concurrency 1..10,000 in replay mode and plot it (several minutes)
# Environment: WST_BUILD_DIR (default build/release; configured and built if needed),
# WST_BENCH_OUT (default $WST_BUILD_DIR/bench-results) for the JSON files and the plot.
# Runs under nice: the machine may be shared.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
sweep=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    --sweep) sweep=1 ;;
    *) echo "usage: scripts/bench.sh [--quick] [--sweep]" >&2; exit 2 ;;
  esac
done

dir=${WST_BUILD_DIR:-$root/build/release}
if [[ ! -f "$dir/CMakeCache.txt" ]]; then
  WST_BUILD_DIR="$dir" "$root/scripts/build.sh" release >/dev/null
fi
cmake --build "$dir" -j "${WST_JOBS:-$(nproc)}" \
  --target negotiation_bench actor_bench core_bench crypto_bench wst-sample-sts >&2
out=${WST_BENCH_OUT:-$dir/bench-results}
mkdir -p "$out"
bench="$dir/benchmarks/negotiation/negotiation_bench"
run() { echo; echo "\$ $*"; nice -n 5 "$@"; }

if [[ $quick == 1 ]]; then
  runs=1; requests=3000; issue_requests=500; big_requests=20000
else
  runs=5; requests=20000; issue_requests=2000; big_requests=30000
fi
status=0
# Each negotiation_bench prints its table, the targets it measured and a JSON line (kept in
# the JSON files instead); it exits non-zero on errors, not on missed targets.
table() { grep -v '^{' || true; }

echo "== negotiations at concurrency 64 (median of $runs runs; floor, wst and facade alternate)"
run "$bench" --mode replay,cache --concurrency 64 --runs "$runs" --requests "$requests" \
  --json "$out/negotiation-64.json" | table || status=1
run "$bench" --mode issue --concurrency 64 --runs "$runs" --requests "$issue_requests" \
  --json "$out/negotiation-issue-64.json" | table || status=1

echo
echo "== 10,000 negotiations in flight (RSS per in-flight negotiation)"
# One channel queues at most 8,192 requests behind its 1,024 connections (see
# docs/benchmarks.md): two channels hold 10,000 in flight without queue_full.
run "$bench" --mode replay --concurrency 10000 --channels 2 --runs 1 --requests "$big_requests" \
  --no-floor --no-facade --json "$out/negotiation-10000.json" | table || status=1

if [[ $sweep == 1 ]]; then
  echo
  echo "== concurrency sweep (replay mode; plot: $out/negotiation-sweep.png)"
  run "$bench" --mode replay --sweep --channels 2 --runs "$runs" --no-facade \
    --json "$out/negotiation-sweep.json" --plot "$out/negotiation-sweep.png" | table || status=1
fi

echo
echo "== micro-benchmarks"
min_time=$([[ $quick == 1 ]] && echo 0.1 || echo 0.5)
for b in core_bench crypto_bench actor_bench; do
  run "$dir/benchmarks/$b" --benchmark_min_time="$min_time" --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_out="$out/$b.json" \
    --benchmark_out_format=json 2>/dev/null | grep -E '^Benchmark|_median' || status=1
done
echo
echo "results: $out"
exit $status
