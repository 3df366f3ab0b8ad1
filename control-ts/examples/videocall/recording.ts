/** recording.ts — what a VideoCall user sends, recorded to .mjr files (`set` with `record`). */
import type { Jsep, Session } from '../../src';
import { mediaOf } from './sdp';
import type { CallState } from './state';

/** Starts or stops recording what this user sends (one .mjr per medium the SDP has). */
export async function record(session: Session<CallState>, on: boolean, filename: string | undefined, jsep?: Jsep): Promise<void> {
	const s = session.data;
	if (jsep?.sdp) s.has = mediaOf(jsep.sdp);
	await stopRecording(session);
	if (!on) return;
	const base = filename ?? `videocall-${s.username ?? 'unknown'}-${s.peer?.data.username ?? 'unknown'}-${Date.now() * 1000}`;
	const specs = [];
	if (s.has.audio) specs.push({ medium: 'audio' as const, codec: s.audioCodec ?? 'opus', filename: `${base}-audio` });
	if (s.has.video) specs.push({ medium: 'video' as const, codec: s.videoCodec ?? 'vp8', filename: `${base}-video` });
	if (s.has.data) specs.push({ medium: 'data' as const, codec: 'text', filename: `${base}-data` });
	if (specs.length === 0) return;
	await session.startRecording(...specs);
	s.recording = Object.fromEntries(specs.map((r) => [r.medium, r.filename]));
	if (s.has.video) await session.sendPli();
}

export async function stopRecording(session: Session<CallState>): Promise<void> {
	if (!session.data.recording) return;
	session.data.recording = undefined;
	await session.stopRecording();
}
