import { leadCommits } from '../support/handoff-measure.ts';
import type { MemoryFigure } from '../support/memory.ts';
import type { BenchOptions } from '../support/options.ts';
import { type Summary, sleep, summarize, waitFor } from '../support/stats.ts';
import { creationEvent, deliver, type WebhookTarget } from '../support/webhooks.ts';
import { type BenchWorld, createBenchWorld, HUBSPOT_BURST_LIMIT } from '../support/world.ts';

/** One backfill run in handoff mode over a seeded portal, measured from the start request to the run's end. */
export interface BackfillPhase {
  regime: 'alone' | 'with handoffs';
  contacts: number;
  qualifying: number;
  status: string;
  durationMs: number;
  contactsPerSecond: number;
  calls: { hubspot: number; salesforce: number; byEndpoint: Record<string, number> };
  hubspotCallsPerSecond: number;
  /** HubSpot calls in the run's window / (ceiling rate × duration). */
  shareOfCeiling: number;
  serviceCpuMsPerThousandContacts: number;
  /** Most HubSpot calls that arrived within any one window (10 s) of the run: the service keeps bulk work to 180 of 190. */
  peakCallsInWindow: number;
  /** Most CRM searches that arrived within any one second of the run: HubSpot allows 4 (the simulator does not enforce it). */
  peakSearchesInSecond: number;
  /** Start request → first HubSpot call, and last call → the run seen over: the run's idle edges. */
  edgesMs: { firstCall: number; afterLastCall: number };
  exactness: Exactness;
  /** With handoffs only: webhook sent → Lead committed, for the real-time contacts sent during the run. */
  handoffLatencyMs?: Summary & { sent: number };
}

/** Every qualifying contact has exactly one Lead; no other contact has one. */
export interface Exactness {
  exact: boolean;
  qualifyingWithoutLead: number;
  qualifyingWithSeveralLeads: number;
  leadsForOtherContacts: number;
}

export type BackfillResults =
  | { measured: false; reason: string }
  | {
      measured: true;
      /** The HubSpot ceiling the simulator enforces, as calls per second (190 per 10 s = 19). */
      ceilingCallsPerSecond: number;
      alone: BackfillPhase;
      withHandoffs?: BackfillPhase;
      contactsPerSecond: number;
      shareOfCeiling: number;
      peakRssMiB: number;
      /** Service + its database processes, summed, in the run alone. */
      peakMemory: MemoryFigure;
    };

const ADMIN_TOKEN = 'bench-admin-token-long-enough-to-be-accepted';
/** Every second seeded contact asks for a demo (the fast track) and qualifies; the others do not. */
const qualifies = (i: number) => i % 2 === 0;

/**
 * The real backfill (admin API POST /api/backfill, handoff mode) over a seeded simulated portal, once alone and,
 * when the profile asks, once with a steady trickle of real-time webhooks during the run. Each run gets a fresh
 * world and service; HubSpot enforces the 190-per-10-s window and the service is configured to keep to it.
 */
export async function runBackfill(options: BenchOptions): Promise<BackfillResults> {
  const sizes = options.sizes.backfill;
  const ceilingCallsPerSecond = HUBSPOT_BURST_LIMIT.max / (HUBSPOT_BURST_LIMIT.windowMs / 1000);
  const first = await measureRun(options, sizes.contacts, 0, sizes.timeoutSeconds * 1000);
  const alone = first.phase;
  let withHandoffs: BackfillPhase | undefined;
  if (sizes.handoffsPerSecond > 0)
    withHandoffs = (await measureRun(options, sizes.contacts, sizes.handoffsPerSecond, sizes.timeoutSeconds * 1000)).phase;
  return {
    measured: true,
    ceilingCallsPerSecond,
    alone,
    ...(withHandoffs ? { withHandoffs } : {}),
    contactsPerSecond: alone.contactsPerSecond,
    shareOfCeiling: alone.shareOfCeiling,
    peakRssMiB: first.peakRssMiB,
    peakMemory: first.peakMemory,
  };
}

