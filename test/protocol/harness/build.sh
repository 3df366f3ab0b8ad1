#!/usr/bin/env bash
# Builds the development harness: the control server over a fake core.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-/tmp/janus-ts-ctl-harness}
san=${SANITIZE:-address,undefined}   # SANITIZE=none: plain -O2 build for timing
flags="-fsanitize=$san"; [ "$san" = none ] && flags="-O2"
gcc -std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter $flags -I/usr/include/janus \
  $(pkg-config --cflags glib-2.0 jansson) -o "$out" main.c fake_api.c ../../../host-c/control/*.c \
  $(pkg-config --libs glib-2.0 jansson) -lpthread -lm
echo "$out"
