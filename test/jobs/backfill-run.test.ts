import { describe, expect, it } from '@jest/globals';
import type { HubSpotPort } from '../../src/adapters/hubspot/hubspot-port.ts';
import { createListIdResolver } from '../../src/adapters/hubspot/list-ids.ts';
import type { SalesforcePort, SaveResult } from '../../src/adapters/salesforce/salesforce-port.ts';
import type { HubSpotContact } from '../../src/core/contact.ts';
import { ProviderError } from '../../src/errors.ts';
import { runBackfill, type BackfillDeps } from '../../src/jobs/backfill/run-backfill.ts';
import { silentLogger } from '../../src/log.ts';
import { claimRun, createRun, getRun, requestCancel } from '../../src/store/backfillRuns.ts';
import type { Database } from '../../src/store/database.ts';
import { historyForContact } from '../../src/store/history.ts';
import { insertEvents, markProcessed } from '../../src/store/inbox.ts';
import { engines, useFreshDatabase } from '../support/databases.ts';
import { shippedBundle } from '../unit/core/helpers.ts';

const bundle = shippedBundle();

/** 500 contacts, every other one asking for a demo (the fast track): 250 qualify. */
function portal(size = 500): HubSpotContact[] {
  return Array.from({ length: size }, (_, i) => ({
    id: String(1000 + i),
    properties: { email: `p${i}@buyers.example`, lastname: `P${i}`, company: 'Buyers', ...(i % 2 === 0 ? { demo_requested: 'true' } : {}) },
  }));
}

/** HubSpot's list endpoint, batch update and lists over an array; `pagesAsked` records each page's cursor. */
function fakeHubSpot(contacts: HubSpotContact[], hooks: { onListAdd?: () => void } = {}) {
  const pagesAsked: (string | undefined)[] = [];
  const updated: string[] = [];
  const port = {
    async listContactsPage({ after, limit }: { after?: string; limit: number }) {
      pagesAsked.push(after);
      const start = after ? contacts.findIndex((contact) => contact.id === after) : 0;
      const page = contacts.slice(start, start + limit);
      const next = contacts[start + limit];
      return { contacts: page.map((contact) => ({ id: contact.id, properties: { ...contact.properties } })), ...(next ? { after: next.id } : {}) };
    },
    countContacts: async () => contacts.length,
    async updateContacts(updates: { id: string }[]) {
      updated.push(...updates.map((update) => update.id));
      return { updated: updates.map((update) => update.id), failed: [] };
    },
    findListByName: async (name: string) => ({ listId: '77', name }),
    async addToList(_listId: string, ids: string[]) {
      hooks.onListAdd?.();
      return { changed: ids, missing: [] };
    },
  };
  return { port: port as unknown as HubSpotPort, pagesAsked, updated };
}

function fakeSalesforce(options: { failUpsertsAfter?: number } = {}) {
  const upserted: string[] = [];
  let calls = 0;
  const port = {
    findByEmails: async () => ({ leads: [], contacts: [] }),
    async upsertLeads(records: Record<string, unknown>[]): Promise<SaveResult[]> {
      calls += 1;
      if (options.failUpsertsAfter !== undefined && calls > options.failUpsertsAfter) {
        throw new ProviderError('salesforce', 'Salesforce is down (retries spent)', { retryable: true, status: 503 });
      }
      return records.map((record) => {
        upserted.push(String(record.Handoff_HubSpot_Id__c));
        return { success: true, id: `00Q${String(record.Handoff_HubSpot_Id__c)}`, created: true, errors: [] };
      });
    },
  };
  return { port: port as unknown as SalesforcePort, upserted };
}

function depsFor(db: Database, hubspot: HubSpotPort, salesforce: SalesforcePort, tuning: BackfillDeps['tuning'] = {}): BackfillDeps {
  return {
    db, hubspot, salesforce, lists: createListIdResolver(hubspot), mappings: () => bundle, logger: silentLogger(), now: () => new Date('2026-11-20T10:00:00.000Z'),
    tuning: { unitSize: 200, prefetchPages: 2, concurrentUnits: 2, sliceMs: 60_000, ...tuning },
  };
}

async function newRun(db: Database, dryRun = false): Promise<string> {
  const created = await createRun(db, { mode: 'handoff', filter: {}, dryRun, source: 'list', requestedBy: 'test' });
  if (!created.ok) throw new Error(`run ${created.active.id} still active`);
  return created.run.id;
}

