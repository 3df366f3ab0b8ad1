// The plugin's method table (its `describe` answer) against the single schema source,
// control-ts/src/protocol/schema.json: a method on one side only fails this test.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ControlJanus, SCHEMA_PATH, startControlJanus, TOKEN } from './control-janus';
import { checkValue } from '../control/helpers/schema-check';

describe('protocol: schema.json ⇄ plugin method table', function () {
  this.timeout(20000);
  let cj: ControlJanus;
  const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'));

  before(async () => {
    // Under ASan (scripts/sanitize.sh), this Janus does not check leaks at exit (memory
    // errors and UBSan still stop it): Janus 1.1.2 itself leaks about 1 KB per handle whose
    // plugin calls close_pc or end_session before it has a PeerConnection, as the last test
    // does; Janus's own janus_lua calling closePc/endSession the same way leaks alike, with no
    // janus-ts code loaded (docs/reliability.md, Sanitizers).
    const asan = process.env.ASAN_OPTIONS;
    if (asan !== undefined) process.env.ASAN_OPTIONS = `${asan} detect_leaks=0`;
    try {
      cj = await startControlJanus();
    } finally {
      if (asan !== undefined) process.env.ASAN_OPTIONS = asan;
    }
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
      ['sessionInfo', { id: 1 }],
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

  it('every method, called with valid parameters on a live session, reaches the core', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const js = await cj.janus.createSession();
    await js.attach('janus.plugin.ts');
    const id = (await client.waitFor((f) => f.event === 'createSession')).params.id;
    await js.attach('janus.plugin.ts');
    const other = (await client.waitFor((f) => f.event === 'createSession')).params.id;
    const rtp = Buffer.from('800000010000000000000001deadbeef', 'hex').toString('base64');
    const valid: Record<string, unknown> = {
      hello: { protocol: 1, token: TOKEN, replace: true },
      pushEvent: { id, event: { hello: 1 } },
      notifyEvent: { id, event: { note: 1 } },
      eventsIsEnabled: {},
      closePc: { id },
      configureMedium: { id, medium: 'audio', direction: 'in', enabled: true },
      addRecipient: { id, recipient: other },
      removeRecipient: { id, recipient: other },
      addRoute: { id, mindex: 1, recipient: other, recipientMindex: 1 },
      removeRoute: { id, mindex: 1, recipient: other, recipientMindex: 1 },
      setBitrate: { id, bitrate: 256000 },
      setRelayLabel: { id, label: 'relayed' },
      setPliFreq: { id, seconds: 5 },
      sendPli: { id },
      setSubstream: { id, substream: 1 },
      setTemporalLayer: { id, temporal: 1, mindex: 1 },
      setSpatialLayer: { id, spatial: 0 },
      configureSimulcast: { id, mindex: 1, codec: 'vp8', rids: ['l', 'm', 'h'], ridExtId: 4, ssrcs: [11, 22] },
      configureTalkDetection: { id, mindex: 0, window: 50, threshold: 30 },
      loudestSpeaker: { ids: [id, other], maxAgeMs: 500 },
      rtpForward: { id, mindex: 0, host: '127.0.0.1', port: 5004, ssrc: 1234, pt: 111 },
      listForwarders: { id },
      stopRtpForward: { forwarder: 65537 },
      relayRtp: { id, video: false, data: rtp },
      relayRtcp: { id, video: true, data: Buffer.from('81c90001deadbeef', 'hex').toString('base64') },
      relayTextData: { id, text: 'hi' },
      relayBinaryData: { id, data: Buffer.from('hi').toString('base64') },
      startRecording: { id, medium: 'audio', codec: 'opus', folder: cj.dir, filename: 'protocol-test' },
      stopRecording: { id },
      log: { level: 'info', message: 'every method' },
      sessionInfo: { id },
      stats: {},
      describe: {},
      endSession: { id: other },
    };
    const methods = Object.keys(schema.appToPlugin);
    assert.deepEqual(methods.filter((m) => !(m in valid)), [], 'this test covers every schema method');
    const outcomes: string[] = [];
    for (const m of Object.keys(valid)) {
      const f = await client.call(m, valid[m]);
      if (f.error !== undefined) {
        assert.ok(schema.errors.includes(f.error), `${m}: ${f.error} is a schema error`);
        assert.ok(!['BadArguments', 'UnknownMethod', 'Internal', 'Unauthorized'].includes(f.error),
          `${m} with valid parameters: ${f.error}: ${f.reason}`);
      } else {
        // The answer has the schema's result type (true when it names none).
        assert.deepEqual(checkValue(schema.appToPlugin[m].result ?? 'true', f.result, m), [], `${m} answered ${JSON.stringify(f.result)}`);
      }
      outcomes.push(`${m}: ${f.error ?? 'ok'}`);
    }
    if (process.env.PROTOCOL_VERBOSE) console.log(outcomes.join('\n'));
    // A session without a PeerConnection: pure table updates succeed.
    for (const m of ['configureMedium', 'addRoute', 'removeRoute', 'setBitrate', 'setRelayLabel', 'sessionInfo', 'log', 'describe', 'setSubstream',
      'configureSimulcast', 'configureTalkDetection', 'loudestSpeaker', 'rtpForward', 'listForwarders', 'stopRtpForward'])
      assert.ok(outcomes.includes(`${m}: ok`), outcomes.join(', '));
    await js.destroy();
    await client.close();
  });
});
