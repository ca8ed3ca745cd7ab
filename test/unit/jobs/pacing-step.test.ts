import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { pacingStep } from '../../../src/jobs/handoff/pacing-step.ts';
import { createLogger } from '../../../src/log.ts';

const NOW = 5_000_000;
const WINDOW = { bucket: 'hubspot:burst', max: 10, windowMs: 10_000 };

/** A pacing step over a queue and a window the test sets, logging at info into `lines`. */
interface WindowState {
  ready: number;
  /** Calls started over a second ago. */
  calls: number;
  /** Calls started since (a fetched batch's read). */
  recent?: number[];
}

function stepOver(state: WindowState) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const asked: string[] = [];
  const step = pacingStep({
    share: 0.5,
    batchSize: 100,
    callsPerBatch: 1,
    // The whole share may go back to back: these cases are about the window count (the pace has its own table in core).
    burstFraction: 1,
    window: () => WINDOW,
    readWaiting: async () => ({ ready: state.ready, oldestAgeMs: 10 }),
    readHandoffCalls: async (bucket, windowMs) => {
      asked.push(`${bucket}/${windowMs}`);
      return { now: NOW, starts: [...Array.from({ length: state.calls }, (_, i) => NOW - 1_000 - i), ...(state.recent ?? [])] };
    },
    checkEveryMs: 250,
    idleCheckMs: 2_000,
    logger: createLogger('info', stream),
  });
  return { step, lines, asked };
}

describe('pacingStep: one read of the queue and the window, one decision, the mode change logged', () => {
  it('reads the window it is given, fetches within the share and holds beyond it', async () => {
    const state: WindowState = { ready: 3, calls: 0 };
    const { step, asked } = stepOver(state);
    expect(await step()).toEqual({ fetchBatches: 1, nextCheckMs: 250 });
    // Its read and four other calls spend the share; the oldest started 1,003 ms ago and leaves the window in 8,997 ms:
    // the next look is when the next batch fits.
    state.calls = 4;
    state.recent = [NOW];
    expect(await step()).toEqual({ fetchBatches: 0, nextCheckMs: 8_997 });
    expect(asked).toEqual(['hubspot:burst/10000', 'hubspot:burst/10000']);
  });

  it('logs at info only when handoffs change between going at once and being grouped', async () => {
    const state: WindowState = { ready: 3, calls: 5 };
    const { step, lines } = stepOver(state);
    await step(); // grouping: a change from the start (at once)
    await step(); // still grouping
    state.ready = 0;
    await step(); // idle: no change of mode
    state.ready = 250;
    await step(); // full batches: no change of mode either
    state.ready = 3;
    state.calls = 0;
    state.recent = [NOW, NOW]; // the two full batches' reads
    await step(); // at once again
    await step();
    expect(lines.map((line) => [line.message, line.reason])).toEqual([
      ['handoffs grouped: real-time share in use', 'grouping'],
      ['handoffs go at once again', 'within_share'],
    ]);
    expect(lines[0]).toMatchObject({ level: 'info', handoffCalls: 5, windowMax: 10, shareInUse: 1, waiting: 3 });
  });

  it('counts a batch it fetched as a call until the window shows one, so the next look does not admit the same room', async () => {
    const state: WindowState = { ready: 3, calls: 4 };
    const { step } = stepOver(state);
    expect(await step()).toEqual({ fetchBatches: 1, nextCheckMs: 250 });
    // The lane has not read yet: the share counts its read, and the next look is when that count lapses (1 s).
    expect(await step()).toEqual({ fetchBatches: 0, nextCheckMs: 1_000 });
    // Its read shows in the window: it is counted once, and the batch after waits for the oldest call to leave.
    state.recent = [NOW];
    expect(await step()).toEqual({ fetchBatches: 0, nextCheckMs: 8_997 });
    state.calls = 3;
    expect(await step()).toEqual({ fetchBatches: 1, nextCheckMs: 250 });
  });
});
