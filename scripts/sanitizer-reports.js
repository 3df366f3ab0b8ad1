#!/usr/bin/env node
// Reads the AddressSanitizer / LeakSanitizer / UBSan report files of a scripts/sanitize.sh
// run (ASAN_OPTIONS / UBSAN_OPTIONS log_path=DIR/...) and fails when one of them is a
// report about our code's processes: Janus with the plugin, the fake core. Leak reports of
// Node processes (should a Node process run with the runtime preloaded) are not ours and
// are listed, not counted: Node does not free everything at exit.
//   node scripts/sanitizer-reports.js DIR
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: sanitizer-reports.js DIR');
  process.exit(2);
}

/** A report that only lists leaks, each with a frame in Node's own binary. */
function nodeLeaksOnly(text) {
  if (!/ERROR: LeakSanitizer: detected memory leaks/.test(text)) return false;
  if (/ERROR: AddressSanitizer|runtime error:/.test(text)) return false;
  const leaks = text.split(/\n(?=(?:Direct|Indirect) leak of)/).slice(1);
  return leaks.length > 0 && leaks.every((l) => /\/usr\/bin\/node\b|\bin node::/.test(l) && !/libjanus_ts|host-c\//.test(l));
}

const files = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
let counted = 0;
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.trim()) continue;
  if (nodeLeaksOnly(text)) {
    console.log(`sanitizer: ${path.basename(file)}: leaks of a Node process at exit (not counted)`);
    continue;
  }
  counted++;
  console.log(`sanitizer: REPORT ${file}:\n${text.split('\n').slice(0, 60).join('\n')}\n`);
}
console.log(`sanitizer: ${files.length} report file(s), ${counted} about janus-ts`);
process.exit(counted ? 1 : 0);
