import type { BackfillCheckpoint } from '../../store/backfill-runs.ts';
import type { ContactPage } from './contact-source.ts';

/** Whole pages worked on together, and the checkpoint that is true once they are committed. */
export interface Unit {
  contacts: ContactPage['contacts'];
  missing: string[];
  checkpoint: BackfillCheckpoint;
}

/**
 * Reads up to `depth` items ahead of the consumer, so the next page is on its way while the current one is
 * decided and written. A failed read surfaces when the consumer reaches it, not before.
 */
export async function* prefetch<T>(source: AsyncIterator<T>, depth: number): AsyncGenerator<T> {
  const ahead: Promise<IteratorResult<T>>[] = [];
  const fill = () => {
    while (ahead.length < depth) {
      const next = source.next();
      next.catch(() => undefined); // awaited below in its turn; this only keeps it from counting as unhandled
      ahead.push(next);
    }
  };
  try {
    for (;;) {
      fill();
      const result = await ahead.shift()!;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    // Pages already asked for are dropped; the generator ends once they settle.
    void source.return?.(undefined).catch(() => undefined);
  }
}

/** Groups pages into units of at least `size` contacts (the last may be smaller); pages are never split. */
export async function* unitsOf(pages: AsyncIterable<ContactPage>, start: BackfillCheckpoint, size: number): AsyncGenerator<Unit> {
  let unit: Unit = { contacts: [], missing: [], checkpoint: start };
  let pending = false;
  for await (const page of pages) {
    pending = true;
    unit = {
      contacts: [...unit.contacts, ...page.contacts],
      missing: [...unit.missing, ...page.missing],
      checkpoint: { after: page.after, pages: unit.checkpoint.pages + 1 },
    };
    if (unit.contacts.length + unit.missing.length >= size) {
      yield unit;
      unit = { contacts: [], missing: [], checkpoint: unit.checkpoint };
      pending = false;
    }
  }
  // The rest, even with no contacts in it: its pages still move the checkpoint on.
  if (pending) yield unit;
}

export interface OrderedRun<U, R> {
  /** Units worked on at once; a function is asked again each time a unit could start (work may yield to other work). */
  concurrency: number | (() => number);
  work(unit: U): Promise<R>;
  /** Called once per unit, strictly in unit order, after its work and every earlier commit. */
  commit(unit: U, result: R): Promise<void>;
  /** Asked before each unit is started; true stops starting new ones (those started are still committed). */
  shouldStop(): Promise<boolean>;
}

type Settled<R> = { ok: true; result: R } | { ok: false; error: unknown };

/**
 * Works on up to `concurrency` units at once and commits them in order, one commit at a time; a commit never
 * holds up the work on later units (at most 2 × concurrency units wait, worked or not, for their commit). A
 * unit that fails stops the run: units before it are committed, units after it are dropped (their writes are
 * idempotent and redone from the checkpoint), and the error is thrown once nothing is in flight any more.
 * Answers 'finished' when the units ran out, else 'stopped'.
 */
export async function runInOrder<U, R>(units: AsyncIterable<U>, run: OrderedRun<U, R>): Promise<'finished' | 'stopped'> {
  let working = 0;
  let uncommitted = 0;
  let failure: { error: unknown } | undefined;
  let commits: Promise<void> = Promise.resolve();
  const waiting: (() => void)[] = [];
  const wake = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  const launch = (unit: U) => {
    working += 1;
    uncommitted += 1;
    const settled: Promise<Settled<R>> = run.work(unit).then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    void settled.then(() => {
      working -= 1;
      wake();
    });
    commits = commits.then(async () => {
      const outcome = await settled;
      try {
        if (failure) return;
        if (!outcome.ok) failure = { error: outcome.error };
        else await run.commit(unit, outcome.result);
      } catch (error) {
        failure = { error };
      } finally {
        uncommitted -= 1;
        wake();
      }
    });
  };
  const hasRoom = () => {
    const limit = Math.max(1, typeof run.concurrency === 'function' ? run.concurrency() : run.concurrency);
    return working < limit && uncommitted < 2 * limit;
  };
  let outcome: 'finished' | 'stopped' = 'finished';
  try {
    for await (const unit of units) {
      if (failure) break;
      if (await run.shouldStop()) {
        outcome = 'stopped';
        break;
      }
      launch(unit);
      while (!failure && !hasRoom()) await new Promise<void>((resolve) => waiting.push(resolve));
    }
  } finally {
    // Whatever ended the loop (the last unit, a stop, a failure, a failed read), nothing is left running.
    await commits;
  }
  if (failure) throw failure.error;
  return outcome;
}
