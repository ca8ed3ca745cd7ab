import type { Logger } from '../../log.ts';
import type { Queryable } from '../../store/database.ts';
import { listParked } from '../../store/parked.ts';
import type { ReplayParked } from './replay-parked.ts';

export interface ResumeParkedDeps {
  db: Queryable;
  replay: ReplayParked;
  /** Whether the condition an item waits for (salesforce_budget, hubspot_budget, salesforce_auth …) holds again. */
  isAvailable(waitingFor: string): Promise<boolean>;
  /** Items parked more often than this need a person and are left alone. */
  maxAutoReplays: number;
  logger: Logger;
}

export interface ResumeSummary {
  /** Conditions asked about, and whether each held. */
  conditions: Record<string, boolean>;
  replayed: number;
  failed: number;
}

/** Open items one pass looks at; a larger backlog is worked through over the next passes. */
const MAX_ITEMS_PER_PASS = 500;
const AUTO_RESUME_ACTOR = 'auto-resume';

/**
 * One pass of the automatic resume: open items waiting for a condition (and not yet needing a person)
 * are replayed, oldest first, through the same replay as an admin's, once their condition holds again.
 * Each condition is asked once per pass; items without a waitingFor value wait for a person.
 */
export async function resumeParked(deps: ResumeParkedDeps): Promise<ResumeSummary> {
  const items = await listParked(deps.db, {
    open: true,
    waiting: true,
    maxAttempts: deps.maxAutoReplays,
    order: 'oldest',
    limit: MAX_ITEMS_PER_PASS,
  });
  const summary: ResumeSummary = { conditions: {}, replayed: 0, failed: 0 };
  for (const item of items) {
    const condition = item.waitingFor!;
    if (!(condition in summary.conditions)) summary.conditions[condition] = await askCondition(deps, condition);
    if (!summary.conditions[condition]) continue;
    try {
      const result = await deps.replay(item, AUTO_RESUME_ACTOR);
      if (result.status === 'replayed') summary.replayed += 1;
      else if (result.status === 'failed') summary.failed += 1;
    } catch (error) {
      // An item no replay exists for stays parked for a person; the others still resume.
      summary.failed += 1;
      deps.logger.warn('parked item not resumed', { module: 'parked-resume', parkedId: item.id, kind: item.kind, error });
    }
  }
  if (summary.replayed + summary.failed > 0) deps.logger.info('parked work resumed', { module: 'parked-resume', ...summary });
  return summary;
}

/** A condition check that fails counts as "not yet": the next pass asks again. */
async function askCondition(deps: ResumeParkedDeps, condition: string): Promise<boolean> {
  try {
    return await deps.isAvailable(condition);
  } catch (error) {
    deps.logger.warn('could not tell whether a parked condition holds', { module: 'parked-resume', condition, error });
    return false;
  }
}
