import type { PgBoss } from 'pg-boss';
import { type PeriodicJob, startPeriodicJob } from '../periodic-job.ts';
import { type PurgeDeps, purgePersonalData } from './purge-personal-data.ts';

const PRIVACY_PURGE_QUEUE = 'personal-data-purge';

/** Personal data past its retention is removed every `intervalMs`, by one replica at a time (the store also skips locked rows). */
export function startPrivacyPurgeWorker(boss: PgBoss, deps: PurgeDeps, intervalMs = 60 * 60_000): Promise<PeriodicJob> {
  return startPeriodicJob(boss, {
    queue: PRIVACY_PURGE_QUEUE,
    intervalMs,
    run: () => purgePersonalData(deps),
    logger: deps.logger.child({ module: 'privacy' }),
    expireInSeconds: 900,
  });
}
