/**
 * `janus-ts run --watch app.ts`: a small supervisor. It runs the app in a child process
 * (`janus-ts run app.ts ...`), watches the files the child loaded (the app and its own
 * modules, not node_modules), and on save starts a new child with `--replace`: the new
 * code's hello takes over the control connection and resyncs from the plugin's snapshot
 * of live sessions (`resumeSession`), then the old child is stopped. The plugin keeps
 * routing media meanwhile, so calls in progress keep flowing. A new version that fails
 * to load or to connect is reported and the old one keeps running.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Runtime } from './Runtime';

/** Messages a child sends its watcher over the IPC channel. */
type ChildMessage = { type: 'ready'; files: string[] };

const DEBOUNCE_MS = 150;
const say = (text: string) => process.stdout.write(`janus-ts --watch: ${text}\n`);

/** In the child: tells the watcher (if any) that the app is connected and which files it loaded; stops when the watcher is gone. */
export function reportToWatcher(runtime: Runtime<any>): void {
	if (!process.send || process.env.JANUS_TS_WATCH_CHILD !== '1') return;
	// A watcher that dies without stopping us (SIGKILL) closes the IPC channel: no orphan app.
	process.once('disconnect', () => {
		runtime.stop();
		setTimeout(() => process.exit(0), 100).unref();
	});
	runtime.once('ready', () => {
		const files = Object.keys(require.cache).filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`) && !f.startsWith(__dirname));
		process.send!({ type: 'ready', files } satisfies ChildMessage);
	});
}

/** Runs `janus-ts run <args>` under a watcher; `args` are the CLI arguments without `--watch`. */
export function watchApp(appPath: string, args: string[]): void {
	let current: ChildProcess | undefined;
	let watchers: fs.FSWatcher[] = [];
	let timer: NodeJS.Timeout | undefined;
	let reloads = 0;

	const start = (replace: boolean): void => {
		const childArgs = replace && !args.includes('--replace') ? [...args, '--replace'] : args;
		const child = fork(path.join(__dirname, 'cli.js'), childArgs, { env: { ...process.env, JANUS_TS_WATCH_CHILD: '1' }, stdio: 'inherit' });
		let ready = false;
		child.on('message', (m: ChildMessage) => {
			if (m?.type !== 'ready' || ready) return;
			ready = true;
			const old = current;
			current = child;
			if (old) { old.kill('SIGTERM'); say(`reload ${++reloads} connected, previous version stopped`); }
			watch(m.files.length ? m.files : [path.resolve(appPath)]);
		});
		child.on('exit', (code, signal) => {
			if (child === current) { current = undefined; say(`the app exited (${signal ?? code}); waiting for a change to start it again`); }
			else if (!ready) say(`the new version did not start (${signal ?? code}); the previous one keeps running`);
		});
		if (!current) watch([path.resolve(appPath)]);
	};

	const watch = (files: string[]): void => {
		for (const w of watchers) w.close();
		const byDir = new Map<string, Set<string>>();
		for (const f of files) {
			const dir = path.dirname(f);
			if (!byDir.has(dir)) byDir.set(dir, new Set());
			byDir.get(dir)!.add(path.basename(f));
		}
		watchers = [...byDir].map(([dir, names]) => fs.watch(dir, (_event, name) => {
			if (name && names.has(name.toString())) schedule();
		}));
	};

	const schedule = (): void => {
		if (timer) clearTimeout(timer);
		timer = setTimeout(() => { timer = undefined; say(`change seen, starting the new version of ${appPath}`); start(true); }, DEBOUNCE_MS);
	};

	const stop = (signal: NodeJS.Signals) => {
		for (const w of watchers) w.close();
		if (timer) clearTimeout(timer);
		if (current) { current.once('exit', () => process.exit(0)); current.kill(signal); } else process.exit(0);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
	start(false);
}
