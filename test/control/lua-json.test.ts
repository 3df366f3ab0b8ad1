// control-ts/lua/json.lua, the `json` module janus-ts gives Lua scripts, against what
// LuaJSON 1.3.4 (Debian's lua-json, the library janus_lua's sample scripts use) gives for
// the same calls: the expected texts were produced by LuaJSON itself (lua5.3 + lua-lpeg on
// Debian 12). Where janus-ts deliberately differs it says so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LuaVm } from 'janus-ts';
import { REPO_ROOT } from '../helpers/janus';

describe('control-ts Lua json module (LuaJSON-compatible)', () => {
	let vm: LuaVm;
	before(async () => {
		vm = new LuaVm(await LuaVm.loadModule());
		const source = fs.readFileSync(path.join(REPO_ROOT, 'control-ts/lua/json.lua'));
		vm.run('json = load(...)()', '=t', [source]);
		// A deterministic view of decoded values: type tags, sorted keys, A{} = array metatable, NULL = json.util.null.
		vm.run(`function show(v)
			if type(v) == 'table' then
				local keys = {}
				for k in pairs(v) do keys[#keys + 1] = k end
				table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
				local s = {}
				for _, k in ipairs(keys) do s[#s + 1] = tostring(k) .. '=' .. show(v[k]) end
				return (getmetatable(v) and 'A' or 'T') .. '{' .. table.concat(s, ',') .. '}'
			elseif v == json.util.null then return 'NULL'
			elseif type(v) == 'number' then return math.type(v) .. ':' .. tostring(v)
			else return type(v) .. ':' .. tostring(v) end
		end`, '=t');
	});
	after(() => vm.close());

	const lua = (code: string) => String(vm.run(`return ${code}`, '=t')[0]);
	const encodeError = (code: string) => String(vm.run(`local ok, e = pcall(json.encode, ${code}) return ok and 'ok' or e`, '=t')[0]);

	it('encode: tables, numbers, strings as LuaJSON writes them', () => {
		const cases: [string, string][] = [
			['{}', '{}'], ['{1, 2, 3}', '[1,2,3]'], ['{a = 1}', '{"a":1}'], ['{n = 2}', '{"n":2}'],
			['{"a", n = 3}', '["a",null,null]'], ['{[2] = 1}', '{"2":1}'], ['{{}, {1}}', '[{},[1]]'],
			['1', '1'], ['1.0', '1.0'], ['-0.0', '-0.0'], ['1e100', '1e+100'], ['2^53', '9.007199254741e+15'], ['0.1', '0.1'],
			['0/0', 'NaN'], ['math.huge', 'Infinity'], ['-math.huge', '-Infinity'],
			['"a/b\\"c\\\\d\\n\\t\\r\\b\\f\\1\\31\\127é"', '"a\\/b\\"c\\\\d\\n\\t\\r\\b\\f\\u0001\\u001F\x7fé"'],
			['true', 'true'], ['false', 'false'], ['nil', 'null'], ['json.util.null', 'null'], ['{x = json.util.null}', '{"x":null}'],
			['{[1.5] = 1}', '{"1.5":1}'], ['{[true] = 1}', '{"true":1}'],
			['json.decode("[]")', '[]'], ['json.decode("{}")', '{}'], ['json.decode("[1,null,3]")', '[1,null,3]'],
			['json.decode(\'{"a":[]}\')', '{"a":[]}'],
		];
		for (const [value, expected] of cases) assert.equal(lua(`json.encode(${value})`), expected, `json.encode(${value})`);
		// janus-ts writes \v as \u000B (LuaJSON writes "\v", which no JSON parser, Janus's included, accepts).
		assert.equal(lua('json.encode("\\v")'), '"\\u000B"');
	});

	it('encode: functions, userdata and self-containing tables are errors', () => {
		assert.match(encodeError('print'), /Failed to encode value/);
		assert.match(encodeError('{f = print}'), /Failed to encode value/);
		assert.match(encodeError('(function() local r = {} r.r = r return r end)()'), /Recursive encoding of value/);
	});

	it('decode: null is json.util.null, arrays are marked, numbers as tonumber() gives them', () => {
		const cases: [string, string][] = [
			['{"a": 1, "b": 1.0, "c": 1e3, "d": -0, "e": 12345678901234567890, "f": null, "g": true}',
				'T{a=integer:1,b=float:1.0,c=float:1000.0,d=integer:0,e=float:1.2345678901235e+19,f=NULL,g=boolean:true}'],
			['[1, "x", null, [], {}]', 'A{1=integer:1,2=string:x,3=NULL,4=A{},5=T{}}'],
			['"\\u00e9\\u20ac\\/\\b"', 'string:é€/\b'],
			['Infinity', 'float:inf'], ['-Infinity', 'float:-inf'], ['1e5', 'float:100000.0'], ['1E-2', 'float:0.01'], ['0.5', 'float:0.5'],
			// LuaJSON's lenient extras: trailing commas, bare keys, single quotes, comments, empty input.
			['{"a":1,}', 'T{a=integer:1}'], ['[1,]', 'A{1=integer:1}'], ['{a:1}', 'T{a=integer:1}'], ["'a'", 'string:a'],
			['  {"a" : [ 1 , 2 ] }  ', 'T{a=A{1=integer:1,2=integer:2}}'], ['/* c */ [1, /* x */ 2] // d\n', 'A{1=integer:1,2=integer:2}'], ['', 'nil:nil'],
			['[null]', 'A{1=NULL}'],
		];
		for (const [text, expected] of cases) assert.equal(lua(`show(json.decode(${JSON.stringify(text)}))`), expected, `json.decode(${text})`);
		assert.equal(lua('show(json.decode("NaN"))').replace('-nan', 'nan'), 'float:nan');
		// janus-ts joins UTF-16 surrogate pairs (LuaJSON turns each half into an invalid 3-byte sequence).
		assert.equal(lua('json.decode(\'"\\\\ud83d\\\\ude00"\')'), '😀');
		// json.decode.simple: null is nil.
		assert.equal(lua('show(json.decode(\'{"a":null,"b":1}\', json.decode.simple))'), 'T{b=integer:1}');
	});

	it('decode: malformed JSON is an error', () => {
		for (const text of ['[01]', '[1.]', '"a', 'nul', '1 2', '-', '{"a" 1}', '[1 2]', '[1] // no newline']) {
			const [ok] = vm.run('return pcall(json.decode, ...)', '=t', [text]);
			assert.equal(ok, false, `json.decode(${text}) fails`);
		}
	});

	it('round-trips what Janus hands a script (decode then encode)', () => {
		const text = '{"request":"join","room":1234,"ptype":"publisher","display":"a/b","list":[],"nested":{"x":[1,2.5,"s"]}}';
		const [back] = vm.run('return json.encode(json.decode(...))', '=t', [text]);
		assert.deepEqual(JSON.parse(String(back)), JSON.parse(text));
		assert.match(String(back), /"list":\[\]/, 'an empty array stays an array');
	});
});
