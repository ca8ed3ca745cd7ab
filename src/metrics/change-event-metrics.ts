import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChangeEventOutcome } from '../core/sales/change-events/decide-change-batch.ts';
import { readCdcState } from '../store/cdc-lease.ts';
import type { Queryable } from '../store/database.ts';
import { METRIC_PREFIX } from './prefix.ts';

export interface ChangeEventMetrics {
  /** Change events received, by entity and what became of them (re-read, echo, deleted, overflow, other-entity). */
  changeEvents(entity: string, outcome: ChangeEventOutcome, count: number): void;
  /** Commit in Salesforce → effects recorded here, for the oldest change of a batch. */
  changeEventLag(seconds: number): void;
  /** A change-event stream ended and was reopened, by why. */
  changeStreamReconnect(reason: string): void;
  /** The poll carried what the stream could not: a refused replay id, an org without CDC, an overflow event. */
  changeFallback(reason: string): void;
}

/** Change events should apply within about a second (issue 19); a reconnect or a catch-up takes seconds to minutes. */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 10, 30, 60, 300, 900];

export function createChangeEventMetrics(registry: Registry, label: (value: string) => string): ChangeEventMetrics {
  const registers = [registry];
  const events = new Counter({
    name: `${METRIC_PREFIX}salesforce_change_events_total`,
    help: 'Salesforce change events received, by entity and outcome (reread, echo, deleted, overflow, other-entity)',
    labelNames: ['entity', 'outcome'],
    registers,
  });
  const lag = new Histogram({
    name: `${METRIC_PREFIX}salesforce_change_event_lag_seconds`,
    help: 'Commit in Salesforce to effects recorded, for the oldest change of each batch',
    buckets: LAG_BUCKETS,
    registers,
  });
  const reconnects = new Counter({
    name: `${METRIC_PREFIX}salesforce_change_stream_reconnects_total`,
    help: 'Change-event streams reopened, by why the last one ended',
    labelNames: ['reason'],
    registers,
  });
  const fallbacks = new Counter({
    name: `${METRIC_PREFIX}salesforce_change_fallbacks_total`,
    help: 'Times the poll carried what change events could not (replay-rejected, unavailable, overflow)',
    labelNames: ['reason'],
    registers,
  });
  return {
    changeEvents: (entity, outcome, count) => events.inc({ entity: label(entity), outcome }, count),
    changeEventLag: (seconds) => {
      if (Number.isFinite(seconds) && seconds >= 0) lag.observe(seconds);
    },
    changeStreamReconnect: (reason) => reconnects.inc({ reason: label(reason) }),
    changeFallback: (reason) => fallbacks.inc({ reason: label(reason) }),
  };
}

/**
 * Which path carries Salesforce changes, read from the database at scrape time so every replica says the same:
 * `handoff_salesforce_change_path{path="change-events"|"poll"}` is 1 for the live one.
 */
export function registerChangePathGauge(registry: Registry, db: Queryable, leaseName: string): void {
  new Gauge({
    name: `${METRIC_PREFIX}salesforce_change_path`,
    help: 'Which path carries Salesforce changes now: change-events (a live stream) or poll',
    labelNames: ['path'],
    registers: [registry],
    async collect() {
      const state = await readCdcState(db, leaseName);
      const live = state?.held === true && state.status === 'live';
      this.set({ path: 'change-events' }, live ? 1 : 0);
      this.set({ path: 'poll' }, live ? 0 : 1);
    },
  });
}
