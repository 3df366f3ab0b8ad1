// The shared helpers of the room apps (control-ts/examples/lib): jcfg parsing, Janus-style
// request validation (codes and wording), the room registry (secret, pin, private, ACL).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { JcfgError, cfgBool, cfgInt, loadAppConfig, parseJcfg } from 'janus-ts/dist/examples/lib/jcfg';
import { RequestError, checkParams, checkSecret } from 'janus-ts/dist/examples/lib/params';
import { RoomRegistry, applyAllowed, baseFromRequest, randomId, roomSections } from 'janus-ts/dist/examples/lib/rooms';
import { SerialQueue } from 'janus-ts/dist/examples/lib/serial';

const CODES = { missing: 429, invalid: 430, unauthorized: 433, noSuchRoom: 426 };

function throwsCode(fn: () => void, code: number, text: string): void {
  assert.throws(fn, (e: unknown) => e instanceof RequestError && e.code === code && e.message === text);
}

describe('room apps: shared helpers', () => {
  it('parses Debian\'s sample janus.plugin.videoroom.jcfg', function () {
    if (!fs.existsSync('/etc/janus/janus.plugin.videoroom.jcfg')) this.skip();
    const cfg = loadAppConfig('/etc/janus/janus.plugin.videoroom.jcfg')!;
    const rooms = roomSections(cfg);
    assert.deepEqual(rooms.map((r) => r.id), [1234, 5678]);
    assert.equal(rooms[0].settings.description, 'Demo Room');
    assert.equal(rooms[0].settings.publishers, 6);
    assert.equal(rooms[1].settings.video_svc, true);
  });

  it('jcfg: groups, lists, arrays, comments, joined strings, escapes, both assignment forms', () => {
    const cfg = parseJcfg(`# comment
      general: { json = "plain"; admin_key: "k" }  // trailing
      /* block */ room-7: { description = "a" "b\\"c"; publishers = 0x10, allowed = ["x", "y"], l = (1, "two", { z = true }) bitrate = 1.5e3 }
      notroom: { }`);
    assert.deepEqual(cfg.general, { json: 'plain', admin_key: 'k' });
    assert.deepEqual(cfg['room-7'], { description: 'ab"c', publishers: 16, allowed: ['x', 'y'], l: [1, 'two', { z: true }], bitrate: 1500 });
    assert.deepEqual(roomSections(cfg).map((r) => r.id), [7]);
    assert.throws(() => parseJcfg('room-1: { a = }'), JcfgError);
    assert.throws(() => parseJcfg('room-1: { a = "open'), /line 1: unterminated string/);
    assert.equal(loadAppConfig(''), null);
    assert.deepEqual(loadAppConfig('room-3: { pin = "1" }'), { 'room-3': { pin: '1' } });
    assert.equal(cfgBool('yes', false), true);
    assert.equal(cfgBool('no', true), false);
    assert.equal(cfgInt('12', 0), 12);
    assert.equal(cfgInt('-1', 3), 3);
  });

  it('validation: the native wording for missing, mistyped, negative and wrong-secret elements', () => {
    const params = [['room', 'integer', 'required positive'], ['pin', 'string'], ['on', 'boolean'], ['list', 'array']] as const;
    throwsCode(() => checkParams({}, params, CODES), 429, 'Missing mandatory element (room)');
    throwsCode(() => checkParams({ room: 1.5 }, params, CODES), 430, 'Invalid element type (room should be a positive integer)');
    throwsCode(() => checkParams({ room: -1 }, params, CODES), 430, 'Invalid element type (room should be a positive integer)');
    throwsCode(() => checkParams({ room: 1, pin: 5 }, params, CODES), 430, 'Invalid element type (pin should be a string)');
    throwsCode(() => checkParams({ room: 1, on: 'yes' }, params, CODES), 430, 'Invalid element type (on should be a boolean)');
    throwsCode(() => checkParams({ room: 1, list: {} }, params, CODES), 430, 'Invalid element type (list should be an array)');
    throwsCode(() => checkParams({ room: 1, pin: null }, params, CODES), 430, 'Invalid element type (pin should be a string)');
    checkParams({ room: 0, pin: 'x', on: false, list: [] }, params, CODES);
    throwsCode(() => checkSecret('s', {}, 'secret', CODES), 429, 'Missing mandatory element (secret)');
    throwsCode(() => checkSecret('s', { secret: 'x' }, 'secret', CODES), 433, 'Unauthorized (wrong secret)');
    checkSecret('s', { secret: 's' }, 'secret', CODES);
    checkSecret(undefined, {}, 'secret', CODES);
  });

  it('registry: access checks secret and pin; private rooms are not listed; ACL tokens', () => {
    const reg = new RoomRegistry(CODES);
    reg.add(baseFromRequest(1, { secret: 's', pin: 'p', is_private: true }));
    reg.add(baseFromRequest(2, { description: 'two' }));
    assert.equal(reg.get(1)!.description, 'Room 1');
    assert.deepEqual(reg.listed().map((r) => r.id), [2]);
    assert.deepEqual(reg.listed(true).map((r) => r.id), [1, 2]);
    throwsCode(() => reg.access({ room: 3 }), 426, 'No such room (3)');
    throwsCode(() => reg.access({ room: 1, secret: 'x' }, { modify: true }), 433, 'Unauthorized (wrong secret)');
    throwsCode(() => reg.access({ room: 1 }, { join: true }), 429, 'Missing mandatory element (pin)');
    assert.equal(reg.access({ room: 1, pin: 'p' }, { join: true }).id, 1);
    const room = reg.get(2)!;
    assert.deepEqual(applyAllowed(room, { action: 'add', allowed: ['a', 'b'] }, CODES), ['a', 'b']);
    reg.checkToken(room, undefined); // ACL not enabled yet
    applyAllowed(room, { action: 'enable' }, CODES);
    throwsCode(() => reg.checkToken(room, 'z'), 433, 'Unauthorized (not in the allowed list)');
    reg.checkToken(room, 'a');
    assert.deepEqual(applyAllowed(room, { action: 'remove', allowed: ['a'] }, CODES), ['b']);
    assert.equal(applyAllowed(room, { action: 'disable' }, CODES), undefined);
    throwsCode(() => applyAllowed(room, { action: 'add', allowed: [1] }, CODES), 430, 'Invalid element in the allowed array (not a string)');
    const id = randomId(new Set([1]));
    assert.ok(Number.isSafeInteger(id) && id > 0);
  });

  it('SerialQueue runs tasks one at a time in order, a failure does not stop the next', async () => {
    const q = new SerialQueue();
    const order: number[] = [];
    const slow = q.run(async () => { await new Promise((r) => setTimeout(r, 20)); order.push(1); });
    const failing = q.run(() => { order.push(2); throw new Error('boom'); });
    const third = q.run(() => { order.push(3); return 'ok'; });
    await slow;
    await assert.rejects(failing, /boom/);
    assert.equal(await third, 'ok');
    assert.deepEqual(order, [1, 2, 3]);
  });
});
