// The plugin's method table (its `describe` answer) against the single schema source,
// control-ts/src/protocol/schema.json: a method on one side only fails this test.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ControlJanus, SCHEMA_PATH, startControlJanus } from './control-janus';

describe('protocol: schema.json ⇄ plugin method table', function () {
  this.timeout(20000);
  let cj: ControlJanus;
  const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'));

  before(async () => {
    cj = await startControlJanus();
  });
  after(async () => {
    await cj?.stop();
  });

  it('describe lists exactly the appToPlugin methods of schema.json', async () => {
    const { client } = await cj.connectApp();
    const d = await client.ok('describe');
    const plugin = [...d.methods].sort();
    const fromSchema = Object.keys(schema.appToPlugin).sort();
    const onlyPlugin = plugin.filter((m: string) => !fromSchema.includes(m));
    const onlySchema = fromSchema.filter((m) => !plugin.includes(m));
    assert.deepEqual({ onlyPlugin, onlySchema }, { onlyPlugin: [], onlySchema: [] });
    assert.equal(new Set(plugin).size, plugin.length, 'no method listed twice');
    await client.close();
  });

  it('describe reports the protocol version and limits of the hello', async () => {
    const { client, hello } = await cj.connectApp();
    const d = await client.ok('describe');
    assert.equal(d.protocol, schema.protocol);
    assert.equal(hello.protocol, schema.protocol);
    assert.equal(d.limits.maxFrame, schema.maxFrameDefault);
    assert.equal(d.limits.maxFrame, hello.limits.maxFrame);
    assert.equal(typeof d.limits.maxSessions, 'number');
    assert.equal(d.plugin.package, 'janus.plugin.ts');
    await client.close();
  });

  it('every error kind the plugin answers is one of the schema errors', async () => {
    const { client } = await cj.connectApp();
    const kinds = new Set<string>();
    const probes: [string, unknown][] = [
      ['nosuchmethod', {}],
      ['closePc', { id: 1 }],
      ['closePc', {}],
      ['addRoute', { id: 1, mindex: 0, recipient: 2, recipientMindex: 0 }],
      ['sessionInfo', { id: 'x' }],
      ['relayRtp', { id: 5, video: true, data: '!!' }],
      ['hello', { protocol: 99, token: 'x' }],
    ];
    for (const [m, p] of probes) {
      const f = await client.call(m, p);
      assert.ok(f.error, `${m} ${JSON.stringify(p)} should fail`);
      kinds.add(f.error!);
    }
    for (const k of kinds) assert.ok(schema.errors.includes(k), `${k} is in schema.errors`);
    assert.ok(kinds.has('UnknownMethod') && kinds.has('BadArguments') && kinds.has('UnknownSession'));
    await client.close();
  });
});
