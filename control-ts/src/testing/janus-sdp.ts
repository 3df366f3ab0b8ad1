/**
 * What Janus's core does with SDP around a plugin, as far as a test needs it: the
 * client's SDP is checked and stripped of transport attributes (ICE, DTLS, SSRC, SCTP
 * details) before the plugin sees it, and a plugin's jsep is checked before it reaches
 * the client (Janus error codes of apierror.h).
 */
import { parse, write, type MediaDescription } from 'sdp-transform';
import type { Jsep } from '../protocol/types';

export const JANUS_ERROR_JSEP_UNKNOWN_TYPE = 464;
export const JANUS_ERROR_JSEP_INVALID_SDP = 465;
export const JANUS_ERROR_UNEXPECTED_ANSWER = 469;
export const JANUS_ERROR_HANDLE_NOT_FOUND = 459;
export const JANUS_ERROR_PLUGIN_MESSAGE = 462;

/** Attributes the core removes from a client's SDP (transport details it keeps for itself). */
const TRANSPORT_ATTRIBUTES = new Set([
	'candidate', 'end-of-candidates', 'fingerprint', 'ice-ufrag', 'ice-pwd', 'ice-options', 'setup', 'group',
	'msid-semantic', 'rtcp', 'rtcp-mux', 'rtcp-rsize', 'ssrc', 'ssrc-group', 'extmap-allow-mixed', 'sctpmap',
	'sctp-port', 'max-message-size', 'crypto',
]);

/** The m-lines of an SDP: kind per index (for the core's choice of a stream when mindex is -1). */
export function mlineKinds(sdpText: string): string[] {
	return parse(sdpText).media.map((m) => m.type);
}

/** Whether an SDP text parses and has at least one m-line. */
export function sdpIsValid(sdpText: unknown): boolean {
	if (typeof sdpText !== 'string' || !sdpText.startsWith('v=')) return false;
	try {
		return parse(sdpText).media.length > 0;
	} catch {
		return false;
	}
}

/** The SDP the plugin gets: transport attributes removed, everything else as sent. */
export function anonymizeSdp(sdpText: string): string {
	const eol = sdpText.includes('\r\n') ? '\r\n' : '\n';
	return sdpText.split(/\r?\n/).filter((line) => {
		const m = /^a=([^:]+)/.exec(line);
		return !(m && TRANSPORT_ATTRIBUTES.has(m[1]));
	}).join(eol);
}

/** Checks a jsep's type and SDP; returns a Janus error code or 0. */
export function checkJsep(jsep: Jsep): number {
	if (jsep.type !== 'offer' && jsep.type !== 'answer') return JANUS_ERROR_JSEP_UNKNOWN_TYPE;
	return sdpIsValid(jsep.sdp) ? 0 : JANUS_ERROR_JSEP_INVALID_SDP;
}

const FLIP: Record<string, 'sendrecv' | 'recvonly' | 'sendonly' | 'inactive'> = {
	sendonly: 'recvonly', recvonly: 'sendonly', sendrecv: 'sendrecv', inactive: 'inactive',
};

/**
 * A client's answer to a plugin's offer, as a browser would make it: every m-line
 * accepted with its first payload type (a rejected one stays rejected), direction
 * flipped, mids and BUNDLE kept. For the kit's handles (a subscriber answering a
 * multistream offer, a data-only offer).
 */
export function clientAnswer(offerSdp: string): string {
	const o = parse(offerSdp);
	const media: MediaDescription[] = o.media.map((m) => {
		const a: MediaDescription = { type: m.type, port: m.port === 0 ? 0 : 9, protocol: m.protocol, payloads: m.payloads, rtp: [], fmtp: [] };
		if (m.mid !== undefined) a.mid = m.mid;
		if (m.port !== 0 && m.type !== 'application') {
			const pt = Number(String(m.payloads ?? '').split(' ')[0]);
			a.payloads = String(pt);
			a.rtp = (m.rtp ?? []).filter((r) => r.payload === pt);
			a.fmtp = (m.fmtp ?? []).filter((f) => f.payload === pt);
			a.direction = FLIP[m.direction ?? 'sendrecv'];
		}
		if (m.type === 'application' && m.sctpPort !== undefined) a.sctpPort = m.sctpPort;
		return a;
	});
	return write({
		version: 0, origin: { username: '-', sessionId: 1, sessionVersion: 1, netType: 'IN', ipVer: 4, address: '127.0.0.1' },
		name: '-', timing: { start: 0, stop: 0 }, connection: { version: 4, ip: '127.0.0.1' }, media,
		...(o.groups ? { groups: o.groups } : {}),
	});
}