async function measureRun(
  options: BenchOptions,
  contacts: number,
  handoffsPerSecond: number,
  timeoutMs: number,
): Promise<{ phase: BackfillPhase; peakRssMiB: number; peakMemory: MemoryFigure }> {
  const world = await createBenchWorld(options);
  try {
    const seeded = seedPortal(world, contacts);
    // The real-time contacts are created during the run, each just before its contact.creation webhook, as in a live
    // portal. The walk's search end starts from the highest id there is when it first asks, so the backfill reaches
    // them in its last sweep (one created before that first search may be read at once: either path writes it once).
    const liveCount = handoffsPerSecond * 30;
    const service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '3600', SLA_TICK_SECONDS: '3600', ADMIN_TOKEN });
    try {
      const target: WebhookTarget = { serviceUrl: service.url, publicBaseUrl: world.publicBaseUrl, clientSecret: world.clientSecret };
      const cpuBefore = await service.cpuSeconds();
      const startedAt = Date.now();
      const runId = await startRun(service.url);
      const sent = new Map<string, number>();
      let runOver = false;
      const createLive = (i: number) => createLiveContact(world, i);
      const trickle =
        liveCount > 0 ? sendTrickle(target, liveCount, createLive, handoffsPerSecond, sent, () => runOver) : Promise.resolve();
      const status = await waitForRun(service.url, runId, timeoutMs);
      runOver = true;
      const endedAt = Date.now();
      const cpuMs = ((await service.cpuSeconds()) - cpuBefore) * 1000;
      await trickle;
      if (liveCount > 0) await waitFor(() => [...sent.keys()].every((id) => leadCommits(world).has(id)), 30_000, 100);
      const counts = world.calls.countBetween(startedAt, endedAt);
      const durationMs = endedAt - startedAt;
      const phase: BackfillPhase = {
        regime: liveCount > 0 ? 'with handoffs' : 'alone',
        contacts,
        qualifying: seeded.qualifying.length,
        status,
        durationMs,
        contactsPerSecond: contacts / (durationMs / 1000),
        calls: { ...counts, byEndpoint: world.calls.endpointsBetween(startedAt, endedAt) },
        hubspotCallsPerSecond: counts.hubspot / (durationMs / 1000),
        shareOfCeiling: counts.hubspot / ((HUBSPOT_BURST_LIMIT.max / HUBSPOT_BURST_LIMIT.windowMs) * durationMs),
        serviceCpuMsPerThousandContacts: (cpuMs / contacts) * 1000,
        edgesMs: runEdges(world, startedAt, endedAt),
        peakCallsInWindow: world.calls.peakInWindow('hubspot', startedAt, endedAt, HUBSPOT_BURST_LIMIT.windowMs),
        peakSearchesInSecond: world.calls.peakInWindow('hubspot', startedAt, endedAt, 1_000, (endpoint) => endpoint.endsWith('/search')),
        exactness: exactness(world, [...seeded.qualifying, ...sent.keys()], seeded.other),
        ...(liveCount > 0 ? { handoffLatencyMs: { ...handoffLatency(world, sent), sent: sent.size } } : {}),
      };
      return { phase, peakRssMiB: await service.peakRssMiB(), peakMemory: service.peakMemory() };
    } finally {
      await service.stop();
    }
  } finally {
    await world.close();
  }
}

function runEdges(world: BenchWorld, startedAt: number, endedAt: number): BackfillPhase['edgesMs'] {
  const inRun = world.calls.calls.filter((call) => call.at >= startedAt && call.at < endedAt);
  if (inRun.length === 0) return { firstCall: Number.NaN, afterLastCall: Number.NaN };
  return { firstCall: inRun[0]!.at - startedAt, afterLastCall: endedAt - inRun.at(-1)!.at };
}

