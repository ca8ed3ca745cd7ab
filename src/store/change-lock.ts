import type { Database } from './database.ts';

/** Fixed key: every replica's poll rounds and change-event batches serialise on the same advisory lock. */
const SALESFORCE_CHANGES_LOCK_KEY = 7_301_019;

/**
 * Runs `work` while holding the lock that keeps the poll and the change-event subscriber from carrying out the same
 * Lead at once (both would see the old memory and write HubSpot and the history twice). The lock is a transaction's
 * advisory lock: it ends with the transaction whatever happens to this process; the transaction itself writes
 * nothing, so it holds back no vacuum.
 */
export async function withSalesforceChangesLock<T>(db: Database, work: () => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SALESFORCE_CHANGES_LOCK_KEY]);
    return work();
  });
}
