// Protocol conformance of the TextRoom app with Janus's own janus_textroom: both in one test
// Janus (ours under another package name), both reading Debian's sample
// janus.plugin.textroom.jcfg. The same script — setup/ack over the Janus API, then join,
// messages, whispers, announcements, room management and errors over the data channel and
// the Janus API — runs against each; every reply and data channel event must have the
// native fields, types, error codes and wording.
import type { JanusSession } from '../helpers/janus-api';
import { ask, conformanceSuite, type Seen } from './conformance';
import { TEXTROOM_APP, request, textroomClient, type TextroomClient } from './room-clients';

/** Differences we keep on purpose (README, "TextRoom: deliberate differences"). */
const DELIBERATE = [
  // The native plugin answers a data channel kick with {"textbridge": "success"} (a typo); we say "textroom".
  'dc-kick.data.textbridge', 'dc-kick.data.textroom',
];

async function script(session: JanusSession, pkg: string): Promise<Seen[]> {
  const log: Seen[] = [];
  const clients: TextroomClient[] = [];
  const dc = async (step: string, c: TextroomClient, body: Record<string, unknown>) => {
    const r = await request(c, body);
    delete r.transaction;
    log.push({ step, data: r });
    return r;
  };
  const event = async (step: string, c: TextroomClient, match: (m: any) => boolean) => {
    log.push({ step, data: await c.peer.waitJson(match, 5000).catch(() => ({ timeout: true })) });
  };
  try {
    const api = await session.attach(pkg);
    await ask(log, 'api-unknown', api, { request: 'dance' });
    await ask(log, 'api-norequest', api, {});
    await ask(log, 'api-ack-early', api, { request: 'ack' });
    await ask(log, 'api-list', api, { request: 'list' });
    await ask(log, 'api-exists', api, { request: 'exists', room: 1234 });
    await ask(log, 'api-create', api, { request: 'create', room: 5555, secret: 'sec', pin: 'pin', history: 2, is_private: true });
    await ask(log, 'api-create-dup', api, { request: 'create', room: 5555 });
    await ask(log, 'api-create-badtype', api, { request: 'create', history: 'many' });
    await ask(log, 'api-edit', api, { request: 'edit', room: 5555, secret: 'sec', new_description: 'Five' });
    await ask(log, 'api-edit-wrong', api, { request: 'edit', room: 5555, secret: 'x' });
    await ask(log, 'api-listparticipants', api, { request: 'listparticipants', room: 1234 });
    await ask(log, 'api-listparticipants-none', api, { request: 'listparticipants', room: 9 });
    await ask(log, 'api-allowed', api, { request: 'allowed', room: 5555, secret: 'sec', action: 'add', allowed: ['tok'] });
    await ask(log, 'api-announcement-nosecret', api, { request: 'announcement', room: 5555, text: 'x' });

    const a = await textroomClient(session, pkg, 'a');
    const b = await textroomClient(session, pkg, 'b');
    clients.push(a, b);
    await ask(log, 'api-setup-again', a.handle, { request: 'setup' });
    await dc('dc-bad-json-fields', a, { textroom: 'join' });
    await dc('dc-unknown', a, { textroom: 'dance' });
    await dc('dc-join-noroom', a, { textroom: 'join', room: 4242, username: 'a' });
    await dc('dc-join', a, { textroom: 'join', room: 1234, username: 'a', display: 'Ann' });
    await dc('dc-join-again', a, { textroom: 'join', room: 1234, username: 'a2' });
    await dc('dc-join-taken', b, { textroom: 'join', room: 1234, username: 'a' });
    await dc('dc-join-b', b, { textroom: 'join', room: 1234, username: 'b' });
    await event('a-sees-b', a, (m) => m.textroom === 'join' && m.username === 'b');
    await dc('dc-join-pin-missing', a, { textroom: 'join', room: 5555, username: 'a' });
    await dc('dc-join-token', a, { textroom: 'join', room: 5555, username: 'a', pin: 'pin' });
    await ask(log, 'api-allowed-disable', api, { request: 'allowed', room: 5555, secret: 'sec', action: 'disable' });
    await dc('dc-join-5555', a, { textroom: 'join', room: 5555, username: 'a', pin: 'pin' });
    await dc('dc-message', a, { textroom: 'message', room: 1234, text: 'hi' });
    await event('b-gets-message', b, (m) => m.textroom === 'message' && m.text === 'hi');
    await dc('dc-whisper', b, { textroom: 'message', room: 1234, to: 'a', text: 'psst' });
    await event('a-gets-whisper', a, (m) => m.text === 'psst');
    await dc('dc-tos', b, { textroom: 'message', room: 1234, tos: ['a', 'zz'], text: 'two' });
    b.peer.channel!.send(JSON.stringify({ textroom: 'message', room: 1234, text: 'quiet', ack: false, transaction: 'noack' }));
    await dc('dc-message-notin', b, { textroom: 'message', room: 5555, text: 'x' });
    log.push({ step: 'dc-message-noack', data: { replied: b.peer.messages.some((m) => m.includes('"noack"')) } });
    await dc('dc-message-both', a, { textroom: 'message', room: 1234, text: 'x', to: 'b', tos: ['b'] });
    await dc('dc-history-msg', a, { textroom: 'message', room: 5555, text: 'kept' });
    await dc('dc-announcement', a, { textroom: 'announcement', room: 1234, secret: 'adminpwd', text: 'news' });
    await event('b-gets-announcement', b, (m) => m.textroom === 'announcement');
    await dc('dc-list', a, { textroom: 'list' });
    await dc('dc-listparticipants', a, { textroom: 'listparticipants', room: 1234 });
    await dc('dc-exists', a, { textroom: 'exists', room: 5555 });
    await dc('dc-create', a, { textroom: 'create', room: 6666 });
    await dc('dc-edit', a, { textroom: 'edit', room: 6666, new_is_private: true });
    await dc('dc-kick-nouser', a, { textroom: 'kick', room: 1234, secret: 'adminpwd', username: 'zz' });
    await dc('dc-kick', a, { textroom: 'kick', room: 1234, secret: 'adminpwd', username: 'b' });
    await event('b-kicked', b, (m) => m.textroom === 'kicked');
    await dc('dc-leave-notin', b, { textroom: 'leave', room: 1234 });
    await dc('dc-leave', a, { textroom: 'leave', room: 5555 });
    await dc('dc-destroy', a, { textroom: 'destroy', room: 6666 });
    await dc('dc-destroy-wrong', a, { textroom: 'destroy', room: 5555, secret: 'no' });
    await ask(log, 'api-destroy', api, { request: 'destroy', room: 5555, secret: 'sec' });
    await ask(log, 'api-kick', api, { request: 'kick', room: 1234, secret: 'adminpwd', username: 'zz' });
    for (const h of [api, a.handle, b.handle]) await h.detach().catch(() => undefined);
  } finally {
    for (const c of clients) await c.peer.close().catch(() => undefined);
  }
  return log;
}

conformanceSuite({ title: 'conformance: TextRoom app vs janus_textroom (same script, same answers)', plugin: 'textroom', app: TEXTROOM_APP, script, deliberate: DELIBERATE });
