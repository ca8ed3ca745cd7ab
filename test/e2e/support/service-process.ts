import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort } from '../../../src/free-port.ts';
import { pinnedNode } from '../../support/engines.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunningService {
  url: string;
  port: number;
  process: ChildProcess;
  /** Every line the service wrote to stdout and stderr so far. */
  output: string[];
  /** SIGTERM and wait for exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to clean up, as in a crash. */
  kill(): Promise<void>;
}

/** A free loopback port for a service to be started on. */
export const freePort = freeLoopbackPort;

/** Starts `node src/main.ts` (this Node, which is the pinned 24) and waits until /readyz answers 200. */
export async function startServiceProcess(
  env: Record<string, string>,
  options: { port?: number; readyTimeoutMs?: number } = {},
): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  const child = spawn(pinnedNode, ['src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Tests count the funnel of their own run; one that wants the seeded quarter passes SANDBOX_HISTORY=on.
      SANDBOX_HISTORY: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) =>
    output.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.length > 0),
    );
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // With port 0 the service picks one; its ready log line says which.
  const urlNow = () => (port !== 0 ? `http://127.0.0.1:${port}` : readyUrlFrom(output));
  await waitUntilReady(urlNow, child, output, options.readyTimeoutMs ?? 60_000);
  const url = urlNow()!;
  return {
    url,
    port: Number(new URL(url).port),
    process: child,
    output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function readyUrlFrom(output: string[]): string | undefined {
  for (const line of output) {
    if (!line.includes('handoff service ready')) continue;
    return (JSON.parse(line) as { url?: string }).url;
  }
  return undefined;
}

async function waitUntilReady(urlNow: () => string | undefined, child: ChildProcess, output: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output.join('\n')}`);
    try {
      const url = urlNow();
      if (!url) throw new Error('no port yet');
      // Bounded, so a request the service never answers cannot keep this loop from seeing the process exit.
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service not ready after ${timeoutMs} ms:\n${output.join('\n')}`);
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
