/** A fake plugin plus a Runtime connected to it, for runtime and app tests. */
import { Logger, Runtime, type AppDefinition, type RunOptions } from 'janus-ts';
import { FakePlugin, type FakeOptions } from './fake-plugin';

export interface Harness<D extends object> {
	fake: FakePlugin;
	runtime: Runtime<D>;
	logs: string[];
	stop(): Promise<void>;
}

export async function startHarness<D extends object>(app: AppDefinition<D>, fakeOptions: FakeOptions = {},
	runOptions: RunOptions = {}): Promise<Harness<D>> {
	const fake = new FakePlugin(fakeOptions);
	await fake.listen();
	const logs: string[] = [];
	const logger = new Logger({ prefix: app.name, write: (line) => logs.push(line) });
	const runtime = new Runtime(app, { socketPath: fake.socketPath, minReconnectDelayMs: 20, maxReconnectDelayMs: 100, logger, ...runOptions });
	await runtime.start();
	return {
		fake, runtime, logs,
		async stop() { runtime.stop(); await fake.close(); },
	};
}
