import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HUBSPOT_LIMITS } from '../../src/adapters/hubspot/limits.ts';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { type PassCounts, type SendWriteBacksDeps, WRITEBACKS_PER_PASS } from '../../src/jobs/hubspot-writeback/send-writebacks.ts';
import { type FlushTimer, startWriteBackFlusher, type WriteBackFlusher } from '../../src/jobs/hubspot-writeback/writeback-flusher.ts';
import { pollLeadChanges } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import { claimDueWriteBacks, waitingWriteBacks } from '../../src/store/hubspot-writebacks.ts';
import { insertEvents } from '../../src/store/inbox.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/** Timers the test fires by hand: nothing runs on its own, so no test waits on the wall clock. */
function manualTimer(): FlushTimer & { fire(ms?: number): void; pending(): number[] } {
  const timers = new Map<number, { run: () => void; ms: number }>();
  let next = 1;
  return {
    setTimeout: (run, ms) => {
      timers.set(next, { run, ms });
      return next++;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    /** Fires every timer set for `ms` (all of them when omitted). */
    fire(ms) {
      for (const [id, timer] of [...timers]) {
        if (ms !== undefined && timer.ms !== ms) continue;
        timers.delete(id);
        timer.run();
      }
    },
    pending: () => [...timers.values()].map((timer) => timer.ms),
  };
}

const WINDOW_MS = 500;
const UPDATE = 'POST /crm/v3/objects/contacts/batch/update';
const isListAdd = (endpoint: string) => endpoint.startsWith('PUT /crm/v3/lists/') && endpoint.endsWith('/memberships/add');

describe('the HubSpot write-back outbox', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));
  let clock: { offsetMs: number };
  let flushers: WriteBackFlusher[];

  beforeEach(async () => {
    clock = { offsetMs: 0 };
    flushers = [];
    await w.fresh.db.query('DELETE FROM hubspot_writebacks');
  });

  const writeCalls = () => ({
    updates: w.hubspot.calls.byEndpoint[UPDATE] ?? 0,
    listAdds: Object.entries(w.hubspot.calls.byEndpoint)
      .filter(([endpoint]) => isListAdd(endpoint))
      .reduce((sum, [, n]) => sum + n, 0),
  });
  const sendDeps = (): SendWriteBacksDeps => ({
    db: w.fresh.db,
    hubspotFor: () => w.handoff.hubspot,
    lists: w.handoff.lists,
    logger: w.handoff.logger,
    now: () => new Date(Date.now() + clock.offsetMs),
  });
  const startFlusher = (timer = manualTimer(), deps = sendDeps(), roomInShare?: (heldForMs: number) => Promise<number>) => {
    let next: ((counts: PassCounts) => void) | undefined;
    const flusher = startWriteBackFlusher(deps, {
      windowMs: WINDOW_MS,
      timer,
      onPass: (counts) => next?.(counts),
      ...(roomInShare ? { roomInShare } : {}),
    });
    flushers.push(flusher);
    /** The next pass the flusher runs on its own (a timer firing), observed as it ends. */
    const nextPass = () => new Promise<PassCounts>((resolve) => (next = resolve));
    return { flusher, timer, nextPass };
  };
  const mql = (name: string) =>
    w.hubspot.createContact({
      email: `${name}@outbox.example`,
      lastname: name,
      company: `${name} Co`,
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
  const handOff = async (ids: string[], extra: Partial<typeof w.handoff> = {}) => {
    for (const id of ids) await w.webhook(id);
    return handoffContacts(ids, { ...w.handoff, ...extra });
  };
  const names = () => w.bundle.fieldMapping.hubspot;

  it('states the vendor limits it groups by: 100 inputs per batch update, 100,000 ids per list add', () => {
    // HubSpot CRM v3 batch endpoints (100 inputs) and the Lists v3 guide (100,000 ids per membership add).
    expect(WRITEBACKS_PER_PASS).toBe(100);
    expect(HUBSPOT_LIMITS.listMembershipMaxIds).toBeGreaterThanOrEqual(WRITEBACKS_PER_PASS);
  });

  it('a batch makes no HubSpot write call: it leaves the write-back in the outbox and says so', async () => {
    const id = mql('queued');
    const before = writeCalls();
    const announced: number[] = [];
    const summary = await handOff([id], { onWriteBacksQueued: (n) => announced.push(n) });

    expect(summary.outcomes).toEqual({ handed_off: 1 });
    expect(writeCalls()).toEqual(before);
    expect(announced).toEqual([1]);
    const [lead] = w.leadsFor(id);
    const rows = await waitingWriteBacks(w.fresh.db);
    expect(rows).toEqual([
      expect.objectContaining({
        contactId: id,
        listName: w.bundle.rejection.salesReadyList,
        priority: 'handoff',
        attempts: 0,
        properties: expect.objectContaining({ lifecyclestage: 'marketingqualifiedlead', [names().salesforceIdProperty]: lead!.Id }),
      }),
    ]);
    expect(w.hubspot.contacts.get(id)!.properties[names().salesforceIdProperty]).toBeUndefined();
  });

  it("two batches' write-backs go out in one update call and one list add once the window closes", async () => {
    const { flusher, timer, nextPass } = startFlusher();
    await flusher.flush();
    const [a, b] = [mql('first'), mql('second')];
    await handOff([a!], { onWriteBacksQueued: (n) => flusher.queued(n) });
    await handOff([b!], { onWriteBacksQueued: (n) => flusher.queued(n) });
    const before = writeCalls();
    expect(timer.pending()).toContain(WINDOW_MS);

    const passed = nextPass();
    timer.fire(WINDOW_MS);
    expect(await passed).toEqual({ claimed: 2, sent: 2, parked: 0, retried: 0 });

    expect(writeCalls()).toEqual({ updates: before.updates + 1, listAdds: before.listAdds + 1 });
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([]);
    for (const id of [a!, b!]) {
      expect(w.hubspot.contacts.get(id)!.properties[names().salesforceIdProperty]).toBe(w.leadsFor(id)[0]!.Id);
      expect(w.hubspot.lists.members(w.bundle.rejection.salesReadyList)).toContain(id);
    }
  });

  it('waits, claiming nothing, while its calls would take the handoff calls of the window past the real-time share', async () => {
    let roomInMs = 0;
    const asked: number[] = [];
    const heldFor: number[] = [];
    const { flusher, timer, nextPass } = startFlusher(manualTimer(), sendDeps(), async (heldForMs) => {
      asked.push(roomInMs);
      heldFor.push(heldForMs);
      return roomInMs;
    });
    await flusher.flush();
    const id = mql('paced');
    await handOff([id!], { onWriteBacksQueued: (n) => flusher.queued(n) });
    const before = writeCalls();
    // A pass now (as the window's closing would run): it asks for room, is told 3 s, and sends nothing.
    roomInMs = 3_000;
    await flusher.flush();
    expect(asked.at(-1)).toBe(3_000);
    expect(timer.pending()).toContain(3_000);
    expect(writeCalls()).toEqual(before);
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([expect.objectContaining({ contactId: id, attempts: 0 })]);

    roomInMs = 0;
    clock.offsetMs = 3_000;
    const passed = nextPass();
    timer.fire(3_000);
    expect(await passed).toMatchObject({ claimed: 1, sent: 1 });
    // Told how long the rows have waited: nothing at the first ask, the 3 s at the next (the core caps the total).
    expect(heldFor.at(-2)).toBe(0);
    expect(heldFor.at(-1)).toBeGreaterThanOrEqual(3_000);
    expect(writeCalls()).toEqual({ updates: before.updates + 1, listAdds: before.listAdds + 1 });
  });

  it('a graceful stop sends what waits without asking for room in the share', async () => {
    const { flusher } = startFlusher(manualTimer(), sendDeps(), async () => 5_000);
    const id = mql('stopping-unpaced');
    await handOff([id!], { onWriteBacksQueued: (n) => flusher.queued(n) });
    await flusher.stop();
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([]);
    expect(w.hubspot.contacts.get(id!)!.properties[names().salesforceIdProperty]).toBe(w.leadsFor(id!)[0]!.Id);
  });

  it('a full batch update waiting (100) goes at once, without waiting for the window', async () => {
    const { flusher, timer, nextPass } = startFlusher();
    await flusher.flush();
    const passed = nextPass();
    flusher.queued(60);
    expect(timer.pending()).toContain(WINDOW_MS);
    flusher.queued(WRITEBACKS_PER_PASS - 60);
    await passed;
    expect(timer.pending()).not.toContain(WINDOW_MS);
  });

  it('rows left by a crash (no flusher running) are sent by the next flusher when it starts', async () => {
    const id = mql('crashed');
    await handOff([id]);
    expect(await waitingWriteBacks(w.fresh.db)).toHaveLength(1);

    const passes: number[] = [];
    const started = new Promise<void>((resolve) => {
      const flusher = startWriteBackFlusher(sendDeps(), {
        windowMs: WINDOW_MS,
        timer: manualTimer(),
        onPass: (counts) => {
          passes.push(counts.sent);
          resolve();
        },
      });
      flushers.push(flusher);
    });
    await started;

    expect(passes).toEqual([1]);
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([]);
    expect(w.hubspot.contacts.get(id)!.properties.lifecyclestage).toBe('marketingqualifiedlead');
  });

  it('an echo webhook of the values sent is settled as our own write after the flush', async () => {
    const id = mql('echo');
    await handOff([id]);
    const { flusher } = startFlusher();
    await flusher.flush();
    const sent = w.hubspot.contacts.get(id)!.properties[names().salesforceIdProperty]!;
    expect(sent).toBe(w.leadsFor(id)[0]!.Id);

    await insertEvents(w.fresh.db, [
      {
        dedupeKey: 'outbox-echo:1',
        source: 'hubspot',
        eventType: 'contact.propertyChange',
        objectType: 'contact',
        objectId: id,
        propertyName: names().salesforceIdProperty,
        propertyValue: sent,
        occurredAt: new Date(),
        payload: {},
      },
    ]);
    const reads = w.hubspot.calls.byEndpoint['POST /crm/v3/objects/contacts/batch/read'] ?? 0;
    await handoffContacts([id], w.handoff);

    const outcome = await w.fresh.db.query<{ outcome: string }>(`SELECT outcome FROM webhook_inbox WHERE dedupe_key = 'outbox-echo:1'`);
    expect(outcome.rows).toEqual([{ outcome: 'echo of our own write' }]);
    expect(w.hubspot.calls.byEndpoint['POST /crm/v3/objects/contacts/batch/read'] ?? 0).toBe(reads);
  });

  it("a contact HubSpot refuses is parked as hubspot_writeback with its properties; the others' rows are sent", async () => {
    const [bad, good] = [mql('refused'), mql('accepted')];
    await handOff([bad!, good!]);
    const hubspot = Object.create(w.handoff.hubspot) as typeof w.handoff.hubspot;
    hubspot.updateContacts = async (updates) => ({
      updated: updates.filter((u) => u.id !== bad).map((u) => u.id),
      failed: [{ id: bad!, message: 'Property values were not valid', status: 400 }],
    });
    const { flusher } = startFlusher(manualTimer(), { ...sendDeps(), hubspotFor: () => hubspot });
    await flusher.flush();

    const parked = await w.fresh.db.query<{ kind: string; message: string; context: Record<string, unknown> }>(
      'SELECT kind, message, context FROM parked_work WHERE record_key = $1',
      [bad],
    );
    expect(parked.rows).toEqual([
      {
        kind: 'hubspot_writeback',
        message: 'Property values were not valid',
        context: expect.objectContaining({
          status: 400,
          properties: expect.objectContaining({ lifecyclestage: 'marketingqualifiedlead' }),
        }),
      },
    ]);
    const history = await w.fresh.db.query('SELECT 1 FROM handoff_history WHERE hubspot_contact_id = $1 AND action = $2', [bad, 'parked']);
    expect(history.rowCount).toBe(1);
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([]);
    expect(w.hubspot.lists.members(w.bundle.rejection.salesReadyList)).toEqual(expect.arrayContaining([bad, good]));
  });

  it.each([
    [429, 'a rate limit'],
    [503, 'a 5xx'],
  ])('%s (%s) keeps the rows with a backoff, and the retry after it sends them', async (status) => {
    const id = mql(`retry${status}`);
    await handOff([id]);
    // Every attempt of the adapter's own fails, on the update only; the list add goes through.
    w.hubspot.injectFaults({ status, count: 100, endpoint: UPDATE });
    const { flusher } = startFlusher();
    await flusher.flush();
    w.hubspot.injectFaults({ status, count: 0 });

    const [kept] = await waitingWriteBacks(w.fresh.db);
    expect(kept).toEqual(expect.objectContaining({ contactId: id, attempts: 1, listName: null }));
    expect(kept!.properties).toEqual(expect.objectContaining({ lifecyclestage: 'marketingqualifiedlead' }));
    expect(kept!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(w.hubspot.lists.members(w.bundle.rejection.salesReadyList)).toContain(id);
    expect((await w.fresh.db.query('SELECT 1 FROM parked_work WHERE record_key = $1', [id])).rowCount).toBe(0);

    // Not due yet: a pass now sends nothing.
    const updates = writeCalls().updates;
    await flusher.flush();
    expect(writeCalls().updates).toBe(updates);
    clock.offsetMs = 60_000;
    await flusher.flush();
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([]);
    expect(w.hubspot.contacts.get(id)!.properties.lifecyclestage).toBe('marketingqualifiedlead');
  });

  it('two flushers on one database never send a row twice', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => mql(`pair${i}`));
    await handOff(ids);
    const sentIds: string[] = [];
    const counting = (): SendWriteBacksDeps => {
      const hubspot = Object.create(w.handoff.hubspot) as typeof w.handoff.hubspot;
      hubspot.updateContacts = async (updates) => {
        sentIds.push(...updates.map((u) => u.id));
        return w.handoff.hubspot.updateContacts(updates);
      };
      return { ...sendDeps(), hubspotFor: () => hubspot };
    };
    const one = startFlusher(manualTimer(), counting()).flusher;
    const two = startFlusher(manualTimer(), counting()).flusher;
    await Promise.all([one.flush(), two.flush(), one.flush(), two.flush()]);

    expect([...sentIds].sort()).toEqual([...ids].sort());
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([]);
  });

  it('a claimed row is not claimed again while its lease holds, and is once the lease ran out', async () => {
    await handOff([mql('leased')]);
    const now = new Date(Date.now() + 1_000);
    expect(await claimDueWriteBacks(w.fresh.db, { now, leaseMs: 60_000, limit: 10 })).toHaveLength(1);
    expect(await claimDueWriteBacks(w.fresh.db, { now, leaseMs: 60_000, limit: 10 })).toEqual([]);
    const later = new Date(now.getTime() + 60_001);
    expect(await claimDueWriteBacks(w.fresh.db, { now: later, leaseMs: 60_000, limit: 10 })).toHaveLength(1);
  });

  it('a graceful stop sends what waits for the window, and schedules nothing after', async () => {
    const { flusher, timer } = startFlusher();
    await flusher.flush();
    const id = mql('stopping');
    await handOff([id], { onWriteBacksQueued: (n) => flusher.queued(n) });
    expect(timer.pending()).toContain(WINDOW_MS);

    await flusher.stop();
    flushers = flushers.filter((f) => f !== flusher);

    expect(await waitingWriteBacks(w.fresh.db)).toEqual([]);
    expect(timer.pending()).toEqual([]);
  });

  it('the sales-side sync counts a queued write-back as held: no second write of the same values, no extra history', async () => {
    const id = mql('polled');
    await handOff([id]);
    const writes = w.hubspot.contacts.writes(id).length;
    await pollLeadChanges(w.poll);

    // (Other tests' contacts, whose queued rows were cleared unsent, may be synced by this poll: only this one counts.)
    expect(w.hubspot.contacts.writes(id)).toHaveLength(writes);
    const history = await w.fresh.db.query('SELECT 1 FROM handoff_history WHERE hubspot_contact_id = $1 AND action = $2', [
      id,
      'status_synced',
    ]);
    expect(history.rowCount).toBe(0);
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([expect.objectContaining({ contactId: id })]);
  });

  it("a rep's newer status synced before the flush is not overwritten by the handoff's queued one", async () => {
    const id = mql('overtaken');
    await handOff([id]);
    await pollLeadChanges(w.poll);
    w.salesforce.updateRecord('Lead', String(w.leadsFor(id)[0]!.Id), { Status: 'Working - Contacted' });
    await pollLeadChanges(w.poll);
    expect(w.hubspot.contacts.get(id)!.properties.hs_lead_status).toBe('IN_PROGRESS');

    const [row] = await waitingWriteBacks(w.fresh.db);
    expect(row!.properties).not.toHaveProperty('hs_lead_status');
    await startFlusher().flusher.flush();
    expect(w.hubspot.contacts.get(id)!.properties.hs_lead_status).toBe('IN_PROGRESS');
    expect(w.hubspot.contacts.get(id)!.properties[names().salesforceIdProperty]).toBe(w.leadsFor(id)[0]!.Id);
  });

  afterEach(async () => {
    for (const flusher of flushers) await flusher.stop();
  });
});
