#!/usr/bin/env bash
# `npm run bench`: the relay-throughput and signalling benchmarks.
# Each contender runs in its own Janus process (bench-only plugin libjanus_benchrunner.so,
# the only plugin loaded), inside a private network namespace; rounds interleave the
# contenders so a slow phase of the VM hits all of them. Results: bench/results/<date>.json,
# bench/results/latest.md, bench/results/latest.svg.
#   BENCH_CONTENDERS  default "null ref ref-outside ts lua duktape videoroom" (null = the
#                     harness alone; ref-outside = the reference relaying outside its lock)
#   BENCH_RESULTS     output folder, default bench/results
#   BENCH_E2E         0 skips the end-to-end run (bench/e2e.ts and its BENCH_E2E_* knobs)
#   BENCH_TS_APP      the Node app for ts signalling ("" = skip), default the janus-ts CLI
#                     running build/bench/ts-app.js
#   BENCH_ROUNDS      processes per contender, default 5
#   and the BENCH_* knobs of bench/benchplugin.c (fan-outs, deliveries, reps, room, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
contenders=${BENCH_CONTENDERS:-null ref ref-outside ts lua duktape videoroom}
rounds=${BENCH_ROUNDS:-5}
make -s -C bench
work=$(mktemp -d /tmp/janus-ts-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
conf=$work/contenders
mkdir -p "$conf"
bash bench/contenders-config.sh "$conf" "$root" "$work/ts.sock"
jdir=$(JANUS_DEBUG_LEVEL=${BENCH_JANUS_DEBUG:-3} bash scripts/janus-config.sh "$work/janus")
ln -s "$root/bench/build/libjanus_benchrunner.so" "$jdir/plugins/libjanus_benchrunner.so"
raw=$work/raw.jsonl
: > "$raw"

# Our plugin is snapshotted: others may rebuild host-c/ or router-as/ during the run.
ts_lib=$work/ts/libjanus_ts.so
ts_wasm=$work/ts/router.wasm
mkdir -p "$work/ts"
if [ -f host-c/build/libjanus_ts.so ] && [ -f router-as/build/router.wasm ]; then
  cp host-c/build/libjanus_ts.so router-as/build/router.wasm "$work/ts/"
  sed -i "s|router = .*|router = \"$ts_wasm\"|" "$conf/janus.plugin.ts.jcfg"
fi
export BENCH_TS_BUILD="host-c $(git log -1 --format=%h -- host-c) router-as $(git log -1 --format=%h -- router-as)$(git diff --quiet -- host-c router-as || echo ' (+ uncommitted changes)')"
for r in $(seq 1 "$rounds"); do
  for c in $contenders; do
    if [ "$c" = ts ] && { [ ! -f "$ts_lib" ] || [ ! -f "$ts_wasm" ]; }; then
      echo "bench: round $r/$rounds: ts skipped (libjanus_ts.so or router.wasm not built)"
      echo '{"contender":"ts","error":"not built: host-c/build/libjanus_ts.so or router-as/build/router.wasm missing"}' >> "$raw"
      continue
    fi
    echo "bench: round $r/$rounds: $c"
    rm -f "$work/ts.sock"
    log=$work/janus-$c-$r.log
    # Janus logs to stdout (kept in $log); the runner's progress lines go to stderr.
    if ! BENCH_CONTENDER=$c BENCH_CONFDIR=$conf BENCH_OUT=$raw BENCH_ROUND=$r \
        BENCH_TS_LIB=$ts_lib BENCH_TS_SOCKET=$work/ts.sock \
        BENCH_TS_APP="${BENCH_TS_APP-node $root/control-ts/dist/src/cli.js run $root/build/bench/ts-app.js --replace --no-reconnect --socket}" \
        timeout "${BENCH_TIMEOUT:-600}" bash scripts/netns-run.sh \
        janus -C "$jdir/janus.jcfg" -F "$jdir" -o > "$log" 2> >(grep --line-buffered '^bench:' >&2); then
      echo "bench: $c exited abnormally, last log lines:" >&2
      tail -n 20 "$log" >&2
      echo "{\"contender\":\"$c\",\"error\":\"janus process failed in round $r\"}" >> "$raw"
    fi
  done
done
results=${BENCH_RESULTS:-bench/results}
mkdir -p "$results"
node build/bench/report.js "$raw" "$results"
if [ "${BENCH_E2E:-1}" != 0 ]; then
  # End to end: real Janus, werift peers over ICE/DTLS/SRTP (bench/e2e.ts); not fatal.
  if bash scripts/netns-run.sh node build/bench/e2e.js "$results" > "$work/e2e.md"; then
    { echo; cat "$results/e2e-latest.md"; } >> "$results/latest.md"
    cat "$work/e2e.md"
  else
    echo "bench: end-to-end run failed (see above); relay results are complete" >&2
  fi
fi
