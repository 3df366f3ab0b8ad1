// LuaVm: the Lua 5.4 WebAssembly interpreter driven through the C API: values in and
// out as janus_lua's C functions see them, JavaScript errors as Lua errors, and the
// count hook that stops runaway code (a Lua error first, tearing the VM down when the
// code swallows it).
import * as assert from 'node:assert/strict';
import { LuaRuntimeError, LuaTimeout, LuaVm, LuaVmAborted } from 'janus-ts';

describe('control-ts LuaVm', () => {
	let vm: LuaVm;
	beforeEach(async () => { vm = new LuaVm(await LuaVm.loadModule()); });
	afterEach(() => vm.close());

	it('is Lua 5.4; integers stay integers, floats floats, strings keep every byte', () => {
		const [version, int, float, big, bytes] = vm.run('return _VERSION, math.type(...), math.type(select(2, ...)), select(3, ...), select(4, ...)', '=t',
			[7, 1.5, 2 ** 53, Buffer.from([0, 255, 10])]);
		assert.equal(String(version), 'Lua 5.4');
		assert.deepEqual([String(int), String(float)], ['integer', 'float']);
		assert.equal(big, 2 ** 53);
		assert.deepEqual(bytes, Buffer.from([0, 255, 10]));
		const [utf8] = vm.run('return ...', '=t', ['héllo €']);
		assert.equal((utf8 as Buffer).toString('utf8'), 'héllo €');
		assert.deepEqual(vm.run('return nil, true, false, {}, print', '=t'), [null, true, false, { type: 'table' }, { type: 'function' }]);
	});

	it('registered functions read arguments as lua_tonumber / lua_tostring / lua_toboolean do', () => {
		const seen: unknown[] = [];
		vm.register('probe', (a) => {
			seen.push([a.count, a.number(1), a.uint32(1), a.text(2), a.text(3), a.boolean(4), a.boolean(5), a.text(6), a.bytes(7)]);
			return [42, 'two', null];
		});
		const out = vm.run('return probe("12", 3.0, nil, 0, nil, {}, "a\\0b")', '=t');
		assert.deepEqual(seen, [[7, 12, 12, '3.0', null, true, false, null, Buffer.from('a\0b')]]);
		assert.deepEqual(out, [42, Buffer.from('two'), null]);
	});

	it('a JavaScript exception in a registered function is a Lua error the script can catch', () => {
		vm.register('boom', () => { throw new Error('js says no'); });
		const [ok, message] = vm.run('return pcall(boom)', '=t');
		assert.equal(ok, false);
		assert.equal(String(message), 'js says no');
		assert.throws(() => vm.run('boom()', '=chunk'), (e: Error) => e instanceof LuaRuntimeError && /js says no\nstack traceback:/.test(e.message));
		assert.deepEqual(vm.run('return 1 + 1', '=t'), [2], 'the VM goes on');
	});

	it('call() pads results like lua_call, and says when the global is no function', () => {
		vm.run('function two() return 1 end; notfn = 3', '=t');
		assert.deepEqual(vm.call('two', [], 2), [1, null]);
		assert.equal(vm.call('notfn', [], 1), undefined);
		assert.equal(vm.call('missing', [], 1), undefined);
		assert.ok(vm.isFunction('two') && !vm.isFunction('notfn'));
	});

	it('stops an endless loop at its budget with a Lua error, in coroutines too, and the state is kept', () => {
		vm.run('counter = 0; function spin() counter = counter + 1; while true do end end', '=t');
		for (const code of ['spin()', 'coroutine.wrap(spin)()']) {
			const start = Date.now();
			assert.throws(() => vm.run(code, '=t', [], { budgetMs: 150, timeoutMessage: 'spin stopped' }),
				(e: Error) => e instanceof LuaTimeout && /spin stopped/.test(e.message));
			const took = Date.now() - start;
			assert.ok(took >= 150 && took < 2000, `stopped after ${took} ms`);
		}
		assert.deepEqual(vm.run('return counter', '=t'), [2]);
	});

	it('tears the VM down when the code swallows the timeout error and keeps going', () => {
		assert.throws(() => vm.run('while true do pcall(function() while true do end end) end', '=t', [], { budgetMs: 100, graceMs: 100 }),
			LuaVmAborted);
		assert.ok(vm.aborted);
		assert.throws(() => vm.run('return 1', '=t'), LuaVmAborted, 'a torn-down VM runs nothing more');
	});

	it('runs code without a budget as long as it takes', () => {
		assert.deepEqual(vm.run('local n = 0 for i = 1, 3e6 do n = n + i end return n', '=t'), [4500001500000]);
	});
});
