#!/usr/bin/env bash
# Runs every test (mocha on the compiled tests), or the spec files given as arguments,
# e.g. scripts/test.sh 'build/test/router/*.test.js'. The whole run happens inside a
# private network namespace (scripts/netns-run.sh): ICE needs a non-loopback interface,
# and Janus's ports there never collide with the host's.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 'build/test/**/*.test.js' 'build/bench/*.test.js'
# --exit: a test that leaves a socket open (werift keeps the UDP sockets of unbundled,
# never-connected transports after close()) must not hang the run after the last test.
exec bash scripts/netns-run.sh npx mocha --exit "$@"
