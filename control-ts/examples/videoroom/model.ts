/**
 * model.ts — the VideoRoom's state: rooms, publishers (participants) and their streams,
 * subscribers and theirs, and the room settings read from a jcfg file or a `create`.
 */
import type { MediaDescription } from 'sdp-transform';
import type { JsonObject, Session } from '../../src';
import { cfgBool, cfgInt, cfgStr, type JcfgGroup } from '../lib/jcfg';
import { RoomRegistry, baseFromRequest, type RoomBase } from '../lib/rooms';
import { CODES } from './errors';

export type Kind = 'audio' | 'video' | 'data';

export interface VideoRoom extends RoomBase {
	maxPublishers: number;
	/** REMB cap for publishers, bps (0 = none). */
	bitrate: number;
	bitrateCap: boolean;
	/** Keyframe request to publishers every `firFreq` s (0 = never). */
	firFreq: number;
	audiocodec: string[];
	videocodec: string[];
	requirePvtid: boolean;
	notifyJoining: boolean;
	/** Kept and reported; recording itself is not done by this app yet. */
	record: boolean;
	recDir?: string;
	lockRecord: boolean;
	/** Flags reported by `list` with the native plugin's defaults. */
	opusFec: boolean;
	/** VP9 SVC: publishers' VP9 layers are selected per subscriber (spatial_layer/temporal_layer). */
	videoSvc: boolean;
	audiolevelExt: boolean;
	/** Talk detection: `talking`/`stopped-talking` to the participants, over audioActivePackets below audioLevelAverage. */
	audiolevelEvent: boolean;
	audioActivePackets: number;
	audioLevelAverage: number;
	videoorientExt: boolean;
	playoutdelayExt: boolean;
	transportWideCcExt: boolean;
	/** Participants (publisher handles, publishing or not) by id. */
	participants: Map<number, Publisher>;
	/** Subscriber handles in this room. */
	subscribers: Set<Subscriber>;
	/** Routes installed in the router for this room (see routing.ts). */
	routes: Map<string, RouteKey>;
}

export interface RouteKey { src: number; mindex: number; dst: number; dstMindex: number }

/** One m-line a publisher sends. */
export interface PubStream {
	publisher: Publisher;
	type: Kind;
	mindex: number;
	mid: string;
	/** Rejected or recvonly m-line: nothing to subscribe to. */
	disabled: boolean;
	/** The publisher's own `send` (configure audio/video/data or streams[].send). */
	active: boolean;
	/** Muted by a moderator. */
	muted: boolean;
	codec?: string;
	description?: string;
	/** The answered m-line (codec, fmtp, rtcp-fb, extmaps), the template of subscriber m-lines. */
	mline: MediaDescription;
	/** Subscriber streams fed by this stream. */
	subscribers: Set<SubStream>;
	/** Whether its audio is talking now (talk detection, audiolevel_event rooms). */
	talking?: boolean;
	/** Simulcast (substreams) or VP9 SVC layers are selected per subscriber on it. */
	layers?: 'simulcast' | 'svc';
}

/** A participant: a handle that joined as publisher (it may or may not publish). */
export interface Publisher {
	session: Session<VrSession>;
	room: VideoRoom;
	id: number;
	pvtId: number;
	display?: string;
	streams: PubStream[];
	/** REMB cap asked for (defaults to the room's). */
	bitrate: number;
	kicked: boolean;
	/** Subscriber handles opened with this participant's private_id. */
	subscriptions: Set<Subscriber>;
	/** RTP forwarders (rtp_forward), as listforwarders shows them; the plugin drops them with the PeerConnection. */
	forwarders: JsonObject[];
	/** The participant's own talk detection settings (join/configure), over the room's. */
	audioActivePackets?: number;
	audioLevelAverage?: number;
}

/** One m-line a subscriber receives. */
export interface SubStream {
	subscriber: Subscriber;
	mindex: number;
	mid: string;
	type: Kind;
	/** Current source (audio/video); none after the publisher left or an unsubscribe. */
	source?: PubStream;
	/** m-line template kept from the last source (codec, payload type). */
	mline: MediaDescription;
	send: boolean;
	ready: boolean;
	crossrefid?: string;
	/** The item (join/subscribe) whose layers it is to aim at, until they are set (subscriber.ts). */
	aim?: JsonObject;
}

export interface Subscriber {
	session: Session<VrSession>;
	room: VideoRoom;
	pvtId: number;
	streams: SubStream[];
	paused: boolean;
	kicked: boolean;
	useMsid: boolean;
	autoupdate: boolean;
	/** The client answered our last offer. */
	answered: boolean;
	/** A renegotiation waits for that answer. */
	pendingOffer: boolean;
	/** Version of our SDP offers (o= line). */
	sdpVersion: number;
	sdpSessionId: number;
}

