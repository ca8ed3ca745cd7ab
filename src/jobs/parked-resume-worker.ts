import type { PgBoss } from 'pg-boss';
import { type ResumeParkedDeps, resumeParked } from './parked/resume-parked.ts';
import { type PeriodicJob, startPeriodicJob } from './periodic-job.ts';

const PARKED_RESUME_QUEUE = 'parked-resume';

/** Parked work waiting for a condition is checked every `intervalMs`, by one replica at a time. */
export function startParkedResumeWorker(boss: PgBoss, deps: ResumeParkedDeps, intervalMs: number): Promise<PeriodicJob> {
  return startPeriodicJob(boss, {
    queue: PARKED_RESUME_QUEUE,
    intervalMs,
    run: () => resumeParked(deps),
    logger: deps.logger.child({ module: 'parked-resume' }),
    expireInSeconds: 300,
  });
}
