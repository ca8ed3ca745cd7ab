import type { LoggedCall } from './call-log.ts';
import { watchList } from './nurture-watch.ts';
import { type Summary, sleep, summarize, waitFor } from './stats.ts';
import { creationEvent, deliver, type WebhookTarget } from './webhooks.ts';
import type { BenchWorld } from './world.ts';

type Calls = Record<LoggedCall['provider'], number>;

/** HubSpot sends a bulk import's events 100 to a request; the bench hands its Leads off the same way. */
const EVENTS_PER_DELIVERY = 100;

/** Every contact's creation webhook, 100 events a request, one request after another. */
export async function handOff(target: WebhookTarget, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += EVENTS_PER_DELIVERY)
    await deliver(
      target,
      ids.slice(start, start + EVENTS_PER_DELIVERY).map((id) => creationEvent(id)),
    );
}

/**
 * Waits (bounded) until the service's /readyz says change events carry Salesforce changes
 * (details.salesforceChanges.path === 'change-events'); the wait in ms, or null if it never did.
 */
export async function waitForChangeEvents(serviceUrl: string, timeoutMs: number): Promise<number | null> {
  const began = Date.now();
  const live = await waitFor(
    async () => {
      const answer = (await (await fetch(`${serviceUrl}/readyz`)).json()) as { details?: { salesforceChanges?: { path?: string } } };
      return answer.details?.salesforceChanges?.path === 'change-events';
    },
    timeoutMs,
    100,
  );
  return live ? Date.now() - began : null;
}

/** The Lead id of each handed-off contact, from the simulated org. */
export function leadIdsByContact(world: BenchWorld): Map<string, string> {
  const leads = new Map<string, string>();
  for (const lead of world.salesforce.records('Lead') as Record<string, unknown>[])
    if (typeof lead.Handoff_HubSpot_Id__c === 'string') leads.set(lead.Handoff_HubSpot_Id__c, String(lead.Id));
  return leads;
}

export interface IdleWindow {
  seconds: number;
  calls: Calls;
  /** Salesforce calls in the window × 3,600 ÷ its length. */
  salesforcePerHour: number;
  endpoints: Record<string, number>;
}

/** Nothing happens for `seconds`: every API call the service makes meanwhile is its idle cost. */
export async function idleWindow(world: BenchWorld, seconds: number): Promise<IdleWindow> {
  const from = Date.now();
  await sleep(seconds * 1000);
  const to = Date.now();
  const calls = world.calls.countBetween(from, to);
  const measured = (to - from) / 1000;
  return {
    seconds: measured,
    calls,
    salesforcePerHour: (calls.salesforce * 3600) / measured,
    endpoints: world.calls.endpointsBetween(from, to),
  };
}

/** The rep's rejection in Salesforce, as a person saves it (the simulated rep is the default user). */
export interface Rejection {
  status: string;
  reason: string;
}

export interface FeedbackFigures {
  rejections: number;
  spacingMs: number;
  /** Rep's save → the contact first seen on the nurture list. */
  latencyMs: Summary;
}

/** One rejection every `spacingMs`, each contact watched (every 5 ms) until it joins the list; bounded. */
export async function measureFeedback(
  world: BenchWorld,
  change: { ids: readonly string[]; leads: Map<string, string>; rejection: Rejection; list: string },
  spacingMs: number,
  timeoutMs: number,
): Promise<FeedbackFigures> {
  const rejectedAt = new Map<string, number>();
  const joinedAt = new Map<string, number>();
  const watcher = watchList(world, change.list, change.ids, joinedAt, timeoutMs);
  for (const id of change.ids) {
    reject(world, change.leads, id, change.rejection);
    rejectedAt.set(id, Date.now());
    await sleep(spacingMs);
  }
  await watcher;
  const latencies = change.ids.filter((id) => joinedAt.has(id)).map((id) => joinedAt.get(id)! - rejectedAt.get(id)!);
  return { rejections: change.ids.length, spacingMs, latencyMs: summarize(latencies) };
}

function reject(world: BenchWorld, leads: Map<string, string>, contactId: string, rejection: Rejection): void {
  const leadId = leads.get(contactId);
  if (!leadId) throw new Error(`changes: contact ${contactId} has no Lead`);
  world.salesforce.updateRecord('Lead', leadId, { Status: rejection.status, Rejection_Reason__c: rejection.reason });
}

export interface BulkFigures {
  changes: number;
  perSecond: number;
  /** Changes that reached HubSpot (the contact on the nurture list) within the bound. */
  reached: number;
  /** First update → the last contact seen on the list (or the bound). */
  windowMs: number;
  calls: Calls;
  salesforcePerThousand: number;
  hubspotPerThousand: number;
  /** Salesforce calls per change × the changes an hour at this pace (perSecond × 3,600). */
  salesforcePerHourAtPace: number;
  latencyMs: Summary;
  endpoints: Record<string, number>;
}

/**
 * The rep changes every Lead on a fixed schedule (`perSecond`); calls are counted from the first update until every
 * change reached HubSpot, or until `timeoutMs` after the first update.
 */
export async function measureBulk(
  world: BenchWorld,
  change: { ids: readonly string[]; leads: Map<string, string>; rejection: Rejection; list: string },
  perSecond: number,
  timeoutMs: number,
): Promise<BulkFigures> {
  const rejectedAt = new Map<string, number>();
  const joinedAt = new Map<string, number>();
  const first = Date.now();
  const watcher = watchList(world, change.list, change.ids, joinedAt, timeoutMs, 20);
  for (const [index, id] of change.ids.entries()) {
    const due = first + (index * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    reject(world, change.leads, id, change.rejection);
    rejectedAt.set(id, Date.now());
  }
  await watcher;
  const reached = joinedAt.size;
  const last = reached === change.ids.length ? Math.max(...joinedAt.values()) : Date.now();
  const calls = world.calls.countBetween(first, last + 1);
  const perChange = (count: number) => (count * 1000) / change.ids.length;
  const latencies = [...joinedAt].map(([id, at]) => at - rejectedAt.get(id)!);
  return {
    changes: change.ids.length,
    perSecond,
    reached,
    windowMs: last - first,
    calls,
    salesforcePerThousand: perChange(calls.salesforce),
    hubspotPerThousand: perChange(calls.hubspot),
    salesforcePerHourAtPace: (calls.salesforce / change.ids.length) * perSecond * 3600,
    latencyMs: summarize(latencies),
    endpoints: world.calls.endpointsBetween(first, last + 1),
  };
}

/** Pub/Sub streams the service opened and the events they carried (keep-alives aside), over the whole run. */
export function pubSubDeliveries(world: BenchWorld): { streams: number; delivered: number; keepAlives: number } {
  const streams = world.salesforce.pubSub?.streams() ?? [];
  return {
    streams: streams.length,
    delivered: streams.reduce((sum, stream) => sum + stream.delivered, 0),
    keepAlives: streams.reduce((sum, stream) => sum + stream.keepAlives, 0),
  };
}
