/**
 * janus-ts: write Janus plugin apps in TypeScript.
 *
 *   import { defineApp } from 'janus-ts';
 *   export default defineApp({ setupMedia: (s) => s.addRecipient(s) });
 *
 * then `janus-ts run app.js --socket /run/janus/ts.sock`. See docs/app-api.md.
 */
export { defineApp, wantsOf, type AppDefinition, type IncomingMessage, type DataChannelInfo, type MessageResult } from './App';
export { Channel, MAX_REQUEST_ID, type ChannelOptions, type ChannelEvents, type Responder } from './Channel';
export { Connection, type ConnectionOptions, type ConnectionEvents } from './Connection';
export * from './errors';
export { Logger, LOG_LEVELS, type LoggerOptions } from './Logger';
export { Plugin, type RecordingSpec, type Bytes } from './Plugin';
export { Runtime, run, type RunOptions, type RuntimeEvents } from './Runtime';
export { Session, type SessionRef } from './Session';
export { Timer } from './Timer';
export * from './protocol/types';
export * as sdp from './sdp';
import schema from './protocol/schema.json';
/** The protocol schema (method names, params, error kinds): the contract with the plugin. */
export const protocolSchema = schema;
export { ScriptApp, withMargin, type ScriptAppOptions } from './script/ScriptApp';
export { JanusFunctions, CallFailed } from './script/JanusFunctions';
export { Scheduler, type Clock } from './script/Scheduler';
export { janssonDumps } from './script/jansson';
export * from './script/ScriptEngine';
export { appFileKind, loadScriptApp, looksLikeDuktapeScript, type AppFileKind, type ScriptLoadOptions } from './script/loadScript';
export { LuaEngine, type LuaEngineOptions } from './lua/LuaEngine';
export { LuaVm, LuaRuntimeError, LuaTimeout, LuaVmAborted, type LuaFunction } from './lua/LuaVm';
export { DuktapeEngine, type DuktapeEngineOptions } from './duktape/DuktapeEngine';
