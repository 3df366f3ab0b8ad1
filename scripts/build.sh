#!/usr/bin/env bash
# Builds everything (idempotent; each step is incremental):
#   router-as/  -> router-as/build/router.wasm (+ router.debug.wasm, and the test-only
#                  router-codecs.wasm of router-as/test-entry.ts)
#   control-ts/ and test/, bench/ TypeScript -> control-ts/dist, build/
#   host-c/     -> host-c/build/libjanus_ts.so (wasmtime linked statically)
set -euo pipefail
cd "$(dirname "$0")/.."
WASMTIME_PREFIX=$(bash scripts/build-wasmtime.sh | tail -n 1)
echo "build: router.wasm"
npx asc --config asconfig.json --target release
npx asc --config asconfig.json --target debug
# The test kit (janus-ts/testing) ships the router the plugin loads.
cp router-as/build/router.wasm control-ts/router.wasm
# Test-only module of the codec parsers and layer state machines (test/router/codecs-*).
npx asc --config router-as/codecs.asconfig.json --target release
echo "build: TypeScript"
npx tsc -b
echo "build: libjanus_ts.so"
make -s -C host-c WASMTIME_PREFIX="$WASMTIME_PREFIX"
if [ -f bench/Makefile ]; then
  echo "build: bench harness"
  make -s -C bench WASMTIME_PREFIX="$WASMTIME_PREFIX"
fi
