import type { SentTimes } from './handoff-measure.ts';
import { NOTIFY_CHANNELS, type NotifyChannel } from './receivers.ts';
import { type Summary, summarize } from './stats.ts';
import type { BenchWorld } from './world.ts';

type Row = Record<string, unknown>;

export interface NotifyLatency {
  /** Webhook sent → notification arrived, per channel, and → the last of the three ("all"), in ms. */
  sentToArrival: Record<NotifyChannel | 'all', Summary>;
  /** Diagnostic split of "all": webhook sent → Lead committed, and Lead committed → first / last channel. */
  sentToCommit: Summary;
  commitToFirst: Summary;
  commitToLast: Summary;
  /** Per channel: contacts whose Lead exists but whose notification never arrived. */
  undelivered: Record<NotifyChannel, number>;
  /** Arrivals beyond the first for the same Lead and channel (exactly once means 0). */
  duplicates: number;
}

/** Salesforce's "2026-11-22T10:00:00.123+0000" as epoch ms. */
const salesforceTime = (value: unknown): number => Date.parse(String(value).replace(/\+0000$/, 'Z'));

/** Each of our Leads: its HubSpot contact and commit time (CreatedDate, one stamp per collections request). */
function leadsById(world: BenchWorld): Map<string, { contactId: string; committedAt: number }> {
  const leads = new Map<string, { contactId: string; committedAt: number }>();
  for (const lead of world.salesforce.records('Lead') as Row[]) {
    const contactId = lead.Handoff_HubSpot_Id__c;
    if (typeof contactId === 'string') leads.set(String(lead.Id), { contactId, committedAt: salesforceTime(lead.CreatedDate) });
  }
  return leads;
}

/** The first arrival per channel of each contact's notification, by contact id. */
export function firstArrivals(world: BenchWorld): { byContact: Map<string, Partial<Record<NotifyChannel, number>>>; duplicates: number } {
  const byContact = new Map<string, Partial<Record<NotifyChannel, number>>>();
  let duplicates = 0;
  if (!world.receivers) return { byContact, duplicates };
  const leads = leadsById(world);
  for (const arrival of world.receivers.arrivals(world.salesforce)) {
    const contactId = leads.get(arrival.leadId)?.contactId;
    if (!contactId) continue;
    const seen = byContact.get(contactId) ?? {};
    const earlier = seen[arrival.channel];
    if (earlier !== undefined) duplicates += 1;
    seen[arrival.channel] = earlier === undefined ? arrival.at : Math.min(earlier, arrival.at);
    byContact.set(contactId, seen);
  }
  return { byContact, duplicates };
}

/** True once every contact has a notification on every channel. */
export function allNotified(world: BenchWorld, contactIds: readonly string[]): boolean {
  const { byContact } = firstArrivals(world);
  return contactIds.every((id) => {
    const seen = byContact.get(id);
    return seen !== undefined && NOTIFY_CHANNELS.every((channel) => seen[channel] !== undefined);
  });
}

/** Per-contact latencies of the contacts sent (all times in the bench process's clock, epoch ms). */
export function notifyLatency(world: BenchWorld, sent: SentTimes): NotifyLatency {
  const { byContact, duplicates } = firstArrivals(world);
  const commits = new Map([...leadsById(world).values()].map((lead) => [lead.contactId, lead.committedAt]));
  const values: Record<NotifyChannel | 'all', number[]> = { slack: [], email: [], salesforce: [], all: [] };
  const undelivered: Record<NotifyChannel, number> = { slack: 0, email: 0, salesforce: 0 };
  const sentToCommit: number[] = [];
  const commitToFirst: number[] = [];
  const commitToLast: number[] = [];
  for (const [contactId, sentAt] of sent) {
    const committedAt = commits.get(contactId);
    if (committedAt === undefined) continue;
    sentToCommit.push(committedAt - sentAt);
    const seen = byContact.get(contactId) ?? {};
    const times: number[] = [];
    for (const channel of NOTIFY_CHANNELS) {
      const at = seen[channel];
      if (at === undefined) undelivered[channel] += 1;
      else {
        values[channel].push(at - sentAt);
        times.push(at);
      }
    }
    if (times.length === NOTIFY_CHANNELS.length) {
      values.all.push(Math.max(...times) - sentAt);
      commitToFirst.push(Math.min(...times) - committedAt);
      commitToLast.push(Math.max(...times) - committedAt);
    }
  }
  return {
    sentToArrival: {
      slack: summarize(values.slack),
      email: summarize(values.email),
      salesforce: summarize(values.salesforce),
      all: summarize(values.all),
    },
    sentToCommit: summarize(sentToCommit),
    commitToFirst: summarize(commitToFirst),
    commitToLast: summarize(commitToLast),
    undelivered,
    duplicates,
  };
}

