import { keptValuesCutoff, retentionCutoff } from '../../core/privacy/personal-data.ts';
import type { Logger } from '../../log.ts';
import type { Database } from '../../store/database.ts';
import { purgeKeptValues } from '../../store/kept-values.ts';
import {
  purgeHistoryText,
  purgeInboxPayloads,
  purgeMqlEvaluations,
  purgeParkedNotifications,
  purgeResolvedParked,
  purgeWriteIntents,
} from '../../store/personal-data.ts';

export interface PurgeDeps {
  db: Database;
  logger: Logger;
  now: () => Date;
  /** PERSONAL_DATA_RETENTION_DAYS. */
  retentionDays: number;
  /** MQL_EVALUATION_RETENTION_DAYS: how long evaluations keep their values for backtests (default a quarter); unset, `retentionDays`. */
  evaluationRetentionDays?: number;
  /**
   * HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS: kept property values older than this can decide nothing and go (0: all of
   * them, kept values being off); unset, `retentionDays`.
   */
  keptValuesMaxAgeSeconds?: number;
  /** Rows per statement: each batch commits on its own, so no run holds locks or the connection for long. */
  batchSize?: number;
  /** Batches per table per run at most; what is left waits for the next run. */
  maxBatches?: number;
}

export type PurgeCounts = {
  inboxEvents: number;
  historyEntries: number;
  parkedWork: number;
  writeIntents: number;
  ownerNotifications: number;
  mqlEvaluations: number;
  keptValues: number;
};

/**
 * Drops personal data older than the retention from rows kept for counting: processed webhook events, audit
 * entries, resolved parked work (see the store for what each keeps); write intents a crash left behind; parked owner
 * notifications' messages; the values MQL evaluations kept for backtests; kept property values past their max age. Unprocessed events and open parked work are
 * never touched. Bounded batches, each its own commit; rows another replica is purging are skipped.
 */
export async function purgePersonalData(deps: PurgeDeps): Promise<PurgeCounts> {
  const now = deps.now();
  const cutoff = retentionCutoff(now, deps.retentionDays);
  const evaluationCutoff = retentionCutoff(now, deps.evaluationRetentionDays ?? deps.retentionDays);
  const keptCutoff = deps.keptValuesMaxAgeSeconds === undefined ? cutoff : keptValuesCutoff(now, deps.keptValuesMaxAgeSeconds);
  const limit = deps.batchSize ?? 500;
  const maxBatches = deps.maxBatches ?? 20;
  const drain = async (purge: () => Promise<number>) => {
    let total = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const purged = await purge();
      total += purged;
      if (purged < limit) break;
    }
    return total;
  };
  const counts: PurgeCounts = {
    inboxEvents: await drain(() => purgeInboxPayloads(deps.db, { processedBefore: cutoff, limit, now })),
    historyEntries: await drain(() => purgeHistoryText(deps.db, { before: cutoff, limit, now })),
    parkedWork: await drain(() => purgeResolvedParked(deps.db, { resolvedBefore: cutoff, limit, now })),
    writeIntents: await drain(() => purgeWriteIntents(deps.db, { recordedBefore: cutoff, limit })),
    ownerNotifications: await drain(() => purgeParkedNotifications(deps.db, { parkedBefore: cutoff, limit })),
    mqlEvaluations: await drain(() => purgeMqlEvaluations(deps.db, { evaluatedBefore: evaluationCutoff, limit, now })),
    keptValues: await drain(() => purgeKeptValues(deps.db, { knownBefore: keptCutoff, limit })),
  };
  if (Object.values(counts).some((count) => count > 0)) {
    deps.logger.info('personal data past its retention removed', {
      module: 'privacy',
      retentionDays: deps.retentionDays,
      evaluationRetentionDays: deps.evaluationRetentionDays ?? deps.retentionDays,
      ...counts,
    });
  }
  return counts;
}
