// Scheduler: janus_lua's pokeScheduler (one resumeScheduler per poke, in order, after the
// current callback) and timeCallback (the named function after ms), on a fake clock.
import * as assert from 'node:assert/strict';
import { Scheduler } from 'janus-ts';
import { FakeClock } from './helpers/fake-clock';

describe('control-ts script Scheduler', () => {
	let clock: FakeClock;
	let ran: string[];
	let scheduler: Scheduler;
	beforeEach(() => {
		clock = new FakeClock();
		ran = [];
		scheduler = new Scheduler((name, args) => ran.push([name, ...args].join(' ')), clock);
	});

	it('runs resumeScheduler once per poke, in order, only when the current work is done', () => {
		scheduler.poke();
		scheduler.poke();
		assert.deepEqual(ran, []);
		assert.equal(scheduler.pending, 2);
		clock.runImmediates();
		assert.deepEqual(ran, ['resumeScheduler', 'resumeScheduler']);
		assert.equal(scheduler.pending, 0);
	});

	it('calls timed functions at their time, earliest first, with their argument or none', () => {
		scheduler.later('b', 'x', 200);
		scheduler.later('a', null, 100);
		scheduler.later('c', 'now', Number.NaN);
		clock.advance(0);
		assert.deepEqual(ran, ['c now'], 'a bad delay is no delay');
		clock.advance(99);
		assert.deepEqual(ran, ['c now']);
		clock.advance(1);
		assert.deepEqual(ran, ['c now', 'a']);
		clock.advance(100);
		assert.deepEqual(ran, ['c now', 'a', 'b x']);
	});

	it('cancelAll drops pending pokes and timers', () => {
		scheduler.poke();
		scheduler.later('a', null, 10);
		scheduler.cancelAll();
		assert.equal(scheduler.pending, 0);
		clock.runImmediates();
		clock.advance(100);
		assert.deepEqual(ran, []);
	});
});
