/**
 * An echo app whose setupMedia takes its time before it opens the valves and adds the echo
 * route (the setup-wait test and measure-setup-wait.ts run it in their own process): the
 * n-th setupMedia waits `delays[n]` ms (the last entry for later ones), then reports the
 * window it took (performance.now() values).
 */
import { performance } from 'node:perf_hooks';
import { defineApp, sdp } from 'janus-ts';
import { sleep } from '../helpers/wait';

export interface SetupWindow { from: number; to: number }

export function slowSetupEcho(delays: number[], onSetUp: (w: SetupWindow) => void) {
  let calls = 0;
  return defineApp({
    name: 'slow-setup-echo',
    handleMessage(session, { transaction, jsep }) {
      if (!jsep) return { ok: true };
      const answer = sdp.toJsep('answer', sdp.generateAnswer(sdp.parse(jsep.sdp), { data: false }));
      setImmediate(() => void session.pushEvent({ ok: true }, { transaction, jsep: answer }));
      return undefined;
    },
    async setupMedia(session) {
      const from = performance.now();
      await sleep(delays[Math.min(calls++, delays.length - 1)]);
      await session.setMedium('audio', true);
      await session.setMedium('video', true);
      await session.addRecipient(session);
      onSetUp({ from, to: performance.now() });
    },
  });
}
