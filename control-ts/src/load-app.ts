/**
 * Loading an app file, as `janus-ts run` and the test kit do: CommonJS or ES module,
 * JavaScript or TypeScript (see ts-loader.ts); the default export (or `module.exports`)
 * is the app definition.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppDefinition } from './App';
import { enableTypeScript, isTypeScript } from './ts-loader';

/** Loads an app file: its default export, or the module itself. */
export async function loadApp(file: string): Promise<AppDefinition<any>> {
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
	const app = mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod;
	if (!app || typeof app !== 'object') throw new Error(`janus-ts: ${file} does not export an app (export default defineApp({...}))`);
	if (!app.name) app.name = path.basename(resolved).replace(/\.[cm]?[jt]sx?$/, '');
	return app as AppDefinition<any>;
}
