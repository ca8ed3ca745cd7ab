import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from '../support/options.ts';
import { formatSize, REDACT_INPUT_LABELS, REDACT_INPUTS, type RedactInput } from '../support/redact-inputs.ts';

/** One input of one size: the timed calls of `redact` on it, and whether its output was right. */
export interface RedactRun {
  input: RedactInput;
  label: string;
  /** UTF-16 code units (64 KiB = 65,536). */
  chars: number;
  /** Each timed call, ms, in order; fewer than asked when the time budget ran out. */
  callsMs: number[];
  /** Median of `callsMs`; NaN when no call finished. */
  medianMs: number;
  /** The child was killed at the hard limit: a call (or the import) took too long. */
  timedOut: boolean;
  /** What was wrong with the first call's output; undefined when it was right or no call finished. */
  problem?: string;
  /** The child failed before measuring (no `redact` in that checkout, a crash): its last lines of output. */
  error?: string;
}

export interface RedactResults {
  /** The file `redact` was imported from. */
  module: string;
  repetitions: number;
  budgetSeconds: number;
  timeoutSeconds: number;
  runs: RedactRun[];
}

const CHILD = fileURLToPath(new URL('../support/redact-child.ts', import.meta.url));

/**
 * Times `redact` from the checkout under test (`<root>/src/log.ts`: this checkout's, or the `--baseline` one's)
 * on long adversarial strings. No service runs: the function is called directly, but each input and size in a
 * child node process of its own, killed at a hard limit, so a slow version yields "over N s" instead of wedging
 * the run. The inputs and the output checks are in support/redact-inputs.ts.
 */
export async function runRedact(options: BenchOptions): Promise<RedactResults> {
  const { sizesKiB, repetitions, budgetSeconds, timeoutSeconds } = options.sizes.redact;
  const module = join(options.service.root, 'src/log.ts');
  const runs: RedactRun[] = [];
  for (const kiB of sizesKiB) {
    for (const input of REDACT_INPUTS) {
      const chars = kiB * 1024;
      const base = { input, label: REDACT_INPUT_LABELS[input], chars };
      if (!existsSync(module)) {
        runs.push({ ...base, callsMs: [], medianMs: Number.NaN, timedOut: false, error: `no ${module}` });
        continue;
      }
      const measured = await measureInChild(
        { module, input, chars, repetitions, budgetMs: budgetSeconds * 1000 },
        timeoutSeconds * 1000,
        options.service.root,
      );
      runs.push({ ...base, ...measured, medianMs: median(measured.callsMs) });
      const last = runs[runs.length - 1]!;
      console.log(
        `bench: redact ${formatSize(chars)} ${input}: ${last.timedOut ? `over ${timeoutSeconds} s` : `${last.medianMs.toFixed(2)} ms`} (${last.callsMs.length} calls)${last.problem ? `, ${last.problem}` : ''}${last.error ? `, failed: ${last.error}` : ''}`,
      );
    }
  }
  return { module, repetitions, budgetSeconds, timeoutSeconds, runs };
}

interface ChildMeasurement {
  callsMs: number[];
  timedOut: boolean;
  problem?: string;
  error?: string;
}

/** One child process; SIGKILL at `timeoutMs` (nothing it runs can hold it longer). */
function measureInChild(
  args: { module: string; input: RedactInput; chars: number; repetitions: number; budgetMs: number },
  timeoutMs: number,
  cwd: string,
): Promise<ChildMeasurement> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(args)], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const result: ChildMeasurement = { callsMs: [], timedOut: false };
    let done = false;
    let pending = '';
    const stderr: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        let event: { event?: string; ms?: number; problem?: string };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          continue; // not ours (a warning printed to stdout by that checkout's code)
        }
        if (event.event === 'call' && typeof event.ms === 'number') result.callsMs.push(event.ms);
        if (event.event === 'checked' && event.problem) result.problem = event.problem;
        if (event.event === 'done') done = true;
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (stderr.length > 20) stderr.splice(0, stderr.length - 20);
    });
    const timer = setTimeout(() => {
      result.timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (!result.timedOut && (code !== 0 || !done)) result.error = stderr.slice(-3).join(' | ') || `exit code ${code}`;
      resolve(result);
    });
  });
}

/** The middle value, or the mean of the two middle values; NaN for none. */
function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
