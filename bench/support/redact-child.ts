/**
 * Child process of the redact scenario: imports `redact` from one checkout's `src/log.ts`, builds one input and
 * times `redact` on it. Run in a process of its own so that the parent can kill a version that takes minutes
 * (a backtracking regular expression cannot be interrupted from the same thread).
 *
 * argv[2]: JSON `{ module, input, chars, repetitions, budgetMs }`. Writes one JSON line per event to stdout:
 * `{ event: 'loaded' }`, `{ event: 'checked', problem? }` (the first timed call's output), `{ event: 'call', ms }`
 * per timed call, `{ event: 'done' }`. Bounded: at most 3 warm-up calls and `repetitions` timed calls, and no call
 * starts once the time spent plus the longest call so far would pass `budgetMs`.
 */
import { pathToFileURL } from 'node:url';
import { buildRedactInput, type RedactInput, redactionProblem } from './redact-inputs.ts';

interface ChildArgs {
  module: string;
  input: RedactInput;
  chars: number;
  repetitions: number;
  budgetMs: number;
}

/** Warm-up calls (JIT, regular-expression compilation) run on a short string of the same shape. */
const WARM_UP_CHARS = 4_096;
const WARM_UP_CALLS = 3;

const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

/** A new flat copy, so no call sees a string an earlier call already flattened or looked at. */
const freshCopy = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '') as ChildArgs;
  const loaded = (await import(pathToFileURL(args.module).href)) as { redact?: (value: unknown) => unknown };
  const redact = loaded.redact;
  if (typeof redact !== 'function') throw new Error(`${args.module} exports no redact function`);
  emit({ event: 'loaded' });

  const started = performance.now();
  const spent = () => performance.now() - started;
  const warmUp = buildRedactInput(args.input, Math.min(WARM_UP_CHARS, args.chars)).text;
  for (let call = 0; call < WARM_UP_CALLS && spent() < args.budgetMs / 4; call += 1) redact(freshCopy(warmUp));

  const built = buildRedactInput(args.input, args.chars);
  let longest = 0;
  for (let call = 0; call < args.repetitions; call += 1) {
    if (call > 0 && spent() + longest > args.budgetMs) break;
    const text = freshCopy(built.text);
    const before = performance.now();
    const output = redact(text);
    const ms = performance.now() - before;
    longest = Math.max(longest, ms);
    if (call === 0) emit({ event: 'checked', problem: redactionProblem(built, output) });
    emit({ event: 'call', ms });
  }
  emit({ event: 'done' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
