/**
 * What Janus's core does with SDP around a plugin, as far as a test needs it: the
 * client's SDP is checked and stripped of transport attributes (ICE, DTLS, SSRC, SCTP
 * details) before the plugin sees it, and a plugin's jsep is checked before it reaches
 * the client (Janus error codes of apierror.h).
 */
import { parse } from 'sdp-transform';
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
