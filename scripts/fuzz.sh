#!/usr/bin/env bash
# Fuzzing campaign of one libFuzzer target of test/fuzz/ (after `npm run build`):
#   scripts/fuzz.sh TARGET [RUNS] [libFuzzer options...]
#   TARGET: fuzz_control | fuzz_jcfg | fuzz_mlines | fuzz_packet      RUNS default 10000000
# Runs at nice 19 with the target's seeds (test/fuzz/corpus/TARGET, read only) and a working
# corpus kept in build/test/fuzz/work/TARGET; a crash input lands in
# build/test/fuzz/crashes/TARGET/ (fix it, then keep the input in test/fuzz/regressions/TARGET/,
# which test/fuzz/fuzz.test.ts replays). Prints libFuzzer's "Done N runs in S second(s)".
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz.sh TARGET [RUNS] [libFuzzer options...]}
runs=${2:-10000000}
shift; [ $# -gt 0 ] && shift
WASMTIME_PREFIX=$(bash scripts/build-wasmtime.sh | tail -n 1)
make -s -C test/fuzz WASMTIME_PREFIX="$WASMTIME_PREFIX"
work=build/test/fuzz/work/$target
crashes=build/test/fuzz/crashes/$target
mkdir -p "$work" "$crashes"
dict=()
[ -f "test/fuzz/${target#fuzz_}.dict" ] && dict=("-dict=test/fuzz/${target#fuzz_}.dict")
start=$(date +%s)
echo "fuzz: $target, $runs runs, started $(date -u +%FT%TZ)"
nice -n 19 "build/test/fuzz/$target" -runs="$runs" -print_final_stats=1 "${dict[@]}" \
  -artifact_prefix="$crashes/" "$@" "$work" "test/fuzz/corpus/$target"
echo "fuzz: $target finished after $(( $(date +%s) - start )) s wall, $(date -u +%FT%TZ)"
