#!/usr/bin/env bash
# Prints the janus-ts(1) man page (roff), made from the CLI's own --help so the two
# never disagree. Usage: scripts/man-page.sh PATH/TO/cli.js VERSION
set -euo pipefail
cli=${1:?usage: man-page.sh CLI_JS VERSION}
version=${2:?usage: man-page.sh CLI_JS VERSION}
help=$(node "$cli" --help)
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}" +%Y-%m-%d)
# roff: a backslash is \e; a line starting with . or ' needs \& in front.
escape() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
name=$(printf '%s\n' "$help" | head -n 1 | sed 's/^janus-ts - //')
synopsis=$(printf '%s\n' "$help" | sed -n 's/^usage: //p' | head -n 1)
cat <<ROFF
.TH JANUS-TS 1 "$date" "janus-ts $version" "User Commands"
.SH NAME
janus-ts \\- $(printf '%s\n' "$name" | escape)
.SH SYNOPSIS
.B $(printf '%s\n' "$synopsis" | escape)
.SH DESCRIPTION
.nf
$(printf '%s\n' "$help" | tail -n +2 | grep -v '^usage: ' | escape)
.fi
.SH FILES
.TP
.I /etc/janus/janus.plugin.ts.jcfg
the plugin's configuration: control_socket, app_command, app_config, ...
.TP
.I /usr/share/janus-ts/examples/
example apps (echotest.js, ...): janus-ts run /usr/share/janus-ts/examples/echotest.js
.TP
.I /usr/share/janus-ts/node_modules/
the janus-ts runtime; janus-ts puts it on NODE_PATH for the apps it runs
.SH SEE ALSO
.BR janus (1)
ROFF
