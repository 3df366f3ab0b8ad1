// The VideoRoom media scenarios (media-scenarios.ts: simulcast by rid and by SSRC with
// configure {substream}, temporal caps, fallback, talking / stopped-talking) against the
// janus-ts VideoRoom app: the same scenarios the native janus.plugin.videoroom passes
// (videoroom-media-native.test.ts).
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { VIDEOROOM_APP } from './room-clients';
import { videoroomMediaScenarios } from './media-scenarios';

let ts: TsJanus | undefined;
videoroomMediaScenarios('e2e: janus-ts VideoRoom app media features', {
  package: 'janus.plugin.videoroom',
  async start(ctx) {
    const missing = missingTsPieces(VIDEOROOM_APP);
    if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); ctx.skip(); }
    ts = await TsJanus.start({ app: VIDEOROOM_APP, package: 'janus.plugin.videoroom' });
    return ts.janus;
  },
  async cleanup() { await ts?.stop(); },
});
