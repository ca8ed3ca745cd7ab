import { afterAll, beforeAll } from '@jest/globals';
import type { AlertSender, SlaAlert } from '../../../src/adapters/alerts/alert-sender.ts';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { createListIdResolver } from '../../../src/adapters/hubspot/list-ids.ts';
import { ensureHubSpotSetup } from '../../../src/adapters/hubspot/setup.ts';
import { createSalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import { describedFields } from '../../../src/adapters/salesforce/described-fields.ts';
import { loadMappings, parseMappingFiles } from '../../../src/config/mappings.ts';
import type { MappingsBundle } from '../../../src/core/mappings/bundle.ts';
import { createParkedWork, type ParkedWorkPort } from '../../../src/http/admin/parked-work.ts';
import { type HandoffDeps, handoffContacts } from '../../../src/jobs/handoff/handoff-contacts.ts';
import { type PassCounts, sendDueWriteBacks } from '../../../src/jobs/hubspot-writeback/send-writebacks.ts';
import { createParkedReplayer, type ReplayParked } from '../../../src/jobs/parked/replay-parked.ts';
import { createDirectoryResolver } from '../../../src/jobs/routing/resolve-directory.ts';
import { createLeadReads } from '../../../src/jobs/salesforce-poll/lead-reads.ts';
import type { LeadPollDeps } from '../../../src/jobs/salesforce-poll/poll-leads.ts';
import { silentLogger } from '../../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';
import {
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';
import { insertEvents } from '../../../src/store/inbox.ts';
import { type FreshDatabase, freshDatabase } from '../../support/databases.ts';
import { shippedFiles } from '../../unit/core/helpers.ts';

const TOKEN = 'replay-hubspot-token';
const SF = { clientId: 'replay-client', clientSecret: 'replay-secret', refreshToken: 'replay-refresh' };
const fastRetry = { retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, sleep: async () => {} };
export const MAX_AUTO_REPLAYS = 3;

/**
 * The handoff job and the parked-work replay in-process, over real HTTP to the simulators and a fresh
 * database: what the worker would run, without a job queue (queued contacts are collected instead).
 */
export interface ReplayWorld {
  fresh: FreshDatabase;
  hubspot: HubSpotSimulator;
  salesforce: SalesforceSimulator;
  bundle: MappingsBundle;
  handoff: HandoffDeps;
  /** The Salesforce poll over the same ports, reading only the Lead fields the simulated org describes. */
  poll: LeadPollDeps;
  replay: ReplayParked;
  parked: ParkedWorkPort;
  /** Contacts the replay queued a handoff job for, in order; runQueued() works them off. */
  queued: string[];
  alertsSent: SlaAlert[];
  failAlerts: { next: number };
  runQueued(): Promise<Record<string, number>>;
  /** One pass of the HubSpot write-back flusher: sends the outbox's due rows (batches only queue them). */
  flushWriteBacks(): Promise<PassCounts>;
  webhook(contactId: string): Promise<void>;
  leadsFor(contactId: string): Record<string, unknown>[];
  close(): Promise<void>;
}

/** What a suite may change about the world: the simulated org (e.g. its assignment rules) and who new Leads go to. */
export interface ReplayWorldOptions {
  salesforce?: Partial<SalesforceSimulatorOptions>;
  /** routing.yaml's text in place of the shipped one. */
  routing?: string;
}

export async function createReplayWorld(options: ReplayWorldOptions = {}): Promise<ReplayWorld> {
  const fresh = await freshDatabase();
  const bundle = options.routing
    ? parseMappingFiles({ ...shippedFiles(), 'routing.yaml': options.routing })
    : await loadMappings('mappings');
  const hubspot = await startHubSpotSimulator({ accessToken: TOKEN, rateLimit: { windowMs: 10_000, max: 10_000 } });
  const salesforce = await startSalesforceSimulator({
    ...SF,
    rejectionReasons: bundle.rejection.reasons.map((r) => r.code),
    ...options.salesforce,
  });
  const logger = silentLogger();
  const hubspotPort = createHubSpotAdapter({ accessToken: TOKEN, baseUrl: hubspot.url, logger, ...fastRetry });
  await ensureHubSpotSetup(hubspotPort, bundle.hubspotSetup);
  const salesforcePort = createSalesforceAdapter({
    loginUrl: salesforce.url,
    instanceUrl: salesforce.url,
    apiVersion: '66.0',
    logger,
    ...SF,
    ...fastRetry,
  });
  const lists = createListIdResolver(hubspotPort);
  const now = () => new Date();
  const handoff: HandoffDeps = {
    db: fresh.db,
    hubspot: hubspotPort,
    lists,
    salesforce: salesforcePort,
    mappings: () => bundle,
    logger,
    now,
    // Routed as the service routes (routing.yaml against the simulated org); nobody is notified here.
    routing: {
      db: fresh.db,
      hubspot: hubspotPort,
      salesforce: salesforcePort,
      resolveDirectory: createDirectoryResolver({ salesforce: salesforcePort }),
      now,
      channels: [],
      instanceUrl: () => salesforce.url,
      notify: false,
      logger,
    },
  };
  const poll: LeadPollDeps = {
    db: fresh.db,
    salesforce: salesforcePort,
    hubspot: hubspotPort,
    lists,
    mappings: () => bundle,
    logger,
    now,
    leadReads: createLeadReads({ fields: describedFields(salesforcePort, 'Lead'), logger }),
  };
  const queued: string[] = [];
  const alertsSent: SlaAlert[] = [];
  const failAlerts = { next: 0 };
  const alerts: Pick<AlertSender, 'send'> = {
    send: async (alert) => {
      if (failAlerts.next > 0) {
        failAlerts.next -= 1;
        throw new Error('alert not delivered: alert webhook answered 503');
      }
      alertsSent.push(alert);
    },
  };
  const replay = createParkedReplayer({
    db: fresh.db,
    hubspot: hubspotPort,
    lists,
    alerts,
    now,
    logger,
    queueContacts: async (ids) => void queued.push(...ids),
  });
  let nextEvent = 1;
  return {
    fresh,
    hubspot,
    salesforce,
    bundle,
    handoff,
    poll,
    replay,
    queued,
    alertsSent,
    failAlerts,
    parked: createParkedWork(fresh.db, replay, { maxAutoReplays: MAX_AUTO_REPLAYS }),
    async runQueued() {
      const ids = queued.splice(0);
      return (await handoffContacts(ids, handoff)).outcomes;
    },
    flushWriteBacks: () =>
      sendDueWriteBacks({ db: fresh.db, hubspotFor: () => hubspotPort, lists, logger, now: () => new Date() }, { leaseMs: 60_000 }),
    async webhook(contactId) {
      await insertEvents(fresh.db, [
        {
          dedupeKey: `test-event:${nextEvent++}`,
          source: 'hubspot',
          eventType: 'contact.creation',
          objectType: 'contact',
          objectId: contactId,
          occurredAt: new Date(),
          payload: {},
        },
      ]);
    },
    leadsFor: (contactId) =>
      (salesforce.records('Lead') as Record<string, unknown>[]).filter((lead) => lead.Handoff_HubSpot_Id__c === contactId),
    async close() {
      await hubspot.close();
      await salesforce.close();
      await fresh.cleanup();
    },
  };
}

/** A fresh world for the enclosing describe block, handed to `assign` before its tests and closed after them. */
export function useReplayWorld(assign: (world: ReplayWorld) => void, options: ReplayWorldOptions = {}): void {
  let world: ReplayWorld | undefined;
  beforeAll(async () => {
    world = await createReplayWorld(options);
    assign(world);
  });
  afterAll(async () => {
    await world?.close();
  });
}
