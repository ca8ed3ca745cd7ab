import { z } from 'zod';
import type { InboxEvent, InboxEventInput } from '../../store/inbox.ts';
import type { ParkedChain, ParkedWork } from '../../store/parked.ts';

/**
 * A replayed handoff is a durable inbox entry like a webhook: the contact's own events were settled
 * when it was parked, so the replay gives the normal path (triage → read → decide → write) a pending
 * event to work from, and a crash after the admin's click loses nothing.
 */
export const REPLAY_EVENT_TYPE = 'handoff.replay';

const replayPayload = z.object({ parkedId: z.string(), chainId: z.string(), attempts: z.number().int().min(1), actor: z.string() });

export function replayEventFor(item: ParkedWork, actor: string, now: Date): InboxEventInput {
  return {
    // One replay per parked entry (replaying resolves it), so its id makes the key unique and a repeat a no-op.
    dedupeKey: `replay:parked:${item.id}`,
    source: 'handoff',
    eventType: REPLAY_EVENT_TYPE,
    objectType: 'contact',
    objectId: item.recordKey,
    occurredAt: now,
    payload: { parkedId: item.id, chainId: item.chainId, attempts: item.attempts, actor } satisfies z.infer<typeof replayPayload>,
  };
}

/** The chain a contact's pending replay events continue, if the handoff parks the contact again. */
export function replayedChain(events: Array<Pick<InboxEvent, 'eventType' | 'payload'>>): ParkedChain | undefined {
  let chain: ParkedChain | undefined;
  for (const event of events) {
    if (event.eventType !== REPLAY_EVENT_TYPE) continue;
    const payload = replayPayload.safeParse(event.payload);
    if (payload.success && (!chain || payload.data.attempts > chain.attempts))
      chain = { chainId: payload.data.chainId, attempts: payload.data.attempts };
  }
  return chain;
}
