import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { NotificationChannel } from '../../src/adapters/notify/channel.ts';
import type { DeliveryOutcome } from '../../src/core/routing/owner-notification.ts';
import type { DeliveryCounts } from '../../src/jobs/notify/deliver-notifications.ts';
import { nextNotificationStep } from '../../src/jobs/notify/notification-retry.ts';
import { type NotifyTimer, type NotifyWorker, startNotifyWorker } from '../../src/jobs/notify/notify-worker.ts';
import { createLogger, type Logger, silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { confirmAssignments, reserveAssignments } from '../../src/store/lead-assignments.ts';
import { enqueueOwnerNotifications, notificationsForAssignments } from '../../src/store/owner-notifications.ts';
import { useFreshDatabase } from '../support/databases.ts';

const T0 = new Date('2026-12-07T10:00:00Z');

/** A timer that fires only when the test says so. */
function manualTimer() {
  let run: (() => void) | undefined;
  let cleared = false;
  const timer: NotifyTimer = {
    setInterval: (fn) => {
      run = fn;
      return 1;
    },
    clearInterval: () => {
      cleared = true;
    },
  };
  return { timer, fire: () => run?.(), cleared: () => cleared };
}

/** Promises for conditions the worker's own events make true: each event re-checks them (no polling, no clock). */
function conditions() {
  let waiting: Array<{ holds: () => boolean; resolve: () => void }> = [];
  const observers: Array<() => void> = [];
  return {
    until(holds: () => boolean): Promise<void> {
      if (holds()) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ holds, resolve }));
    },
    /** Called on every event, to measure something over the whole test. */
    observe(observer: () => void): void {
      observers.push(observer);
    },
    changed(): void {
      for (const observer of observers) observer();
      const pending: typeof waiting = [];
      for (const w of waiting) {
        if (w.holds()) w.resolve();
        else pending.push(w);
      }
      waiting = pending;
    },
  };
}
type Conditions = ReturnType<typeof conditions>;

/** A Slack channel that records each send and holds the sends of the keys the test holds until it releases them. */
function gatedChannel(events: Conditions) {
  const sent: string[] = [];
  const gates = new Map<string, { held: Promise<void>; open: () => void }>();
  const channel: NotificationChannel = {
    name: 'slack',
    async deliver(notification) {
      sent.push(notification.key);
      events.changed();
      await gates.get(notification.key)?.held;
      return { status: 'delivered', detail: 'ok' } satisfies DeliveryOutcome;
    },
  };
  const hold = (key: string) => {
    let open: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (open = resolve));
    gates.set(key, { held, open });
  };
  const release = (key: string) => gates.get(key)?.open();
  return { channel, sent, hold, release, releaseAll: () => [...gates.keys()].forEach(release) };
}

/**
 * The database as the worker sees it: counts the passes begun (each begins with its claim) and can fail the next
 * claim, as when the database is away.
 */
function observedDatabase(db: Database, events: Conditions) {
  let claims = 0;
  let failNext = false;
  const observed: Database = {
    connectionString: db.connectionString,
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
    query<T>(sql: string, params?: unknown[]) {
      if (sql.includes('FOR UPDATE SKIP LOCKED')) {
        claims += 1;
        events.changed();
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
        }
      }
      return db.query<T>(sql, params);
    },
  };
  return { db: observed, claims: () => claims, failNextClaim: () => (failNext = true) };
}

