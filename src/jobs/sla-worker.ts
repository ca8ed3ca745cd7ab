import type { PgBoss } from 'pg-boss';
import { type PeriodicJob, startPeriodicJob } from './periodic-job.ts';
import { type SlaTickDeps, slaTick } from './sla/sla-tick.ts';

const SLA_QUEUE = 'sla-tick';

/** Running SLA clocks are checked every `intervalMs`, by one replica at a time. */
export function startSlaWorker(boss: PgBoss, deps: SlaTickDeps, intervalMs: number): Promise<PeriodicJob> {
  return startPeriodicJob(boss, {
    queue: SLA_QUEUE,
    intervalMs,
    run: () => slaTick(deps),
    logger: deps.logger.child({ module: 'sla' }),
    expireInSeconds: 300,
  });
}
