#!/usr/bin/env bash
# `npm run deb` (after setup and build): the Debian package janus-ts_<version>_<arch>.deb
# (dpkg-deb), made from what scripts/dist.sh writes. Usage: scripts/deb.sh [OUT_DIR]
# (default dist/, which then also holds the dist files). The package installs:
#   <Janus's plugins folder>/libjanus_ts.so          the plugin
#   /usr/share/janus-ts/router.wasm                   the router (jcfg `router` default)
#   /etc/janus/janus.plugin.ts.jcfg                   conffile: the sample, control_socket on
#   /usr/share/janus-ts/node_modules/janus-ts/        the runtime (the npm tarball's files) with
#                                                     its production dependencies under node_modules/
#   /usr/share/janus-ts/examples                      -> the runtime's compiled example apps
#   /usr/bin/janus-ts                                 the CLI, with the runtime on NODE_PATH
#   /usr/lib/systemd/system/janus.service.d/janus-ts.conf   RuntimeDirectory=janus (/run/janus)
#   /usr/share/man/man1/janus-ts.1.gz                 man page, from `janus-ts --help`
#   /usr/share/doc/janus-ts/                          README.md, copyright
# Environment: JANUS_TS_DEB_VERSION overrides the version (default: control-ts/package.json's).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-$root/dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
command -v dpkg-deb >/dev/null || { echo "deb: dpkg-deb is missing (a Debian system is needed)" >&2; exit 1; }

version=${JANUS_TS_DEB_VERSION:-$(node -p "require('./control-ts/package.json').version")}
arch=$(dpkg --print-architecture)
plugins_dir=$(dpkg -L janus 2>/dev/null | grep -m1 '/janus/plugins$' || true)
[ -n "$plugins_dir" ] || { echo "deb: cannot find Janus's plugins folder (is the janus package installed?)" >&2; exit 1; }
share=/usr/share/janus-ts
runtime=$share/node_modules/janus-ts
dropin=/usr/lib/systemd/system/janus.service.d/janus-ts.conf
socket=/run/janus/ts.sock

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/root
files=$work/dist
[ "$out" != "$root/dist" ] || files=$out	# `npm run deb`: dist/ gets the dist files too
bash scripts/dist.sh "$files" >/dev/null