describe('notify worker', () => {
  let db: Database;
  useFreshDatabase((fresh) => (db = fresh));
  let n = 0;
  let running: { worker: NotifyWorker; releaseAll: () => void } | undefined;

  beforeEach(async () => {
    // Each test sees only its own rows as due.
    await db.query(`UPDATE owner_notifications SET state = 'delivered', content = NULL, recipient = NULL WHERE state <> 'delivered'`);
  });
  afterEach(async () => {
    running?.releaseAll();
    await running?.worker.stop();
    running = undefined;
  });

  /** Commits one assigned Lead with a Slack notification; returns its key and assignment id. */
  async function queue(): Promise<{ key: string; id: string }> {
    n += 1;
    const key = `k${n}`;
    const id = await db.transaction(async (tx) => {
      const [id] = await reserveAssignments(tx, [
        {
          contactId: `w${n}`,
          kind: 'initial',
          decision: {
            rule: { id: 'r', label: 'R' },
            strategy: 'pool',
            owner: { kind: 'user', id: '005A' },
            reason: 'r',
            passed: [],
            skipped: [],
          },
          routingVersion: '1',
          decidedAt: T0,
        },
      ]);
      await confirmAssignments(tx, [{ assignmentId: id as string, leadId: `00Q${n}`, ownerId: null, assignedAt: T0 }]);
      await enqueueOwnerNotifications(
        tx,
        [
          {
            assignmentId: id as string,
            kind: 'assigned',
            channel: 'slack',
            recipient: { salesforceId: '005A' },
            content: { key, kind: 'assigned', title: 't', facts: [], leadId: `00Q${n}`, leadUrl: 'https://x.example' },
          },
        ],
        { now: T0 },
      );
      return id as string;
    });
    return { key, id };
  }

  /** A worker on an hour-long interval that only the test fires, with its passes, sends and concurrency observed. */
  function start(options: { maxConcurrentPasses?: number; batch?: number; logger?: Logger } = {}) {
    const events = conditions();
    const clock = manualTimer();
    const slack = gatedChannel(events);
    const store = observedDatabase(db, events);
    const passes: DeliveryCounts[] = [];
    const log: string[] = [];
    let maxInFlight = 0;
    const worker = startNotifyWorker(
      { db: store.db, channels: [slack.channel], now: () => T0, logger: options.logger ?? silentLogger(), batch: options.batch },
      {
        intervalMs: 3_600_000,
        timer: clock.timer,
        maxConcurrentPasses: options.maxConcurrentPasses,
        onPass: (counts) => {
          passes.push(counts);
          log.push(`pass claimed ${counts.claimed}`);
          events.changed();
        },
      },
    );
    running = { worker, releaseAll: slack.releaseAll };
    // Passes begun and not yet reported (no test that measures this has a failing pass).
    const inFlight = () => store.claims() - passes.length;
    events.observe(() => (maxInFlight = Math.max(maxInFlight, inFlight())));
    return {
      worker,
      clock,
      slack,
      store,
      passes,
      log,
      events,
      inFlight,
      maxInFlight: () => maxInFlight,
      /** Kicks and records in `log` when the kick resolved. */
      kick(name: string) {
        return worker.kick().then(() => void log.push(`kick ${name} resolved`));
      },
      sentAll: (...keys: string[]) => events.until(() => keys.every((key) => slack.sent.includes(key))),
      passesDone: (count: number) => events.until(() => passes.length >= count),
    };
  }

  /** Queues a Lead whose Slack send is held, kicks, and waits until that pass is out at Slack: a pass in flight. */
  async function heldPass(h: ReturnType<typeof start>, name: string) {
    const row = await queue();
    h.slack.hold(row.key);
    const done = h.kick(name);
    await h.sentAll(row.key);
    return { row, done };
  }

  it('delivers at once on kick, not at the next interval; the interval picks up what is due', async () => {
    const h = start();
    // An hour-long interval that never fires: the kick alone sends it.
    const first = await queue();
    await h.worker.kick();
    expect(h.slack.sent).toEqual([first.key]);
    expect((await notificationsForAssignments(db, [first.id]))[0]?.state).toBe('delivered');

    // Queued without a kick: the interval's pass finds it.
    const second = await queue();
    h.clock.fire();
    await h.sentAll(second.key);
    await h.passesDone(2);
    expect(h.slack.sent).toEqual([first.key, second.key]);
  });

  it('a kick during a pass starts a second pass at once, and both are in flight together', async () => {
    const h = start();
    const { row: a, done: first } = await heldPass(h, 'first');

    const b = await queue();
    h.slack.hold(b.key);
    const second = h.kick('second');
    // The second pass has claimed and is sending while the first still holds its row: two passes in flight.
    await h.sentAll(b.key);
    expect(h.passes).toHaveLength(0);
    expect(h.inFlight()).toBe(2);

    h.slack.release(a.key);
    h.slack.release(b.key);
    await Promise.all([first, second]);
    expect(h.passes.map((p) => p.claimed)).toEqual([1, 1]);
    expect((await notificationsForAssignments(db, [a.id, b.id])).map((r) => r.state)).toEqual(['delivered', 'delivered']);
  });

  it('at the limit, kicks fold into one more pass when a slot frees, and no more than the limit run at once', async () => {
    const h = start({ maxConcurrentPasses: 2 });
    const { row: a, done: first } = await heldPass(h, 'a');
    const { row: b, done: second } = await heldPass(h, 'b');

    // Both slots busy: three kicks and the timer fold into one pass, which begins only when the first pass ends.
    const c = await queue();
    h.slack.hold(c.key);
    const folded = [h.kick('c1'), h.kick('c2'), h.kick('c3')];
    h.clock.fire();
    expect(h.store.claims()).toBe(2);
    h.slack.release(a.key);
    await h.sentAll(c.key);
    expect(h.passes).toHaveLength(1);
    expect(h.store.claims()).toBe(3);

    h.slack.release(b.key);
    h.slack.release(c.key);
    await Promise.all([first, second, ...folded]);
    expect(h.passes.map((p) => p.claimed)).toEqual([1, 1, 1]);
    expect(h.store.claims()).toBe(3);
    expect(h.maxInFlight()).toBe(2);
    expect(h.slack.sent).toEqual([a.key, b.key, c.key]);
  });

  it('a kick resolves only after a pass that began after it has finished, not when an earlier pass ends', async () => {
    const h = start();
    const { row: a, done: first } = await heldPass(h, 'a');
    const { row: b, done: second } = await heldPass(h, 'b');

    // The earlier pass ends first; the kick waits for the pass that began after it (which needs the database to end).
    h.slack.release(a.key);
    await h.passesDone(1);
    h.slack.release(b.key);
    await Promise.all([first, second]);
    // Kick a waits as well: b's pass was in flight when a's ended (see the next tests).
    expect(h.log.slice(0, 2)).toEqual(['pass claimed 1', 'pass claimed 1']);
    expect(h.log.slice(2).sort()).toEqual(['kick a resolved', 'kick b resolved']);
  });

  it('at the limit, a kick resolves only after the folded pass that began after it, not when the pass it waited behind ends', async () => {
    const h = start({ maxConcurrentPasses: 1 });
    const a = await queue();
    h.slack.hold(a.key);
    void h.kick('a');
    await h.sentAll(a.key);
    const b = await queue();
    h.slack.hold(b.key);
    let resolved = false;
    const folded = h.worker.kick().then(() => (resolved = true));

    h.slack.release(a.key);
    // The folded pass has claimed b (after the first pass ended and a database round trip): the kick still waits.
    await h.sentAll(b.key);
    expect(h.passes).toHaveLength(1);
    expect(resolved).toBe(false);
    h.slack.release(b.key);
    await folded;
    expect(h.passes).toHaveLength(2);
    expect((await notificationsForAssignments(db, [b.id]))[0]?.state).toBe('delivered');
  });

  it('a kick also waits for a pass already in flight, which may hold a row committed before the kick', async () => {
    const h = start();
    const a = await queue();
    h.slack.hold(a.key);
    // The interval's pass claims the row and is still sending it when the handoff kicks.
    h.clock.fire();
    await h.sentAll(a.key);
    const kicked = h.kick('k');
    // The kick's own pass finds nothing due (the row is claimed) and ends.
    await h.passesDone(1);
    expect(h.passes[0]?.claimed).toBe(0);
    h.slack.release(a.key);
    await kicked;
    expect(h.log).toEqual(['pass claimed 0', 'pass claimed 1', 'kick k resolved']);
    expect((await notificationsForAssignments(db, [a.id]))[0]?.state).toBe('delivered');
  });

  it.each([
    ['the earlier', 0],
    ['the later', 1],
  ] as const)(
    'stop waits for every pass in flight (%s ending first) and starts none after it; kicks after stop do nothing',
    async (_name, endsFirst) => {
      const h = start({ maxConcurrentPasses: 2 });
      const { row: a, done: first } = await heldPass(h, 'a');
      const { row: b, done: second } = await heldPass(h, 'b');
      const c = await queue();
      const folded = h.kick('c');

      let stopped = false;
      const stopping = h.worker.stop().then(() => (stopped = true));
      expect(h.clock.cleared()).toBe(true);
      await h.worker.kick();
      h.clock.fire();

      const [early, late] = endsFirst === 0 ? [a, b] : [b, a];
      h.slack.release(early.key);
      await h.passesDone(1);
      // A database round trip lets that slot wind down; the other pass still holds its row, so stop has not returned,
      // and the freed slot took no pass for the folded kick.
      expect((await notificationsForAssignments(db, [early.id]))[0]?.state).toBe('delivered');
      expect(stopped).toBe(false);
      expect(h.store.claims()).toBe(2);
      h.slack.release(late.key);
      await stopping;
      await Promise.all([first, second, folded]);
      expect(h.passes).toHaveLength(2);
      expect(h.store.claims()).toBe(2);
      expect(h.slack.sent).toEqual([a.key, b.key]);
      expect((await notificationsForAssignments(db, [c.id]))[0]?.state).toBe('pending');
    },
  );

  it('a pass that claims a full batch goes on at once, in its own slot', async () => {
    const h = start({ batch: 2 });
    const rows = [await queue(), await queue(), await queue(), await queue(), await queue()];
    await h.worker.kick();
    await h.passesDone(3);
    expect(h.passes.map((p) => p.claimed)).toEqual([2, 2, 1]);
    expect([...h.slack.sent].sort()).toEqual(rows.map((r) => r.key).sort());
    expect(h.maxInFlight()).toBe(1);
  });

  it('a failed pass (the database away) is logged, the kick still resolves, and the next kick delivers', async () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    const h = start({ logger: createLogger('debug', stream) });
    stream.on('data', (chunk: Buffer) => {
      lines.push(chunk.toString());
      h.events.changed();
    });
    const a = await queue();
    h.store.failNextClaim();
    await h.worker.kick();
    await h.events.until(() => lines.join('').includes('notification pass failed; the next pass retries'));
    expect(h.passes).toHaveLength(0);
    expect(h.slack.sent).toEqual([]);

    await h.worker.kick();
    expect(h.slack.sent).toEqual([a.key]);
    expect((await notificationsForAssignments(db, [a.id]))[0]?.state).toBe('delivered');
  });
});