/** What a session (handle) is to the VideoRoom. */
export interface VrSession {
	publisher?: Publisher;
	subscriber?: Subscriber;
	[key: string]: unknown;
}

export const rooms = new RoomRegistry<VideoRoom>(CODES);

const AUDIO_CODECS = ['opus', 'multiopus', 'g722', 'pcmu', 'pcma', 'isac32', 'isac16'];
const VIDEO_CODECS = ['vp8', 'vp9', 'h264', 'av1', 'h265'];

/** A codec list setting ("vp9,vp8"), or null when one entry is not a known codec. */
export function codecList(value: string | undefined, kind: 'audio' | 'video'): string[] | null {
	if (value === undefined) return [kind === 'audio' ? 'opus' : 'vp8'];
	const list = value.split(',').slice(0, 5).map((c) => c.trim().toLowerCase());
	const known = kind === 'audio' ? AUDIO_CODECS : VIDEO_CODECS;
	return list.every((c) => known.includes(c)) ? list : null;
}

type Settings = { [key: string]: unknown };

/** A setting that must be above 0 (the native plugin keeps its default otherwise). */
const positive = (v: number, dflt: number) => (v > 0 ? v : dflt);

/** The VideoRoom-specific settings, from a create request or a jcfg section (same names). */
function roomSettings(base: RoomBase, s: Settings): VideoRoom {
	const v = s as JcfgGroup;
	const bitrate = cfgInt(v.bitrate, 0);
	const audiocodec = codecList(cfgStr(v.audiocodec), 'audio') ?? ['opus'];
	const videocodec = codecList(cfgStr(v.videocodec), 'video') ?? ['vp8'];
	return {
		...base,
		maxPublishers: cfgInt(v.publishers, 3),
		bitrate: bitrate > 0 && bitrate < 64000 ? 64000 : bitrate,
		bitrateCap: cfgBool(v.bitrate_cap, false),
		firFreq: cfgInt(v.fir_freq, 0),
		audiocodec,
		videocodec,
		videoSvc: cfgBool(v.video_svc, false) && videocodec.length === 1 && videocodec[0] === 'vp9',
		requirePvtid: cfgBool(v.require_pvtid, false),
		notifyJoining: cfgBool(v.notify_joining, false),
		record: cfgBool(v.record, false),
		...(cfgStr(v.rec_dir) !== undefined ? { recDir: cfgStr(v.rec_dir) } : {}),
		lockRecord: cfgBool(v.lock_record, false),
		opusFec: cfgBool(v.opus_fec, true) && audiocodec.includes('opus'),
		audiolevelExt: cfgBool(v.audiolevel_ext, true),
		audiolevelEvent: cfgBool(v.audiolevel_event, false),
		audioActivePackets: positive(cfgInt(v.audio_active_packets, 100), 100),
		audioLevelAverage: positive(cfgInt(v.audio_level_average, 25), 25),
		videoorientExt: cfgBool(v.videoorient_ext, true),
		playoutdelayExt: cfgBool(v.playoutdelay_ext, true),
		transportWideCcExt: cfgBool(v.transport_wide_cc_ext, true),
		participants: new Map(),
		subscribers: new Set(),
		routes: new Map(),
	};
}

/** A room from a `create` request (already validated). */
export function roomFromRequest(id: number, msg: JsonObject): VideoRoom {
	return roomSettings(baseFromRequest(id, msg), msg);
}

/** A room from a `room-<id>` jcfg section (description defaults to the section name). */
export function roomFromConfig(id: number, s: JcfgGroup): VideoRoom {
	const base = baseFromRequest(id, {
		description: cfgStr(s.description) ?? `room-${id}`,
		...(cfgStr(s.secret) !== undefined ? { secret: cfgStr(s.secret) } : {}),
		...(cfgStr(s.pin) !== undefined ? { pin: cfgStr(s.pin) } : {}),
		is_private: cfgBool(s.is_private, false),
	});
	return roomSettings(base, s);
}

/** Janus's sample configuration: room 1234, so the stock demo pages work as they are. */
export const DEFAULT_ROOMS = `room-1234: {
	description = "Demo Room"
	secret = "adminpwd"
	publishers = 6
	bitrate = 128000
	fir_freq = 10
	record = false
}`;

/** Whether a publisher's PeerConnection is up (it is an active feed). */
export function isPublishing(p: Publisher): boolean {
	return p.session.started && p.streams.length > 0;
}
