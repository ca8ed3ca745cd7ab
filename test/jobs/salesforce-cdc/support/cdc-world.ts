import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { createPubSubClient, type PubSubClient } from '../../../../src/adapters/salesforce/pubsub/client.ts';
import type { PubSubCredentialSource } from '../../../../src/adapters/salesforce/pubsub/subscription.ts';
import type { SalesforcePort } from '../../../../src/adapters/salesforce/salesforce-port.ts';
import { CHANGE_TOPICS } from '../../../../src/core/sales/change-events/change-event-types.ts';
import type { ChangeEventOutcome } from '../../../../src/core/sales/change-events/decide-change-batch.ts';
import type { ChangeSubscriberSettings } from '../../../../src/jobs/salesforce-cdc/cdc-types.ts';
import { type ChangeSubscriber, startChangeSubscriber } from '../../../../src/jobs/salesforce-cdc/change-subscriber.ts';
import { type PollWorkerDeps, pollOrSkip } from '../../../../src/jobs/salesforce-poll-worker.ts';
import { silentLogger } from '../../../../src/log.ts';
import type { ChangeEventMetrics } from '../../../../src/metrics/change-event-metrics.ts';
import { INTEGRATION_USER_ID } from '../../../../src/simulators/salesforce/server.ts';
import { type CdcState, readCdcState, readReplayId } from '../../../../src/store/cdc-lease.ts';
import type { Database } from '../../../../src/store/database.ts';
import { recordWritten } from '../../../../src/store/last-written.ts';
import { createReplayWorld, type ReplayWorld } from '../../support/replay-world.ts';

export const LEAD_TOPIC = CHANGE_TOPICS.Lead;
export const CDC_NAME = 'salesforce-cdc';

/** Small timings so every failure path runs in well under a second (the brief's settings). */
export const SMALL_SETTINGS: ChangeSubscriberSettings = {
  leaseMs: 1_000,
  renewEveryMs: 200,
  standbyRetryMs: 100,
  silenceMs: 300,
  batchSize: 100,
  reconnect: { baseDelayMs: 10, maxDelayMs: 50, unavailableRetryMs: 60_000 },
};

/** What the subscriber reported through its metrics port, counted. */
export class MetricsSpy implements ChangeEventMetrics {
  readonly events = new Map<string, number>();
  readonly reconnects: string[] = [];
  readonly fallbacks: string[] = [];
  changeEvents(entity: string, outcome: ChangeEventOutcome, count: number): void {
    const key = `${entity}:${outcome}`;
    this.events.set(key, (this.events.get(key) ?? 0) + count);
  }
  changeEventLag(): void {}
  changeStreamReconnect(reason: string): void {
    this.reconnects.push(reason);
  }
  changeFallback(reason: string): void {
    this.fallbacks.push(reason);
  }
  count(entity: string, outcome: ChangeEventOutcome): number {
    return this.events.get(`${entity}:${outcome}`) ?? 0;
  }
}

export interface RunningSubscriber {
  holder: string;
  subscriber: ChangeSubscriber;
  /** Poll rounds the subscriber asked for (its catch-ups): pollOrSkip behind a counter. */
  rounds: { count: number };
  metrics: MetricsSpy;
  /** Times this replica asked the database for the lease. */
  claims: { count: number };
  /** Every Subscribe this replica opened: topic, and the stored replay id it resumed after (or the preset). */
  subscriptions: Array<{ topic: string; from: Buffer | 'LATEST' | 'EARLIEST' }>;
}

export interface CdcWorld {
  w: ReplayWorld;
  pubSub: PubSubClient;
  /** The poll's deps; `clock.offsetMs` moves this world's `now()` ahead (the drift-check tests). */
  poll: PollWorkerDeps;
  clock: { offsetMs: number };
  /** A subscriber; `mappings` replaces the world's active configuration (read per use, as the service's is). */
  start(holder?: string, mappings?: PollWorkerDeps['mappings']): RunningSubscriber;
  /** Stops every subscriber still running (the after-each clean-up; a test may stop one earlier itself). */
  stopAll(): Promise<void>;
}