function seedPortal(world: BenchWorld, count: number): { qualifying: string[]; other: string[] } {
  const qualifying: string[] = [];
  const other: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = world.hubspot.createContact({
      email: `seed-${i}@company${i % 97}.example`,
      firstname: 'Seed',
      lastname: `Contact ${i}`,
      company: `Company ${i % 97}`,
      jobtitle: 'Engineer',
      ...(qualifies(i) ? { demo_requested: 'true' } : {}),
    });
    (qualifies(i) ? qualifying : other).push(id);
  }
  return { qualifying, other };
}

function createLiveContact(world: BenchWorld, i: number): string {
  return world.hubspot.createContact({
    email: `live-${i}@company${i % 89}.example`,
    firstname: 'Live',
    lastname: `Contact ${i}`,
    company: `Company ${i % 89}`,
    jobtitle: 'VP Engineering',
    demo_requested: 'true',
  });
}

async function admin(
  serviceUrl: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${serviceUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function startRun(serviceUrl: string): Promise<string> {
  const started = await admin(serviceUrl, 'POST', '/api/backfill', { mode: 'handoff', dryRun: false });
  if (started.status !== 202) throw new Error(`backfill start answered ${started.status}: ${JSON.stringify(started.json).slice(0, 300)}`);
  return String(started.json.id);
}

/** Polls the run every 100 ms until it is over (or the time is up); answers its last status. */
async function waitForRun(serviceUrl: string, runId: string, timeoutMs: number): Promise<string> {
  let status = 'unknown';
  await waitFor(
    async () => {
      status = String((await admin(serviceUrl, 'GET', `/api/backfill/${runId}`)).json.status);
      return ['done', 'failed', 'cancelled'].includes(status);
    },
    timeoutMs,
    100,
  );
  if (status !== 'done') console.warn(`backfill run ${runId} ended as ${status} (limit ${timeoutMs / 1000} s)`);
  return status;
}

/** One new contact and its webhook on a fixed schedule while the run lasts (bounded by `count`). */
async function sendTrickle(
  target: WebhookTarget,
  count: number,
  create: (i: number) => string,
  perSecond: number,
  sent: Map<string, number>,
  over: () => boolean,
): Promise<void> {
  const start = Date.now();
  const deliveries: Promise<void>[] = [];
  for (let i = 0; i < count && !over(); i++) {
    const due = start + (i * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    if (over()) break;
    const id = create(i);
    sent.set(id, Date.now());
    deliveries.push(deliver(target, [creationEvent(id)]));
  }
  await Promise.all(deliveries);
}

function handoffLatency(world: BenchWorld, sent: Map<string, number>): Summary {
  const commits = leadCommits(world);
  const latencies: number[] = [];
  for (const [id, at] of sent) {
    const committed = commits.get(id);
    if (committed !== undefined) latencies.push(committed - at);
  }
  return summarize(latencies);
}

/** Leads per HubSpot contact id, from the simulated Salesforce, against the seeded truth. */
function exactness(world: BenchWorld, qualifying: string[], other: string[]): Exactness {
  const leadsPerContact = new Map<string, number>();
  for (const lead of world.salesforce.records('Lead') as Record<string, unknown>[]) {
    const id = lead.Handoff_HubSpot_Id__c;
    if (typeof id === 'string') leadsPerContact.set(id, (leadsPerContact.get(id) ?? 0) + 1);
  }
  const qualifyingWithoutLead = qualifying.filter((id) => !leadsPerContact.has(id)).length;
  const qualifyingWithSeveralLeads = qualifying.filter((id) => (leadsPerContact.get(id) ?? 0) > 1).length;
  const leadsForOtherContacts = other.filter((id) => leadsPerContact.has(id)).length;
  return {
    exact: qualifyingWithoutLead + qualifyingWithSeveralLeads + leadsForOtherContacts === 0,
    qualifyingWithoutLead,
    qualifyingWithSeveralLeads,
    leadsForOtherContacts,
  };
}
