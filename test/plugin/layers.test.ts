// host-c's layering, checked on the built objects: which file calls which (from `nm`: a
// symbol a file uses and another defines), no cycle anywhere, the core below the control
// server, only plugin.c and messages.c on top of it; and no function longer than a screen.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/fakeCore';

const HOST = path.join(REPO_ROOT, 'host-c');
const OBJ = path.join(HOST, 'build');
const SCREEN = 50; // lines of a function body, braces included

function objects(): string[] {
  const found: string[] = [];
  for (const dir of ['', 'control']) {
    for (const f of fs.readdirSync(path.join(OBJ, dir))) if (f.endsWith('.o')) found.push(path.join(dir, f.slice(0, -2)));
  }
  return found;
}

/** file → the files whose symbols it uses. */
function callGraph(): Map<string, Set<string>> {
  const defined = new Map<string, string>();
  const used = new Map<string, string[]>();
  for (const o of objects()) {
    const lines = execFileSync('nm', [path.join(OBJ, `${o}.o`)], { encoding: 'utf8' }).split('\n');
    const u: string[] = [];
    for (const l of lines) {
      const p = l.trim().split(/\s+/);
      if (p.length === 3 && 'TDBRC'.includes(p[1])) defined.set(p[2], o);
      else if (p.length === 2 && p[0] === 'U') u.push(p[1]);
    }
    used.set(o, u);
  }
  const g = new Map<string, Set<string>>();
  for (const [o, syms] of used) {
    g.set(o, new Set(syms.map((s) => defined.get(s)).filter((d): d is string => !!d && d !== o)));
  }
  return g;
}

/** A cycle (as a path) if there is one. */
function findCycle(g: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (v: string): string[] | null => {
    state.set(v, 'open');
    stack.push(v);
    for (const w of g.get(v) ?? []) {
      if (state.get(w) === 'open') return [...stack.slice(stack.indexOf(w)), w];
      if (!state.has(w)) { const c = visit(w); if (c) return c; }
    }
    stack.pop();
    state.set(v, 'done');
    return null;
  };
  for (const v of g.keys()) if (!state.has(v)) { const c = visit(v); if (c) return c; }
  return null;
}

describe('host-c layering', () => {
  it('has no call cycle between its files', () => {
    const g = callGraph();
    assert.ok(g.size > 15, `objects found: ${[...g.keys()]}`);
    assert.equal(findCycle(g)?.join(' → ') ?? null, null);
  });

  it('keeps the core below the control server: only plugin.c and messages.c call control/', () => {
    const g = callGraph();
    for (const [file, calls] of g) {
      if (file.startsWith('control/') || file === 'plugin' || file === 'messages') continue;
      const up = [...calls].filter((c) => c.startsWith('control/') || c === 'plugin' || c === 'messages');
      assert.deepEqual(up, [], `${file} calls ${up}`);
    }
    for (const [file, calls] of g) {
      if (file !== 'plugin') assert.ok(!calls.has('plugin'), `${file} calls plugin.c`);
    }
  });

  it(`has no function longer than ${SCREEN} lines`, () => {
    const long: string[] = [];
    for (const dir of ['', 'control']) {
      for (const f of fs.readdirSync(path.join(HOST, dir)).filter((x) => x.endsWith('.c'))) {
        const lines = fs.readFileSync(path.join(HOST, dir, f), 'utf8').split('\n');
        let start = -1;
        lines.forEach((l, i) => {
          if (l.startsWith('{')) start = i;
          else if (l.startsWith('}') && start >= 0) {
            if (i - start + 1 > SCREEN) long.push(`${path.join(dir, f)}:${start} (${i - start + 1} lines) ${lines[start - 1]}`);
            start = -1;
          }
        });
      }
    }
    assert.deepEqual(long, []);
  });
});
