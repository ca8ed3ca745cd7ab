import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { freeLoopbackPort } from '../../src/free-port.ts';
import { type MemoryFigure, sampleMemory } from './memory.ts';
import { groupCpuSeconds } from './process-group.ts';
import { sleep } from './stats.ts';

/** The real service (`node src/main.ts`) as a child process, with its memory watched. */
export interface ServiceProcess {
  url: string;
  pid: number;
  /** Spawn → first /readyz 200, in ms. */
  readyMs: number;
  /** The last lines it wrote, for error reports. */
  output: string[];
  /** Peak resident set size so far (VmHWM), in MiB: the service process alone. */
  peakRssMiB(): Promise<number>;
  /** Service + its database processes, summed: the peak of the samples so far (every 250 ms since spawn). */
  peakMemory(): MemoryFigure;
  /** Service + its database processes, summed, now. */
  memoryNow(): Promise<MemoryFigure>;
  /**
   * CPU time (user + system) the service and its database processes have used so far, in seconds: less sensitive to
   * a busy machine than wall time. With PGlite the database's work is in the service process; an external server's is not counted.
   */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/** A free loopback port for a service to be started on. */
export const freePort = freeLoopbackPort;

export interface StartServiceOptions {
  /** The checkout whose `src/main.ts` runs (this one, or a baseline). */
  root: string;
  port: number;
  nodeArgs?: string[];
  /** The embedded database's folder (DATA_DIR), whose postmaster counts in the memory; none for an external server. */
  dataDir?: string | undefined;
}

/** Starts the service on this Node (the bench runs on the pinned Node 24) and waits for /readyz. */
export async function startService(env: Record<string, string>, options: StartServiceOptions): Promise<ServiceProcess> {
  const { port } = options;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'src/main.ts'], {
    cwd: options.root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const memory = sampleMemory(child.pid!, options.dataDir);
  try {
    await waitUntilReady(url, child, output);
  } catch (error) {
    memory.stop();
    throw error;
  }
  const readyMs = performance.now() - spawnedAt;
  return {
    url,
    pid: child.pid!,
    readyMs,
    output,
    peakRssMiB: () => peakRss(child.pid!),
    peakMemory: () => memory.peak(),
    memoryNow: () => memory.now(),
    cpuSeconds: () => groupCpuSeconds(child.pid!, options.dataDir),
    async stop() {
      memory.stop();
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(25_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output.join('\n')}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    // Often enough that the start-to-ready figure is not rounded up by much.
    await sleep(20);
  }
  child.kill('SIGKILL');
  throw new Error(`service not ready after 60 s:\n${output.join('\n')}`);
}

/** The kernel's high-water mark of the process's resident memory (Linux /proc). */
async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}
