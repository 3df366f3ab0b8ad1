/**
 * janus-ts/testing: test an app on the real router without Janus.
 *
 *   import { TestGateway } from 'janus-ts/testing';
 *   const gw = await TestGateway.start('./app.ts');
 *
 * See README "Testing your app".
 */
export { TestGateway, type GatewayOptions, type LogLine, type HandlerEvent } from './gateway';
export { TestHandle, MessageError, type PushedEvent, type RelayedRtp, type RelayedRtcp, type RelayedData, type SendResult } from './handle';
export type { Recording } from './core-types';
export { VirtualClock } from './clock';
export { buildRtp, parseRtp, buildPli, buildFir, buildRemb, type RtpFields, type RtpHeader } from './rtp';
export { routerWasmPath, routerWasmCandidates } from './wasm-path';
