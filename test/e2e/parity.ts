// Shared by the kit-parity tests: how a client's observations are summarized so that the
// test kit and a real Janus can be compared.

export { sleep } from '../helpers/wait';

/** Packets of one stream as a client saw them: payload tag counter, seq, ts. */
export interface Seen { counter: number; seq: number; ts: number }

/** Counters in order, and the seq/ts steps between consecutive packets. */
export function summarize(rtp: Seen[]): { counters: number[]; steps: number[][] } {
  const sorted = [...rtp].sort((a, b) => a.counter - b.counter);
  const steps = sorted.slice(1).map((p, i) => [(p.seq - sorted[i].seq) & 0xffff, (p.ts - sorted[i].ts) >>> 0]);
  return { counters: sorted.map((p) => p.counter), steps };
}
