#!/usr/bin/env bash
# Runs a command inside a private network namespace (needs root): loopback up and a
# veth pair v0 (10.77.0.1/24) <-> v1 (10.77.0.2/24), because ICE skips `lo`.
# Janus and every test client inside see only this namespace, so ports never collide
# with the host or with another run. Already inside one (JANUS_TS_NETNS=1): runs as is.
set -euo pipefail
if [ "${JANUS_TS_NETNS:-}" = 1 ]; then exec "$@"; fi
exec unshare -n -- bash -c '
  set -e
  ip link set lo up
  ip link add v0 type veth peer name v1
  ip addr add 10.77.0.1/24 dev v0
  ip addr add 10.77.0.2/24 dev v1
  ip link set v0 up
  ip link set v1 up
  export JANUS_TS_NETNS=1
  exec "$@"' netns-run "$@"
