import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { lockDataDir } from '../../src/store/data-dir-lock.ts';
import { parseStat, processState } from '../../src/store/process-state.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDirHeldBy(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'handoff-lock-'));
  dirs.push(dir);
  await writeFile(join(dir, 'handoff.pid'), content);
  return dir;
}

/**
 * A shell that starts a child, prints its pid and becomes a `sleep` that never reaps it: the child stays a zombie.
 * The child exits only once the shell has become `sleep` (`$$` in a subshell is still the shell's pid): a child that
 * ended sooner could be reaped by the shell itself before its exec.
 */
async function zombiePid(): Promise<number> {
  const child = 'while [ "$(cat /proc/$$/comm)" != sleep ]; do :; done';
  const parent = spawn('sh', ['-c', `(${child}) & echo $!; exec sleep 30`], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(parent);
  const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer];
  const pid = Number(chunk.toString().trim());
  const deadline = Date.now() + 10_000;
  while ((await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.[0] !== 'Z') {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not become a zombie`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return pid;
}

function runningSleep(): ChildProcess {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

async function startTimeOf(pid: number): Promise<string> {
  const state = await processState(pid);
  if (state.kind !== 'running' || !state.startTime) throw new Error(`process ${pid} is not running`);
  return state.startTime;
}

describe('data-directory lock (proc(5): /proc/<pid>/stat state and starttime)', () => {
  it('refuses a directory held by a running process with the recorded start time', async () => {
    const holder = runningSleep();
    const dir = await dataDirHeldBy(`${holder.pid} ${await startTimeOf(holder.pid!)}`);
    await expect(lockDataDir(dir)).rejects.toThrow(`in use by process ${holder.pid}`);
  });

  it('refuses a directory held by a running process in a pid file without a start time (older versions)', async () => {
    const holder = runningSleep();
    const dir = await dataDirHeldBy(String(holder.pid));
    await expect(lockDataDir(dir)).rejects.toThrow(`in use by process ${holder.pid}`);
  });

  it('takes over from a zombie: a holder killed with SIGKILL whose parent has not reaped it yet', async () => {
    const pid = await zombiePid();
    const dir = await dataDirHeldBy(String(pid));
    const release = await lockDataDir(dir);
    expect((await readFile(join(dir, 'handoff.pid'), 'utf8')).split(' ')[0]).toBe(String(process.pid));
    await release();
  });

  it('takes over from a holder that exited and was reaped', async () => {
    const child = spawn('true', { stdio: 'ignore' });
    await once(child, 'exit');
    const dir = await dataDirHeldBy(String(child.pid));
    await (await lockDataDir(dir))();
  });

  it('takes over when the pid now belongs to another process (its start time differs)', async () => {
    const other = runningSleep();
    const recorded = String(Number(await startTimeOf(other.pid!)) - 1);
    const dir = await dataDirHeldBy(`${other.pid} ${recorded}`);
    await (await lockDataDir(dir))();
  });

  it('records its own pid and start time beside each other in the pid file', async () => {
    const dir = await dataDirHeldBy('');
    const release = await lockDataDir(dir);
    expect(await readFile(join(dir, 'handoff.pid'), 'utf8')).toBe(`${process.pid} ${await startTimeOf(process.pid)}`);
    await release();
  });
});

describe('parseStat (proc(5) field layout)', () => {
  it.each([
    ['a plain command', '42 (node) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 11 0 98765 1 1', { kind: 'running', startTime: '98765' }],
    [
      'a command name with spaces and parentheses',
      '42 (we ird) (x) R 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555 1 1',
      { kind: 'running', startTime: '555' },
    ],
    ['a zombie', '42 (node) Z 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 98765 0 0', { kind: 'gone' }],
    ['a dead task', '42 (node) X 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 98765 0 0', { kind: 'gone' }],
    ['a truncated line', '42 (node) S 1 42', undefined],
  ])('%s', (_name, stat, expected) => {
    expect(parseStat(stat)).toEqual(expected);
  });
});
