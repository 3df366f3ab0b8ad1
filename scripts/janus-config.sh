#!/usr/bin/env bash
# Generates a Janus config folder of the project's own and prints its path.
#   scripts/janus-config.sh DIR [--plugin NAME]... [--ts-jcfg FILE] [--lua-script FILE] [--duktape-script FILE]
# NAME: ts (our libjanus_ts.so from host-c/build, or the build named by JANUS_TS_PLUGIN,
# e.g. host-c/build-asan/libjanus_ts.so), or a stock plugin short name
# (echotest, videoroom, lua, duktape, ...). Only the named plugins and the HTTP +
# WebSocket transports are loaded. HTTP 8088, WebSocket 8188 and admin 7088, all on
# 127.0.0.1 (override with JANUS_HTTP_PORT, JANUS_WS_PORT, JANUS_ADMIN_PORT, JANUS_BIND).
# JANUS_GENERAL_EXTRA: more lines for janus.jcfg's general section (e.g. api_secret = "x").
# Then: janus -C DIR/janus.jcfg -F DIR -o
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: janus-config.sh DIR [--plugin NAME]...}; shift
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
libdir=/usr/lib/x86_64-linux-gnu/janus
[ -d "$libdir" ] || libdir=$(dirname "$(dpkg -L janus | grep -m1 '/plugins/libjanus_echotest.so$')")/..
plugins=(); ts_jcfg=""; lua_script=""; duk_script=""
while [ $# -gt 0 ]; do
  case "$1" in
    --plugin) plugins+=("$2"); shift 2;;
    --ts-jcfg) ts_jcfg=$2; shift 2;;
    --lua-script) lua_script=$2; shift 2;;
    --duktape-script) duk_script=$2; shift 2;;
    *) echo "janus-config: unknown option $1" >&2; exit 2;;
  esac
done
bind=${JANUS_BIND:-127.0.0.1}
rm -rf "$dir/plugins" "$dir/transports"
mkdir -p "$dir/plugins" "$dir/transports" "$dir/events" "$dir/loggers" "$dir/recordings"
ln -s "$libdir/transports/libjanus_http.so" "$dir/transports/"
ln -s "$libdir/transports/libjanus_websockets.so" "$dir/transports/"
for p in "${plugins[@]}"; do
  if [ "$p" = ts ]; then
    ln -s "${JANUS_TS_PLUGIN:-$root/host-c/build/libjanus_ts.so}" "$dir/plugins/libjanus_ts.so"
  else
    ln -s "$libdir/plugins/libjanus_$p.so" "$dir/plugins/libjanus_$p.so"
  fi
done

cat > "$dir/janus.jcfg" <<JCFG
general: {
	configs_folder = "$dir"
	plugins_folder = "$dir/plugins"
	transports_folder = "$dir/transports"
	events_folder = "$dir/events"
	loggers_folder = "$dir/loggers"
	debug_level = ${JANUS_DEBUG_LEVEL:-4}
	admin_secret = "janusoverlord"
	server_name = "janus-ts"
	session_timeout = 60
${JANUS_GENERAL_EXTRA:-}
${JANUS_EVENT_LOOPS:+	event_loops = $JANUS_EVENT_LOOPS}
}
certificates: {
}
media: {
	rtp_port_range = "20000-40000"
}
nat: {
	nice_debug = false
	ignore_mdns = true
}
plugins: {
}
transports: {
}
events: {
	broadcast = false
}
JCFG
cat > "$dir/janus.transport.http.jcfg" <<JCFG
general: {
	json = "indented"
	base_path = "/janus"
	http = true
	port = ${JANUS_HTTP_PORT:-8088}
	ip = "$bind"
	https = false
}
admin: {
	admin_base_path = "/admin"
	admin_http = true
	admin_port = ${JANUS_ADMIN_PORT:-7088}
	admin_ip = "$bind"
	admin_https = false
}
cors: {
}
JCFG
cat > "$dir/janus.transport.websockets.jcfg" <<JCFG
general: {
	json = "indented"
	ws = true
	ws_port = ${JANUS_WS_PORT:-8188}
	ws_ip = "$bind"
	wss = false
}
admin: {
	admin_ws = false
	admin_wss = false
}
JCFG
if [ -n "$ts_jcfg" ]; then cp "$ts_jcfg" "$dir/janus.plugin.ts.jcfg"; fi
if [ -n "$lua_script" ]; then
  printf 'general: {\n\tpath = "%s"\n\tscript = "%s"\n}\n' "$(dirname "$lua_script")" "$lua_script" > "$dir/janus.plugin.lua.jcfg"
fi
if [ -n "$duk_script" ]; then
  printf 'general: {\n\tpath = "%s"\n\tscript = "%s"\n}\n' "$(dirname "$duk_script")" "$duk_script" > "$dir/janus.plugin.duktape.jcfg"
fi
echo "$dir"
