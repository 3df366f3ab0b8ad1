/**
 * TypeScript app files: `janus-ts run app.ts` and the test kit load `.ts`/`.cts`/`.mts`
 * files through tsx's require and import hooks (esbuild strips the types; no type check),
 * with inline source maps and Node's source-map support on, so a stack trace of an app
 * error names the `.ts` file and line. Node 20 has no type stripping of its own.
 */
export const TS_FILE = /\.c?tsx?$/;

/** Whether a file is TypeScript (by its extension). */
export function isTypeScript(file: string): boolean { return TS_FILE.test(file); }

let registered = false;

/** Installs the hooks once per process (later calls do nothing). */
export function enableTypeScript(): void {
	if (registered) return;
	registered = true;
	process.setSourceMapsEnabled(true);
	// tsx ships these entry points through package "exports" only (this package resolves "node10"-style).
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const cjs = require('tsx/cjs/api') as { register(): () => void };
	cjs.register();
}
