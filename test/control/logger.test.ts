// Logger: stdout and the Janus log (through `log`), levels, and no duplicate lines when
// the plugin already copies the app's stdout into the Janus log (app_command).
import * as assert from 'node:assert/strict';
import { Logger, type LogLevel } from 'janus-ts';

function setup(options: { quietWhenForwarded?: boolean; stdoutLevel?: LogLevel } = {}) {
	const printed: string[] = [];
	const sent: string[] = [];
	let connected = true;
	const logger = new Logger({ prefix: 'app', write: (l) => printed.push(l), ...options });
	logger.setSink({ send: async (level, m) => { sent.push(`${level} ${m}`); }, connected: () => connected });
	return { logger, printed, sent, disconnect: () => { connected = false; } };
}

describe('control-ts Logger', () => {
	it('prints on stdout and sends to Janus with the level and prefix', () => {
		const { logger, printed, sent } = setup();
		logger.warn('disk', { free: 3 });
		assert.deepEqual(sent, ['warn [app] disk {"free":3}']);
		assert.match(printed[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z WARN  \[app\] disk \{"free":3\}$/);
	});

	it('keeps lines above stdoutLevel off stdout but still sends them to Janus', () => {
		const { logger, printed, sent } = setup({ stdoutLevel: 'info' });
		logger.debug('noisy');
		logger.verb('chatty');
		assert.deepEqual(printed, []);
		assert.deepEqual(sent, ['dbg [app] noisy', 'verb [app] chatty']);
	});

	it('when quietWhenForwarded, prints only what cannot reach Janus', () => {
		const { logger, printed, sent, disconnect } = setup({ quietWhenForwarded: true });
		logger.info('via janus');
		assert.deepEqual([printed.length, sent.length], [0, 1]);
		assert.equal(logger.printsForwardedLines, false);
		disconnect();
		logger.info('via stdout');
		assert.equal(printed.length, 1);
		assert.match(printed[0], /via stdout/);
		assert.equal(sent.length, 1);
	});
});
