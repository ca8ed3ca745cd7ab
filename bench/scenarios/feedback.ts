import { waitForHandoffs } from '../support/handoff-measure.ts';
import type { MemoryFigure } from '../support/memory.ts';
import { nurtureListFor, watchList } from '../support/nurture-watch.ts';
import type { BenchOptions } from '../support/options.ts';
import { type Summary, sleep, summarize } from '../support/stats.ts';
import { creationEvent, deliver } from '../support/webhooks.ts';
import { createBenchWorld, createQualifyingContacts } from '../support/world.ts';

export interface FeedbackResults {
  pollSeconds: number;
  rejections: number;
  reason: string;
  nurtureList: string;
  /** Rep rejects with a reason in Salesforce → the contact is a member of the nurture list in HubSpot. */
  latencyMs: Summary;
  peakRssMiB: number;
  /** Service + its database processes, summed. */
  peakMemory: MemoryFigure;
}

const REASON = 'bad_timing';
const WATCH_EVERY_MS = 5;

/**
 * Hands off a few contacts, then acts as the rep: rejects each Lead with a reason, spaced so the rejections
 * fall at different points of the poll cycle, and watches the simulated HubSpot's nurture list in-process
 * (every 5 ms) for each contact to join it.
 */
export async function runFeedback(options: BenchOptions): Promise<FeedbackResults> {
  const { pollSeconds, rejections, spacingMs } = options.sizes.feedback;
  const world = await createBenchWorld(options);
  try {
    const nurtureList = nurtureListFor(world, REASON);
    const ids = createQualifyingContacts(world.hubspot, rejections, 'feedback');
    const service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: String(pollSeconds), SLA_TICK_SECONDS: '3600' });
    try {
      await deliver(
        { serviceUrl: service.url, publicBaseUrl: world.publicBaseUrl, clientSecret: world.clientSecret },
        ids.map((id) => creationEvent(id)),
      );
      if (!(await waitForHandoffs(world, service.url, ids, 60_000))) throw new Error('feedback: handoffs did not complete');
      // Let one poll see the fresh Leads, so the rejections are the only news.
      await sleep(pollSeconds * 1000 + 500);
      const leads = new Map(
        (world.salesforce.records('Lead') as Record<string, unknown>[]).map((lead) => [
          String(lead.Handoff_HubSpot_Id__c),
          String(lead.Id),
        ]),
      );
      const rejectedAt = new Map<string, number>();
      const joinedAt = new Map<string, number>();
      const watcher = watchList(world, nurtureList, ids, joinedAt, rejections * spacingMs + pollSeconds * 1000 + 30_000, WATCH_EVERY_MS);
      for (const id of ids) {
        world.salesforce.updateRecord('Lead', leads.get(id)!, { Status: 'Rejected', Rejection_Reason__c: REASON });
        rejectedAt.set(id, Date.now());
        await sleep(spacingMs);
      }
      await watcher;
      const latencies = ids.filter((id) => joinedAt.has(id)).map((id) => joinedAt.get(id)! - rejectedAt.get(id)!);
      if (latencies.length < ids.length)
        console.warn(`feedback: ${ids.length - latencies.length} rejections never reached the nurture list`);
      return {
        pollSeconds,
        rejections,
        reason: REASON,
        nurtureList,
        latencyMs: summarize(latencies),
        peakRssMiB: await service.peakRssMiB(),
        peakMemory: service.peakMemory(),
      };
    } finally {
      await service.stop();
    }
  } finally {
    await world.close();
  }
}
