#!/usr/bin/env bash
# Idempotent setup shared by `npm start`, `npm test`, `npm run build|dist|bench`:
# installs only what is missing (Debian packages, npm packages, the cached wasmtime
# C API build), so a machine that is already set up restarts offline.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_pkgs=(janus janus-dev janus-demos libjs-janus-gateway libglib2.0-dev libjansson-dev
  pkg-config cmake make gcc iproute2 chromium curl dpkg-dev
  clang libclang-rt-14-dev)  # clang: the sanitizer builds and the libFuzzer targets (test/fuzz/)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages: reinstall only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

command -v cargo >/dev/null || { echo "setup: cargo (Rust 1.95) is needed to build the wasmtime C API" >&2; exit 1; }
bash scripts/build-wasmtime.sh >/dev/null
