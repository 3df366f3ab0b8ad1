// The answers of generateAnswer are accepted by real WebRTC stacks: werift and headless
// Chromium create an offer, we answer it (plus the ICE/DTLS lines Janus would merge), and
// setRemoteDescription must succeed with the codecs we chose.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { sdp } from 'janus-ts';
import { withTransport } from './helpers/fixtures';

// Browser globals used inside page.evaluate (the tests compile without the DOM lib).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const RTCPeerConnection: any;
declare const navigator: any;
type RTCPeerConnection = any;

describe('control-ts SDP answers accepted by WebRTC stacks', function () {
	this.timeout(30000);

	it('werift accepts the answer and negotiates opus + VP8 + datachannel', async () => {
		const { RTCPeerConnection, MediaStreamTrack } = await import('werift');
		const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' }); // one transport, closed by pc.close()
		try {
			pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendrecv' });
			pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendrecv' });
			pc.createDataChannel('janus');
			const offer = await pc.createOffer();
			await pc.setLocalDescription(offer);
			const answer = withTransport(sdp.render(sdp.generateAnswer(offer.sdp!)));
			await pc.setRemoteDescription({ type: 'answer', sdp: answer });
			assert.equal(pc.signalingState, 'stable');
			const codecs = pc.getTransceivers().map((t) => t.codecs.map((c) => c.mimeType.toLowerCase()));
			assert.deepEqual(codecs, [['audio/opus'], ['video/vp8']]);
		} finally {
			await pc.close();
		}
	});

	it('Chromium accepts the answer (audio, video, data), also with H.264 chosen', async function () {
		if (!fs.existsSync('/usr/bin/chromium')) this.skip();
		const { chromium } = await import('playwright-core');
		const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-sdp-'));
		const server = http.createServer((_q, res) => res.end('<html></html>'));
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: '/usr/bin/chromium', headless: true,
			args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream',
				'--use-fake-ui-for-media-stream', '--no-first-run', '--disable-background-networking',
				'--disable-component-update', '--disable-sync'],
		});
		try {
			const page = await context.newPage();
			await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
			await page.evaluate(async () => {
				const pc = new RTCPeerConnection();
				const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
				for (const t of stream.getTracks()) pc.addTrack(t, stream);
				pc.createDataChannel('janus');
				const offer = await pc.createOffer();
				await pc.setLocalDescription(offer);
				(globalThis as unknown as { pc: RTCPeerConnection }).pc = pc;
			});
			const offerSdp = await page.evaluate(() => (globalThis as unknown as { pc: RTCPeerConnection }).pc.localDescription!.sdp);
			for (const options of [{}, { videoCodec: 'h264', audioCodec: 'pcmu' }]) {
				const answer = withTransport(sdp.render(sdp.generateAnswer(offerSdp, options)));
				const result = await page.evaluate(async (answerSdp) => {
					const pc = (globalThis as unknown as { pc: RTCPeerConnection }).pc;
					if (pc.signalingState === 'stable') await pc.setLocalDescription(await pc.createOffer());
					await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
					return {
						state: pc.signalingState,
						codecs: pc.getTransceivers().map((t: any) => t.sender.getParameters().codecs.map((c: { mimeType: string }) => c.mimeType)),
					};
				}, answer);
				assert.equal(result.state, 'stable');
				const expected = 'videoCodec' in options ? [['audio/PCMU'], ['video/H264']] : [['audio/opus'], ['video/VP8']];
				assert.deepEqual(result.codecs, expected);
			}
		} finally {
			await context.close();
			server.close();
			fs.rmSync(userDataDir, { recursive: true, force: true });
		}
	});
});