# The plugin, the router modules, the conffile (the sample with control_socket set).
install -d "$stage$plugins_dir" "$stage$share" "$stage/etc/janus"
install -m 0644 "$files"/*.so "$stage$plugins_dir/"
install -m 0644 "$files/router.wasm" "$stage$share/"
sed -e "s|^\t#control_socket = .*|\tcontrol_socket = \"$socket\"|" "$files/janus.plugin.ts.jcfg" > "$stage/etc/janus/janus.plugin.ts.jcfg"
grep -q "^	control_socket = \"$socket\"" "$stage/etc/janus/janus.plugin.ts.jcfg" \
  || { echo "deb: the sample jcfg has no '#control_socket = ' line to turn on" >&2; exit 1; }

# The runtime: exactly the npm tarball's files, plus its production dependencies as
# installed in this repository (npm ls: the lock file's versions, what the tests ran),
# nested under its own node_modules so NODE_PATH exposes janus-ts only.
install -d "$stage$runtime"
tar -xzf "$files"/janus-ts-*.tgz -C "$stage$runtime" --strip-components=1
deps=$(npm ls --workspace control-ts --omit=dev --all --parseable) \
  || { echo "deb: npm ls found missing or invalid dependencies of control-ts — run: npm ci" >&2; exit 1; }
while IFS= read -r dep; do
  case "$dep" in
    "$root" | "$root/control-ts" | "$root/node_modules/janus-ts") continue ;;
    "$root/control-ts/node_modules/"*) rel=${dep#"$root/control-ts/node_modules/"} ;;
    "$root/node_modules/"*) rel=${dep#"$root/node_modules/"} ;;
    *) echo "deb: dependency outside node_modules: $dep" >&2; exit 1 ;;
  esac
  dest=$stage$runtime/node_modules/$rel
  [ ! -e "$dest" ] || { echo "deb: two copies of dependency $rel" >&2; exit 1; }
  mkdir -p "$dest"
  tar -C "$dep" --exclude=./node_modules -cf - . | tar -C "$dest" -xf -
done <<< "$deps"
ln -s node_modules/janus-ts/dist/examples "$stage$share/examples"
[ -n "$(ls "$stage$share/examples/"*.js 2>/dev/null)" ] || { echo "deb: no compiled example apps" >&2; exit 1; }

# The CLI on PATH: the package's `bin`, run with the runtime on NODE_PATH, so an app it
# runs can require('janus-ts') without installing it.
cli=$(node -p "require('./control-ts/package.json').bin['janus-ts']")
install -d "$stage/usr/bin"
cat > "$stage/usr/bin/janus-ts" <<SH
#!/bin/sh
# janus-ts from the Debian package: apps it runs find require('janus-ts') on NODE_PATH.
NODE_PATH=$share/node_modules\${NODE_PATH:+:\$NODE_PATH}
export NODE_PATH
exec node $runtime/$cli "\$@"
SH
chmod 0755 "$stage/usr/bin/janus-ts"

# systemd: Janus's service gets the socket folder (removed when Janus stops).
install -d "$stage$(dirname "$dropin")"
cat > "$stage$dropin" <<CONF
# From the janus-ts package: the janus-ts plugin's control socket is $socket
# (control_socket in /etc/janus/janus.plugin.ts.jcfg); systemd creates its folder
# when Janus starts and removes it when Janus stops.
[Service]
RuntimeDirectory=$(basename "$(dirname "$socket")")
RuntimeDirectoryMode=0755
CONF

# Man page from the CLI's own --help, and the docs.
install -d "$stage/usr/share/man/man1" "$stage/usr/share/doc/janus-ts"
bash scripts/man-page.sh "$stage$runtime/$cli" "$version" | gzip -9n > "$stage/usr/share/man/man1/janus-ts.1.gz"
install -m 0644 "$files/README.md" "$stage/usr/share/doc/janus-ts/README.md"
license=$(node -p "require('./control-ts/package.json').license")
printf 'janus-ts %s\nLicense: %s\n\nThe runtime'"'"'s npm dependencies under %s/node_modules carry their own licenses.\n' \
  "$version" "$license" "$runtime" > "$stage/usr/share/doc/janus-ts/copyright"

# Package metadata.
install -d "$stage/DEBIAN"
shlibs=$(cd "$work" && mkdir -p debian && printf 'Source: janus-ts\n\nPackage: janus-ts\nArchitecture: any\n' > debian/control \
  && dpkg-shlibdeps -O -e "$stage$plugins_dir"/*.so 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
cat > "$stage/DEBIAN/control" <<CTRL
Package: janus-ts
Version: $version
Architecture: $arch
Maintainer: janus-ts developers <janus-ts@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: janus (>= 1.1), nodejs (>= 20)${shlibs:+, $shlibs}
Section: net
Priority: optional
Description: Janus WebRTC gateway plugins written in TypeScript
 The janus-ts plugin for Janus: a WebAssembly packet router run by wasmtime inside
 the plugin moves the media; the application logic runs in Node.js (the janus-ts
 runtime and CLI, with example apps) over a Unix control socket, which systemd
 creates for janus.service. Configuration: /etc/janus/janus.plugin.ts.jcfg.
CTRL
echo /etc/janus/janus.plugin.ts.jcfg > "$stage/DEBIAN/conffiles"
cat > "$stage/DEBIAN/postinst" <<'SH'
#!/bin/sh
set -e
# systemd picks up the janus.service drop-in; Janus loads the plugin at its next start.
if [ "$1" = configure ] && [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
exit 0
SH
cat > "$stage/DEBIAN/postrm" <<'SH'
#!/bin/sh
set -e
if [ "$1" = remove ] || [ "$1" = purge ]; then
  if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
fi
if [ "$1" = purge ]; then
  rm -f /etc/janus/janus.plugin.ts.jcfg.dpkg-old /etc/janus/janus.plugin.ts.jcfg.dpkg-dist \
    /etc/janus/janus.plugin.ts.jcfg.dpkg-new /etc/janus/janus.plugin.ts.jcfg.ucf-old
fi
exit 0
SH
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/postrm"

chmod -R u+rwX,go+rX,go-w "$stage"
deb=$out/janus-ts_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
