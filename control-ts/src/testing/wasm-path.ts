/**
 * Where the kit finds router.wasm, first match wins:
 * 1. env `JANUS_TS_ROUTER` (the same file your jcfg `router` names, to test exactly it):
 *    when set, only this one;
 * 2. `router-as/build/router.wasm` beside the package folder (a janus-ts source checkout);
 * 3. `router.wasm` at the package root (copied there by the build, shipped in the npm package).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The janus-ts package root (this file is dist/src/testing/wasm-path.js). */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');

export function routerWasmCandidates(): string[] {
	if (process.env.JANUS_TS_ROUTER) return [process.env.JANUS_TS_ROUTER];
	return [
		path.join(PACKAGE_ROOT, '..', 'router-as', 'build', 'router.wasm'),
		path.join(PACKAGE_ROOT, 'router.wasm'),
	];
}

/** The router.wasm the kit loads; throws naming every place it looked. */
export function routerWasmPath(): string {
	const candidates = routerWasmCandidates();
	const found = candidates.find((f) => fs.existsSync(f));
	if (!found) throw new Error(`janus-ts/testing: router.wasm not found; looked at ${candidates.join(', ')} (set JANUS_TS_ROUTER)`);
	return found;
}
