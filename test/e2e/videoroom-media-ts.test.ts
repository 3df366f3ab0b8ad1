// The VideoRoom media scenarios (media-scenarios.ts: simulcast by rid and by SSRC with
// configure {substream}, temporal caps, fallback, rtp_forward, talking / stopped-talking)
// against the janus-ts VideoRoom app: the same scenarios the native janus.plugin.videoroom
// passes (videoroom-media-native.test.ts).
import { tsAppTarget } from '../helpers/ts-janus';
import { VIDEOROOM_APP } from './room-clients';
import { videoroomMediaScenarios } from './media-scenarios';

videoroomMediaScenarios('e2e: janus-ts VideoRoom app media features', tsAppTarget(VIDEOROOM_APP, 'janus.plugin.videoroom'));
