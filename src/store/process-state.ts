import { readFile } from 'node:fs/promises';

/** What the OS says of a pid: gone (never was, exited and reaped, or a zombie) or running since startTime. */
export type ProcessState = { kind: 'gone' } | { kind: 'running'; startTime?: string };

/**
 * Linux's /proc/<pid>/stat (proc(5)): after the command name in parentheses come the state (field 3; Z is a
 * zombie, X dead) and, 19 fields on, the start time in clock ticks since boot (field 22), which tells a reused
 * pid apart. Without /proc (not Linux), signal 0 only tells whether the pid exists.
 */
export async function processState(pid: number): Promise<ProcessState> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' ? null : undefined,
  );
  if (stat === null) return { kind: 'gone' };
  if (stat === undefined) return signalZero(pid);
  return parseStat(stat) ?? signalZero(pid);
}

/** The fields of a /proc/<pid>/stat line after the command name (which may hold spaces): index 0 is field 3. */
export function statFields(stat: string): string[] {
  return stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
}

export function parseStat(stat: string): ProcessState | undefined {
  const fields = statFields(stat);
  const [state] = fields;
  const startTime = fields[19];
  if (!state || !startTime) return undefined;
  return state === 'Z' || state === 'X' ? { kind: 'gone' } : { kind: 'running', startTime };
}

function signalZero(pid: number): ProcessState {
  try {
    process.kill(pid, 0);
    return { kind: 'running' };
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? { kind: 'running' } : { kind: 'gone' };
  }
}