/** The database as one replica sees it, counting its lease claims (the standby's tries are the events tests wait on). */
function countingClaims(db: Database, claims: { count: number }): Database {
  return {
    connectionString: db.connectionString,
    exec: (sql) => db.exec(sql),
    transaction: (work) => db.transaction(work),
    close: () => db.close(),
    query: (sql, params) => {
      if (sql.includes('INSERT INTO cdc_lease')) claims.count += 1;
      return db.query(sql, params);
    },
  };
}

/** The Pub/Sub client as one replica sees it, noting where each of its subscriptions starts. */
function notingSubscriptions(client: PubSubClient, noted: RunningSubscriber['subscriptions']): Pick<PubSubClient, 'subscribe'> {
  return {
    subscribe: (topic, replay, options) => {
      noted.push({ topic, from: 'afterReplayId' in replay ? replay.afterReplayId : replay.preset });
      return client.subscribe(topic, replay, options);
    },
  };
}

function credentialSource(port: SalesforcePort): PubSubCredentialSource {
  // replay-world builds its port with createSalesforceAdapter, which also hands out the Pub/Sub credentials.
  const source = port as SalesforcePort & Partial<PubSubCredentialSource>;
  if (!source.pubSubCredentials || !source.renewAccessToken) throw new Error('the world’s Salesforce port cannot log in to Pub/Sub');
  return { pubSubCredentials: () => source.pubSubCredentials!(), renewAccessToken: () => source.renewAccessToken!() };
}

async function createCdcWorld(pubSub: { entities?: ('Lead' | 'Opportunity')[] }): Promise<CdcWorld> {
  // Keep-alives well inside silenceMs, so only a silenced stream is ever taken for dead.
  const w = await createReplayWorld({ salesforce: { pubSub: { keepAliveMs: 100, ...pubSub } } });
  const address = w.salesforce.pubSub?.address;
  if (!address) throw new Error('the simulated org serves no Pub/Sub API');
  const client = createPubSubClient({
    endpoint: address,
    tls: false,
    credentials: credentialSource(w.poll.salesforce),
    logger: silentLogger(),
  });
  const clock = { offsetMs: 0 };
  const poll: PollWorkerDeps = { ...w.poll, now: () => new Date(Date.now() + clock.offsetMs) };
  const running: RunningSubscriber[] = [];
  return {
    w,
    pubSub: client,
    poll,
    clock,
    start(holder = 'replica-a', mappings = poll.mappings) {
      const rounds = { count: 0 };
      const claims = { count: 0 };
      const subscriptions: RunningSubscriber['subscriptions'] = [];
      const metrics = new MetricsSpy();
      const subscriber = startChangeSubscriber({
        ...poll,
        mappings,
        db: countingClaims(poll.db, claims),
        pubSub: notingSubscriptions(client, subscriptions),
        holder,
        clientName: 'Handoff',
        pollRound: async () => {
          rounds.count += 1;
          return pollOrSkip(poll);
        },
        settings: SMALL_SETTINGS,
        changeMetrics: metrics,
        random: () => 0.5,
      });
      const one = { holder, subscriber, rounds, metrics, claims, subscriptions };
      running.push(one);
      return one;
    },
    async stopAll() {
      for (const one of running.splice(0)) await one.subscriber.stop();
      // Each test starts with no lease and no stored position: its subscriber subscribes at the tip and catches up.
      await w.fresh.db.query('DELETE FROM cdc_lease');
      await w.fresh.db.query('DELETE FROM cdc_replay');
      clock.offsetMs = 0;
    },
  };
}

