// ts-app.ts — the Node side of the signalling benchmark for janus-ts: the same requests
// the Lua/Duktape bench scripts answer. Run by the bench runner with the janus-ts CLI:
//   janus-ts run build/bench/ts-app.js --socket SOCK --replace
import { defineApp } from 'janus-ts';

export default defineApp({
  name: 'janus-ts-bench',
  handleMessage(session, { transaction, message }) {
    if (message.request === 'ping') return { pong: true };
    if (message.request === 'async') {
      // answered after the ack, as an app doing real async work would
      setImmediate(() => { session.pushEvent({ done: true }, { transaction }).catch(() => {}); });
      return;
    }
    throw new Error(`unknown request ${String(message.request)}`);
  },
});
