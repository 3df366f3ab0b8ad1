/**
 * shape(): a comparable description of a plugin's JSON answer, for conformance tests that
 * run one script against a native Janus plugin and against our app: the same fields with
 * the same types, and the same values where the value is the protocol (event names, error
 * codes and wording, reasons, usernames) — ids and other run-dependent values aside.
 */

/** Fields whose values (not only types) must agree. */
const COMPARED_VALUES = new Set(['videoroom', 'textroom', 'videocall', 'chatroulette', 'error_code', 'configured', 'started',
  'paused', 'switched', 'left', 'leaving', 'unpublished', 'type', 'exists', 'permanent', 'publisher', 'send', 'active',
  'reason', 'moderation', 'result', 'pin_required', 'is_private', 'changes', 'disabled', 'codec', 'audio_codec',
  'video_codec', 'whisper', 'event', 'username', 'name', 'matched', 'list']);

/** Lists whose order is a hash table's in the native plugins (compared as sets). */
const UNORDERED = new Set(['participants', 'list', 'publishers', 'attendees', 'allowed']);

/** A comparable description of a JSON value. */
export function shape(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => shape(x, key));
    return UNORDERED.has(key) ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = shape((v as Record<string, unknown>)[k], k);
    return out;
  }
  if (key === 'error' && typeof v === 'string') return `error: ${v.replace(/\d{3,}/g, '<n>')}`;
  if (COMPARED_VALUES.has(key) && (typeof v !== 'number' || key === 'error_code' || key === 'changes')) return `${typeof v}: ${String(v)}`;
  return v === null ? 'null' : typeof v;
}

