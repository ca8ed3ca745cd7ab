import { describe, expect, it } from '@jest/globals';
import type { HubSpotPort, SearchContactsRequest } from '../../src/adapters/hubspot/hubspot-port.ts';
import { createListIdResolver } from '../../src/adapters/hubspot/list-ids.ts';
import type { SalesforcePort, SaveResult } from '../../src/adapters/salesforce/salesforce-port.ts';
import type { HubSpotContact } from '../../src/core/contact.ts';
import { ProviderError } from '../../src/errors.ts';
import { type BackfillDeps, runBackfill } from '../../src/jobs/backfill/run-backfill.ts';
import { decodeWalk } from '../../src/jobs/backfill/two-ended-walk.ts';
import { silentLogger } from '../../src/log.ts';
import { claimRun, createRun, getRun, requestCancel } from '../../src/store/backfill-runs.ts';
import type { Database } from '../../src/store/database.ts';
import { historyForContact } from '../../src/store/history.ts';
import { insertEvents, markProcessed } from '../../src/store/inbox.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedBundle } from '../unit/core/helpers.ts';

const bundle = shippedBundle();

/** 500 contacts, every other one asking for a demo (the fast track): 250 qualify. */
function portal(size = 500): HubSpotContact[] {
  return Array.from({ length: size }, (_, i) => ({
    id: String(1000 + i),
    properties: { email: `p${i}@buyers.example`, lastname: `P${i}`, company: 'Buyers', ...(i % 2 === 0 ? { demo_requested: 'true' } : {}) },
  }));
}

/**
 * HubSpot's list endpoint, CRM search by hs_object_id (the two ends of a full walk), batch update and lists over
 * an array; `pagesAsked` records each list page's cursor, `requests` is called before every page is answered.
 */
