#!/usr/bin/env bash
# Builds the wasmtime C API (static, Cranelift only) into a cache outside the repo,
# keyed by version+features. Does nothing when the cached build is complete.
# Prints the prefix (holding lib/libwasmtime.a and include/) on the last line.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
version=48.0.8
features=cranelift-threads
cache=${JANUS_TS_CACHE:-$HOME/.cache/janus-ts}
prefix=$cache/wasmtime-$version-$features
if [ -f "$prefix/lib/libwasmtime.a" ] && [ -f "$prefix/include/wasmtime.h" ] && [ -f "$prefix/include/wasmtime/conf.h" ]; then
  echo "$prefix"; exit 0
fi
command -v cmake >/dev/null || { echo "build-wasmtime: cmake is needed (run scripts/setup.sh)" >&2; exit 1; }
echo "build-wasmtime: building wasmtime C API $version ($features) into $prefix (several minutes, once)" >&2
start=$(date +%s)
rm -rf "$prefix/include" "$prefix/lib"
mkdir -p "$prefix/lib"
export CARGO_TARGET_DIR=$cache/wasmtime-target-$version-$features
JANUS_TS_WASMTIME_PREFIX=$prefix cargo build --release --locked \
  --manifest-path "$here/deps/wasmtime/Cargo.toml" >&2
cp "$CARGO_TARGET_DIR/release/libwasmtime.a" "$prefix/lib/libwasmtime.a.tmp"
mv "$prefix/lib/libwasmtime.a.tmp" "$prefix/lib/libwasmtime.a"
echo "build-wasmtime: built in $(( $(date +%s) - start )) s" >&2
echo "$prefix"
