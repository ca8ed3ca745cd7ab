import { readdir, readFile, readlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processState } from '../process-state.ts';
import { postmasterPid } from './postmaster-pid.ts';

/** What a run that ended without stopping its server (a SIGKILL, a crash) may have left in the cluster folder. */
export type Leftover = { kind: 'none' } | { kind: 'running'; pid: number } | { kind: 'stale'; pid: number };

/**
 * postmaster.pid names the last postmaster. PostgreSQL refuses to start while that pid answers signal 0, which a
 * killed postmaster not yet reaped (a zombie) still does; our /proc reading counts a zombie as gone.
 */
export async function findLeftover(cluster: string): Promise<Leftover> {
  const pid = await postmasterPid(cluster);
  if (pid === undefined) return { kind: 'none' };
  const state = await processState(pid);
  if (state.kind === 'gone') return { kind: 'stale', pid };
  // A pid now used by something else (after a reboot, say) is no postmaster of ours.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (cmdline !== undefined && !cmdline.split('\0').includes(cluster)) return { kind: 'stale', pid };
  return { kind: 'running', pid };
}

/**
 * After the postmaster died, its backends notice within moments and exit; until they have, the old shared memory
 * is in use and PostgreSQL refuses to start. Waits for the processes working in the cluster folder (a backend's
 * working directory is the cluster), then removes the dead postmaster's pid file.
 */
export async function clearStale(cluster: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let busy = await processesIn(cluster);
  while (busy.length > 0) {
    if (Date.now() > deadline)
      throw new Error(`processes ${busy.join(', ')} of a killed database server still use ${cluster}; stop them and start again`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    busy = await processesIn(cluster);
  }
  await rm(join(cluster, 'postmaster.pid'), { force: true });
}

async function processesIn(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => undefined);
    if (cwd !== dir) continue;
    if ((await processState(Number(entry))).kind === 'running') found.push(Number(entry));
  }
  return found;
}
