#!/usr/bin/env bash
# ThreadSanitizer run of the plugin tests: builds host-c/build-tsan/libjanus_ts.so and the
# fake core (build/test/harness/fake_core-tsan) with -fsanitize=thread, then runs the given
# compiled specs (default: every plugin test, among them the race and stress tests) against
# them. Any ThreadSanitizer report fails the run (halt_on_error, exit code 66).
#   scripts/tsan.sh ['build/test/plugin/race.test.js' ...]
# wasmtime (Rust) and the JIT-compiled router are not instrumented: TSan sees the C side —
# sessions, handles, recorders, counters, the reader slots of rcu.c — not what the router
# does inside its shared memory (test/router/threads.test.ts covers that).
set -euo pipefail
cd "$(dirname "$0")/.."
WASMTIME_PREFIX=$(bash scripts/build-wasmtime.sh | tail -n 1)
make -s -C host-c tsan WASMTIME_PREFIX="$WASMTIME_PREFIX"
make -s -C test/harness tsan
[ $# -gt 0 ] || set -- 'build/test/plugin/*.test.js'
export JANUS_TS_TEST_PLUGIN=$PWD/host-c/build-tsan/libjanus_ts.so
export JANUS_TS_TEST_CORE=$PWD/build/test/harness/fake_core-tsan
# report_signal_unsafe=0: wasmtime's trap handler allocates inside the signal handler
# (the fault tests make the router trap on purpose); that is wasmtime's, not a race.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 report_signal_unsafe=0 ${TSAN_OPTIONS:-}"
exec bash scripts/netns-run.sh npx mocha --exit --timeout 180000 "$@"
