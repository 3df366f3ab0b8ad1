/**
 * media.ts — what the router does per packet and the room must set up and report: the
 * simulcast / VP9 SVC layers of publishers (described from their offer and our answer) and
 * the layers each subscriber stream aims at (`substream`/`temporal` for simulcast,
 * `spatial_layer`/`temporal_layer` for SVC, with the native plugin's events), and talk
 * detection in `audiolevel_event` rooms (`talking` / `stopped-talking` to the participants).
 */
import type { Jsep, JsonObject, Session } from '../../src';
import { quietly } from '../lib/serial';
import type { Publisher, SubStream, Subscriber, VrSession } from './model';
import { notifyParticipants, push } from './notify';
import { hasAudioLevels } from './summaries';

/** The publisher's offer and our answer: which streams send substreams (or SVC layers), told to the router. */
export async function describeLayers(p: Publisher, offer: Jsep, answer: Jsep): Promise<void> {
	const configs = await p.session.configureSimulcast(offer, answer, { svc: p.room.videoSvc });
	for (const ps of p.streams) {
		const c = configs.find((x) => x.mindex === ps.mindex && x.codec);
		const before = ps.layers;
		ps.layers = c ? (c.rids || c.ssrcs ? 'simulcast' : 'svc') : undefined;
		if (before && !ps.layers) await quietly(p.session.plugin.configureSimulcast(p.session.id, { mindex: ps.mindex, codec: null }));
	}
}

/** Talk detection on the publisher's audio streams with audio levels, as the room (or the participant) says. */
export async function detectTalking(p: Publisher): Promise<void> {
	if (!p.room.audiolevelEvent) return;
	const window = p.audioActivePackets ?? p.room.audioActivePackets;
	const threshold = Math.min(127, p.audioLevelAverage ?? p.room.audioLevelAverage);
	for (const ps of p.streams) {
		if (!ps.disabled && hasAudioLevels(ps)) await quietly(p.session.configureTalkDetection({ mindex: ps.mindex, window, threshold }));
	}
}

/** The router's talking / stoppedTalking of a publisher's audio stream: the room is told, speaker included. */
export async function talkChanged(session: Session<VrSession>, talking: boolean, mindex: number, level: number): Promise<void> {
	const p = session.data.publisher;
	const ps = p?.streams.find((s) => s.mindex === mindex);
	if (!p || !ps || p.room.participants.get(p.id) !== p) return;
	ps.talking = talking;
	await notifyParticipants(p.room, {
		videoroom: talking ? 'talking' : 'stopped-talking', room: p.room.id, id: p.id, mindex, mid: ps.mid, 'audio-level-dBov-avg': level,
	});
}

type Layer = 'substream' | 'temporal' | 'spatial';

/** The key of a layer in the VideoRoom's requests and events, for the kind of source it is. */
function keyOf(ss: SubStream, layer: Layer): string {
	if (ss.source?.layers === 'svc') return layer === 'spatial' ? 'spatial_layer' : 'temporal_layer';
	return layer;
}

/**
 * The layers a subscription stream aims at, from a join/subscribe item or a configure item.
 * With `announce` (configure), as the native plugin: a target the stream already gets is
 * answered with its event at once; otherwise the publisher is asked for a keyframe (the router
 * switches at the next one and reports it, layerChanged).
 */
export async function aimLayers(sub: Subscriber, ss: SubStream, item: JsonObject, announce: boolean): Promise<void> {
	const ps = ss.source;
	if (!ps || ss.type !== 'video' || !ps.layers) return;
	const wanted: [Layer, unknown][] = ps.layers === 'simulcast'
		? [['substream', item.substream], ['temporal', ps.codec === 'vp8' ? item.temporal : undefined]]
		: [['spatial', item.spatial_layer], ['temporal', item.temporal_layer]];
	for (const [layer, v] of wanted) {
		if (typeof v !== 'number') continue;
		const s = sub.session;
		await quietly(layer === 'substream' ? s.setSubstream(v, ss.mindex) : layer === 'temporal' ? s.setTemporalLayer(v, ss.mindex) : s.setSpatialLayer(v, ss.mindex));
		if (!announce) continue;
		const now = (await s.fetchInfo().catch(() => undefined))?.layers.find((l) => l.mindex === ss.mindex)?.[layer];
		if (now === v) await push(s, { videoroom: 'event', room: sub.room.id, mid: ss.mid, [keyOf(ss, layer)]: v });
		else if (ps.publisher.session.started) await quietly(ps.publisher.session.sendPli(ps.mindex));
	}
}

/** The router switched a subscriber stream's layer (substreamChanged / temporalLayerChanged / spatialLayerChanged). */
export async function layerChanged(session: Session<VrSession>, layer: Layer, value: number, mindex: number): Promise<void> {
	const sub = session.data.subscriber;
	const ss = sub?.streams.find((s) => s.mindex === mindex);
	if (!sub || !ss?.source) return;
	await push(session, { videoroom: 'event', room: sub.room.id, mid: ss.mid, [keyOf(ss, layer)]: value });
}
