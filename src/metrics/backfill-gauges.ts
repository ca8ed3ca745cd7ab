import { Gauge, type Registry } from 'prom-client';
import { activeRun } from '../store/backfill-runs.ts';
import type { Queryable } from '../store/database.ts';
import { METRIC_PREFIX } from './prefix.ts';

/**
 * The active backfill run (at most one exists), read from the database at scrape time so every replica
 * reports the same run: whether one is active, by mode and status, and how far it has got. With no active
 * run the gauges read 0 and carry no labels.
 */
export function registerBackfillGauges(registry: Registry, db: Queryable): void {
  // A scrape collects every gauge at once: the three share one read while it is in flight.
  let inFlight: ReturnType<typeof activeRun> | undefined;
  const read = () => {
    inFlight ??= activeRun(db).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  new Gauge({
    name: `${METRIC_PREFIX}backfill_active`,
    help: 'A backfill run is queued, running or paused (1), by mode and status; 0 when none is',
    labelNames: ['mode', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const run = await read();
      if (run) this.set({ mode: run.mode, status: run.status }, 1);
      else this.set(0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}backfill_contacts_read`,
    help: 'Contacts the active backfill run has read so far (0 when none is active)',
    registers: [registry],
    async collect() {
      this.set((await read())?.counts.read ?? 0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}backfill_contacts_total`,
    help: 'Contacts the active backfill run will go through, once HubSpot has said (0 when unknown or none)',
    registers: [registry],
    async collect() {
      this.set((await read())?.total ?? 0);
    },
  });
}
