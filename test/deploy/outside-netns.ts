/**
 * Runs a command in the host's network namespace from inside the test namespace of
 * scripts/test.sh (which has no route out), e.g. `npm install` from the public registry.
 * The host namespace is that of the nearest ancestor process outside ours; entered with
 * nsenter (root). Outside a test namespace the command runs as is.
 */
import { spawnSync, SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';

function netnsOf(pid: number | 'self'): string {
  return fs.readlinkSync(`/proc/${pid}/ns/net`);
}

function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Pid of the nearest ancestor in another network namespace, or 0 when there is none. */
function hostNetnsPid(): number {
  const ours = netnsOf('self');
  for (let pid = process.ppid; pid > 1; pid = parentOf(pid)) {
    try {
      if (netnsOf(pid) !== ours) return pid;
    } catch {
      return 0;
    }
  }
  return 0;
}

export function runOutsideNetns(cmd: string, args: string[], opts: SpawnSyncOptions): SpawnSyncReturns<string> {
  const pid = process.env.JANUS_TS_NETNS === '1' ? hostNetnsPid() : 0;
  const [file, argv] = pid ? ['nsenter', [`--net=/proc/${pid}/ns/net`, '--', cmd, ...args]] : [cmd, args];
  return spawnSync(file, argv, { encoding: 'utf8', ...opts }) as SpawnSyncReturns<string>;
}

/** npm's output says the registry could not be reached (offline machine). */
export function isNetworkFailure(output: string): boolean {
  return /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|ECONNRESET|network/i.test(output);
}
