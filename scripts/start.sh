#!/usr/bin/env bash
# `npm start` (after setup and build): Janus with our plugin standing in as
# janus.plugin.echotest, the echotest.ts app supervised by the plugin (jcfg app_command),
# and the stock Janus demo pages on http://127.0.0.1:8080 — open
# http://127.0.0.1:8080/echotest.html and press Start. Stays in the foreground; Ctrl-C or
# SIGTERM stops everything.
#
# Environment: JANUS_TS_RUN_DIR (config folder, default a fresh temporary one),
# DEMO_PORT (8080), JANUS_HTTP_PORT (8088), JANUS_WS_PORT (8188), JANUS_ADMIN_PORT (7088),
# JANUS_BIND (127.0.0.1), JANUS_TS_APP (compiled app, default the echotest example),
# JANUS_TS_PACKAGE (janus.plugin.echotest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

demo_port=${DEMO_PORT:-8080}
http_port=${JANUS_HTTP_PORT:-8088}
bind=${JANUS_BIND:-127.0.0.1}
app=${JANUS_TS_APP:-$root/control-ts/dist/examples/echotest.js}
package=${JANUS_TS_PACKAGE:-janus.plugin.echotest}
lib=$root/host-c/build/libjanus_ts.so
router=$root/router-as/build/router.wasm
cli=$root/control-ts/dist/src/cli.js

for f in "$lib" "$router" "$cli" "$app"; do
  [ -f "$f" ] || { echo "start: $f is missing — run: npm run build" >&2; exit 1; }
done
if curl -s -o /dev/null --max-time 1 "http://$bind:$http_port/janus/info"; then
  echo "start: something already answers on http://$bind:$http_port/janus — stop it or set JANUS_HTTP_PORT" >&2
  exit 1
fi
if curl -s -o /dev/null --max-time 1 "http://$bind:$demo_port/"; then
  echo "start: something already answers on http://$bind:$demo_port/ — stop it or set DEMO_PORT" >&2
  exit 1
fi

if [ -n "${JANUS_TS_RUN_DIR:-}" ]; then dir=$JANUS_TS_RUN_DIR; mkdir -p "$dir"; else dir=$(mktemp -d /tmp/janus-ts-start.XXXXXX); fi
socket=$dir/control.sock
cat > "$dir/ts.input.jcfg" <<JCFG
general: {
	router = "$router"
	package = "$package"
	control_socket = "$socket"
	app_command = "exec $(command -v node) $cli run $app --socket $socket"
}
JCFG
bash scripts/janus-config.sh "$dir" --plugin ts --ts-jcfg "$dir/ts.input.jcfg" >/dev/null
log=$dir/janus.log

janus_pid=""; demo_pid=""
stop() {
  trap - INT TERM EXIT
  echo; echo "start: stopping"
  # Janus stops the supervised app itself (plugin shutdown).
  [ -n "$demo_pid" ] && kill -TERM "$demo_pid" 2>/dev/null || true
  if [ -n "$janus_pid" ] && kill -0 "$janus_pid" 2>/dev/null; then
    kill -TERM "$janus_pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$janus_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$janus_pid" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  [ -z "${JANUS_TS_RUN_DIR:-}" ] && rm -rf "$dir"
  exit "${1:-0}"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

# Each child in its own session: a terminal Ctrl-C reaches only this script, which then
# stops them once, in order.
setsid janus -C "$dir/janus.jcfg" -F "$dir" -o >"$log" 2>&1 &
janus_pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null --max-time 1 "http://$bind:$http_port/janus/info" && break
  kill -0 "$janus_pid" 2>/dev/null || { echo "start: Janus exited while starting; log:" >&2; tail -n 30 "$log" >&2; exit 1; }
  sleep 0.1
done
curl -s -o /dev/null --max-time 1 "http://$bind:$http_port/janus/info" ||
  { echo "start: Janus did not answer on port $http_port within 10 s; log: $log" >&2; tail -n 30 "$log" >&2; exit 1; }
for _ in $(seq 100); do
  grep -q "janus-ts control: app .* connected" "$log" && break
  sleep 0.1
done
grep -q "janus-ts control: app .* connected" "$log" ||
  echo "start: warning: the app has not connected to the plugin yet (see $log)" >&2

setsid node scripts/demo-server.js --port "$demo_port" --host "$bind" --janus-port "$http_port" &
demo_pid=$!
for _ in $(seq 50); do
  kill -0 "$demo_pid" 2>/dev/null && curl -sf -o /dev/null --max-time 1 "http://$bind:$demo_port/settings.js" && break
  kill -0 "$demo_pid" 2>/dev/null || { echo "start: the demo page server could not start (port $demo_port in use? set DEMO_PORT)" >&2; exit 1; }
  sleep 0.1
done
curl -sf -o /dev/null --max-time 1 "http://$bind:$demo_port/settings.js" ||
  { echo "start: the demo page server does not answer on port $demo_port" >&2; exit 1; }

cat <<MSG

  janus-ts is running (Janus $(janus --version 2>/dev/null | sed -n "s/^Janus version: .*(\(.*\))/\1/p"))
    plugin   $package (libjanus_ts.so, router.wasm) + app $(basename "$app") over $socket
    Janus    http://$bind:$http_port/janus   (admin http://$bind:${JANUS_ADMIN_PORT:-7088}/admin)
    log      $log

  Open http://$bind:$demo_port/echotest.html and press Start.
  Ctrl-C stops everything.

MSG
# Stay in the foreground until Janus or the page server exits, or we are told to stop.
while kill -0 "$janus_pid" 2>/dev/null && kill -0 "$demo_pid" 2>/dev/null; do sleep 1 & wait $! || true; done
if kill -0 "$janus_pid" 2>/dev/null; then
  echo "start: the demo page server exited" >&2
else
  echo "start: Janus exited; log tail:" >&2
  tail -n 20 "$log" >&2
fi
stop 1