describe('nextNotificationStep (retry decision)', () => {
  it.each([
    ['delivered', { status: 'delivered', detail: 'ok' }, 1, { state: 'delivered' }],
    [
      'undeliverable is parked at once',
      { status: 'undeliverable', reason: 'no such user' },
      1,
      { state: 'parked', reason: 'no such user' },
    ],
    ['first retry waits 10 s', { status: 'retry', reason: '503' }, 1, { state: 'pending', waitMs: 10_000, reason: '503' }],
    ['third retry waits 40 s', { status: 'retry', reason: '503' }, 3, { state: 'pending', waitMs: 40_000, reason: '503' }],
    [
      'Retry-After above the backoff wins',
      { status: 'retry', reason: '429', retryAfterMs: 90_000 },
      1,
      { state: 'pending', waitMs: 90_000, reason: '429' },
    ],
    [
      'the backoff above Retry-After wins',
      { status: 'retry', reason: '429', retryAfterMs: 1_000 },
      2,
      { state: 'pending', waitMs: 20_000, reason: '429' },
    ],
    ['the last attempt parks', { status: 'retry', reason: '503' }, 8, { state: 'parked', reason: 'gave up after 8 attempts: 503' }],
  ] as const)('%s', (_name, outcome, attempts, expected) => {
    expect(nextNotificationStep(outcome as DeliveryOutcome, attempts)).toEqual(expected);
  });
});
