/** Public types of the Plugin functions. */
import type { Medium } from './protocol/types';

/** One recording of `startRecording` (Lua passes these as flat argument triples). */
export interface RecordingSpec {
	medium: Medium;
	/** Codec name as in the .mjr header: 'opus', 'vp8', 'h264', 'text', ...; `fmtp` adds codec info. */
	codec: string;
	/** Folder of the file, inside the plugin's `recordings_folder` (relative to it, or absolute
	 *  under it). Default: `recordings_folder` itself. A path leading out of it is refused. */
	folder?: string;
	/** File name without the .mjr extension, relative to the folder (absolute only inside
	 *  `recordings_folder`, without `folder`). */
	filename: string;
	fmtp?: string;
}

/** Bytes accepted by the relay functions. */
export type Bytes = Buffer | Uint8Array;