/**
 * Where the time after a Lead's commit goes, per handoff batch (the Leads of one collections create share their
 * CreatedDate): commit → the end of the batch's HubSpot write-back (its sales-ready list add, the last API call before
 * the batch's transaction queues the notifications and kicks the notify worker), → the batch's first arrival on any
 * channel, → its last. Diagnostic; the list add is the first one that reached the simulated HubSpot after the commit.
 */
export interface BatchTimeline {
  batches: number;
  leadsPerBatch: Summary;
  commitToWriteBackEnd: Summary;
  writeBackEndToFirstArrival: Summary;
  firstToLastArrival: Summary;
}

export function batchTimeline(world: BenchWorld, sent: SentTimes): BatchTimeline {
  const { byContact } = firstArrivals(world);
  const batches = new Map<number, { leads: number; times: number[] }>();
  for (const lead of leadsById(world).values()) {
    if (!sent.has(lead.contactId)) continue;
    const batch = batches.get(lead.committedAt) ?? { leads: 0, times: [] };
    batch.leads += 1;
    batch.times.push(...Object.values(byContact.get(lead.contactId) ?? {}));
    batches.set(lead.committedAt, batch);
  }
  const listAdds = world.calls.calls.filter((call) => call.provider === 'hubspot' && call.endpoint.includes('/memberships/add'));
  const sizes: number[] = [];
  const writeBack: number[] = [];
  const toFirst: number[] = [];
  const spread: number[] = [];
  for (const [committedAt, { leads, times }] of batches) {
    sizes.push(leads);
    const listAdd = listAdds.find((call) => call.at >= committedAt);
    if (!listAdd || times.length === 0) continue;
    const writeBackEnd = listAdd.at + world.calls.latencyMs;
    writeBack.push(writeBackEnd - committedAt);
    toFirst.push(Math.min(...times) - writeBackEnd);
    spread.push(Math.max(...times) - Math.min(...times));
  }
  return {
    batches: batches.size,
    leadsPerBatch: summarize(sizes),
    commitToWriteBackEnd: summarize(writeBack),
    writeBackEndToFirstArrival: summarize(toFirst),
    firstToLastArrival: summarize(spread),
  };
}

/**
 * The Salesforce push calls (custom notification actions) as they reached the simulator, grouped into waves (a gap
 * over `gapMs` starts a new one). The notify worker sends a pass's rows at once and runs one pass at a time, so the
 * waves are its passes: their size is the push rows per pass, start-to-start the pass duration. Diagnostic.
 */
export interface PushWaves {
  waves: number;
  callsPerWave: Summary;
  startToStartMs: Summary;
}

export function pushWaves(world: BenchWorld, from: number, to: number, gapMs = 20): PushWaves {
  const starts: number[] = [];
  const sizes: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const call of world.calls.calls) {
    if (call.provider !== 'salesforce' || call.endpoint !== 'action' || call.at < from || call.at >= to) continue;
    if (call.at - last > gapMs) {
      starts.push(call.at);
      sizes.push(0);
    }
    sizes[sizes.length - 1]! += 1;
    last = call.at;
  }
  return {
    waves: starts.length,
    callsPerWave: summarize(sizes),
    startToStartMs: summarize(starts.slice(1).map((start, i) => start - starts[i]!)),
  };
}
