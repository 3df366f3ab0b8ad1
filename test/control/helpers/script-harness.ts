/**
 * A janus_lua / janus_duktape script (written to a fresh folder) run by ScriptApp against
 * the fake plugin, with a FakeClock for its scheduler. Registers the mocha hooks that make
 * the folder before each test and stop everything after it.
 *
 *   const s = scriptHarness('lua', { 'main.lua': SOURCE });
 *   it('...', async () => { const h = await s.start(); ... s.app.engine ... s.clock.advance(10) });
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadScriptApp, type ScriptApp } from 'janus-ts';
import type { FakeOptions } from './fake-plugin';
import { FakeClock } from './fake-clock';
import { startHarness, type Harness } from './harness';

export interface ScriptHarness {
	readonly h: Harness<Record<string, unknown>>;
	readonly app: ScriptApp;
	readonly clock: FakeClock;
	/** Loads the first file as the script and connects it to a new fake plugin. */
	start(fakeOptions?: FakeOptions): Promise<Harness<Record<string, unknown>>>;
}

export function scriptHarness(kind: 'lua' | 'duktape', files: Record<string, string>, config = ''): ScriptHarness {
	let dir = '';
	let h: Harness<Record<string, unknown>> | undefined;
	let app: ScriptApp | undefined;
	let clock = new FakeClock();
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), `janus-ts-${kind}-`));
		for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
		clock = new FakeClock();
	});
	afterEach(async () => {
		if (h) { assert.deepEqual(h.fake.violations, []); await h.stop(); }
		h = undefined;
		app = undefined;
		fs.rmSync(dir, { recursive: true, force: true });
	});
	return {
		get h() { return h!; },
		get app() { return app!; },
		get clock() { return clock; },
		async start(fakeOptions = {}) {
			app = await loadScriptApp(path.join(dir, Object.keys(files)[0]), kind, { clock });
			h = await startHarness(app.definition, { config, ...fakeOptions });
			return h;
		},
	};
}
