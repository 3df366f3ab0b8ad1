/**
 * SDP helpers (the counterpart of Janus's janus-sdp.lua) on top of sdp-transform:
 * parse/render, generateOffer, generateAnswer, findPayloadType, findCodec,
 * removePayloadType, removeMLine, the simulcast description of an offer (simulcastOf,
 * simulcastFromJsep, extmapId), and the Jsep wrapper pushEvent expects.
 */
import { parse as sdpParse, write, type SessionDescription } from 'sdp-transform';
import type { Jsep } from '../protocol/types';

export * from './codecs';
export * from './answer';
export * from './offer';
export * from './mlines';
export * from './simulcast';
export type { SessionDescription, MediaDescription } from 'sdp-transform';

/** Parses SDP text into an sdp-transform object. */
export function parse(text: string): SessionDescription { return sdpParse(text); }

/** Renders an sdp-transform object to SDP text (CRLF line ends). */
export function render(sdp: SessionDescription): string { return write(sdp); }

/** The `jsep` of pushEvent for an SDP object or text. */
export function toJsep(type: 'offer' | 'answer', sdp: SessionDescription | string): Jsep {
	return { type, sdp: typeof sdp === 'string' ? sdp : write(sdp) };
}
