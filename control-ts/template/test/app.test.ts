// The app on the test kit: the real router, no Janus, virtual time. `npm test`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { TestGateway } from 'janus-ts/testing';

const offer = { type: 'offer', sdp: fs.readFileSync(path.join(__dirname, 'offer.sdp'), 'utf8') };

test('echoes audio and video, mutes audio on request, answers ping at once', async () => {
	const gw = await TestGateway.start(path.join(__dirname, '..', 'app.ts'));
	try {
		const client = await gw.attach();
		const { data, jsep } = await client.request({ audio: true }, offer);
		assert.deepEqual(data, { result: 'ok', audio: true });
		assert.equal(jsep?.type, 'answer');
		await client.setupMedia();

		await client.sendRtp({ mindex: 0, seq: 1, ts: 960, ssrc: 11 });   // audio (m-line 0)
		await client.sendRtp({ mindex: 1, seq: 1, ts: 3000, ssrc: 22 });  // video (m-line 1)
		assert.equal(client.rtpOn(0).length, 1);
		assert.equal(client.rtpOn(1).length, 1);

		await client.request({ audio: false });
		await client.sendRtp({ mindex: 0, seq: 2, ts: 1920, ssrc: 11 });
		assert.equal(client.rtpOn(0).length, 1, 'muted');

		assert.deepEqual(await client.send({ request: 'ping' }), { type: 'reply', reply: { pong: true } });
	} finally {
		await gw.close();
	}
});
