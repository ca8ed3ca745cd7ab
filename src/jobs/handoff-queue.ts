import type { PgBoss } from 'pg-boss';

/** One job per contact; `stately` keeps at most one queued and one active job per contact across replicas. */
export const HANDOFF_QUEUE = 'contact-handoff';

export interface HandoffJobData {
  contactId: string;
}

/**
 * A worker that dies mid-batch (SIGKILL, lost node) stops sending heartbeats; after `heartbeatSeconds`
 * its jobs are failed and retried, instead of blocking the contact until the 5-minute expiry.
 */
const QUEUE_OPTIONS = { retryLimit: 8, retryDelay: 2, retryBackoff: true, expireInSeconds: 300, heartbeatSeconds: 10 };

export async function createHandoffQueue(boss: PgBoss): Promise<void> {
  if (await boss.getQueue(HANDOFF_QUEUE)) await boss.updateQueue(HANDOFF_QUEUE, QUEUE_OPTIONS);
  else await boss.createQueue(HANDOFF_QUEUE, { policy: 'stately', ...QUEUE_OPTIONS });
}

/** Queues a handoff for each contact; a contact already waiting is coalesced into its queued job. */
export async function enqueueContacts(boss: PgBoss, contactIds: string[]): Promise<void> {
  const unique = [...new Set(contactIds)];
  if (unique.length === 0) return;
  await boss.insert(
    HANDOFF_QUEUE,
    unique.map((contactId) => ({ data: { contactId } satisfies HandoffJobData, singletonKey: contactId })),
  );
}
