// The VideoRoom media scenarios (simulcast, temporal layers, fallback, talking events)
// against Janus's own janus.plugin.videoroom: the reference the werift simulcast publisher
// is proven on, and that the janus-ts VideoRoom app will run against (issue 11, phase B).
import { Janus } from '../helpers/janus';
import { videoroomMediaScenarios } from './media-scenarios';

videoroomMediaScenarios('e2e: native janus.plugin.videoroom media features (reference)', {
  package: 'janus.plugin.videoroom',
  start: () => Janus.start({ plugins: ['videoroom'] }),
});