describe.each(engines)('a backfill worker turn on %s', (engine) => {
  let db: Database;
  useFreshDatabase(engine, (opened) => {
    db = opened;
  });

  it('pauses at a unit boundary when the service stops, and the next turn resumes from the checkpoint with exact totals', async () => {
    const contacts = portal();
    let stopping = false;
    // SIGTERM arrives once the first unit's write-back is done.
    const hubspot = fakeHubSpot(contacts, { onListAdd: () => (stopping = true) });
    const salesforce = fakeSalesforce();
    const id = await newRun(db);
    expect(await runBackfill(id, depsFor(db, hubspot.port, salesforce.port), { token: 't1', stopping: () => stopping })).toBe('paused');
    const paused = (await getRun(db, id))!;
    expect(paused.status).toBe('paused');
    expect(paused.checkpoint.pages).toBeGreaterThanOrEqual(2);
    expect(paused.checkpoint.pages).toBeLessThan(5);
    expect(paused.counts.read).toBe(paused.checkpoint.pages * 100);
    expect(paused.total).toBe(500);

    const resumedFrom = paused.checkpoint.after;
    hubspot.pagesAsked.length = 0;
    expect(await runBackfill(id, depsFor(db, hubspot.port, salesforce.port), { token: 't2', stopping: () => false })).toBe('done');
    expect(hubspot.pagesAsked[0]).toBe(resumedFrom);
    const done = (await getRun(db, id))!;
    expect(done).toMatchObject({ status: 'done', attempts: 2, checkpoint: { after: null, pages: 5 } });
    expect(done.counts).toMatchObject({ read: 500, qualified: 250, handedOff: 250, notQualified: 250, alreadyLinked: 0, errors: 0 });
    expect(new Set(salesforce.upserted).size).toBe(250);
    expect(await historyForContact(db, '1000')).toEqual([expect.objectContaining({ action: 'handed_off', detail: expect.objectContaining({ via: 'backfill', backfillRun: id }) })]);
    // A rerun finds them all linked.
    const rerun = await newRun(db);
    expect(await runBackfill(rerun, depsFor(db, hubspot.port, salesforce.port), { token: 't3', stopping: () => false })).toBe('done');
    expect((await getRun(db, rerun))!.counts).toMatchObject({ read: 500, alreadyLinked: 250, notQualified: 250, handedOff: 0 });
  });

  it('starts no unit while real-time webhook events wait in the inbox, and goes on once they are handled', async () => {
    const hubspot = fakeHubSpot(portal());
    const salesforce = fakeSalesforce();
    await insertEvents(db, [{
      dedupeKey: 'realtime-1', source: 'hubspot', eventType: 'contact.creation', objectType: 'contact', objectId: '999', occurredAt: new Date(), payload: {},
    }]);
    const id = await newRun(db);
    const turn = runBackfill(id, depsFor(db, hubspot.port, salesforce.port, { yieldMaxMs: 60_000 }), { token: 't', stopping: () => false });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const upsertsBefore = salesforce.upserted.length;
    expect((await getRun(db, id))!.checkpoint.pages).toBe(0);
    const pending = await db.query<{ id: string }>('SELECT id::text AS id FROM webhook_inbox WHERE processed_at IS NULL');
    await markProcessed(db, pending.rows.map((row) => row.id), 'handed_off');
    expect(await turn).toBe('done');
    expect(upsertsBefore).toBe(0);
    expect((await getRun(db, id))!.counts.read).toBe(500);
  });

  it('ends a turn as cancelled when an admin asks, after the units in flight', async () => {
    const hubspot = fakeHubSpot(portal());
    const id = await newRun(db, true);
    let asked = false;
    const deps = depsFor(db, hubspot.port, fakeSalesforce().port);
    const port = hubspot.port as unknown as { listContactsPage: (r: { after?: string; limit: number }) => Promise<unknown> };
    const list = port.listContactsPage.bind(port);
    port.listContactsPage = async (request) => {
      if (request.after === '1300' && !asked) {
        asked = true;
        await requestCancel(db, id);
      }
      return list(request);
    };
    expect(await runBackfill(id, deps, { token: 't', stopping: () => false })).toBe('cancelled');
    const run = (await getRun(db, id))!;
    expect(run.status).toBe('cancelled');
    expect(run.counts.read).toBeLessThan(500);
    expect(run.counts.read).toBe(run.checkpoint.pages * 100);
  });

  it('hands the run on when its slice is over, and stops committing once another worker took it over', async () => {
    const hubspot = fakeHubSpot(portal());
    const sliced = await newRun(db, true);
    expect(await runBackfill(sliced, depsFor(db, hubspot.port, fakeSalesforce().port, { sliceMs: 0 }), { token: 'a', stopping: () => false })).toBe('continued');
    expect((await getRun(db, sliced))!).toMatchObject({ status: 'running', checkpoint: { pages: 2 } });

    // Worker 'b' takes the next turn, but is presumed dead mid-way and 'c' takes over: b's commits change nothing.
    const stolen = fakeHubSpot(portal());
    const port = stolen.port as unknown as { listContactsPage: (r: { after?: string; limit: number }) => Promise<unknown> };
    const list = port.listContactsPage.bind(port);
    let takenOver = false;
    port.listContactsPage = async (request) => {
      if (!takenOver && request.after) {
        takenOver = true;
        await claimRun(db, sliced, 'c');
      }
      return list(request);
    };
    expect(await runBackfill(sliced, depsFor(db, stolen.port, fakeSalesforce().port), { token: 'b', stopping: () => false })).toBe('lost');
    expect((await getRun(db, sliced))!).toMatchObject({ status: 'running', checkpoint: { pages: 2 } });
    expect(await runBackfill(sliced, depsFor(db, hubspot.port, fakeSalesforce().port), { token: 'c', stopping: () => false })).toBe('done');
    expect((await getRun(db, sliced))!.counts).toMatchObject({ read: 500 });
  });

  it('fails the run with the provider\'s message when Salesforce stays down, keeping what was committed before', async () => {
    const contacts = portal().map((contact) => ({ ...contact, id: String(Number(contact.id) + 5000) }));
    const id = await newRun(db);
    const end = await runBackfill(id, depsFor(db, fakeHubSpot(contacts).port, fakeSalesforce({ failUpsertsAfter: 1 }).port, { concurrentUnits: 1 }), { token: 't', stopping: () => false });
    expect(end).toBe('failed');
    const run = (await getRun(db, id))!;
    expect(run).toMatchObject({ status: 'failed', error: 'Salesforce is down (retries spent)', checkpoint: { pages: 2 } });
    expect(run.counts).toMatchObject({ read: 200, handedOff: 100 });
  });
});
