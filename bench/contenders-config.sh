#!/usr/bin/env bash
# Writes the contenders' own config folder (given to each contender's init(), never to
# Janus itself): janus_lua / janus_duktape with bench/scripts, a VideoRoom room, and
# janus.plugin.ts.jcfg for our plugin.
#   bench/contenders-config.sh DIR ROOT TS_SOCKET
set -euo pipefail
dir=$1; root=$2; sock=$3
printf 'general: {\n\tpath = "%s"\n\tscript = "%s"\n}\n' "$root/bench/scripts" "$root/bench/scripts/bench.lua" > "$dir/janus.plugin.lua.jcfg"
printf 'general: {\n\tpath = "%s"\n\tscript = "%s"\n}\n' "$root/bench/scripts" "$root/bench/scripts/bench.js" > "$dir/janus.plugin.duktape.jcfg"
cat > "$dir/janus.plugin.videoroom.jcfg" <<JCFG
general: {
	string_ids = false
}
room-1234: {
	description = "bench"
	publishers = 64
	bitrate = 0
	fir_freq = 0
	audiocodec = "opus"
	videocodec = "vp8"
	notify_joining = false
}
JCFG
cat > "$dir/janus.plugin.ts.jcfg" <<JCFG
general: {
	router = "$root/router-as/build/router.wasm"
	control_socket = "$sock"
	max_sessions = 2048
	max_routes = 1024
}
JCFG
