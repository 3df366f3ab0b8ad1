// What a janus-ts app learns about a publisher's simulcast: Janus 1.1's core puts a
// `simulcast` list in the jsep it hands the plugin; sdp.simulcastFromJsep reads it lowest
// first and must agree with sdp.simulcastOf on the offer itself (rid and SSRC modes). The
// app answers with generateAnswer({simulcast: true}) and the werift publisher connects.
import assert from 'node:assert/strict';
import { Logger, defineApp, run, sdp, type Jsep } from 'janus-ts';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { SimulcastPublisher } from '../helpers/simulcast-peer';

describe('e2e: simulcast description through our plugin', function () {
  this.timeout(30000);
  let ts: TsJanus | undefined;
  let app: Awaited<ReturnType<typeof run>> | undefined;
  const offers: Jsep[] = [];

  before(async function () {
    if (missingTsPieces().length) this.skip();
    ts = await TsJanus.start({ waitApp: false });
    app = await run(defineApp({
      name: 'simulcast-jsep',
      handleMessage(session, { transaction, jsep }) {
        if (!jsep) return { error: 'no jsep' };
        offers.push(jsep);
        const answer = sdp.toJsep('answer', sdp.generateAnswer(jsep.sdp, { simulcast: true, data: false }));
        setImmediate(() => void session.pushEvent({ ok: true }, { transaction, jsep: answer }));
      },
      setupMedia: () => {},
    }), { socketPath: ts.socketPath, logger: new Logger({ write: () => {} }) });
  });
  after(async () => { app?.stop(); await ts?.stop(); });

  for (const mode of ['rid', 'ssrc'] as const) {
    it(`${mode}: jsep.simulcast (lowest first) matches the offer, and the answer connects`, async () => {
      const session = await ts!.janus.createSession();
      const peer = new SimulcastPublisher({ mode });
      try {
        const handle = await session.attach('janus.plugin.ts');
        const offer = await peer.offer();
        const { jsep } = await handle.send({ request: 'publish' }, offer, 10000);
        const got = sdp.simulcastFromJsep(offers.at(-1));
        assert.deepEqual(got, sdp.simulcastOf(offer.sdp));
        if (mode === 'rid') assert.deepEqual(got, [{ mindex: 1, mid: '1', rids: ['l', 'm', 'h'], ridExtId: 10 }]);
        else assert.deepEqual(got, [{ mindex: 1, mid: '1', ssrcs: peer.layers.map((l) => l.ssrc) }]);
        await peer.accept(jsep!);
        await peer.connected();
        await handle.waitEvent('webrtcup', 8000);
      } finally {
        await peer.close();
        await session.destroy();
      }
    });
  }
});
