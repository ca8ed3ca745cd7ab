import type { MappingsBundle } from '../core/mappings/bundle.ts';
import type { Logger } from '../log.ts';
import { SANDBOX_DIRECTORY } from '../simulators/salesforce/sandbox-directory.ts';
import type { Database, Queryable } from '../store/database-types.ts';
import { generateHistory } from './history/generate-history.ts';
import type { SeededCounts } from './history/seeded-rows.ts';
import { writeHistory } from './history/write-history.ts';

/** The seeded quarter: 90 days, 3,000 evaluated contacts, always the same ones (the seed is fixed). */
export const SANDBOX_HISTORY_PLAN = { days: 90, contacts: 3_000, seed: 18 } as const;

export type SeedOutcome = { seeded: false; reason: string } | { seeded: true; counts: SeededCounts; from: Date; to: Date; ms: number };

/**
 * The start of today, whichever of UTC and the server's own midnight comes first: the quarter ends before it, so
 * today's figures (the demo's, a newcomer's first contact) are the run's own in either reading of "today".
 */
export function startOfToday(now: Date): Date {
  const utc = new Date(now);
  utc.setUTCHours(0, 0, 0, 0);
  const local = new Date(now);
  local.setHours(0, 0, 0, 0);
  return utc < local ? utc : local;
}

/**
 * Seeds a realistic quarter of history into an empty sandbox database (SANDBOX_HISTORY, on by default in sandbox
 * mode): evaluations under the active MQL definition, handoffs, owners, SLA clocks and what sales made of them, so
 * the KPIs, the backtest and the review pack have something to show on a first run. A database with any handoff
 * history already is left alone. One transaction: all of it or nothing.
 */
export async function seedSandboxHistory(deps: {
  db: Database;
  mappings: MappingsBundle;
  now: Date;
  logger: Logger;
}): Promise<SeedOutcome> {
  const started = performance.now();
  const hasHistory = async (db: Queryable) => (await db.query('SELECT 1 FROM handoff_history LIMIT 1')).rows.length > 0;
  const already = { seeded: false, reason: 'the database already has handoff history' } as const;
  if (await hasHistory(deps.db)) return already;
  const to = startOfToday(deps.now);
  const from = new Date(to.getTime() - SANDBOX_HISTORY_PLAN.days * 86_400_000);
  const reps = SANDBOX_DIRECTORY.users.filter((user) => user.isActive !== false && user.managerId).map((user) => user.id);
  const seeded = generateHistory({ ...SANDBOX_HISTORY_PLAN, bundle: deps.mappings, end: to, reps });
  // Generated outside the transaction (it holds the only connection of the embedded database); checked again inside,
  // under a lock, so two processes sharing one database never seed it twice.
  const wrote = await deps.db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('handoff.sandbox-history'))`);
    if (await hasHistory(tx)) return false;
    await writeHistory(tx, seeded);
    return true;
  });
  if (!wrote) return already;
  const ms = Math.round(performance.now() - started);
  deps.logger.info('sandbox history seeded', {
    module: 'sandbox',
    from: from.toISOString(),
    to: to.toISOString(),
    ...seeded.counts,
    ms,
    turnOff: 'SANDBOX_HISTORY=off starts the sandbox with an empty history',
  });
  return { seeded: true, counts: seeded.counts, from, to, ms };
}
