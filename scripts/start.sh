#!/usr/bin/env bash
# `npm start [-- APP [--package PKG]]` (after setup and build): Janus with our plugin standing
# in for a Janus plugin, the app supervised by the plugin (jcfg app_command), and the demo
# pages on http://127.0.0.1:8080 (the stock Janus pages and our own, demos/). Prints the page
# to open. Stays in the foreground; Ctrl-C or SIGTERM stops everything.
#
#   APP = an example name: echotest (default), videoroom, videocall, textroom, chatroulette
#         → control-ts/dist/examples/APP.js as janus.plugin.APP (the C plugin it replaces)
#       | a path to your own app (relative to where you ran npm), passed to `janus-ts run`
#         as it is, whatever its kind; --package names the plugin it stands in for
#         (default janus.plugin.ts)
#
# Environment: JANUS_TS_RUN_DIR (config folder, default a fresh temporary one),
# DEMO_PORT (8080), JANUS_HTTP_PORT (8088), JANUS_WS_PORT (8188), JANUS_ADMIN_PORT (7088),
# JANUS_BIND (127.0.0.1); JANUS_TS_APP / JANUS_TS_PACKAGE as defaults for APP / --package.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() {
  echo "usage: npm start -- [echotest|videoroom|videocall|textroom|chatroulette | PATH --package janus.plugin.NAME]" >&2
  exit 2
}
# The stock demo page of each plugin this project has an example for.
page_of() {
  case "$1" in
    janus.plugin.echotest) echo echotest.html;;
    janus.plugin.videoroom) echo videoroomtest.html;;
    janus.plugin.videocall) echo videocalltest.html;;
    janus.plugin.textroom) echo textroomtest.html;;
    janus.plugin.chatroulette) echo chatroulette.html;;
  esac
}

app=${JANUS_TS_APP:-echotest}
package=${JANUS_TS_PACKAGE:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --package) [ $# -ge 2 ] || usage; package=$2; shift 2;;
    --package=*) package=${1#--package=}; shift;;
    -h|--help) usage;;
    -*) echo "start: unknown option $1" >&2; usage;;
    *) app=$1; shift;;
  esac
done
case "$app" in
  echotest|videoroom|videocall|textroom|chatroulette)
    package=${package:-janus.plugin.$app}
    app=$root/control-ts/dist/examples/$app.js;;
  */*|*.*)
    [[ $app = /* ]] || app=${INIT_CWD:-$PWD}/$app   # npm runs scripts from the repository root
    package=${package:-janus.plugin.ts};;
  *) echo "start: '$app' is neither an example (echotest, videoroom, videocall, textroom, chatroulette) nor a path" >&2; usage;;
esac
page=$(page_of "$package")
demo_port=${DEMO_PORT:-8080}
http_port=${JANUS_HTTP_PORT:-8088}
bind=${JANUS_BIND:-127.0.0.1}

lib=$root/host-c/build/libjanus_ts.so
router=$root/router-as/build/router.wasm
cli=$root/control-ts/dist/src/cli.js

for f in "$lib" "$router" "$cli"; do
  [ -f "$f" ] || { echo "start: $f is missing — run: npm run build" >&2; exit 1; }
done
[ -e "$app" ] || { echo "start: the app $app is missing$([[ $app = "$root"/control-ts/dist/* ]] && echo " — run: npm run build")" >&2; exit 1; }
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
# app_command runs under /bin/sh: quote the app's path for it, then for the jcfg string.
jcfg_escape() { sed 's/[\\"]/\\&/g' <<<"$1"; }
command="exec $(printf '%q ' "$(command -v node)" "$cli" run "$app" --socket "$socket")"
cat > "$dir/ts.input.jcfg" <<JCFG
general: {
	router = "$(jcfg_escape "$router")"
	package = "$(jcfg_escape "$package")"
	control_socket = "$(jcfg_escape "$socket")"
	app_command = "$(jcfg_escape "$command")"
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

  $(if [ -n "$page" ]; then echo "Open http://$bind:$demo_port/$page and press Start."
      else echo "Attach your client to $package (demo pages: http://$bind:$demo_port/)."; fi)
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
