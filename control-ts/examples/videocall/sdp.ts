/** sdp.ts — what the VideoCall app reads in the SDPs it forwards (it builds none). */
import { sdp, type Jsep } from '../../src';
import { RequestError } from '../lib/params';
import { ERROR, type CallState } from './state';

/** What each negotiated SDP offers: the C plugin looks for m=audio, m=video and DTLS/SCTP. */
export function mediaOf(text: string): CallState['has'] {
	return { audio: text.includes('m=audio'), video: text.includes('m=video'), data: text.includes('DTLS/SCTP') };
}

/** First codec of the first m-line of `kind` (janus_sdp_find_first_codec). */
export function firstCodec(parsed: sdp.SessionDescription, kind: 'audio' | 'video'): string | undefined {
	const m = parsed.media.find((x) => x.type === kind && x.port !== 0);
	const pt = m ? sdp.payloadsOf(m)[0] : undefined;
	return m && pt !== undefined ? sdp.findCodec(m, pt) ?? undefined : undefined;
}

/** Parses a jsep's SDP or throws the C plugin's INVALID_SDP error. */
export function parseSdp(jsep: Jsep, what: 'offer' | 'answer'): sdp.SessionDescription {
	const parsed = sdp.parse(jsep.sdp);
	if (!/^v=0/m.test(jsep.sdp) || parsed.media.length === 0) throw new RequestError(ERROR.INVALID_SDP, `Error parsing ${what}: no media`);
	return parsed;
}

/** The jsep forwarded to the other party (type and SDP, e2ee flag kept). */
export const forwarded = (jsep: Jsep): Jsep => ({ type: jsep.type, sdp: jsep.sdp, ...(jsep.e2ee === true ? { e2ee: true } : {}) });
