#!/usr/bin/env node
/**
 * janus-ts CLI.
 *
 *   janus-ts run <app.js|app.ts> [--watch] [--socket PATH] [--token T] [--replace] [--no-reconnect]
 *   janus-ts run <script.lua | script.js --duktape> [--modules DIR] [same options]
 *
 * Defaults: --socket from env JANUS_TS_SOCKET, --token from env JANUS_TS_TOKEN (the
 * plugin sets both when it supervises the app). The app file's default export (or
 * `module.exports`) is the app definition (see `defineApp`). A `.ts` file is run directly
 * (ts-loader.ts). `--watch` reloads the app on save without dropping its calls (watch.ts).
 * A `.lua` file is a janus_lua script, and a janus_duktape script (`--duktape`, or detected)
 * runs as one (load-app.ts, script/); `--modules` adds a folder for their modules.
 */
import type { AppDefinition } from './App';
import { loadApp } from './load-app';
import { Runtime } from './Runtime';
import { reportToWatcher, watchApp } from './watch';

export { loadApp };

const USAGE = 'usage: janus-ts run <app.js|app.ts|script.lua|script.js --duktape> [--watch] [--socket PATH] [--token T] '
	+ '[--replace] [--no-reconnect] [--modules DIR]';

/** `janus-ts --help` (also the source of the Debian package's man page). */
export const HELP = `janus-ts - run a janus-ts app: TypeScript/JavaScript control logic for the janus-ts Janus plugin

${USAGE}

janus-ts run loads the app file (its default export, or module.exports: an app made with
defineApp) and connects it to the control socket of the janus-ts plugin (libjanus_ts.so)
in a running Janus. It reconnects and resyncs when the plugin restarts, and stops on
SIGTERM or SIGINT. Apps require('janus-ts') for defineApp, the SDP helpers and the errors.
A .ts file runs as it is (its types are not checked: use tsc for that). A .lua file is
run as a janus_lua script, a .js file as a janus_duktape script with --duktape (or when it
declares resumeScheduler and exports nothing), unchanged.

Options:
  --watch          reload the app when its files change, without dropping its calls
  --duktape        run a .js file as a janus_duktape script
  --modules DIR    add a module folder for a janus_lua / janus_duktape script
  --socket PATH    the plugin's control socket: jcfg control_socket (default: $JANUS_TS_SOCKET)
  --token T        the plugin's jcfg control_token, if it has one (default: $JANUS_TS_TOKEN)
  --replace        take over from an app that is still connected (e.g. a hung old process)
  --no-reconnect   exit when the connection closes instead of reconnecting
  -h, --help       print this help

Environment:
  JANUS_TS_SOCKET, JANUS_TS_TOKEN  defaults of --socket and --token; the plugin sets both
                   when it starts the app itself (jcfg app_command)

Exit status: 0 after SIGTERM/SIGINT, 1 when the app cannot be loaded or started, 2 for a
usage mistake.
`;

export interface CliArgs {
	command: string;
	appPath: string;
	socketPath?: string;
	token?: string;
	replace: boolean;
	reconnect: boolean;
	watch: boolean;
	/** Run a .js file as a janus_duktape script. */
	duktape?: boolean;
	/** Module folder of a janus_lua / janus_duktape script. */
	modules?: string;
}

/** Parses argv (without node and the script). Throws with the usage on a mistake. */
export function parseArgs(argv: string[]): CliArgs {
	const args: Partial<CliArgs> & { replace: boolean; reconnect: boolean; watch: boolean } = { replace: false, reconnect: true, watch: false };
	const rest: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = (): string => {
			const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
			return v;
		};
		if (a === '--socket' || a.startsWith('--socket=')) args.socketPath = value();
		else if (a === '--token' || a.startsWith('--token=')) args.token = value();
		else if (a === '--replace') args.replace = true;
		else if (a === '--no-reconnect') args.reconnect = false;
		else if (a === '--watch') args.watch = true;
		else if (a === '--duktape') args.duktape = true;
		else if (a === '--modules' || a.startsWith('--modules=')) args.modules = value();
		else if (a === '-h' || a === '--help') throw new Error(USAGE);
		else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
		else rest.push(a);
	}
	if (rest[0] !== 'run' || !rest[1] || rest.length > 2) throw new Error(USAGE);
	return { ...args, command: rest[0], appPath: rest[1] };
}

async function main(): Promise<void> {
	if (process.argv.slice(2).some((a) => a === '-h' || a === '--help')) {
		process.stdout.write(HELP);
		process.exit(0);
	}
	let args: CliArgs;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (err) {
		process.stderr.write(`${(err as Error).message}\n`);
		process.exit(2);
	}
	if (args.watch) {
		watchApp(args.appPath, process.argv.slice(2).filter((a) => a !== '--watch'));
		return;
	}
	let app: AppDefinition<any>;
	try {
		app = await loadApp(args.appPath, args);
	} catch (err) {
		process.stderr.write(`janus-ts: cannot load ${args.appPath}: ${(err as Error).stack ?? err}\n`);
		process.exit(1);
	}
	const runtime = new Runtime(app, {
		socketPath: args.socketPath, token: args.token, replace: args.replace, reconnect: args.reconnect,
	});
	const stop = (signal: string) => {
		runtime.logger.stdout('info', `janus-ts: ${signal}, closing the control connection`);
		runtime.stop();
		setTimeout(() => process.exit(0), 100).unref();
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
	runtime.on('ready', (hello) => runtime.logger.stdout('info',
		`janus-ts: ${app.name} connected to ${hello.plugin?.package ?? 'the plugin'} (${hello.sessions?.length ?? 0} live sessions)`));
	reportToWatcher(runtime);
	try {
		await runtime.start();
	} catch (err) {
		process.stderr.write(`janus-ts: cannot start ${app.name}: ${(err as Error).message}\n`);
		process.exit(1);
	}
}

if (require.main === module) void main();
