import { Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './prefix.ts';

/**
 * Where a handed-off contact's time goes, in order: webhook received → inbox committed (`ingest`), → a handoff
 * batch picks it up (`queue`), HubSpot read (`read`), decisions (`decide`), Salesforce writes (`salesforce`),
 * deciding the HubSpot write-back (`writeback`, after the Lead exists; queued in the outbox by the last commit) and
 * our own bookkeeping transactions (`commit`). Off the Lead's path, the write-back flusher's HubSpot round trips
 * (`writeback_send`), once per contact a send carried.
 */
export const HANDOFF_STAGES = ['ingest', 'queue', 'read', 'decide', 'salesforce', 'writeback', 'commit', 'writeback_send'] as const;
export type HandoffStage = (typeof HANDOFF_STAGES)[number];

export interface StageMetrics {
  /** `seconds` spent in `stage`, observed once for each of `contacts` (default 1) that spent it there. */
  stage(stage: HandoffStage, seconds: number, contacts?: number): void;
}

/**
 * Stages take from well under a millisecond (decisions) to one provider round trip or a few (50–300 ms against the
 * simulators); the steps around 50–150 ms let the bench interpolate a quantile there to a few milliseconds.
 */
const STAGE_BUCKETS = [
  0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.06, 0.075, 0.1, 0.125, 0.15, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30, 60,
];

export function createStageMetrics(registry: Registry): StageMetrics {
  const seconds = new Histogram({
    name: `${METRIC_PREFIX}stage_seconds`,
    help: 'Time a handed-off contact spent in each stage of our own path (ingest, queue, read, decide, salesforce, writeback, commit), and the sends of the write-back flusher (writeback_send)',
    labelNames: ['stage'],
    buckets: STAGE_BUCKETS,
    registers: [registry],
  });
  return {
    stage: (stage, value, contacts = 1) => {
      if (!Number.isFinite(value)) return;
      // A clock step between the database (inbox received_at) and this process must not make a negative wait.
      const observed = Math.max(0, value);
      for (let i = 0; i < contacts; i++) seconds.observe({ stage }, observed);
    },
  };
}
