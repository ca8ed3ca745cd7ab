import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubSpotPort } from '../../src/adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../src/adapters/hubspot/list-ids.ts';
import type { SalesforcePort, SaveResult } from '../../src/adapters/salesforce/salesforce-port.ts';
import { loadMappings } from '../../src/config/mappings.ts';
import type { MappingsBundle } from '../../src/core/mappings/bundle.ts';
import type { RoutingFacts } from '../../src/core/routing/decide-route.ts';
import { routingSchema } from '../../src/core/routing/routing-schema.ts';
import { ProviderError } from '../../src/errors.ts';
import { createParkedReplayer } from '../../src/jobs/parked/replay-parked.ts';
import { confirmAssignments, routeBatch } from '../../src/jobs/routing/route-batch.ts';
import type { ResolvedDirectory } from '../../src/jobs/routing/routing-deps.ts';
import { slaTick } from '../../src/jobs/sla/sla-tick.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import type { Database } from '../../src/store/database.ts';
import { historyForContact } from '../../src/store/history.ts';
import { assignmentsForContact } from '../../src/store/lead-assignments.ts';
import { notificationsForAssignments } from '../../src/store/owner-notifications.ts';
import { listParked, type ParkedWork } from '../../src/store/parked.ts';
import { memberStatesOf } from '../../src/store/routing-admin.ts';
import { reopenReroute, runningClocks, startClocks } from '../../src/store/sla-timers.ts';
import { useFreshDatabase } from '../support/databases.ts';

const T0 = new Date('2026-12-07T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const ANA = '005A00000000001';
const BEN = '005A00000000002';
const CEM = '005A00000000003';
const BOSS = '005A00000000009';
const people = [
  [ANA, 'ana@acme.example', 'Ana Rep'],
  [BEN, 'ben@acme.example', 'Ben Rep'],
  [CEM, 'cem@acme.example', 'Cem Rep'],
  [BOSS, 'boss@acme.example', 'Bo Boss'],
] as const;
const directory: ResolvedDirectory = {
  users: new Map(people.flatMap(([id, email]) => [[email, { id, active: true }] as const, [id, { id, active: true }] as const])),
  queues: new Map(),
  people: new Map(people.map(([id, email, name]) => [id, { id, email, name, active: true, managerId: BOSS }])),
};

const routing = routingSchema.parse({
  version: '3',
  notify: { channels: ['slack', 'email'] },
  pools: [
    {
      id: 'dach',
      label: 'DACH reps',
      members: [{ user: 'ana@acme.example' }, { user: 'ben@acme.example' }, { user: 'cem@acme.example' }],
      manager: 'boss@acme.example',
      slackChannel: '#dach-leads',
    },
    { id: 'big', label: 'Big deals', members: [{ user: 'ana@acme.example' }, { user: 'ben@acme.example' }], manager: 'boss@acme.example' },
    { id: 'plain', label: 'Plain', members: [{ user: 'ana@acme.example' }] },
  ],
  rules: [
    { id: 'dach', label: 'DACH', when: { segment: ['dach'] }, strategy: 'pool', pool: 'dach', onFirstTouchBreach: 'next-member' },
    { id: 'big', label: 'Big', when: { segment: ['big'] }, strategy: 'pool', pool: 'big', onFirstTouchBreach: 'manager' },
    { id: 'plain', label: 'Plain', when: { segment: ['plain'] }, strategy: 'pool', pool: 'plain' },
  ],
  fallback: 'salesforce-rules',
});

/** A Salesforce double: the Lead query answers from `leads`; updates answer from `next` (one answer or error per call). */
function fakeSalesforce() {
  const updates: Array<Array<Record<string, unknown>>> = [];
  const queries: string[] = [];
  const next: Array<Error | ((records: Array<Record<string, unknown>>) => SaveResult[])> = [];
  /** The Lead's OwnerId as Salesforce has it, when a test sets one. */
  const owners = new Map<string, string>();
  const port = {
    query: async (soql: string) => {
      queries.push(soql);
      return [...soql.matchAll(/'(00Q[^']+)'/g)].map(([, id]) => ({
        Id: id,
        ...(owners.has(id as string) ? { OwnerId: owners.get(id as string) } : {}),
        Name: 'Jane Doe',
        Title: 'CTO',
        Company: 'Customer AG',
        MQL_Score__c: 72,
      }));
    },
    updateRecords: async (_object: string, records: Array<Record<string, unknown>>) => {
      // The breach flag (SLA_Breached__c) always succeeds; the script answers the owner updates.
      if (!records.some((r) => 'OwnerId' in r)) return records.map((r) => ({ id: String(r.Id), success: true, errors: [] }));
      const answer = next.shift();
      if (answer instanceof Error) throw answer;
      updates.push(records);
      return answer ? answer(records) : records.map((r) => ({ id: String(r.Id), success: true, errors: [] }));
    },
  } as unknown as SalesforcePort;
  return { port, updates, queries, next, owners };
}

