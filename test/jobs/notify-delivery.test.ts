import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { NotificationChannel } from '../../src/adapters/notify/channel.ts';
import type { RouteDecision } from '../../src/core/routing/decide-route.ts';
import type {
  DeliveryOutcome,
  NotificationChannelName,
  NotificationRecipient,
  OwnerNotification,
} from '../../src/core/routing/owner-notification.ts';
import { deliverDueNotifications, NOTIFICATION_LEASE_MS } from '../../src/jobs/notify/deliver-notifications.ts';
import { MAX_NOTIFICATION_ATTEMPTS } from '../../src/jobs/notify/notification-retry.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { confirmAssignments, reserveAssignments, storedDecision } from '../../src/store/lead-assignments.ts';
import {
  claimDueNotifications,
  enqueueOwnerNotifications,
  markNotifications,
  notificationsForAssignments,
} from '../../src/store/owner-notifications.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';

const T0 = new Date('2026-12-07T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const OWNER = '005A00000000001';

const decision: RouteDecision = {
  rule: { id: 'dach', label: 'DACH' },
  strategy: 'pool',
  owner: { kind: 'user', id: OWNER },
  pool: 'dach',
  member: 'ana@acme.example',
  passed: [],
  skipped: [],
  reason: 'DACH: round robin in pool DACH reps',
};

const recipient: NotificationRecipient = { salesforceId: OWNER, email: 'ana@acme.example', name: 'Ana Rep', slackChannel: '#inbound' };
const content = (key: string): OwnerNotification => ({
  key,
  kind: 'assigned',
  title: 'New MQL: Jane Doe, Customer AG — enterprise, score 72',
  facts: [{ label: 'Who', value: 'Jane Doe — CTO' }],
  leadId: '00Q000000000001',
  leadUrl: 'https://acme.my.salesforce.com/lightning/r/Lead/00Q000000000001/view',
});

/** A channel that answers from a script (one outcome per call, the last repeated) and records what it was given. */
function scripted(name: NotificationChannelName, ...outcomes: DeliveryOutcome[]) {
  const sent: Array<{ key: string; to: NotificationRecipient }> = [];
  const channel: NotificationChannel = {
    name,
    async deliver(notification, to) {
      sent.push({ key: notification.key, to });
      return outcomes.length > 1 ? (outcomes.shift() as DeliveryOutcome) : (outcomes[0] as DeliveryOutcome);
    },
  };
  return { channel, sent };
}

const delivered: DeliveryOutcome = { status: 'delivered', detail: 'ok' };

describe('owner notification outbox', () => {
  let fresh: FreshDatabase;
  let db: Database;
  let other: Database;
  let n = 0;
  beforeAll(async () => {
    fresh = await freshDatabase();
    db = fresh.db;
    other = await openDatabase({ databaseUrl: fresh.databaseUrl, logger: silentLogger(), migrate: false });
  });
  afterAll(async () => {
    await other.close();
    await fresh.cleanup();
  });
  beforeEach(async () => {
    // Each test sees only its own rows as due.
    await db.query(`UPDATE owner_notifications SET state = 'delivered', content = NULL, recipient = NULL WHERE state <> 'delivered'`);
  });

  /** An assigned Lead with notifications queued on the given channels; returns the assignment id. */
  async function assigned(channels: NotificationChannelName[], kind: 'assigned' | 'rerouted' = 'assigned') {
    n += 1;
    return db.transaction(async (tx) => {
      const [id] = await reserveAssignments(tx, [
        { contactId: `c${n}`, kind: 'initial', decision: storedDecision(decision), routingVersion: '1', decidedAt: T0 },
      ]);
      await confirmAssignments(tx, [{ assignmentId: id as string, leadId: `00Q${n}`, ownerId: null, assignedAt: T0 }]);
      await enqueueOwnerNotifications(
        tx,
        channels.map((channel) => ({ assignmentId: id as string, kind, channel, recipient, content: content(`${id}-${kind}-${OWNER}`) })),
        { now: T0 },
      );
      return id as string;
    });
  }

  it('queues each notification exactly once per assignment, kind, channel and recipient', async () => {
    const id = await assigned(['slack', 'email']);
    const again = await db.transaction((tx) =>
      enqueueOwnerNotifications(tx, [{ assignmentId: id, kind: 'assigned', channel: 'slack', recipient, content: content('x') }]),
    );
    expect(again).toBe(0);
    expect((await notificationsForAssignments(db, [id])).map((r) => [r.channel, r.state])).toEqual([
      ['slack', 'pending'],
      ['email', 'pending'],
    ]);
  });

  it('two replicas delivering at once send each notification once, then drop its content and recipient', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => assigned(['slack'])));
    const slack = scripted('slack', delivered);
    const metrics = createMetrics({ processMetrics: false });
    const pass = (database: Database) =>
      deliverDueNotifications({ db: database, channels: [slack.channel], now: () => at(400), logger: silentLogger(), metrics, batch: 7 });
    const totals = { delivered: 0 };
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([pass(db), pass(other)]);
      totals.delivered += a.delivered + b.delivered;
    }
    expect(totals.delivered).toBe(30);
    expect(slack.sent).toHaveLength(30);
    expect(new Set(slack.sent.map((s) => s.key)).size).toBe(30);
    expect(slack.sent[0]?.to).toEqual(recipient);
    const rows = await notificationsForAssignments(db, ids);
    expect(rows.every((r) => r.state === 'delivered' && !r.hasContent && r.deliveredAt?.getTime() === at(400).getTime())).toBe(true);
    const counted = await metrics.registry.getSingleMetricAsString('handoff_owner_notifications_total');
    expect(counted).toContain('handoff_owner_notifications_total{channel="slack",kind="assigned",outcome="delivered"} 30');
    const latency = await metrics.registry.getSingleMetricAsString('handoff_owner_notification_latency_seconds');
    // Assigned at T0, delivered 0.4 s later.
    expect(latency).toContain('handoff_owner_notification_latency_seconds_bucket{le="0.25"} 0');
    expect(latency).toContain('handoff_owner_notification_latency_seconds_bucket{le="0.5"} 30');
  });

  it('two passes of one process in flight at once over 30 due rows send each row exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => assigned(['slack'])));
    const rows = await notificationsForAssignments(db, ids);
    const rowIdByKey = new Map(rows.map((row) => [`${row.assignmentId}-assigned-${OWNER}`, row.id]));
    const callsPerRow = new Map<string, number>();
    // Every send waits until all 30 have begun: with at most 20 rows a pass, both passes are then holding claims.
    let open: () => void = () => undefined;
    const allBegun = new Promise<void>((resolve) => (open = resolve));
    let calls = 0;
    const slack: NotificationChannel = {
      name: 'slack',
      async deliver(notification) {
        const id = rowIdByKey.get(notification.key) ?? `unknown ${notification.key}`;
        callsPerRow.set(id, (callsPerRow.get(id) ?? 0) + 1);
        calls += 1;
        if (calls === 30) open();
        await allBegun;
        return delivered;
      },
    };
    const pass = () => deliverDueNotifications({ db, channels: [slack], now: () => at(1), logger: silentLogger(), batch: 20 });
    const [a, b] = await Promise.all([pass(), pass()]);
    expect(a.claimed + b.claimed).toBe(30);
    expect(Math.min(a.claimed, b.claimed)).toBeGreaterThan(0);
    expect(a.delivered + b.delivered).toBe(30);
    expect([...callsPerRow.keys()].sort()).toEqual(rows.map((row) => row.id).sort());
    expect([...callsPerRow.values()].every((count) => count === 1)).toBe(true);
    const after = await notificationsForAssignments(db, ids);
    expect(after.every((row) => row.state === 'delivered' && row.attempts === 1)).toBe(true);
  });

  it("a channel that takes a list gets all of a pass's rows in one call, each with its own outcome; the others row by row", async () => {
    const first = await assigned(['salesforce', 'slack']);
    const second = await assigned(['salesforce', 'slack']);
    const calls: number[] = [];
    const salesforce: NotificationChannel = {
      name: 'salesforce',
      deliver: async () => {
        throw new Error('a pass must use deliverMany when a channel has it');
      },
      deliverMany: async (items) => {
        calls.push(items.length);
        return items.map((_, i) => (i === 0 ? delivered : { status: 'undeliverable' as const, reason: 'INVALID_CROSS_REFERENCE_KEY' }));
      },
    };
    const slack = scripted('slack', delivered);
    const counts = await deliverDueNotifications({ db, channels: [salesforce, slack.channel], now: () => at(1), logger: silentLogger() });
    expect(calls).toEqual([2]);
    expect(slack.sent).toHaveLength(2);
    expect(counts).toMatchObject({ claimed: 4, delivered: 3, parked: 1 });
    const states = [...(await notificationsForAssignments(db, [first, second]))].map((n) => `${n.channel}:${n.state}`).sort();
    expect(states).toEqual(['salesforce:delivered', 'salesforce:parked', 'slack:delivered', 'slack:delivered']);
  });

  it('retries with growing waits (never before Retry-After), then parks after the last attempt', async () => {
    const id = await assigned(['email']);
    const email = scripted(
      'email',
      { status: 'retry', reason: 'SMTP 451 try later', retryAfterMs: 60_000 },
      {
        status: 'retry',
        reason: 'SMTP 451 try later',
      },
    );
    const deps = { db, channels: [email.channel], logger: silentLogger() };
    expect(await deliverDueNotifications({ ...deps, now: () => T0 })).toMatchObject({ retried: 1 });
    let [row] = await notificationsForAssignments(db, [id]);
    // Backoff would say 10 s; the provider asked for 60 s.
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: 'SMTP 451 try later', hasContent: true });
    expect(row?.nextAttemptAt.getTime()).toBe(at(60_000).getTime());
    expect(await deliverDueNotifications({ ...deps, now: () => at(59_999) })).toMatchObject({ claimed: 0 });
    let now = at(60_000);
    for (let attempt = 2; attempt < MAX_NOTIFICATION_ATTEMPTS; attempt++) {
      expect(await deliverDueNotifications({ ...deps, now: () => now })).toMatchObject({ retried: 1 });
      [row] = await notificationsForAssignments(db, [id]);
      const wait = (row?.nextAttemptAt.getTime() ?? 0) - now.getTime();
      expect(wait).toBe(10_000 * 2 ** (attempt - 1));
      now = row?.nextAttemptAt as Date;
    }
    expect(await deliverDueNotifications({ ...deps, now: () => now })).toMatchObject({ parked: 1 });
    [row] = await notificationsForAssignments(db, [id]);
    expect(row).toMatchObject({ state: 'parked', attempts: MAX_NOTIFICATION_ATTEMPTS });
    expect(row?.lastError).toBe(`gave up after ${MAX_NOTIFICATION_ATTEMPTS} attempts: SMTP 451 try later`);
    expect(await deliverDueNotifications({ ...deps, now: () => at(86_400_000) })).toMatchObject({ claimed: 0 });
  });

  it('parks an undeliverable notification and one for a channel that is not configured, each with its reason', async () => {
    const id = await assigned(['salesforce', 'slack']);
    const push = scripted('salesforce', { status: 'undeliverable', reason: 'custom notification type not found' });
    expect(await deliverDueNotifications({ db, channels: [push.channel], now: () => T0, logger: silentLogger() })).toMatchObject({
      parked: 2,
    });
    const rows = await notificationsForAssignments(db, [id]);
    expect(rows.map((r) => [r.channel, r.state, r.lastError])).toEqual([
      ['salesforce', 'parked', 'custom notification type not found'],
      ['slack', 'parked', 'channel slack is not configured (routing.yaml notify.channels and its settings)'],
    ]);
  });

  it('a channel that throws is retried, and the logs hold no name, title, company or e-mail', async () => {
    const id = await assigned(['slack']);
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const throwing: NotificationChannel = {
      name: 'slack',
      deliver: async (_n, to) => {
        throw new Error(`cannot reach ${to.name} <${to.email}>`);
      },
    };
    expect(await deliverDueNotifications({ db, channels: [throwing], now: () => T0, logger: createLogger('debug', stream) })).toMatchObject(
      {
        retried: 1,
      },
    );
    const [row] = await notificationsForAssignments(db, [id]);
    expect(row).toMatchObject({ state: 'pending', lastError: 'channel slack threw Error' });
    const logged = lines.join('');
    expect(logged).toContain('notification');
    for (const personal of ['Ana Rep', 'ana@acme.example', 'Jane Doe', 'Customer AG', 'CTO']) expect(logged).not.toContain(personal);
  });

  it("takes over a dead sender's claim only after the lease, and ignores that sender's late outcome", async () => {
    const id = await assigned(['slack']);
    const [claim] = await claimDueNotifications(db, { now: T0, leaseMs: NOTIFICATION_LEASE_MS, limit: 10 });
    expect(claim?.assignmentId).toBe(id);
    const slack = scripted('slack', delivered);
    const deps = { db, channels: [slack.channel], logger: silentLogger() };
    expect(await deliverDueNotifications({ ...deps, now: () => at(NOTIFICATION_LEASE_MS - 1) })).toMatchObject({ claimed: 0 });
    expect(await deliverDueNotifications({ ...deps, now: () => at(NOTIFICATION_LEASE_MS + 1) })).toMatchObject({ delivered: 1 });
    // The first sender wakes up and reports: its claim no longer holds the row, so nothing changes.
    const late = await markNotifications(db, [
      { id: claim?.id as string, claimedAt: claim?.claimedAt as Date, state: 'parked', error: 'late' },
    ]);
    expect(late.size).toBe(0);
    const [row] = await notificationsForAssignments(db, [id]);
    expect(row).toMatchObject({ state: 'delivered', attempts: 2 });
  });
});
