import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { postmasterPid } from '../../src/store/embedded/postmaster-pid.ts';
import { eventually, type RunningService } from '../e2e/support/service-process.ts';
import { createWorld, creationEvent, propertyChangeEvent, signedHeaders, type World } from '../e2e/support/world.ts';
import { type KillRecord, runKiller } from './crash-killer.ts';
import { type Action, batchesOf, planLoad, seededRandom } from './crash-load.ts';
import { type ContactTrace, passed, type Verdict, verifyCrashRun } from './crash-verify.ts';
import { type SenderStats, type WebhookEvent, WebhookSender } from './webhook-sender.ts';

/**
 * The crash harness: a sender delivers signed webhook batches continuously while a killer SIGKILLs the
 * service at chosen moments and restarts it; afterwards every accepted webhook must have produced its
 * effect exactly once (see crash-verify.ts). Used by `npm run harness:crash` and by an e2e test.
 */
/** The default deployment (its own embedded PostgreSQL, killed too) or a PostgreSQL server through DATABASE_URL. */
export type CrashDatabase = 'embedded' | 'server';

export interface CrashHarnessOptions {
  database: CrashDatabase;
  contacts: number;
  kills: number;
  /** The load is spread over this long; the kills fall inside it. */
  durationMs: number;
  /** Events per webhook batch, at most (HubSpot sends up to 100). */
  maxBatch?: number;
  /** Webhook deliveries in flight at once. */
  concurrency?: number;
  /** Share of accepted batches HubSpot sends a second time. */
  redeliveryRate?: number;
  seed?: number;
  drainTimeoutMs?: number;
  /** Simulated API latency: widens the windows a kill can fall into. */
  salesforceLatencyMs?: number;
  hubspotLatencyMs?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  database: CrashDatabase;
  seed: number;
  contacts: number;
  actions: number;
  loadMs: number;
  sender: SenderStats;
  kills: KillRecord[];
  drainMs: number;
  totalMs: number;
  salesforceOverlaps: number;
  verdict: Verdict;
  passed: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runCrashHarness(options: CrashHarnessOptions): Promise<CrashReport> {
  const began = Date.now();
  const seed = options.seed ?? randomBytes(4).readUInt32BE();
  const random = seededRandom(seed);
  const log = options.log ?? (() => undefined);
  const world = await createWorld({
    embedded: options.database === 'embedded',
    salesforceLatencyMs: options.salesforceLatencyMs ?? 30,
    hubspotLatencyMs: options.hubspotLatencyMs ?? 10,
  });
  let service: RunningService | undefined;
  try {
    service = await world.start();
    const sender = new WebhookSender({ targets: () => [`http://127.0.0.1:${world.port}`], headers: (body) => signedHeaders(world, body) });
    const plan = planLoad(options.contacts, random, seed.toString(36));
    const sentEvents = new Map<number, Action>();
    const startedAt = Date.now();
    log(
      `[${options.database}] seed ${seed}: ${options.contacts} contacts, ${plan.actions.length} actions over ${options.durationMs} ms, ${options.kills} kills`,
    );
    const [, kills] = await Promise.all([
      sendLoad(world, sender, batchesOf(plan.actions, options.maxBatch ?? 8, random), sentEvents, options, random),
      runKiller(
        { kills: options.kills, spanMs: options.durationMs, random, startedAt },
        {
          current: () => service!,
          restart: async () => (service = await world.start()),
          sender,
          salesforce: world.salesforce,
          ...(world.dataDir ? { killDatabase: () => killPostmaster(world.dataDir!) } : {}),
        },
      ),
    ]);
    const loadMs = Date.now() - startedAt;
    for (const kill of kills)
      log(
        `[${options.database}] kill at ${kill.atMs} ms (${kill.moment}${kill.hit ? '' : ', not reached'}${kill.databaseKilled ? ', database server too' : ''}), up again in ${kill.restartMs} ms`,
      );
    const drainStarted = Date.now();
    await eventually(
      async () => ((await pendingEvents(service!)) === 0 ? true : undefined),
      options.drainTimeoutMs ?? 120_000,
      'an empty inbox',
    );
    const drainMs = Date.now() - drainStarted;
    const exit = await service.stop();
    if (exit !== 0) throw new Error(`the service stopped with exit code ${exit}`);
    const verdict = await verifyWorld(
      world,
      plan.contacts.map((contact) => contact),
      sentEvents,
      sender,
    );
    return {
      database: options.database,
      seed,
      contacts: options.contacts,
      actions: plan.actions.length,
      loadMs,
      sender: sender.stats,
      kills,
      drainMs,
      totalMs: Date.now() - began,
      salesforceOverlaps: world.salesforce.overlaps.count,
      verdict,
      passed: passed(verdict) && world.salesforce.overlaps.count === 0,
    };
  } finally {
    await service?.kill();
    await world.close();
  }
}

/** SIGKILLs the postmaster named in the embedded server's pid file (its backends follow it). */
async function killPostmaster(dataDir: string): Promise<void> {
  const pid = await postmasterPid(join(dataDir, 'postgres'));
  if (pid === undefined) throw new Error(`no postmaster in ${dataDir}/postgres to kill`);
  process.kill(pid, 'SIGKILL');
}

async function pendingEvents(service: RunningService): Promise<number> {
  const response = await fetch(`${service.url}/readyz`);
  return ((await response.json()) as { pendingEvents: number }).pendingEvents;
}

/** Applies each batch's actions to the simulated HubSpot, then delivers their events, several batches in flight at once. */
async function sendLoad(
  world: World,
  sender: WebhookSender,
  batches: Action[][],
  sentEvents: Map<number, Action>,
  options: CrashHarnessOptions,
  random: () => number,
): Promise<void> {
  const spacing = options.durationMs / Math.max(1, batches.length);
  const running = new Set<Promise<unknown>>();
  const track = (delivery: Promise<unknown>) => {
    running.add(delivery);
    void delivery.finally(() => running.delete(delivery));
  };
  for (const batch of batches) {
    while (running.size >= (options.concurrency ?? 4)) await Promise.race(running);
    const events = batch.map((action) => {
      const event = applyAction(world, action);
      sentEvents.set(event.eventId, action);
      return event;
    });
    track(
      sender.deliver(events).then(async (accepted) => {
        if (!accepted || random() >= (options.redeliveryRate ?? 0.1)) return;
        await sleep(random() * 2_000);
        await sender.deliver(events, { redelivery: true });
      }),
    );
    await sleep(spacing);
  }
  await Promise.all(running);
}

function applyAction(world: World, action: Action): WebhookEvent {
  const { contact } = action;
  if (action.type === 'create') {
    contact.id = world.hubspot.createContact(action.properties);
    contact.jobtitle = action.properties.jobtitle ?? '';
    return creationEvent(contact.id) as WebhookEvent;
  }
  world.hubspot.updateContact(contact.id!, { [action.property]: action.value });
  if (action.property === 'jobtitle') contact.jobtitle = action.value;
  return propertyChangeEvent(contact.id!, action.property, action.value) as WebhookEvent;
}

async function verifyWorld(
  world: World,
  contacts: ReturnType<typeof planLoad>['contacts'],
  sentEvents: Map<number, Action>,
  sender: WebhookSender,
): Promise<Verdict> {
  const traces = new Map<number, ContactTrace>(contacts.map((contact) => [contact.index, { contact, actions: [] }]));
  for (const [eventId, action] of [...sentEvents].sort(([a], [b]) => a - b)) {
    traces.get(action.contact.index)!.actions.push({ action, eventId, accepted: sender.accepted.has(eventId) });
  }
  const db = await world.openDb();
  try {
    return await verifyCrashRun({
      traces: [...traces.values()].filter((trace) => trace.contact.id !== undefined),
      leads: world.salesforce.records('Lead'),
      hubspotContact: (id) => world.hubspot.contacts.get(id)?.properties,
      titleHistory: (leadId, contactId) => {
        const toLead = world.salesforce
          .writeLog('Lead', leadId)
          .filter((w) => 'Title' in w.values)
          .map((w) => w.values.Title);
        const toContact = world.hubspot.contacts
          .writes(contactId)
          .filter((w) => 'jobtitle' in w.properties)
          .map((w) => `${w.properties.jobtitle} (${w.changeSource})`);
        return `Salesforce got ${JSON.stringify(toLead)}; HubSpot got ${JSON.stringify(toContact)}`;
      },
      db,
    });
  } finally {
    await db.close();
  }
}

/** The figures a person reads after a run. */
export function formatReport(report: CrashReport): string {
  const v = report.verdict;
  const s = report.sender;
  const lines = [
    `crash harness on ${report.database === 'embedded' ? 'the embedded PostgreSQL' : 'a PostgreSQL server'} (seed ${report.seed}): ${report.passed ? 'PASSED' : 'FAILED'}`,
    `  load            ${report.contacts} contacts, ${report.actions} events in ${s.batches - s.redeliveries} batches over ${report.loadMs} ms`,
    `  deliveries      ${s.attempts} attempts, ${s.retries} retries, ${s.connectionFailures} connection failures, ${s.redeliveries} redeliveries, ${s.duplicatesReported} duplicates reported, ${s.givenUp} given up, statuses ${JSON.stringify(s.statuses)}`,
    `  accepted events ${v.acceptedEvents}`,
    `  kills           ${report.kills.length} (${report.kills.filter((k) => k.webhooksInFlight > 0).length} with webhooks in flight, ${report.kills.filter((k) => k.salesforceWritesInFlight > 0).length} with Salesforce writes in flight, ${report.kills.filter((k) => k.moment === 'after a salesforce commit' && k.hit).length} right after a Salesforce commit, ${report.kills.filter((k) => k.databaseKilled).length} with the embedded database server); restarts ${report.kills.map((k) => k.restartMs).join('/')} ms`,
    `  drained in      ${report.drainMs} ms (total ${report.totalMs} ms)`,
    `  Leads           expected ${v.leadsExpected}, found ${v.leadsFound} (undetermined ${v.undetermined})`,
    `  lost            ${v.lost}`,
    `  duplicates      ${v.duplicateLeadsPerContact} per contact id, ${v.duplicateLeadsPerEmail} per e-mail`,
    `  unexpected      ${v.notQualifyingWithLead} non-qualifying contacts with a Lead (${v.unexpectedLeads} unexpected Leads in all)`,
    `  stale Leads     ${v.staleLeads}; write-back missing ${v.missingWriteBack}`,
    `  pending inbox   ${v.pendingInbox}; parked ${v.parked}`,
    `  audit           ${v.auditNotExactlyOnce} contacts without exactly one handed_off row; ${v.linkOrClockMismatch} link/SLA-clock mismatches; ${v.replayedHandoffs} handoffs replayed after a crash between Salesforce's commit and ours`,
    `  overlaps        ${report.salesforceOverlaps} concurrent writes to one Salesforce record`,
    `  inbox outcomes  ${JSON.stringify(v.outcomes)}`,
    ...v.problems.map((problem) => `  ! ${problem}`),
  ];
  return lines.join('\n');
}