function fakeHubSpot(contacts: HubSpotContact[], hooks: { onListAdd?: () => void; onPage?: () => Promise<void> | void } = {}) {
  const pagesAsked: (string | undefined)[] = [];
  const updated: string[] = [];
  const copy = (contact: HubSpotContact) => ({ id: contact.id, properties: { ...contact.properties } });
  const port = {
    async listContactsPage({ after, limit }: { after?: string; limit: number }) {
      pagesAsked.push(after);
      await hooks.onPage?.();
      const start = after ? contacts.findIndex((contact) => contact.id === after) : 0;
      const page = contacts.slice(start, start + limit);
      const next = contacts[start + limit];
      return { contacts: page.map(copy), ...(next ? { after: next.id } : {}) };
    },
    async searchContacts(request: SearchContactsRequest) {
      await hooks.onPage?.();
      const filters = (request.filterGroups ?? []).flatMap((group) => group.filters);
      const matches = contacts.filter((c) =>
        filters.every((f) => (f.operator === 'GT' ? Number(c.id) > Number(f.value) : Number(c.id) < Number(f.value))),
      );
      const ordered = request.sorts?.[0]?.direction === 'DESCENDING' ? [...matches].reverse() : matches;
      const page = ordered.slice(0, request.limit);
      return { contacts: page.map(copy), ...(ordered.length > page.length ? { after: String(page.length) } : {}) };
    },
    countContacts: async () => contacts.length,
    // No contact has a company here: the shipped definition's company.* rules read none.
    readCompanies: async () => ({ companies: [], missing: [] }),
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
    // New Leads are created (never upserted), so a backfill's writes arrive here.
    async createLeads(records: Record<string, unknown>[]): Promise<SaveResult[]> {
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
    db,
    hubspot,
    salesforce,
    lists: createListIdResolver(hubspot),
    mappings: () => bundle,
    logger: silentLogger(),
    now: () => new Date('2026-11-20T10:00:00.000Z'),
    tuning: { unitSize: 200, prefetchPages: 2, concurrentUnits: 2, sliceMs: 60_000, ...tuning },
  };
}

async function newRun(db: Database, dryRun = false): Promise<string> {
  const created = await createRun(db, { mode: 'handoff', filter: {}, dryRun, source: 'list', requestedBy: 'test' });
  if (!created.ok) throw new Error(`run ${created.active.id} still active`);
  return created.run.id;
}

describe('a backfill worker turn', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('pauses at a unit boundary when the service stops, and the next turn resumes from the checkpoint with exact totals', async () => {
    // Large enough that the walk's two ends are still apart when the first unit is written back.
    const contacts = portal(1_500);
    let stopping = false;
    // SIGTERM arrives once the first unit committed, its HubSpot write-back queued in the outbox.
    const hubspot = fakeHubSpot(contacts);
    const salesforce = fakeSalesforce();
    const id = await newRun(db);
    const deps = { ...depsFor(db, hubspot.port, salesforce.port), onWriteBacksQueued: () => (stopping = true) };
    expect(await runBackfill(id, deps, { token: 't1', stopping: () => stopping })).toBe('paused');
    // The unit's write-backs wait in the outbox, at the backfill's (bulk) priority, for the flusher.
    const queued = await db.query<{ priority: string }>('SELECT DISTINCT priority FROM hubspot_writebacks');
    expect(queued.rows).toEqual([{ priority: 'bulk' }]);
    const paused = (await getRun(db, id))!;
    expect(paused.status).toBe('paused');
    expect(paused.checkpoint.pages).toBeGreaterThanOrEqual(1);
    expect(paused.counts.read).toBeGreaterThanOrEqual(200);
    expect(paused.counts.read).toBeLessThan(1_500);
    expect(paused.total).toBe(1_500);

    // The list end carries on from the cursor after its last committed page; the search end below its last id.
    const resumedFrom = decodeWalk(paused.checkpoint.after);
    expect(resumedFrom).toMatchObject({ phase: 'ends' });
    hubspot.pagesAsked.length = 0;
    expect(await runBackfill(id, depsFor(db, hubspot.port, salesforce.port), { token: 't2', stopping: () => false })).toBe('done');
    if (resumedFrom?.phase === 'ends') expect(hubspot.pagesAsked[0]).toBe(resumedFrom.listAfter ?? undefined);
    const done = (await getRun(db, id))!;
    expect(done).toMatchObject({ status: 'done', attempts: 2, checkpoint: { after: null } });
    expect(done.checkpoint.pages).toBeGreaterThan(paused.checkpoint.pages);
    expect(done.counts).toMatchObject({ read: 1_500, qualified: 750, handedOff: 750, notQualified: 750, alreadyLinked: 0, errors: 0 });
    expect(new Set(salesforce.upserted).size).toBe(750);
    expect(await historyForContact(db, '1000')).toEqual([
      expect.objectContaining({ action: 'handed_off', detail: expect.objectContaining({ via: 'backfill', backfillRun: id }) }),
    ]);
    // A rerun finds them all linked.
    const rerun = await newRun(db);
    expect(await runBackfill(rerun, depsFor(db, hubspot.port, salesforce.port), { token: 't3', stopping: () => false })).toBe('done');
    expect((await getRun(db, rerun))!.counts).toMatchObject({ read: 1_500, alreadyLinked: 750, notQualified: 750, handedOff: 0 });
  });

  it('starts no unit while real-time webhook events wait in the inbox, and goes on once they are handled', async () => {
    const hubspot = fakeHubSpot(portal());
    const salesforce = fakeSalesforce();
    await insertEvents(db, [
      {
        dedupeKey: 'realtime-1',
        source: 'hubspot',
        eventType: 'contact.creation',
        objectType: 'contact',
        objectId: '999',
        occurredAt: new Date(),
        payload: {},
      },
    ]);
    const id = await newRun(db);
    const turn = runBackfill(id, depsFor(db, hubspot.port, salesforce.port, { yieldMaxMs: 60_000 }), { token: 't', stopping: () => false });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const upsertsBefore = salesforce.upserted.length;
    expect((await getRun(db, id))!.checkpoint.pages).toBe(0);
    const pending = await db.query<{ id: string }>('SELECT id::text AS id FROM webhook_inbox WHERE processed_at IS NULL');
    await markProcessed(
      db,
      pending.rows.map((row) => row.id),
      'handed_off',
    );
    expect(await turn).toBe('done');
    expect(upsertsBefore).toBe(0);
    expect((await getRun(db, id))!.counts.read).toBe(500);
  });

  it('ends a turn as cancelled when an admin asks, after the units in flight', async () => {
    let asked = false;
    let pages = 0;
    // The admin cancels while the walk's fifth page is being read. Pages are asked for at most two ahead of the one
    // being grouped, so by then the first unit (pages 1 and 2) has been started; cancelling at the third page raced
    // the first unit's start (that page is asked for while the first unit is formed) and sometimes nothing started.
    const hubspot = fakeHubSpot(portal(1_500), {
      async onPage() {
        pages += 1;
        if (pages === 5 && !asked) {
          asked = true;
          await requestCancel(db, id);
        }
      },
    });
    const id = await newRun(db, true);
    const deps = depsFor(db, hubspot.port, fakeSalesforce().port);
    expect(await runBackfill(id, deps, { token: 't', stopping: () => false })).toBe('cancelled');
    const run = (await getRun(db, id))!;
    expect(run.status).toBe('cancelled');
    expect(run.counts.read).toBeLessThan(1_500);
    expect(run.checkpoint.after).not.toBeNull();
  });

  it('hands the run on when its slice is over, and stops committing once another worker took it over', async () => {
    const hubspot = fakeHubSpot(portal());
    const sliced = await newRun(db, true);
    expect(
      await runBackfill(sliced, depsFor(db, hubspot.port, fakeSalesforce().port, { sliceMs: 0 }), { token: 'a', stopping: () => false }),
    ).toBe('continued');
    // A turn always takes on one unit (whole pages, at least 200 contacts), however short its slice.
    const handedOn = (await getRun(db, sliced))!;
    expect(handedOn.status).toBe('running');
    expect(handedOn.counts.read).toBeGreaterThanOrEqual(200);
    expect(handedOn.counts.read).toBeLessThan(500);

    // Worker 'b' takes the next turn, but is presumed dead mid-way and 'c' takes over: b's commits change nothing.
    let takenOver = false;
    const stolen = fakeHubSpot(portal(), {
      async onPage() {
        if (takenOver) return;
        takenOver = true;
        await claimRun(db, sliced, 'c');
      },
    });
    expect(await runBackfill(sliced, depsFor(db, stolen.port, fakeSalesforce().port), { token: 'b', stopping: () => false })).toBe('lost');
    expect((await getRun(db, sliced))!).toMatchObject({ status: 'running', checkpoint: handedOn.checkpoint, counts: handedOn.counts });
    expect(await runBackfill(sliced, depsFor(db, hubspot.port, fakeSalesforce().port), { token: 'c', stopping: () => false })).toBe('done');
    expect((await getRun(db, sliced))!.counts).toMatchObject({ read: 500 });
  });

  it("fails the run with the provider's message when Salesforce stays down, keeping what was committed before", async () => {
    const contacts = portal().map((contact) => ({ ...contact, id: String(Number(contact.id) + 5000) }));
    const id = await newRun(db);
    const end = await runBackfill(
      id,
      depsFor(db, fakeHubSpot(contacts).port, fakeSalesforce({ failUpsertsAfter: 1 }).port, { concurrentUnits: 1 }),
      { token: 't', stopping: () => false },
    );
    expect(end).toBe('failed');
    const run = (await getRun(db, id))!;
    // The first unit (one search page of 200, two list pages, or one of each) is committed; nothing after it.
    expect(run).toMatchObject({ status: 'failed', error: 'Salesforce is down (retries spent)' });
    expect([200, 300]).toContain(run.counts.read);
    expect(run.counts.handedOff).toBe(run.counts.read / 2);
  });
});
