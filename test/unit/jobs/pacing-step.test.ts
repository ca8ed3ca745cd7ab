import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { pacingStep } from '../../../src/jobs/handoff/pacing-step.ts';
import { createLogger } from '../../../src/log.ts';

const NOW = 5_000_000;
const WINDOW = { bucket: 'hubspot:burst', max: 10, windowMs: 10_000 };

/** A pacing step over a queue and a window the test sets, logging at info into `lines`. */
function stepOver(state: { ready: number; calls: number }) {
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
    window: () => WINDOW,
    readWaiting: async () => ({ ready: state.ready, oldestAgeMs: 10 }),
    readHandoffCalls: async (bucket, windowMs) => {
      asked.push(`${bucket}/${windowMs}`);
      return { now: NOW, starts: Array.from({ length: state.calls }, (_, i) => NOW - 1_000 - i) };
    },
    checkEveryMs: 250,
    idleCheckMs: 2_000,
    logger: createLogger('info', stream),
  });
  return { step, lines, asked };
}

describe('pacingStep: one read of the queue and the window, one decision, the mode change logged', () => {
  it('reads the window it is given, fetches within the share and holds beyond it', async () => {
    const state = { ready: 3, calls: 0 };
    const { step, asked } = stepOver(state);
    expect(await step()).toEqual({ fetchBatches: 1, nextCheckMs: 250 });
    state.calls = 5;
    // The oldest of the five started 1,004 ms ago and leaves the window in 8,996 ms: the next look is when the batch fits.
    expect(await step()).toEqual({ fetchBatches: 0, nextCheckMs: 8_996 });
    expect(asked).toEqual(['hubspot:burst/10000', 'hubspot:burst/10000']);
  });

  it('logs at info only when handoffs change between going at once and being grouped', async () => {
    const state = { ready: 3, calls: 5 };
    const { step, lines } = stepOver(state);
    await step(); // grouping: a change from the start (at once)
    await step(); // still grouping
    state.ready = 0;
    await step(); // idle: no change of mode
    state.ready = 250;
    await step(); // full batches: no change of mode either
    state.ready = 3;
    state.calls = 2;
    await step(); // at once again
    await step();
    expect(lines.map((line) => [line.message, line.reason])).toEqual([
      ['handoffs grouped: real-time share in use', 'grouping'],
      ['handoffs go at once again', 'within_share'],
    ]);
    expect(lines[0]).toMatchObject({ level: 'info', handoffCalls: 5, windowMax: 10, shareInUse: 1, waiting: 3 });
  });
});
