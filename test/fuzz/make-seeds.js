#!/usr/bin/env node
// Writes the seed corpora of the fuzz targets (test/fuzz/corpus/<target>/) and the control
// dictionary: valid inputs of each kind, from which libFuzzer mutates. Rerun after a change
// of the targets' input formats: node test/fuzz/make-seeds.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const root = path.resolve(here, '..', '..');
const schema = require(path.join(root, 'control-ts/src/protocol/schema.json'));
// The ids of fuzz_control's three sessions (fixed random seed; FUZZ_LOG=4 prints them).
const IDS = [1693883930, 3171933191, 914137705];

function write(target, name, bytes) {
  const dir = path.join(here, 'corpus', target);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), bytes);
}

function frame(obj) {
  const body = Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj));
  const h = Buffer.alloc(4);
  h.writeUInt32BE(body.length);
  return Buffer.concat([h, body]);
}

// ---- fuzz_control: byte 0 (bit 0: hello first), then frames ----
const rtp = Buffer.from('80601234000003e8deadbeef' + '00'.repeat(20), 'hex').toString('base64');
const calls = {
  pushEvent: { id: IDS[0], transaction: 't', event: { ok: true }, jsep: { type: 'answer', sdp: 'v=0\r\nm=audio 9 RTP/SAVPF 111\r\na=mid:0\r\na=sendrecv\r\n' } },
  notifyEvent: { id: IDS[0], event: { x: 1 } },
  eventsIsEnabled: {},
  closePc: { id: IDS[2] },
  endSession: { id: IDS[2] },
  configureMedium: { id: IDS[0], medium: 'video', direction: 'out', enabled: false },
  addRecipient: { id: IDS[1], recipient: IDS[0] },
  removeRecipient: { id: IDS[0], recipient: IDS[1] },
  addRoute: { id: IDS[1], mindex: 1, recipient: IDS[2], recipientMindex: 1 },
  removeRoute: { id: IDS[1], mindex: 0, recipient: IDS[2], recipientMindex: 0 },
  setBitrate: { id: IDS[0], bitrate: 128000 },
  setPliFreq: { id: IDS[0], seconds: 2 },
  sendPli: { id: IDS[0], mindex: 1 },
  setSubstream: { id: IDS[0], substream: 1 },
  setTemporalLayer: { id: IDS[0], temporal: 1 },
  relayRtp: { id: IDS[1], video: false, mindex: 0, data: rtp },
  relayRtcp: { id: IDS[1], video: true, data: Buffer.from('81c90001deadbeef', 'hex').toString('base64') },
  relayTextData: { id: IDS[2], text: 'hello', label: 'l' },
  relayBinaryData: { id: IDS[2], data: 'AAEC', protocol: 'p' },
  startRecording: { id: IDS[1], medium: 'audio', codec: 'opus', filename: 'seed-audio' },
  stopRecording: { id: IDS[0], medium: 'video' },
  log: { level: 'info', message: 'seed' },
  sessionInfo: { id: IDS[0] },
  stats: {},
  describe: {},
};
let n = 2;
for (const [method, params] of Object.entries(calls)) {
  write('fuzz_control', `${method}`, Buffer.concat([Buffer.from([1]), frame({ id: n++, method, params })]));
}
write('fuzz_control', 'hello-self', Buffer.concat([Buffer.from([0]),
  frame({ id: 1, method: 'hello', params: { protocol: 1, token: 'fuzz-token', app: 'seed', wants: ['incomingTextData'], replace: true } })]));
write('fuzz_control', 'responses', Buffer.concat([Buffer.from([1]), frame({ id: 7, result: { reply: {} } }),
  frame({ id: 8, error: 'Timeout', reason: 'x' })]));
write('fuzz_control', 'two-in-one', Buffer.concat([Buffer.from([1]), frame({ id: 3, method: 'stats' }), frame({ id: 4, method: 'nope' })]));

const dict = new Set(['"id"', '"method"', '"params"', '"result"', '"error"', '"reason"', '"event"', '"hello"',
  '"protocol"', '"token"', '"fuzz-token"', '"wants"', '"replace"', 'true', 'false', 'null',
  ...IDS.map((i) => `"${i}"`)]);
