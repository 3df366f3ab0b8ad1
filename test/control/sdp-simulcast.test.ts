// Simulcast descriptions of real offers (Chromium with janus.js's three rid encodings, a
// werift offer with an SSRC SIM group) and of the list Janus puts in a jsep, lowest quality
// first; generateAnswer keeping rid simulcast and its header extensions when asked.
import * as assert from 'node:assert/strict';
import { sdp } from 'janus-ts';
import { fixture } from './helpers/fixtures';

const simulcastOffer = () => fixture('chromium-simulcast-offer.sdp');

describe('control-ts SDP helpers: simulcast', () => {
	it('reads rid simulcast from a Chromium offer, lowest first, with the rid extension id', () => {
		assert.deepEqual(sdp.simulcastOf(simulcastOffer()), [{ mindex: 1, mid: '1', rids: ['l', 'm', 'h'], ridExtId: 10 }]);
		assert.deepEqual(sdp.simulcastOf(simulcastOffer(), { ridOrder: 'lmh' })[0].rids, ['h', 'm', 'l']);
	});

	it('reports paused rids, and nothing for offers without simulcast', () => {
		const paused = simulcastOffer().replace('a=simulcast:send h;m;l', 'a=simulcast:send h;~m;l');
		const d = sdp.simulcastOf(paused)[0];
		assert.deepEqual([d.rids, d.pausedRids], [['l', 'm', 'h'], ['m']]);
		assert.deepEqual(sdp.simulcastOf(fixture('chromium-offer.sdp')), []);
		assert.deepEqual(sdp.simulcastOf(fixture('werift-offer.sdp')), []);
	});

	it('reads SSRC simulcast (a=ssrc-group:SIM) in group order', () => {
		const text = fixture('werift-offer.sdp').replace(/(m=video[^]*?a=mid:1\r\n)/, '$1a=ssrc-group:SIM 11 22 33\r\na=ssrc:11 cname:x\r\na=ssrc:22 cname:x\r\na=ssrc:33 cname:x\r\n');
		assert.deepEqual(sdp.simulcastOf(text), [{ mindex: 1, mid: '1', ssrcs: [11, 22, 33] }]);
	});

	it("normalizes Janus's jsep list (rids highest first) and skips malformed entries", () => {
		const jsep = {
			type: 'offer', sdp: '',
			simulcast: [
				{ mindex: 1, mid: '1', rids: ['h', 'm', 'l'], 'rid-ext': 10 },
				{ mindex: 2, mid: '2', ssrcs: [5, 6, 7] },
				{ mindex: 3, rids: [1, 2] }, 'junk', null, { rids: ['a'] },
			],
		};
		assert.deepEqual(sdp.simulcastFromJsep(jsep), [
			{ mindex: 1, mid: '1', rids: ['l', 'm', 'h'], ridExtId: 10 },
			{ mindex: 2, mid: '2', ssrcs: [5, 6, 7] },
		]);
		assert.deepEqual(sdp.simulcastFromJsep({ type: 'offer', sdp: '' }), []);
		assert.deepEqual(sdp.simulcastFromJsep(undefined), []);
	});

	it('generateAnswer keeps rid simulcast and the rid extensions when asked, even past extmapFilter', () => {
		const offer = simulcastOffer();
		const kept = sdp.generateAnswer(offer, { simulcast: true, extmapFilter: () => false });
		const video = kept.media[1];
		assert.deepEqual(video.rids?.map((r) => `${r.id} ${r.direction}`), ['h recv', 'm recv', 'l recv']);
		assert.equal(video.simulcast?.dir1, 'recv');
		assert.deepEqual(video.ext?.map((e) => e.uri).sort(), [sdp.EXTMAP.RID, sdp.EXTMAP.REPAIRED_RID].sort());
		assert.equal(sdp.extmapId(video, sdp.EXTMAP.RID), 10);
		const plain = sdp.generateAnswer(offer, { extmapFilter: () => false });
		assert.equal(plain.media[1].rids, undefined);
		assert.equal(plain.media[1].ext, undefined);
		assert.equal(sdp.extmapId(kept.media[0], sdp.EXTMAP.AUDIO_LEVEL), -1, 'filtered out');
		assert.equal(sdp.extmapId(sdp.generateAnswer(offer).media[0], sdp.EXTMAP.AUDIO_LEVEL), 1);
	});
});
