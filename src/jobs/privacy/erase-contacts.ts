import type { ErasurePlan } from '../../core/privacy/contact-erasure.ts';
import type { Logger } from '../../log.ts';
import type { Database } from '../../store/database.ts';
import { eraseContactData } from '../../store/personal-data.ts';

/**
 * Carries out the erasures a handoff batch decided (see decideErasure), all in one transaction: a failure leaves
 * every contact's data and pending events as they were, and the job's retry erases them again.
 * Logs what was erased by table, with the contact id only.
 */
export async function eraseContacts(
  deps: { db: Database; logger: Logger; now: () => Date },
  erasures: { plan: ErasurePlan; eventIds: string[] }[],
): Promise<void> {
  if (erasures.length === 0) return;
  const now = deps.now();
  const done = await deps.db.transaction(async (tx) => {
    const counts = [];
    for (const { plan, eventIds } of erasures) {
      counts.push({ contactId: plan.contactId, event: plan.eventType, ...(await eraseContactData(tx, { ...plan, eventIds, now })) });
    }
    return counts;
  });
  const log = deps.logger.child({ module: 'privacy' });
  for (const erased of done) log.info('contact erased after a HubSpot deletion', erased);
}
