// The module as a file: ABI version agreed with the C host, the imports (a shared memory and
// sync) and exports of docs/router-abi.md, no data segments, a size budget, and a debug
// build that compiles to the same interface.

import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { ABI_VERSION, instantiateRouter, readWasm, releaseWasmPath, debugWasmPath, repoRoot } from "./router-harness";

const ABI_EXPORTS = ["memory", "abi_version", "configure", "attach", "recover", "in_ptr", "in_cap", "out_ptr",
  "out_cap", "rtp", "rtcp", "data", "tick", "session_open", "session_close", "session_start", "session_hangup",
  "set_valve", "set_bitrate", "set_pli_freq", "set_data_ready", "set_recording", "set_pli_min_interval",
  "route_add", "route_remove", "set_streams", "stream_resolve", "route_count", "routes_ptr", "session_state", "session_stats", "stream_stats",
  "global_stats", "set_codecs", "set_simulcast", "set_layers", "layers_state", "set_talk", "talk_score", "fwd_add",
  "fwd_remove", "fwd_stats"];
const ABI_IMPORTS = [{ module: "env", name: "memory", kind: "memory" }, { module: "env", name: "sync", kind: "function" }];
const importsOf = (mod: WebAssembly.Module) => WebAssembly.Module.imports(mod).sort((a, b) => a.name.localeCompare(b.name));

/** Ids of the sections of a module, in order (a data segment would be section 11). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let p = 8;
  while (p < bytes.length) {
    ids.push(bytes[p++]);
    let size = 0, shift = 0, b: number;
    do { b = bytes[p++]; size |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    p += size;
  }
  return ids;
}

/** Release size budget: v3 was ~9 KiB, v4 with simulcast/SVC, talk detection, forwarders
 *  and payload types ~19 KiB. */
const RELEASE_BYTE_BUDGET = 24 * 1024;

function abiVersionIn(file: string, re: RegExp): number {
  const m = re.exec(fs.readFileSync(file, "utf8"));
  assert.ok(m, `no ABI version found in ${file}`);
  return Number(m[1]);
}

describe("router ABI", () => {
  it("router-as/abi.ts, the module and the test harness agree on ABI_VERSION", async () => {
    const src = abiVersionIn(path.join(repoRoot(), "router-as", "abi.ts"), /export const ABI_VERSION\s*:\s*u32\s*=\s*(\d+)/);
    assert.strictEqual(src, ABI_VERSION);
    const x = await instantiateRouter();
    assert.strictEqual(x.abi_version(), src);
  });

  it("host-c/router_abi.h defines the same TS_ROUTER_ABI_VERSION", function () {
    const header = path.join(repoRoot(), "host-c", "router_abi.h");
    if (!fs.existsSync(header)) {
      this.skip(); // host-c/router_abi.h is written by the C-plugin side; not there yet
    }
    const src = abiVersionIn(path.join(repoRoot(), "router-as", "abi.ts"), /export const ABI_VERSION\s*:\s*u32\s*=\s*(\d+)/);
    const c = abiVersionIn(header, /#define\s+TS_ROUTER_ABI_VERSION\s+\(?\s*(\d+)u?\s*\)?/);
    assert.strictEqual(c, src, `host-c/router_abi.h says ${c}, router-as/abi.ts says ${src}`);
  });

  it("release router.wasm imports the memory and sync, and exports exactly the ABI", () => {
    const mod = new WebAssembly.Module(readWasm());
    assert.deepStrictEqual(importsOf(mod), ABI_IMPORTS);
    const names = WebAssembly.Module.exports(mod).map((e) => e.name).sort();
    assert.deepStrictEqual(names, [...ABI_EXPORTS].sort());
  });

  it("has no data segments: instantiating on the shared memory writes nothing into it", () => {
    const ids = sectionIds(readWasm());
    assert.ok(ids.includes(2) && ids.includes(7), `import and export sections expected, got ${ids}`);
    assert.ok(!ids.includes(11) && !ids.includes(12), `data sections found: ${ids}`);
  });

  it(`release router.wasm stays under ${RELEASE_BYTE_BUDGET} bytes`, () => {
    const size = fs.statSync(releaseWasmPath()).size;
    assert.ok(size > 1000, `suspiciously small: ${size} bytes`);
    assert.ok(size <= RELEASE_BYTE_BUDGET, `router.wasm is ${size} bytes, budget ${RELEASE_BYTE_BUDGET}`);
  });

  it("debug build compiles, has the same imports and exports", function () {
    this.timeout(60000);
    const out = path.join(fs.mkdtempSync("/tmp/router-debug-"), "router.debug.wasm");
    execFileSync("npx", ["asc", "--config", "asconfig.json", "--target", "debug", "--outFile", out, "--textFile", out + ".wat"],
      { cwd: repoRoot(), stdio: "pipe" });
    const mod = new WebAssembly.Module(fs.readFileSync(out));
    assert.deepStrictEqual(importsOf(mod), ABI_IMPORTS);
    assert.deepStrictEqual(WebAssembly.Module.exports(mod).map((e) => e.name).sort(), [...ABI_EXPORTS].sort());
    if (fs.existsSync(debugWasmPath())) assert.ok(WebAssembly.validate(fs.readFileSync(debugWasmPath())));
  });
});
