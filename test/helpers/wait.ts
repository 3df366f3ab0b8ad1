/**
 * Waiting in tests. Under load a fixed sleep is too short one day and wasted time the next:
 * wait for the condition itself (`until`) and keep `sleep` for what has no event to wait
 * for (e.g. "nothing more arrives").
 */

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Resolves once `check()` holds (polled every `everyMs`), or rejects with
 * "`what`: not within `timeoutMs` ms" (plus `detail()` when given, e.g. what was seen).
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000,
  opts: { everyMs?: number; detail?: () => string } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${opts.detail ? `; ${opts.detail()}` : ''}`);
    await sleep(opts.everyMs ?? 20);
  }
}

/** Whether process `pid` still exists (signal 0); for `until(() => !alive(pid), ...)`. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