/** A world with the simulated org's Pub/Sub API for the enclosing describe block; subscribers stop after each test. */
export function useCdcWorld(assign: (world: CdcWorld) => void, pubSub: { entities?: ('Lead' | 'Opportunity')[] } = {}): void {
  let world: CdcWorld | undefined;
  beforeAll(async () => {
    world = await createCdcWorld(pubSub);
    assign(world);
  });
  afterEach(async () => {
    await world?.stopAll();
  });
  afterAll(async () => {
    world?.pubSub.close();
    await world?.w.close();
  });
}

/** Polls observable state until `check` answers, failing the test after `boundMs` (a bound, not a wait for nothing). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, boundMs = 5_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${boundMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The Subscribe streams the simulated org has seen on the Lead channel, oldest first. */
export const leadStreams = (world: CdcWorld) => (world.w.salesforce.pubSub?.streams() ?? []).filter((s) => s.topic === LEAD_TOPIC);

/**
 * Live: the subscriber says so, and the org has positioned an open Lead stream (its first FetchRequest was taken),
 * so a change made from here on is one the stream delivers.
 */
export async function untilLive(world: CdcWorld, minStreams = 1): Promise<CdcState> {
  return eventually('a live Lead stream', async () => {
    const state = await readCdcState(world.w.fresh.db, CDC_NAME);
    const streams = leadStreams(world);
    const positioned = streams.length >= minStreams && streams.some((s) => s.open && s.requested > 0);
    return state?.status === 'live' && state.held && positioned ? state : undefined;
  });
}

export const storedLeadReplayId = (world: CdcWorld) => readReplayId(world.w.fresh.db, LEAD_TOPIC);

/** A Lead as our handoff leaves it: saved by the integration user, our values recorded as last written. */
export async function handedOffLead(world: CdcWorld, name: string): Promise<{ contactId: string; leadId: string }> {
  const { hubspot, salesforce, fresh } = world.w;
  const email = `${name}@cdc.example`;
  const contactId = hubspot.createContact({ email, lastname: name, company: 'Cdc', jobtitle: 'Engineer', demo_requested: 'true' });
  const values = { LastName: name, Company: 'Cdc', Email: email, Title: 'Engineer' };
  const lead = salesforce.createRecord(
    'Lead',
    { ...values, Status: 'Open - Not Contacted', Handoff_HubSpot_Id__c: contactId },
    { userId: INTEGRATION_USER_ID },
  );
  const leadId = String(lead.Id);
  await recordWritten(fresh.db, 'salesforce', leadId, values);
  return { contactId, leadId };
}

/** The audit rows written for one Lead, oldest first: the exactly-once checks count them. */
export async function historyActions(world: CdcWorld, leadId: string): Promise<string[]> {
  const result = await world.w.fresh.db.query<{ action: string }>(
    'SELECT action FROM handoff_history WHERE salesforce_id = $1 ORDER BY id',
    [leadId],
  );
  return result.rows.map((row) => row.action);
}

/** The nurture list a rejection with this reason code puts the contact on (rejection-reasons.yaml). */
export function nurtureListOf(world: CdcWorld, code: string): string {
  const reason = world.w.bundle.rejection.reasons.find((r) => r.code === code);
  if (!reason) throw new Error(`no rejection reason ${code}`);
  return reason.feedback.nurtureList;
}

/** Whether HubSpot holds the rejection: the reason property, and the contact on the reason's nurture list. */
export function rejectionReached(world: CdcWorld, contactId: string, code: string): boolean {
  const { hubspot } = world.w;
  return (
    hubspot.contacts.get(contactId)?.properties.handoff_rejection_reason === code &&
    (hubspot.lists.members(nurtureListOf(world, code)) ?? []).includes(contactId)
  );
}

/** Who holds the change-event lease now, and with which epoch. */
export async function leaseHolder(world: CdcWorld): Promise<{ holder: string; epoch: number } | undefined> {
  const result = await world.w.fresh.db.query<{ holder: string; epoch: string }>('SELECT holder, epoch FROM cdc_lease WHERE name = $1', [
    CDC_NAME,
  ]);
  const row = result.rows[0];
  return row && { holder: row.holder, epoch: Number(row.epoch) };
}
