// SDP helpers on real offers (Chromium and werift fixtures): answers keep mids and
// extmaps, choose codecs as asked, flip directions, answer the datachannel, carry no
// ICE/DTLS attributes, and round-trip through sdp-transform; offers per the Lua options.
import * as assert from 'node:assert/strict';
import { sdp } from 'janus-ts';
import { fixture } from './helpers/fixtures';

const chromium = () => sdp.parse(fixture('chromium-offer.sdp'));
const werift = () => sdp.parse(fixture('werift-offer.sdp'));
const kinds = (d: sdp.SessionDescription) => d.media.map((m) => `${m.type}:${m.port}:${m.payloads}`);

describe('control-ts SDP helpers', () => {
	it('parse/render round-trips the captured offers', () => {
		for (const name of ['chromium-offer.sdp', 'werift-offer.sdp'] as const) {
			const text = fixture(name);
			const once = sdp.render(sdp.parse(text));
			assert.equal(sdp.render(sdp.parse(once)), once);
			assert.equal(sdp.parse(once).media.length, 3);
		}
	});

	it('answers the Chromium offer with opus, VP8 and the datachannel, mids and extmaps kept, no ICE/DTLS', () => {
		const offer = chromium();
		const text = sdp.render(sdp.generateAnswer(offer));
		const answer = sdp.parse(text);
		assert.deepEqual(kinds(answer), ['audio:9:111', 'video:9:96', 'application:9:webrtc-datachannel']);
		assert.deepEqual(answer.media.map((m) => String(m.mid)), ['0', '1', '2']);
		assert.equal(answer.groups?.[0].mids, '0 1 2');
		assert.deepEqual(answer.media[0].rtp.map((r) => `${r.codec}/${r.rate}`), ['opus/48000']);
		assert.equal(answer.media[0].fmtp[0].config, 'minptime=10;useinbandfec=1');
		assert.deepEqual(answer.media[1].rtp.map((r) => r.codec), ['VP8']);
		assert.ok(answer.media[1].rtcpFb!.every((f) => f.payload === 96 || String(f.payload) === '96'));
		assert.ok(answer.media[1].rtcpFb!.some((f) => f.type === 'nack' && f.subtype === 'pli'));
		for (let i = 0; i < 2; i++) {
			assert.deepEqual(answer.media[i].ext!.map((e) => `${e.value} ${e.uri}`), offer.media[i].ext!.map((e) => `${e.value} ${e.uri}`));
		}
		assert.equal(answer.media[2].sctpPort, 5000);
		assert.equal(answer.media[2].protocol, 'UDP/DTLS/SCTP');
		for (const attr of ['a=ice-', 'a=fingerprint', 'a=setup', 'a=ssrc', 'a=candidate', 'a=msid']) {
			assert.ok(!text.includes(attr), `answer has no ${attr}`);
		}
		assert.ok(answer.media.slice(0, 2).every((m) => m.direction === 'sendrecv' && m.rtcpMux === 'rtcp-mux'));
		assert.equal(sdp.render(sdp.parse(text)), text, 'round trip');
	});

	it('answers the werift offer (uppercase OPUS, VP8 on 98)', () => {
		const answer = sdp.generateAnswer(werift());
		assert.deepEqual(kinds(answer), ['audio:9:96', 'video:9:98', 'application:9:webrtc-datachannel']);
		assert.equal(sdp.findCodec(answer, 96), 'opus');
	});

	it('chooses the codec and profile asked for', () => {
		const offer = chromium();
		const pick = (o: sdp.AnswerOptions) => sdp.generateAnswer(offer, o).media.slice(0, 2).map((m) => `${m.port}:${m.payloads}`);
		assert.deepEqual(pick({ audioCodec: 'pcmu', videoCodec: 'h264' }), ['9:0', '9:102'], 'H.264 prefers packetization-mode=1');
		assert.deepEqual(pick({ videoCodec: 'h264', h264Profile: '42E01F' }), ['9:111', '9:108']);
		assert.deepEqual(pick({ videoCodec: 'vp9', vp9Profile: 2 }), ['9:111', '9:100']);
		assert.deepEqual(pick({ videoCodec: 'vp9' }), ['9:111', '9:98']);
		assert.deepEqual(pick({ audioCodec: 'g722', videoCodec: 'av1' }), ['9:9', '9:45']);
		assert.deepEqual(pick({ videoCodec: 'h265' }), ['9:111', '0:96'], 'codec not offered: m-line rejected');
		const h264 = sdp.generateAnswer(offer, { videoCodec: 'h264', h264Profile: '42e01f' }).media[1];
		assert.equal(h264.fmtp[0].config, 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f');
	});

	it('flips sendonly ↔ recvonly on m-lines and extmaps', () => {
		let text = fixture('chromium-offer.sdp');
		const audioAt = text.indexOf('m=audio');
		const videoAt = text.indexOf('m=video');
		text = text.slice(0, audioAt) + text.slice(audioAt, videoAt).replace('a=sendrecv', 'a=recvonly') +
			text.slice(videoAt).replace('a=sendrecv', 'a=sendonly').replace('a=extmap:13 urn:3gpp', 'a=extmap:13/sendonly urn:3gpp');
		const answer = sdp.generateAnswer(text);
		assert.equal(answer.media[0].direction, 'sendonly');
		assert.equal(answer.media[1].direction, 'recvonly');
		const orientation = answer.media[1].ext!.find((e) => e.uri === 'urn:3gpp:video-orientation')!;
		assert.equal(orientation.direction, 'recvonly');
		assert.ok(sdp.render(answer).includes('a=extmap:13/recvonly urn:3gpp:video-orientation'));
	});

	it('rejects disabled media (port 0, out of BUNDLE) and can drop transport-cc', () => {
		const answer = sdp.generateAnswer(chromium(), { audio: false, data: false, disableTwcc: true });
		assert.deepEqual(kinds(answer), ['audio:0:111', 'video:9:96', 'application:0:webrtc-datachannel']);
		assert.equal(answer.groups?.[0].mids, '1');
		assert.equal(String(answer.media[0].mid), '0', 'rejected m-line keeps its mid');
		assert.ok(!answer.media[1].ext!.some((e) => e.uri.includes('transport-wide-cc')));
		assert.ok(!answer.media[1].rtcpFb!.some((f) => f.type === 'transport-cc'));
	});

	it('answers only the first m-line of each kind, like the Lua helper', () => {
		const text = fixture('werift-offer.sdp');
		const videoSection = text.slice(text.indexOf('m=video'), text.indexOf('m=application')).replace('a=mid:1', 'a=mid:3');
		const answer = sdp.generateAnswer(text.replace('m=application', videoSection + 'm=application'));
		assert.deepEqual(kinds(answer), ['audio:9:96', 'video:9:98', 'video:0:98', 'application:9:webrtc-datachannel']);
		assert.deepEqual(answer.media.map((m) => String(m.mid)), ['0', '1', '3', '2']);
	});

	it('leaves rid simulcast out by default, and accepts it (recv) with simulcast: true', () => {
		const text = fixture('chromium-offer.sdp').replace('a=mid:1\r\n',
			'a=mid:1\r\na=rid:h send\r\na=rid:m send\r\na=rid:l send\r\na=simulcast:send h;m;l\r\n');
		const plain = sdp.render(sdp.generateAnswer(text));
		assert.ok(!plain.includes('a=rid') && !plain.includes('a=simulcast'));
		const withSimulcast = sdp.render(sdp.generateAnswer(text, { simulcast: true }));
		assert.ok(withSimulcast.includes('a=rid:h recv\r\na=rid:m recv\r\na=rid:l recv\r\n'), withSimulcast);
		assert.ok(withSimulcast.includes('a=simulcast:recv h;m;l\r\n'));
	});

	it('findPayloadType, findCodec and removePayloadType', () => {
		const offer = chromium();
		assert.equal(sdp.findPayloadType(offer, 'opus'), 111);
		assert.equal(sdp.findPayloadType(offer, 'VP9', '2'), 100);
		assert.equal(sdp.findPayloadType(offer, 'h264', '4d001f'), 116);
		assert.equal(sdp.findPayloadType(offer, 'isac16'), -1);
		assert.equal(sdp.findPayloadType(offer, 'nonsense'), -1);
		assert.equal(sdp.findCodec(offer, 45), 'av1');
		assert.equal(sdp.findCodec(offer, 97), null, 'rtx is not a media codec');
		assert.equal(sdp.findCodec(offer, 8), 'pcma');
		sdp.removePayloadType(offer, 111);
		assert.equal(sdp.findPayloadType(offer, 'opus'), -1);
		assert.ok(!offer.media[0].payloads!.split(' ').includes('111'));
		assert.ok(!offer.media[0].fmtp.some((f) => f.payload === 111));
		assert.ok(!offer.media[0].rtcpFb?.some((f) => String(f.payload) === '111'));
		assert.equal(sdp.generateAnswer(offer).media[0].payloads, '0', 'next in the Lua order: pcmu');
	});

	it('generateOffer follows the Lua options', () => {
		const def = sdp.generateOffer()!;
		assert.deepEqual(kinds(def), ['audio:9:111', 'video:9:96']);
		assert.equal(def.media[0].rtp[0].codec, 'opus');
		assert.equal(def.media[1].rtcpFb!.length, 4);
		const text = sdp.render(sdp.generateOffer({ audioCodec: 'pcmu', videoCodec: 'h264', data: true, videoDir: 'sendonly', audioDir: 'recvonly' })!);
		const o = sdp.parse(text);
		assert.deepEqual(kinds(o), ['audio:9:0', 'video:9:96', 'application:9:webrtc-datachannel']);
		assert.equal(o.media[1].fmtp[0].config, 'profile-level-id=42e01f;packetization-mode=1');
		assert.deepEqual(o.media.map((m) => m.direction), ['recvonly', 'sendonly', undefined]);
		assert.equal(sdp.parse(sdp.render(sdp.generateOffer({ videoCodec: 'vp9', vp9Profile: 2, audio: false })!)).media[0].fmtp[0].config, 'profile-id=2');
		assert.equal(sdp.generateOffer({ audio: false, video: false }), null);
		assert.deepEqual(kinds(sdp.generateOffer({ audioCodec: 'speex' })!), ['video:9:96'], 'unknown codec turns the medium off');
	});
	it('removeMLine drops every m-line of a type and its mid from BUNDLE (Chromium and werift offers)', () => {
		for (const offer of [chromium(), werift()]) {
			const noAudio = sdp.removeMLine(offer, 'audio');
			assert.equal(noAudio, offer, 'changes and returns the object');
			assert.deepEqual(noAudio.media.map((m) => [m.type, String(m.mid)]), [['video', '1'], ['application', '2']]);
			assert.equal(noAudio.groups?.[0].mids, '1 2');
			sdp.removeMLine(noAudio, 'data'); // janus-sdp.lua's name is 'application'; 'data' too
			assert.deepEqual(noAudio.media.map((m) => m.type), ['video']);
			assert.equal(noAudio.groups?.[0].mids, '1');
			assert.deepEqual(sdp.removeMLine(noAudio, 'video').media, []);
			assert.equal(noAudio.groups, undefined, 'an empty BUNDLE group is removed');
		}
		const text = fixture('chromium-offer.sdp');
		const noVideo = sdp.removeMLine(text, 'video');
		assert.equal(typeof noVideo, 'string', 'text in, text out');
		assert.ok(!/^m=video/m.test(noVideo) && /^a=group:BUNDLE 0 2\r$/m.test(noVideo), noVideo);
		assert.equal(sdp.removeMLine(chromium(), 'application').media.length, 2);
		assert.equal(sdp.removeMLine(chromium(), 'text').media.length, 3, 'a type that is not there: unchanged');
	});

	it('werift accepts an offer from which removeMLine took the audio m-line (the Lua VideoRoom subscriber offer)', async () => {
		const { RTCPeerConnection, MediaStreamTrack } = await import('werift');
		const source = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
		const sink = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
		try {
			source.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendonly' });
			source.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendonly' });
			source.createDataChannel('janus');
			const full = await source.createOffer();
			const offer = sdp.removeMLine(full.sdp!, 'audio');
			await sink.setRemoteDescription({ type: 'offer', sdp: offer });
			const answer = sdp.parse((await sink.createAnswer()).sdp!);
			assert.deepEqual(answer.media.map((m) => [m.type, String(m.mid)]), [['video', '1'], ['application', '2']]);
			assert.equal(answer.media[0].direction, 'recvonly');
		} finally {
			await source.close();
			await sink.close();
		}
	});
});
