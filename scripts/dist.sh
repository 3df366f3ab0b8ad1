#!/usr/bin/env bash
# `npm run dist` (after setup and build): a deployable folder, dist/ by default, with
#   libjanus_ts.so           -> Janus's plugins folder
#   router.wasm              -> e.g. /usr/share/janus-ts/ (the jcfg's `router`)
#   janus.plugin.ts.jcfg     -> Janus's config folder (commented sample)
#   janus-ts-<version>.tgz   -> the janus-ts npm package (`npm pack` of control-ts/):
#                               npm install ./janus-ts-<version>.tgz in your app's folder
#   README.md                -> where each goes
# Usage: scripts/dist.sh [OUT_DIR]. The Debian package (scripts/deb.sh) is made from it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-$root/dist}
lib=host-c/build/libjanus_ts.so
# The router the plugin loads: asconfig.json's release build (not the debug or test builds).
router=$(node -p "require('./asconfig.json').targets.release.outFile")
main=$(node -p "require('./control-ts/package.json').main")
for f in "$lib" "$router" "control-ts/$main"; do
  [ -f "$f" ] || { echo "dist: $f is missing — run: npm run build" >&2; exit 1; }
done
# A compiled file whose source is gone (a removed or renamed .ts, another branch's build)
# would be packed and shipped: refuse.
stale=$(cd control-ts/dist && find src examples -type f 2>/dev/null | while IFS= read -r f; do
  src=${f%.map}; src=${src%.js}; src=${src%.d.ts}
  [ -e "../$src.ts" ] || [ -e "../$src" ] || echo "control-ts/dist/$f"
done)
[ -z "$stale" ] || { printf 'dist: compiled files without a source (run: rm -rf control-ts/dist && npm run build):\n%s\n' "$stale" >&2; exit 1; }
version=$(node -p "require('./control-ts/package.json').version")
rm -rf "$out"
mkdir -p "$out"
install -m 0755 "$lib" "$out/libjanus_ts.so"
strip --strip-debug "$out/libjanus_ts.so" 2>/dev/null || true
install -m 0644 "$router" "$out/router.wasm"
install -m 0644 conf/janus.plugin.ts.jcfg "$out/janus.plugin.ts.jcfg"
# The runtime as npm publishes it: package.json `files` decides what goes in.
npm pack --workspace control-ts --pack-destination "$out" --loglevel=error >/dev/null
tgz=janus-ts-$version.tgz
[ -f "$out/$tgz" ] || { echo "dist: npm pack did not write $tgz" >&2; exit 1; }
plugins_dir=/usr/lib/x86_64-linux-gnu/janus/plugins
cat > "$out/README.md" <<MD
# janus-ts $version — deployable files

Built $(date -u +%Y-%m-%dT%H:%MZ) for Janus 1.1.x (plugin API 102), router ABI $(sed -n 's/^#define TS_ROUTER_ABI_VERSION \([0-9]*\).*/\1/p' host-c/router_abi.h).
On Debian, \`npm run deb\` makes a package that installs all of this (see the repository's README, "Deploy").

| file | goes to (stock Debian Janus) |
|---|---|
| \`libjanus_ts.so\` | Janus's plugins folder: \`$plugins_dir/\` (wasmtime is linked in; needs glib and jansson, as Janus) |
| \`router.wasm\` | anywhere Janus can read; the plugin's default is \`/usr/share/janus-ts/router.wasm\`, else set the jcfg's \`router\` |
| \`janus.plugin.ts.jcfg\` | Janus's config folder: \`/etc/janus/\`. Set \`control_socket\` (in a folder that exists), optionally \`app_command\` and \`package\` |
| \`$tgz\` | the \`janus-ts\` npm package your app imports: \`npm install /path/to/$tgz\` in the app's folder (fetches its dependencies from the npm registry); gives \`npx janus-ts run app.js\` |

Then restart Janus and run your app: \`npx janus-ts run app.js --socket /run/janus/ts.sock\`
(or let the plugin start and supervise it through \`app_command\`). Janus's log shows
\`[janus-ts] router ... loaded (ABI $(sed -n 's/^#define TS_ROUTER_ABI_VERSION \([0-9]*\).*/\1/p' host-c/router_abi.h), ...)\` when the plugin is up, and why when something is wrong.
MD
echo "dist: $(cd "$out" && ls | tr '\n' ' ')in $out"
