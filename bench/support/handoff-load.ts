import type { SentTimes } from './handoff-measure.ts';
import { sleep } from './stats.ts';
import { creationEvent, deliver, type WebhookTarget } from './webhooks.ts';

/** One webhook per contact on a fixed schedule (catching up if the loop falls behind), one event each. */
export async function sendSteadily(target: WebhookTarget, ids: string[], perSecond: number, sent: SentTimes): Promise<void> {
  const start = Date.now();
  const deliveries: Promise<void>[] = [];
  for (let i = 0; i < ids.length; i++) {
    const due = start + (i * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const id = ids[i]!;
    sent.set(id, Date.now());
    deliveries.push(deliver(target, [creationEvent(id)]));
  }
  await Promise.all(deliveries);
}

/** The whole import at once, as HubSpot delivers it: batches of 100 events, a bounded number in flight. */
export async function sendBurst(target: WebhookTarget, ids: string[], inFlight: number, sent: SentTimes): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) batches.push(ids.slice(i, i + 100));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const at = Date.now();
      for (const id of batch) sent.set(id, at);
      await deliver(
        target,
        batch.map((id) => creationEvent(id)),
      );
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}
