#!/usr/bin/env bash
# Sanitizer runs (`npm run test:sanitize`), after `npm run build`:
#  1. AddressSanitizer + LeakSanitizer + UBSan (clang): host-c/build-asan/libjanus_ts.so and
#     the fake core build/test/harness/fake_core-asan, then the plugin tests (fake core), the protocol
#     tests, the reliability tests and the end-to-end echo tests in a real Janus. Janus is not
#     built with ASan: the ASan runtime is preloaded into the Janus process only
#     (JANUS_TS_JANUS_PRELOAD → its LD_PRELOAD, test/helpers/janus.ts; the ASan build of the
#     plugin takes LD_PRELOAD out of Janus's environment when it loads, so the apps Janus
#     starts do not inherit it), and
#     test/sanitize/selftest.test.ts first proves each sanitizer is active there (a deliberate
#     overflow, leak and signed overflow of the plugin's test-only self-test are reported).
#     Every report goes to a file (log_path); scripts/sanitizer-reports.js fails the run on
#     any report about Janus or the fake core.
#  2. ThreadSanitizer: scripts/tsan.sh (the plugin tests, with the race and stress tests).
#   scripts/sanitize.sh [asan|tsan|all] [spec ...]     (default: all, the specs above)
set -euo pipefail
cd "$(dirname "$0")/.."
pass=${1:-all}
[ $# -gt 0 ] && shift
WASMTIME_PREFIX=$(bash scripts/build-wasmtime.sh | tail -n 1)

asan() {
  make -s -C host-c asan WASMTIME_PREFIX="$WASMTIME_PREFIX" || return 1
  make -s -C test/harness asan || return 1
  local reports
  reports=$(mktemp -d /tmp/janus-ts-asan-XXXXXX)
  [ $# -gt 0 ] || set -- 'build/test/sanitize/*.test.js' 'build/test/plugin/*.test.js' \
    'build/test/protocol/*.test.js' 'build/test/reliability/*.test.js' 'build/test/e2e/echotest-ts.test.js'
  local rc=0
  (
    export JANUS_TS_TEST_PLUGIN=$PWD/host-c/build-asan/libjanus_ts.so
    export JANUS_TS_TEST_CORE=$PWD/build/test/harness/fake_core-asan
    export JANUS_TS_PLUGIN=$PWD/host-c/build-asan/libjanus_ts.so
    JANUS_TS_JANUS_PRELOAD=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
    export JANUS_TS_JANUS_PRELOAD
    # Leaks are checked when each process exits; wasmtime's trap handler is chained after
    # ASan's SIGSEGV handler (allow_user_segv_handler).
    # JANUS_TS_ASAN_OPTIONS adds to them, e.g. fast_unwind_on_malloc=0 for whole stacks
    # through libraries built without frame pointers (glib, jansson), at a cost in speed.
    export ASAN_OPTIONS="detect_leaks=1 allow_user_segv_handler=1 log_path=$reports/asan malloc_context_size=20 ${JANUS_TS_ASAN_OPTIONS:-}"
    export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 log_path=$reports/asan"
    export JANUS_TS_SANITIZER_REPORTS=$reports
    bash scripts/netns-run.sh npx mocha --exit --timeout 180000 "$@"
  ) || rc=$?
  node scripts/sanitizer-reports.js "$reports" || rc=1
  if [ $rc = 0 ]; then rm -rf "$reports"; else echo "sanitize: reports kept in $reports"; fi
  return $rc
}

case "$pass" in
  asan) asan "$@";;
  tsan) bash scripts/tsan.sh "$@";;
  # both passes run even when the first one fails; the run fails if either does
  all) rc=0; asan || rc=1; bash scripts/tsan.sh || rc=1; echo "sanitize: $([ $rc = 0 ] && echo clean || echo FAILED)"; exit $rc;;
  *) echo "usage: sanitize.sh [asan|tsan|all] [spec ...]" >&2; exit 2;;
esac
