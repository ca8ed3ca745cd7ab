import { afterAll, describe, expect, it } from '@jest/globals';
import type { NotificationChannel } from '../../src/adapters/notify/channel.ts';
import type { DeliveryOutcome } from '../../src/core/routing/owner-notification.ts';
import type { DeliveryCounts } from '../../src/jobs/notify/deliver-notifications.ts';
import { nextNotificationStep } from '../../src/jobs/notify/notification-retry.ts';
import { type NotifyTimer, startNotifyWorker } from '../../src/jobs/notify/notify-worker.ts';
import { silentLogger } from '../../src/log.ts';
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

/** A channel whose deliveries wait until the test releases them, so a pass can be held open. */
function gatedChannel() {
  const sent: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  const channel: NotificationChannel = {
    name: 'slack',
    async deliver(notification) {
      sent.push(notification.key);
      await gate;
      return { status: 'delivered', detail: 'ok' } satisfies DeliveryOutcome;
    },
  };
  return {
    channel,
    sent,
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => open(),
  };
}

describe('notify worker', () => {
  let db: Database;
  useFreshDatabase((fresh) => (db = fresh));
  let n = 0;

  async function queue() {
    n += 1;
    return db.transaction(async (tx) => {
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
            content: { key: `k${n}`, kind: 'assigned', title: 't', facts: [], leadId: `00Q${n}`, leadUrl: 'https://x.example' },
          },
        ],
        { now: T0 },
      );
      return id as string;
    });
  }

  const passes: DeliveryCounts[] = [];
  let stop: (() => Promise<void>) | undefined;
  afterAll(async () => stop?.());

  it('delivers at once on kick, not at the next interval; the interval picks up what is due; kicks during a pass fold into one more', async () => {
    const clock = manualTimer();
    const slack = gatedChannel();
    const worker = startNotifyWorker(
      { db, channels: [slack.channel], now: () => T0, logger: silentLogger() },
      { intervalMs: 3_600_000, timer: clock.timer, onPass: (counts) => passes.push(counts) },
    );
    stop = worker.stop;

    // An hour-long interval that never fires: the kick alone sends it.
    const first = await queue();
    await worker.kick();
    expect(slack.sent).toEqual(['k1']);
    expect((await notificationsForAssignments(db, [first]))[0]?.state).toBe('delivered');

    // Queued without a kick: the interval's pass finds it.
    await queue();
    clock.fire();
    await worker.kick();
    expect(slack.sent).toEqual(['k1', 'k2']);

    // A pass held open by a slow channel: two kicks during it give exactly one more pass, which sends what they queued.
    await queue();
    slack.hold();
    const during = worker.kick();
    await waitUntil(() => slack.sent.length === 3);
    const before = passes.length;
    await queue();
    const k1 = worker.kick();
    const k2 = worker.kick();
    slack.release();
    await Promise.all([during, k1, k2]);
    expect(slack.sent).toEqual(['k1', 'k2', 'k3', 'k4']);
    expect(passes.length - before).toBe(2);

    await worker.stop();
    expect(clock.cleared()).toBe(true);
    await worker.kick();
    expect(passes.length - before).toBe(2);
  });
});

/** Waits for a condition set by the worker's own events (no fixed sleep: it polls the event loop, not the clock). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never held');
}

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
