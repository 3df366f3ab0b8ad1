/**
 * dpkg in the machine's real root, for the Debian package test: availability, install /
 * remove with a retry while another dpkg holds its lock, the package's status, and a
 * machine-wide lock so two test runs (two worktrees, two CI jobs) never install at once.
 */
import { execFileSync, spawn, spawnSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { sleep } from '../helpers/wait';

/** Why the real-root dpkg test cannot run here, or '' when it can. */
export function dpkgUnavailable(): string {
  for (const tool of ['dpkg', 'dpkg-deb', 'dpkg-query', 'flock']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (not a Debian system)`;
  }
  if (process.getuid?.() !== 0) return 'installing a package into the real root needs root';
  if (spawnSync('dpkg-query', ['-W', 'janus']).status !== 0) return 'the janus package is not installed';
  return '';
}


/** Runs dpkg (retrying for up to a minute while another dpkg/apt holds the lock). */
export async function dpkg(args: string[]): Promise<string> {
  const deadline = Date.now() + 60000;
  for (;;) {
    const r = spawnSync('dpkg', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status === 0) return r.stdout;
    const out = `${r.stdout}${r.stderr}`;
    if (!/lock|locked/i.test(out) || Date.now() > deadline) throw new Error(`dpkg ${args.join(' ')} failed (${r.status}):\n${out}`);
    await sleep(1000);
  }
}

/** dpkg's status of a package: e.g. 'install ok installed', 'deinstall ok config-files', or '' when unknown. */
export function packageStatus(name: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/** Installed version of a package ('' when not installed). */
export function packageVersion(name: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' });
  return r.status === 0 && packageStatus(name).endsWith(' installed') ? r.stdout.trim() : '';
}

/** Purges the package if dpkg knows it at all (installed, half-installed, config files left). */
export async function purgeIfPresent(name: string): Promise<boolean> {
  if (!packageStatus(name) || /not-installed/.test(packageStatus(name))) return false;
  await dpkg(['--purge', name]);
  return true;
}

/** A control field of a .deb (dpkg-deb -f). */
export function debField(deb: string, field: string): string {
  return execFileSync('dpkg-deb', ['-f', deb, field], { encoding: 'utf8' }).trim();
}

/**
 * Holds an exclusive flock on `file` (created if missing) until release() or until this
 * process dies (the holder is a child that exits when its stdin closes).
 */
export async function machineLock(file: string, timeoutMs: number): Promise<{ release(): void }> {
  const holder: ChildProcess = spawn('flock', ['--wait', String(Math.ceil(timeoutMs / 1000)), file, 'sh', '-c', 'echo locked; exec cat >/dev/null'],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`could not take the lock ${file} within ${timeoutMs} ms (flock exit ${code})`)));
  });
  return { release: () => holder.stdin!.end() };
}

/** Paths dpkg lists for an installed package (dpkg -L), without the root "/.". */
export async function packageFiles(name: string): Promise<string[]> {
  return (await dpkg(['-L', name])).split('\n').filter((l) => l && l !== '/.');
}

/** Whether a path exists without following a final symlink. */
export function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
