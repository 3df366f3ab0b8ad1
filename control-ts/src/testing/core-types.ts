/**
 * What the emulated plugin asks of the (fake) Janus core, as host-c calls
 * `janus_callbacks`: the test gateway implements it and records everything, per handle.
 * `H` is the gateway's handle type.
 */
import type { Jsep, JsonObject, LogLevel } from '../protocol/types';

export interface RtpOut { mindex: number; video: boolean; packet: Uint8Array }
export interface DataOut { binary: boolean; data: Buffer; label?: string; protocol?: string }

export interface CoreSide<H> {
	/** push_event: 0 when Janus accepts it, else a Janus error code (e.g. a bad SDP). */
	pushEvent(handle: H, transaction: string | undefined, event: JsonObject, jsep: Jsep | undefined): number;
	notifyEvent(handle: H | null, event: JsonObject): void;
	eventsIsEnabled(): boolean;
	closePc(handle: H): void;
	endSession(handle: H): void;
	relayRtp(handle: H, rtp: RtpOut, fromApp: boolean): void;
	relayRtcp(handle: H, rtcp: RtpOut, fromApp: boolean): void;
	relayData(handle: H, data: DataOut, fromApp: boolean): void;
	/** send_pli (mindex -1: every video stream) / send_pli_stream. */
	sendPli(handle: H, mindex: number): void;
	sendRemb(handle: H, bitrate: number): void;
	/** A `log` line, at Janus's level. */
	log(level: LogLevel, message: string): void;
	/** Whether the handle's PeerConnection was hung up or the handle detached (handle->stopped). */
	stopped(handle: H): boolean;
}

/** The kit's in-memory recorder of one medium (host-c writes a .mjr file instead). */
export interface Recording {
	codec: string;
	filename: string;
	folder?: string;
	fmtp?: string;
	/** Every saved packet (RTP with its original header, or data), in order. */
	frames: Buffer[];
}