describe('SLA tick: re-route on a first-touch breach', () => {
  let db: Database;
  useFreshDatabase((fresh) => (db = fresh));
  let bundle: MappingsBundle;
  const sf = fakeSalesforce();
  const metrics = createMetrics({ processMetrics: false });
  let kicks = 0;
  let directoryFailure: Error | undefined;
  beforeAll(async () => {
    const shipped = await loadMappings('mappings');
    bundle = { ...shipped, routing, versions: { ...shipped.versions, routing: '3@abc1234' } };
  });
  afterAll(() => undefined);

  const tick = (now: Date, withReroute = true) =>
    slaTick({
      db,
      salesforce: sf.port,
      alerts: { send: async () => undefined } as never,
      mappings: () => bundle,
      logger: silentLogger(),
      now: () => now,
      ...(withReroute
        ? {
            reroute: {
              resolveDirectory: async () => {
                const failure = directoryFailure;
                directoryFailure = undefined;
                if (failure) throw failure;
                return directory;
              },
              instanceUrl: () => 'https://acme.my.salesforce.com',
              metrics,
              kickNotifications: () => (kicks += 1),
            },
          }
        : {}),
    });

  /** A fast-track contact routed by `segment`, its Lead created, its first-touch clock due 10 minutes after T0. */
  async function handedOff(contactId: string, segment: string) {
    const facts: RoutingFacts = { properties: {}, segmentId: segment, source: 'PAID_SEARCH', fastTrack: true, accountOwners: [] };
    const routed = await routeBatch(db, { routing, routingVersion: '3@abc1234', directory, now: T0 }, [{ contactId, facts }]);
    const { assignmentId, decision } = routed.get(contactId) ?? { assignmentId: '', decision: undefined };
    const ownerId = decision?.owner.kind === 'user' ? decision.owner.id : null;
    const leadId = `00Q${contactId}`;
    await db.transaction(async (tx) => {
      await confirmAssignments(tx, [{ assignmentId, leadId, ownerId, assignedAt: T0 }]);
      await startClocks(tx, [
        {
          leadId,
          hubspotContactId: contactId,
          kind: 'first_touch',
          rule: 'first touch within 5 minutes',
          source: 'PAID_SEARCH',
          segment: segment,
          definitionVersion: '1@abc',
          handedOffAt: T0,
          routingDelayMs: 100,
          warnAt: null,
          dueAt: at(10),
          assignmentId,
          ownerId,
        },
      ]);
    });
    return { leadId, assignmentId, ownerId };
  }

  it('moves the Lead to the next member, starts their clock, tells both owners and records it; a second miss moves it on', async () => {
    const { leadId, ownerId } = await handedOff('901', 'dach');
    expect(ownerId).toBe(ANA);
    expect(await tick(at(11))).toEqual({ warned: 0, breached: 1, rerouted: { rerouted: 1, kept: 0, parked: 0, waiting: 0 } });
    expect(sf.updates.at(-1)).toEqual([{ Id: leadId, OwnerId: BEN }]);
    expect(sf.queries.at(-1)).toBe(`SELECT Id, OwnerId, Name, Title, Company, MQL_Score__c FROM Lead WHERE Id IN ('${leadId}')`);
    expect(kicks).toBe(1);

    const [initial, reroute] = await assignmentsForContact(db, '901');
    expect(reroute).toMatchObject({
      kind: 'reroute',
      state: 'assigned',
      leadId,
      ownerId: BEN,
      previousOwnerId: ANA,
      member: 'ben@acme.example',
    });
    expect(reroute?.decision).toMatchObject({
      how: 'next-member',
      fastTrack: true,
      reason: 'first touch missed: to the next member of DACH reps',
    });
    expect(initial?.state).toBe('assigned');

    // The new owner's clock: from now, by the rule the Lead had (fast track: 5 minutes).
    const clocks = (await runningClocks(db, [leadId])).filter((c) => c.breachedAt === null);
    expect(clocks.map((c) => [c.kind, c.ownerId, c.assignmentId, c.handedOffAt.getTime(), c.dueAt.getTime()])).toEqual([
      ['first_touch', BEN, reroute?.id, at(11).getTime(), at(16).getTime()],
    ]);

    const notes = await notificationsForAssignments(db, [reroute?.id as string]);
    // Recipient by recipient (each message composed once), on every channel.
    expect(notes.map((n) => [n.kind, n.channel, n.recipientId, n.state])).toEqual([
      ['rerouted', 'slack', BEN, 'pending'],
      ['rerouted', 'email', BEN, 'pending'],
      ['reassigned_away', 'slack', ANA, 'pending'],
      ['reassigned_away', 'email', ANA, 'pending'],
    ]);
    const [content] = (
      await db.query<{ content: { title: string; leadUrl: string }; recipient: Record<string, string> }>(
        `SELECT content, recipient FROM owner_notifications WHERE assignment_id = $1 AND kind = 'rerouted' AND channel = 'email'`,
        [reroute?.id],
      )
    ).rows;
    expect(content?.content.title).toBe('Re-routed to you (first touch missed): Jane Doe, Customer AG — dach, score 72');
    expect(content?.content.leadUrl).toBe(`https://acme.my.salesforce.com/lightning/r/Lead/${leadId}/view`);
    expect(content?.recipient).toEqual({ salesforceId: BEN, email: 'ben@acme.example', name: 'Ben Rep', slackChannel: '#dach-leads' });

    const history = await historyForContact(db, '901');
    expect(history.map((h) => h.action)).toEqual(['sla_breached', 'rerouted']);
    expect(history[1]?.detail).toMatchObject({ how: 'next-member', fromOwnerId: ANA, toOwnerId: BEN, pool: 'dach' });
    expect(await metrics.registry.getSingleMetricAsString('handoff_reroutes_total')).toContain(
      'handoff_reroutes_total{how="next-member"} 1',
    );

    // Nothing more until Ben's clock runs out; then the next member after Ben (never Ben again).
    expect((await tick(at(12))).rerouted).toEqual({ rerouted: 0, kept: 0, parked: 0, waiting: 0 });
    expect((await tick(at(17))).rerouted).toEqual({ rerouted: 1, kept: 0, parked: 0, waiting: 0 });
    expect(sf.updates.at(-1)).toEqual([{ Id: leadId, OwnerId: CEM }]);
    expect((await assignmentsForContact(db, '901')).at(-1)).toMatchObject({ previousOwnerId: BEN, ownerId: CEM });
  });

  it('goes to the pool manager when the rule says manager', async () => {
    const { leadId } = await handedOff('902', 'big');
    expect((await tick(at(11))).rerouted).toMatchObject({ rerouted: 1 });
    expect(sf.updates.at(-1)).toEqual([{ Id: leadId, OwnerId: BOSS }]);
    expect((await assignmentsForContact(db, '902')).at(-1)?.decision.how).toBe('manager');
  });

  it('leaves a Lead whose rule does not re-route, and settles its clock without asking Salesforce', async () => {
    await handedOff('903', 'plain');
    const updates = sf.updates.length;
    expect((await tick(at(11))).rerouted).toEqual({ rerouted: 0, kept: 0, parked: 0, waiting: 0 });
    expect(await tick(at(12))).toEqual({ warned: 0, breached: 0, rerouted: { rerouted: 0, kept: 0, parked: 0, waiting: 0 } });
    expect(sf.updates.length).toBe(updates);
    expect((await historyForContact(db, '903')).map((h) => h.action)).toEqual(['sla_breached']);
  });

  it('a retryable Salesforce failure waits for the next tick, which reuses the reserved move (the pool deals once)', async () => {
    const { leadId } = await handedOff('904', 'dach');
    const dealt = async () => (await memberStatesOf(db, ['dach'])).reduce((sum, m) => sum + m.assignedToday, 0);
    sf.next.push(new ProviderError('salesforce', 'Service Unavailable', { status: 503, retryable: true, code: 'SERVER_UNAVAILABLE' }));
    expect((await tick(at(11))).rerouted).toEqual({ rerouted: 0, kept: 0, parked: 0, waiting: 1 });
    const afterFirst = await dealt();
    const reserved = (await assignmentsForContact(db, '904')).at(-1);
    expect(reserved).toMatchObject({ kind: 'reroute', state: 'reserved' });

    // A row lock: the record answers UNABLE_TO_LOCK_ROW, which is retryable too.
    sf.next.push((records) =>
      records.map(() => ({ success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', fields: [] }] })),
    );
    expect((await tick(at(12))).rerouted).toEqual({ rerouted: 0, kept: 0, parked: 0, waiting: 1 });

    expect((await tick(at(13))).rerouted).toEqual({ rerouted: 1, kept: 0, parked: 0, waiting: 0 });
    expect(await dealt()).toBe(afterFirst);
    const done = (await assignmentsForContact(db, '904')).at(-1);
    expect(done).toMatchObject({ id: reserved?.id, state: 'assigned' });
    expect(sf.updates.at(-1)).toEqual([{ Id: leadId, OwnerId: reserved?.ownerId }]);
  });

  it('parks a re-route Salesforce refuses, releases the move, and a replay (reopen) decides it afresh', async () => {
    const { leadId } = await handedOff('905', 'dach');
    sf.next.push((records) =>
      records.map(() => ({
        success: false,
        errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid owner', fields: ['OwnerId'] }],
      })),
    );
    expect((await tick(at(11))).rerouted).toEqual({ rerouted: 0, kept: 0, parked: 1, waiting: 0 });
    const parked = (await listParked(db, { open: true, kind: 'sla_reroute' })).find((p) => p.recordKey === leadId);
    expect(parked).toMatchObject({ provider: 'salesforce', message: 'INVALID_CROSS_REFERENCE_KEY: invalid owner' });
    expect(parked?.context).toMatchObject({ code: 'INVALID_CROSS_REFERENCE_KEY', step: 'owner_update' });
    expect((await assignmentsForContact(db, '905')).at(-1)).toMatchObject({ kind: 'reroute', state: 'released' });
    expect((await tick(at(12))).rerouted).toEqual({ rerouted: 0, kept: 0, parked: 0, waiting: 0 });
    expect((await historyForContact(db, '905')).map((h) => h.action)).toEqual(['sla_breached', 'parked']);

    // The admin's replay, through the one replay path (the parked kind is known to it).
    const replayer = createParkedReplayer({
      db,
      hubspot: {} as HubSpotPort,
      lists: {} as ListIdResolver,
      alerts: { send: async () => {} },
      now: () => at(12),
      logger: silentLogger(),
      queueContacts: async () => {},
    });
    expect(await replayer(parked as ParkedWork, 'admin')).toEqual({ status: 'replayed', outcome: 'done' });
    expect((await tick(at(13))).rerouted).toEqual({ rerouted: 1, kept: 0, parked: 0, waiting: 0 });
    // A clock stopped since (the first touch came) is not reopened: such a replay changes nothing.
    await db.query(`UPDATE sla_timers SET stopped_at = now() WHERE lead_id = $1`, [leadId]);
    expect(await reopenReroute(db, String(parked?.context.timerId))).toBe(false);
  });

  it('a bug (not a provider error) fails the tick loudly and leaves the move for the next one', async () => {
    await handedOff('906', 'dach');
    sf.next.push(new TypeError('boom'));
    await expect(tick(at(11))).rejects.toThrow('boom');
    expect((await tick(at(12))).rerouted).toEqual({ rerouted: 1, kept: 0, parked: 0, waiting: 0 });
  });

  it('keeps the owner when no other member can take the Lead, and says why', async () => {
    const { ownerId } = await handedOff('907', 'big');
    const owner = people.find(([id]) => id === ownerId)?.[1];
    const lonely = routingSchema.parse({
      ...routing,
      pools: routing.pools.map((p) => (p.id === 'dach' ? { ...p, members: [{ user: owner }] } : p)),
    });
    const saved = bundle;
    bundle = {
      ...bundle,
      routing: {
        ...lonely,
        rules: lonely.rules.map((r) => (r.id === 'big' ? { ...r, pool: 'dach', onFirstTouchBreach: 'next-member' as const } : r)),
      },
    };
    try {
      // 907's rule now points to a pool whose only member is 907's owner.
      await db.query(`UPDATE lead_assignments SET pool_id = 'dach' WHERE hubspot_contact_id = '907'`);
      expect((await tick(at(11))).rerouted).toEqual({ rerouted: 0, kept: 1, parked: 0, waiting: 0 });
    } finally {
      bundle = saved;
    }
    const [, kept] = await historyForContact(db, '907');
    expect(kept).toMatchObject({
      action: 'reroute_kept',
      reason: 'first touch missed, owner kept: no other member of pool dach can take it now',
    });
  });

  it('leaves a Lead someone gave another owner in Salesforce since it was routed', async () => {
    const { leadId } = await handedOff('909', 'dach');
    sf.owners.set(leadId, BOSS);
    const updates = sf.updates.length;
    expect((await tick(at(11))).rerouted).toEqual({ rerouted: 0, kept: 1, parked: 0, waiting: 0 });
    expect(sf.updates.length).toBe(updates);
    expect((await assignmentsForContact(db, '909')).at(-1)).toMatchObject({ kind: 'reroute', state: 'released' });
    const [, kept] = await historyForContact(db, '909');
    expect(kept).toMatchObject({
      action: 'reroute_kept',
      reason: 'first touch missed, owner kept: the Lead was given another owner in Salesforce since it was routed',
    });
  });

  it('waits when the directory cannot be read (Salesforce away), and re-routes on the next tick', async () => {
    await handedOff('910', 'dach');
    directoryFailure = new ProviderError('salesforce', 'Service Unavailable', { status: 503, retryable: true });
    expect((await tick(at(11))).rerouted).toEqual({ rerouted: 0, kept: 0, parked: 0, waiting: 1 });
    expect((await assignmentsForContact(db, '910')).map((a) => a.kind)).toEqual(['initial']);
    expect((await tick(at(12))).rerouted).toEqual({ rerouted: 1, kept: 0, parked: 0, waiting: 0 });
  });

  it('without re-route options the tick does what it did before', async () => {
    await handedOff('908', 'dach');
    const updates = sf.updates.length;
    expect(await tick(at(11), false)).toEqual({ warned: 0, breached: 1 });
    expect(sf.updates.length).toBe(updates);
  });
});