for (const m of Object.keys(schema.appToPlugin ?? calls)) dict.add(`"${m}"`);
for (const params of Object.values(calls)) for (const k of Object.keys(params)) dict.add(`"${k}"`);
for (const v of ['audio', 'video', 'data', 'in', 'out', 'opus', 'vp8', 'text', 'binary', 'info', 'offer', 'answer']) dict.add(`"${v}"`);
fs.writeFileSync(path.join(here, 'control.dict'), [...dict].map((d, i) => `k${i}=${JSON.stringify(d)}`).join('\n') + '\n');

// ---- fuzz_packet: records op, mindex, len (BE16), bytes ----
function rec(op, mindex, bytes) {
  const h = Buffer.from([op, mindex, bytes.length >> 8, bytes.length & 255]);
  return Buffer.concat([h, bytes]);
}
const audio = Buffer.from('80 6f 00 01 00 00 03 c0 11 11 11 11'.replace(/ /g, '') + 'aa'.repeat(40), 'hex');
const videoExt = Buffer.from('90 60 00 02 00 00 0b b8 22 22 22 22 be de 00 01 10 5a 00 00'.replace(/ /g, '') + 'bb'.repeat(900), 'hex');
const padded = Buffer.from('a0 60 00 03 00 00 0b b8 22 22 22 22'.replace(/ /g, '') + 'cc'.repeat(20) + '00000004', 'hex');
const pli = Buffer.from('81ce0002' + '00000001' + '22222222', 'hex');
const remb = Buffer.from('8fce0005' + '00000001' + '00000000' + '52454d42' + '0101d4c0' + '11111111', 'hex');
const sr = Buffer.from('80c80006' + '11111111' + '00'.repeat(20), 'hex');
write('fuzz_packet', 'audio', rec(0x00, 0, audio));
write('fuzz_packet', 'video-ext', rec(0x10, 1, videoExt));
write('fuzz_packet', 'padding', rec(0x10, 1, padded));
write('fuzz_packet', 'rtcp-pli-remb', Buffer.concat([rec(0x05, 1, Buffer.concat([sr, pli, remb]))]));
write('fuzz_packet', 'data', Buffer.concat([rec(0x02, 0, Buffer.from('hello')), rec(0x22, 0, Buffer.from([0, 1, 2]))]));
write('fuzz_packet', 'mixed', Buffer.concat([rec(0x03, 0x4c, Buffer.alloc(0)), rec(0x00, 0, audio), rec(0x04, 0, audio),
  rec(0x18, 1, videoExt), rec(0x09, 1, pli), rec(0x03, 0xc1, Buffer.alloc(0)), rec(0x00, 0, audio)]));

// ---- fuzz_mlines: byte 0 (bit 0: the client's SDP), then the SDP ----
for (const f of ['chromium-offer.sdp', 'chromium-simulcast-offer.sdp', 'werift-offer.sdp']) {
  const sdp = fs.readFileSync(path.join(root, 'test/control/fixtures', f));
  write('fuzz_mlines', f, Buffer.concat([Buffer.from([1]), sdp]));
}
write('fuzz_mlines', 'app-answer', Buffer.concat([Buffer.from([0]), Buffer.from(
  'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\na=sendonly\r\nm=audio 9 RTP/SAVPF 111\r\na=mid:a\r\nm=video 0 RTP/SAVPF 96\r\n' +
  'a=bundle-only\r\na=inactive\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:d\r\n')]));

// ---- fuzz_jcfg: a janus.plugin.ts.jcfg ----
write('fuzz_jcfg', 'full', fs.readFileSync(path.join(root, 'conf/janus.plugin.ts.jcfg')).toString().replace(/^\s*#\s*/gm, ''));
write('fuzz_jcfg', 'values', 'router = "/usr/share/janus-ts/router.wasm"\ncontrol_socket_mode = "0660"\nmax_sessions = 0x10\n' +
  'control_max_frame = 99999999999\napp_config = "/etc/hostname"\nevents = "no"\nmessage_timeout_ms = -1\n');
console.log('seeds written to test/fuzz/corpus/');
