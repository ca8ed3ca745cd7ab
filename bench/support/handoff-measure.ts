import { type Summary, summarize, waitFor } from './stats.ts';
import type { BenchWorld } from './world.ts';

type Row = Record<string, unknown>;

/** When each contact's webhook was sent, by contact id. */
export type SentTimes = Map<string, number>;

export interface LatencyFigures {
  /** Webhook sent → Lead committed in the simulated Salesforce. */
  rawMs: Summary;
  /** The same minus the simulated API latency on the contact's path: our own overhead. */
  overheadMs: Summary;
  /** Mean simulated latency subtracted per contact, to show the arithmetic. */
  meanSubtractedMs: number;
}

/** Salesforce's "2026-11-22T10:00:00.123+0000" as epoch ms. */
function salesforceTime(value: unknown): number {
  return Date.parse(String(value).replace(/\+0000$/, 'Z'));
}

/** Commit time (CreatedDate, one stamp per collections request) of each of our Leads, by HubSpot contact id. */
export function leadCommits(world: BenchWorld): Map<string, number> {
  const commits = new Map<string, number>();
  for (const lead of world.salesforce.records('Lead') as Row[]) {
    const contactId = lead.Handoff_HubSpot_Id__c;
    if (typeof contactId === 'string') commits.set(contactId, salesforceTime(lead.CreatedDate));
  }
  return commits;
}

/**
 * Waits until every contact has its Lead and is on the sales-ready list (the last write-back step), then
 * until the service says its inbox is empty: after that, the phase makes no more API calls. With
 * `writtenBack`, each contact must also hold its Salesforce id in HubSpot: a write-back that sends the property
 * update after the list add (grouped across batches) has then made its calls inside the phase too.
 */
export async function waitForHandoffs(
  world: BenchWorld,
  serviceUrl: string,
  contactIds: string[],
  timeoutMs: number,
  options: { writtenBack?: boolean } = {},
): Promise<boolean> {
  const salesReady = world.mappings.rejection.salesReadyList;
  const idProperty = world.mappings.fieldMapping.hubspot.salesforceIdProperty;
  const written = (id: string) => !options.writtenBack || Boolean(world.hubspot.contacts.get(id)?.properties[idProperty]);
  const done = await waitFor(
    () => {
      const commits = leadCommits(world);
      const members = new Set(world.hubspot.lists.members(salesReady) ?? []);
      return contactIds.every((id) => commits.has(id) && members.has(id) && written(id));
    },
    timeoutMs,
    100,
  );
  if (!done) return false;
  return waitFor(
    async () => {
      const readiness = (await (await fetch(`${serviceUrl}/readyz`)).json()) as { pendingEvents?: number };
      return readiness.pendingEvents === 0;
    },
    10_000,
    50,
  );
}

/** Per-contact raw latency and latency less the simulated API time that overlapped its path. */
export function latencyFigures(world: BenchWorld, sent: SentTimes): LatencyFigures {
  const commits = leadCommits(world);
  const raw: number[] = [];
  const overhead: number[] = [];
  let subtracted = 0;
  for (const [contactId, sentAt] of sent) {
    const committedAt = commits.get(contactId);
    if (committedAt === undefined) continue;
    const simulated = world.calls.latencyWithin(sentAt, committedAt);
    raw.push(committedAt - sentAt);
    overhead.push(committedAt - sentAt - simulated);
    subtracted += simulated;
  }
  return { rawMs: summarize(raw), overheadMs: summarize(overhead), meanSubtractedMs: raw.length ? subtracted / raw.length : Number.NaN };
}
