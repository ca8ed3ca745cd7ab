import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ProcessState, processState } from './process-state.ts';

/**
 * One service per data directory: it starts, owns and stops the embedded PostgreSQL there. A pid file
 * refuses a second process, and is taken over when the process that wrote it is gone: exited and reaped,
 * a zombie (killed with SIGKILL but not yet reaped by its parent: it holds no files any more), or its pid
 * now belongs to another process (the start time recorded beside the pid differs).
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, 'handoff.pid');
  const self = await processState(process.pid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(formatHolder(process.pid, self.kind === 'running' ? self.startTime : undefined));
      await file.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = parseHolder(await readFile(path, 'utf8').catch(() => ''));
      if (holder && holder.pid !== process.pid && holdsTheLock(holder, await processState(holder.pid))) {
        throw new Error(
          `data directory ${dataDir} is in use by process ${holder.pid}; use DATABASE_URL (PostgreSQL) to run several replicas`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock data directory ${dataDir}`);
}

interface Holder {
  pid: number;
  /** The holder's start time as the OS counts it; absent in pid files from before it was recorded. */
  startTime?: string;
}

/** "pid" or "pid startTime": a plain pid file stays readable by older versions and by people. */
function formatHolder(pid: number, startTime: string | undefined): string {
  return startTime === undefined ? String(pid) : `${pid} ${startTime}`;
}

function parseHolder(text: string): Holder | undefined {
  const [pidText, startTime] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return startTime ? { pid, startTime } : { pid };
}

/** A running process with the recorded start time (or none recorded, or none the OS tells) holds the lock. */
function holdsTheLock(holder: Holder, state: ProcessState): boolean {
  if (state.kind !== 'running') return false;
  return holder.startTime === undefined || state.startTime === undefined || state.startTime === holder.startTime;
}
