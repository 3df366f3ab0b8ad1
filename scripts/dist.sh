#!/usr/bin/env bash
# `npm run dist` (after setup and build): a deployable folder dist/ with
#   libjanus_ts.so          -> Janus's plugins folder
#   router.wasm             -> e.g. /usr/share/janus/ts/ (the jcfg's `router`)
#   janus.plugin.ts.jcfg    -> Janus's config folder (commented sample)
#   runtime/                -> the compiled janus-ts package (npm install ./runtime)
#   README.md               -> where each goes
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-$root/dist}
lib=host-c/build/libjanus_ts.so
router=router-as/build/router.wasm
for f in "$lib" "$router" control-ts/dist/src/index.js; do
  [ -f "$f" ] || { echo "dist: $f is missing — run: npm run build" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out/runtime"
install -m 0755 "$lib" "$out/libjanus_ts.so"
strip --strip-debug "$out/libjanus_ts.so" 2>/dev/null || true
install -m 0644 "$router" "$out/router.wasm"
install -m 0644 conf/janus.plugin.ts.jcfg "$out/janus.plugin.ts.jcfg"
# The runtime: compiled JavaScript + declarations, and its package.json (main/bin point
# into dist/). Test-only build info is left out.
mkdir -p "$out/runtime/dist"
cp -R control-ts/dist/. "$out/runtime/dist/"
find "$out/runtime/dist" -name '*.tsbuildinfo' -delete
cp control-ts/package.json "$out/runtime/package.json"
# The Lua modules of the janus_lua compatibility layer (json, ansicolors, ..., the prelude).
cp -R control-ts/lua "$out/runtime/lua"
# The test kit (janus-ts/testing) with the router it loads, and the app template.
cp -R control-ts/testing control-ts/template "$out/runtime/"
install -m 0644 "$router" "$out/runtime/router.wasm"
[ -f control-ts/README.md ] && cp control-ts/README.md "$out/runtime/" || true
plugins_dir=/usr/lib/x86_64-linux-gnu/janus/plugins
cat > "$out/README.md" <<MD
# janus-ts $(node -p "require('./control-ts/package.json').version") — deployable files

Built $(date -u +%Y-%m-%dT%H:%MZ) for Janus 1.1.x (plugin API 102), router ABI $(sed -n 's/^#define TS_ROUTER_ABI_VERSION \([0-9]*\).*/\1/p' host-c/router_abi.h).

| file | goes to (stock Debian Janus) |
|---|---|
| \`libjanus_ts.so\` | Janus's plugins folder: \`$plugins_dir/\` (wasmtime is linked in; needs glib and jansson, as Janus) |
| \`router.wasm\` | anywhere Janus can read, e.g. \`/usr/share/janus/ts/router.wasm\` — the jcfg's \`router\` |
| \`janus.plugin.ts.jcfg\` | Janus's config folder: \`/etc/janus/\`. Set \`router\`, \`control_socket\`, and \`package\` (e.g. \`janus.plugin.echotest\` to stand in for the EchoTest), optionally \`app_command\` |
| \`runtime/\` | the \`janus-ts\` npm package your app imports: \`npm install /path/to/runtime\` in the app's folder |

Then restart Janus and run your app: \`npx janus-ts run app.js --socket /run/janus/ts.sock\`
(or let the plugin start and supervise it through \`app_command\`). Janus's log shows
\`[janus-ts] router ... loaded (ABI $(sed -n 's/^#define TS_ROUTER_ABI_VERSION \([0-9]*\).*/\1/p' host-c/router_abi.h), ...)\` when the plugin is up.
MD
echo "dist: $(cd "$out" && ls | tr '\n' ' ')in $out"
