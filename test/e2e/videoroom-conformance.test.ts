// Protocol conformance of the VideoRoom app with Janus's own janus_videoroom: both plugins
// load in the same test Janus — the native one as janus.plugin.videoroom, ours (the
// janus-ts plugin + control-ts/examples/videoroom.ts) under another package name, since
// two plugins cannot register the same one — and read the same room configuration (Debian's
// sample janus.plugin.videoroom.jcfg, given to our app as app_config). One script of requests
// (rooms, publishers with werift, subscribers, errors) runs against each; replies and events
// must have the same fields, types, error codes and wording, ids aside. The deliberate
// differences are listed below and in the README.
import type { JanusSession } from '../helpers/janus-api';
import { WeriftPeer } from '../helpers/werift-peer';
import { WeriftSubscriber } from '../helpers/werift-subscriber';
import { ask, conformanceSuite, expectEvent, type Seen } from './conformance';
import { VIDEOROOM_APP } from './room-clients';

/** Differences we keep on purpose (see README, "VideoRoom: deliberate differences"). */
const DELIBERATE: string[] = [];

/** The script: the same requests for either plugin, every answer and event recorded. */
async function script(session: JanusSession, pkg: string): Promise<Seen[]> {
  const log: Seen[] = [];
  const peers: { close(): Promise<void> }[] = [];
  try {
    const admin = await session.attach(pkg);
    await ask(log, 'list', admin, { request: 'list' });
    await ask(log, 'exists', admin, { request: 'exists', room: 1234 });
    await ask(log, 'exists-no', admin, { request: 'exists', room: 999 });
    await ask(log, 'create', admin, { request: 'create', room: 4444, secret: 'sec', pin: 'pin', is_private: true, publishers: 2, require_pvtid: true });
    await ask(log, 'create-dup', admin, { request: 'create', room: 4444 });
    await ask(log, 'create-badcodec', admin, { request: 'create', videocodec: 'vp7' });
    await ask(log, 'create-badtype', admin, { request: 'create', bitrate: 'fast' });
    await ask(log, 'create-negative', admin, { request: 'create', publishers: -1 });
    await ask(log, 'edit-nosecret', admin, { request: 'edit', room: 4444, new_description: 'x' });
    await ask(log, 'edit-wrongsecret', admin, { request: 'edit', room: 4444, secret: 'bad' });
    await ask(log, 'edit', admin, { request: 'edit', room: 4444, secret: 'sec', new_description: 'Four' });
    await ask(log, 'list-after', admin, { request: 'list' });
    await ask(log, 'allowed-bad', admin, { request: 'allowed', room: 4444, secret: 'sec', action: 'maybe' });
    await ask(log, 'allowed-add', admin, { request: 'allowed', room: 4444, secret: 'sec', action: 'add', allowed: ['t1'] });
    await ask(log, 'allowed-disable', admin, { request: 'allowed', room: 4444, secret: 'sec', action: 'disable' });
    await ask(log, 'listparticipants-none', admin, { request: 'listparticipants', room: 999 });
    await ask(log, 'missing-room', admin, { request: 'exists' });
    await ask(log, 'unknown', admin, { request: 'dance' });
    await ask(log, 'no-request', admin, { room: 1 });
    await ask(log, 'configure-first', admin, { request: 'configure' });
    await ask(log, 'join-wrongpin', admin, { request: 'join', room: 4444, ptype: 'publisher' });
    await ask(log, 'join-badptype', admin, { request: 'join', room: 1234, ptype: 'viewer' });
    await ask(log, 'join-nofeed', admin, { request: 'join', room: 1234, ptype: 'subscriber', streams: [{ feed: 42 }] });
    await ask(log, 'join-nostreams', admin, { request: 'join', room: 1234, ptype: 'subscriber' });

    // Publishers A and B; a watcher W that joins and never publishes.
    const W = await session.attach(pkg);
    await ask(log, 'join-W', W, { request: 'join', room: 1234, ptype: 'publisher', display: 'watcher' });
    const A = await session.attach(pkg);
    const a = await ask(log, 'join-A', A, { request: 'join', room: 1234, ptype: 'publisher', display: 'alice' });
    await ask(log, 'join-A-again', A, { request: 'join', room: 1234, ptype: 'publisher' });
    await ask(log, 'unpublish-before', A, { request: 'unpublish' });
    const pa = new WeriftPeer({ data: false });
    peers.push(pa);
    const pubA = await ask(log, 'publish-A', A, { request: 'publish', display: 'alice' }, await pa.offer());
    await pa.accept(pubA.jsep);
    await pa.connected();
    await expectEvent(log, 'W-sees-A', W, (d) => Array.isArray(d?.publishers));
    pa.startSending();
    await ask(log, 'publish-A-again', A, { request: 'publish' }, await pa.offer().catch(() => ({ type: 'offer', sdp: 'v=0' })));
    await ask(log, 'configure-A-bitrate', A, { request: 'configure', bitrate: 256000 });
    await ask(log, 'configure-A-badmid', A, { request: 'configure', streams: [{ mid: '77', send: false }] });
    await ask(log, 'configure-A-video-off', A, { request: 'configure', video: false });
    await ask(log, 'configure-A-video-on', A, { request: 'configure', video: true, keyframe: true });
    const B = await session.attach(pkg);
    const b = await ask(log, 'join-B', B, { request: 'join', room: 1234, ptype: 'publisher', display: 'bob' });
    const pb = new WeriftPeer({ data: false });
    peers.push(pb);
    const pubB = await ask(log, 'publish-B', B, { request: 'configure', audio: true, video: true }, await pb.offer());
    await pb.accept(pubB.jsep);
    await pb.connected();
    await expectEvent(log, 'A-sees-B', A, (d) => Array.isArray(d?.publishers));
    pb.startSending();
    const aid = a.data.id, bid = b.data.id;
    await ask(log, 'listparticipants', admin, { request: 'listparticipants', room: 1234 });

    // A multistream subscription to A and B.
    const S = await session.attach(pkg);
    const s = new WeriftSubscriber();
    peers.push(s);
    const att = await ask(log, 'sub-join', S, { request: 'join', room: 1234, ptype: 'subscriber', streams: [{ feed: aid }, { feed: bid, mid: '1' }], private_id: a.data.private_id });
    await ask(log, 'sub-start', S, { request: 'start' }, await s.answer(att.jsep));
    await s.connected();
    await ask(log, 'sub-join-again', S, { request: 'join', room: 1234, ptype: 'subscriber', streams: [{ feed: aid }] });
    await ask(log, 'sub-configure-badmid', S, { request: 'configure', streams: [{ mid: '9', send: false }] });
    await ask(log, 'sub-configure-send', S, { request: 'configure', streams: [{ mid: '1', send: false }] });
    await ask(log, 'sub-configure-layers', S, { request: 'configure', streams: [{ mid: '1', send: true, substream: 1, temporal: 2 }] });
    await ask(log, 'sub-configure-badlayer', S, { request: 'configure', streams: [{ mid: '1', substream: 5 }] });
    await ask(log, 'sub-switch', S, { request: 'switch', streams: [{ feed: bid, mid: '1', sub_mid: '1' }] });
    await ask(log, 'sub-switch-nofeed', S, { request: 'switch', streams: [{ feed: 4242, mid: '1', sub_mid: '1' }] });
    await ask(log, 'sub-switch-empty', S, { request: 'switch', streams: [] });
    await ask(log, 'sub-pause', S, { request: 'pause' });
    await ask(log, 'sub-resume', S, { request: 'start' });
    // (The renegotiation offer is left unanswered: the next change must wait, "updating".)
    await ask(log, 'sub-unsubscribe', S, { request: 'unsubscribe', streams: [{ feed: bid }] });
    await ask(log, 'sub-subscribe', S, { request: 'subscribe', streams: [{ feed: bid, mid: '0' }] });
    await ask(log, 'sub-subscribe-nofeed', S, { request: 'subscribe', streams: [{ feed: 4242 }] });
    await ask(log, 'sub-update-empty', S, { request: 'update' });
    await ask(log, 'sub-unknown', S, { request: 'publish' });

    // Moderation, kick, unpublish, leave.
    await ask(log, 'moderate', admin, { request: 'moderate', room: 1234, secret: 'adminpwd', id: bid, mid: '0', mute: true });
    await expectEvent(log, 'W-sees-moderation', W, (d) => d?.moderation !== undefined);
    await ask(log, 'moderate-nostream', admin, { request: 'moderate', room: 1234, secret: 'adminpwd', id: bid, mid: '8', mute: true });
    await ask(log, 'kick-nouser', admin, { request: 'kick', room: 1234, secret: 'adminpwd', id: 4242 });
    await ask(log, 'unpublish-B', B, { request: 'unpublish' });
    await expectEvent(log, 'W-sees-B-unpublished', W, (d) => d?.unpublished === bid);
    await ask(log, 'leave-B', B, { request: 'leave' });
    await expectEvent(log, 'W-sees-B-leaving', W, (d) => d?.leaving === bid);
    await ask(log, 'after-leave', B, { request: 'configure' });
    await ask(log, 'kick-A', admin, { request: 'kick', room: 1234, secret: 'adminpwd', id: aid });
    await expectEvent(log, 'A-kicked', A, (d) => d?.reason === 'kicked');
    await expectEvent(log, 'W-sees-A-kicked', W, (d) => d?.kicked === aid);
    await ask(log, 'sub-leave', S, { request: 'leave' });
    await ask(log, 'destroy-wrong', admin, { request: 'destroy', room: 4444, secret: 'no' });
    await ask(log, 'destroy', admin, { request: 'destroy', room: 4444, secret: 'sec' });
    await ask(log, 'exists-destroyed', admin, { request: 'exists', room: 4444 });
    for (const h of [admin, W, A, B, S]) await h.detach().catch(() => undefined);
  } finally {
    for (const p of peers) await p.close().catch(() => undefined);
  }
  return log;
}

conformanceSuite({ title: 'conformance: VideoRoom app vs janus_videoroom (same script, same answers)', plugin: 'videoroom', app: VIDEOROOM_APP, script, deliberate: DELIBERATE });
