/** Real offers captured by test/control/fixtures/capture.js. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const DIR = path.resolve(__dirname, '../../../../test/control/fixtures');

export function fixture(name: 'chromium-offer.sdp' | 'werift-offer.sdp' | 'chromium-simulcast-offer.sdp'): string {
	return fs.readFileSync(path.join(DIR, name), 'utf8');
}

/** The ICE/DTLS attributes Janus merges into a plugin's answer (fake values). */
export function withTransport(sdpText: string): string {
	const fp = Array.from({ length: 32 }, (_, i) => (i * 7 % 256).toString(16).padStart(2, '0').toUpperCase()).join(':');
	return sdpText.replace(/(m=[^\r\n]+\r\n)/g, (m) => m.startsWith('m=') && !/^m=\w+ 0 /.test(m)
		? `${m}a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:sha-256 ${fp}\r\na=setup:active\r\n`
		: m);
}
