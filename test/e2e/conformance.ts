/**
 * Protocol conformance helpers: run one scripted sequence of requests against two plugins
 * (the native one and our app standing in for it) and compare what came back — replies and
 * events — by shape: the same fields with the same types, the same error codes and the same
 * error wording, ids and other run-dependent values aside (shape() of ../helpers/json-shape).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JanusHandle, JanusSession } from '../helpers/janus-api';
import { shape } from '../helpers/json-shape';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';

/** One answer or event seen by a script step. */
export interface Seen { step: string; data: unknown; jsep?: string }

/** Sends a message and records the plugin's answer (sync reply or async event, errors included). */
export async function ask(log: Seen[], step: string, handle: JanusHandle, body: Record<string, unknown>,
  jsep?: { type: string; sdp: string }): Promise<any> {
  const reply = await handle.message(body, jsep);
  let answer = reply;
  if (reply.janus === 'ack') {
    answer = await handle.session.waitEvent((e) => e.janus === 'event' && e.sender === handle.id && e.transaction === reply.transaction, 8000);
  }
  const data = answer.plugindata?.data ?? { janus: answer.janus, error: answer.error };
  log.push({ step, data, ...(answer.jsep ? { jsep: answer.jsep.type } : {}) });
  return { data, jsep: answer.jsep };
}

/** Records the next event of `handle` that `match` accepts (a room notification). */
export async function expectEvent(log: Seen[], step: string, handle: JanusHandle, match: (d: any) => boolean, timeoutMs = 8000): Promise<any> {
  const e = await handle.waitEvent('event', timeoutMs, (ev) => match(ev.plugindata?.data)).catch(() => null);
  if (!e) { log.push({ step, data: { timeout: true } }); return { data: undefined }; }
  log.push({ step, data: e.plugindata.data, ...(e.jsep ? { jsep: e.jsep.type } : {}) });
  return { data: e.plugindata.data, jsep: e.jsep };
}

/** Step-by-step differences between two logs, minus the listed deliberate ones ("step: path"). */
export function differences(native: Seen[], ours: Seen[], deliberate: string[] = []): string[] {
  const out: string[] = [];
  const n = Math.max(native.length, ours.length);
  for (let i = 0; i < n; i++) {
    const a = native[i], b = ours[i];
    if (!a || !b || a.step !== b.step) { out.push(`step ${i}: ${a?.step ?? '(none)'} vs ${b?.step ?? '(none)'}`); break; }
    diff(shape({ data: a.data, jsep: a.jsep }), shape({ data: b.data, jsep: b.jsep }), a.step, out, deliberate);
  }
  return out;
}

function diff(a: unknown, b: unknown, path: string, out: string[], deliberate: string[]): void {
  if (deliberate.some((d) => path === d || path.startsWith(`${d}.`) || path.startsWith(`${d}[`))) return;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) { out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`); return; }
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) out.push(`${path}: ${a.length} elements vs ${b.length}`);
      for (let i = 0; i < Math.min(a.length, b.length); i++) diff(a[i], b[i], `${path}[${i}]`, out, deliberate);
      return;
    }
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k], y = (b as Record<string, unknown>)[k];
      if (x === undefined || y === undefined) {
        if (!deliberate.some((d) => `${path}.${k}` === d)) out.push(`${path}.${k}: ${x === undefined ? 'missing in native' : 'missing in ours'}`);
      } else diff(x, y, `${path}.${k}`, out, deliberate);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

export interface ConformanceSuite {
  title: string;
  /** Stock plugin short name (e.g. 'videoroom'); it loads as janus.plugin.<name>. */
  plugin: string;
  /** Our compiled app, loaded under `janus.plugin.<name>.ts`. */
  app: string;
  /** The script, run once per package with one Janus session. */
  script: (session: JanusSession, pkg: string) => Promise<Seen[]>;
  /** Deliberate differences ("step.data.path"). */
  deliberate: string[];
}

/**
 * One test Janus with both plugins: the native one under its package, ours (the janus-ts
 * plugin + app) under `<package>.ts` (two plugins cannot register one package), both reading
 * Debian's sample jcfg of the native plugin (ours as app_config). CONFORMANCE_DUMP=file
 * writes both logs.
 */
export function conformanceSuite(c: ConformanceSuite): void {
  const native = `janus.plugin.${c.plugin}`;
  describe(c.title, function () {
    this.timeout(120000);
    let ts: TsJanus | undefined;
    let dir: string | undefined;

    before(async function () {
      const missing = missingTsPieces(c.app);
      if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); this.skip(); }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `janus-ts-${c.plugin}-conf-`));
      const cfg = path.join(dir, `${native}.jcfg`);
      fs.copyFileSync(`/etc/janus/${native}.jcfg`, cfg);
      ts = await TsJanus.start({ app: c.app, package: `${native}.ts`, plugins: [c.plugin], general: { app_config: cfg }, janus: { dir } });
    });

    after(async () => {
      await ts?.stop();
      if (dir && !process.env.JANUS_TS_KEEP_DIRS) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('every reply and event has the native fields, types, error codes and wording', async () => {
      const session = await ts!.janus.createSession();
      const theirs = await c.script(session, native);
      const ours = await c.script(session, `${native}.ts`);
      await session.destroy();
      if (process.env.CONFORMANCE_DUMP) fs.writeFileSync(process.env.CONFORMANCE_DUMP, JSON.stringify({ native: theirs, ours }, null, 1));
      const diffs = differences(theirs, ours, c.deliberate);
      assert.deepEqual(diffs, [], `\n${diffs.join('\n')}`);
    });
  });
}
