/**
 * Loading an app file, as `janus-ts run` and the test kit do: CommonJS or ES module,
 * JavaScript or TypeScript (see ts-loader.ts); the default export (or `module.exports`,
 * or a promise of either) is the app definition. A janus_lua script (`.lua`) or a
 * janus_duktape script (`.js` with `duktape`, or detected) runs as an app (script/).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppDefinition } from './App';
import { appFileKind, loadScriptApp, type ScriptLoadOptions } from './script/loadScript';
import { enableTypeScript, isTypeScript } from './ts-loader';

/** Loads an app file: its default export (or a promise of it), or the module itself. */
export async function loadApp(file: string, options: ScriptLoadOptions = {}): Promise<AppDefinition<any>> {
	const kind = appFileKind(file, options);
	if (kind !== 'app') return (await loadScriptApp(file, kind, options)).definition;
	const resolved = path.resolve(file);
	if (isTypeScript(resolved)) enableTypeScript();
	let mod: any;
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		mod = require(resolved);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw err;
		// A real dynamic import (tsc would turn `import()` into require() in CommonJS output).
		const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<any>;
		mod = await importEsm(pathToFileURL(resolved).href);
	}
	let app = mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod;
	// A promise of an app, e.g. a janus_lua script wrapped while it is being ported (loadScriptApp).
	if (app && typeof app.then === 'function') app = await app;
	if (!app || typeof app !== 'object') throw new Error(`janus-ts: ${file} does not export an app (export default defineApp({...}))`);
	if (!app.name) app.name = path.basename(resolved).replace(/\.[cm]?[jt]sx?$/, '');
	return app as AppDefinition<any>;
}
