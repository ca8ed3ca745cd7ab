import type { PgBoss } from 'pg-boss';
import type { AlertSender } from '../adapters/alerts/alert-sender.ts';
import { createListIdResolver } from '../adapters/hubspot/list-ids.ts';
import type { ApiBudgets } from '../budgets/api-budgets.ts';
import { type NamedWindow, spacedWindowMs } from '../budgets/rate-limiter.ts';
import type { Env } from '../config/env.ts';
import type { MappingsBundle } from '../core/mappings/bundle.ts';
import { startBackfillWorker } from '../jobs/backfill/backfill-worker.ts';
import type { PacingWindow } from '../jobs/handoff/pacing-step.ts';
import type { HandoffRouting } from '../jobs/handoff/record-assignments.ts';
import { enqueueContacts } from '../jobs/handoff-queue.ts';
import { DEFAULT_PACING_WINDOW, type HandoffWorker, startHandoffWorker } from '../jobs/handoff-worker.ts';
import { writeBackRoom } from '../jobs/hubspot-writeback/share-room.ts';
import { startWriteBackFlusher, type WriteBackFlusher } from '../jobs/hubspot-writeback/writeback-flusher.ts';
import type { IntakePressure } from '../jobs/intake-pressure.ts';
import { type NotifyWorker, startNotifyWorker } from '../jobs/notify/notify-worker.ts';
import { createParkedReplayer } from '../jobs/parked/replay-parked.ts';
import { startParkedResumeWorker } from '../jobs/parked-resume-worker.ts';
import { startPrivacyPurgeWorker } from '../jobs/privacy/purge-worker.ts';
import type { LeadReads } from '../jobs/salesforce-poll/lead-reads.ts';
import { type PollWorkerDeps, pollOrSkip, startSalesforcePollWorker } from '../jobs/salesforce-poll-worker.ts';
import { startSlaWorker } from '../jobs/sla-worker.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Database } from '../store/database.ts';
import { changeEventsOn, startChangeEvents } from './change-events.ts';
import type { Providers } from './providers.ts';
import type { Signal } from './signal.ts';
import type { StartedLater } from './started-later.ts';

export interface WorkersDeps extends Pick<Providers, 'hubspot' | 'salesforce' | 'notificationChannels' | 'resolveDirectory' | 'sandbox'> {
  db: Database;
  boss: PgBoss;
  /** The active configuration, read per use so a publish applies without a restart. */
  mappings: () => MappingsBundle;
  leadReads: LeadReads;
  alerts: AlertSender;
  metrics: Metrics;
  budgets: ApiBudgets;
  intake: IntakePressure;
  contactsQueued: Signal;
  /** Filled in as the workers start: readiness waits for the handoff worker, the admin replay for the replayer. */
  later: StartedLater;
  /** Waits for the jobs in flight; called once the workers take no new ones. */
  stopJobQueue(): Promise<void>;
}

/** The first window the HubSpot budget keeps handoff calls to (windowsToKeep lists the configured burst first when kept). */
function pacingWindowOf(windows: readonly NamedWindow[]): PacingWindow {
  const window = windows[0] ?? DEFAULT_PACING_WINDOW;
  // Widened by the limiter's margin: HubSpot counts a call when it arrives, a few milliseconds after its grant, so a
  // share counted over the bare window let one call more into some 10 s of arrivals (96 of 95 in the full bench).
  return { bucket: window.bucket, max: window.max, windowMs: spacedWindowMs(window.windowMs) };
}

/** The handoff, parked-resume, SLA, backfill, privacy-purge and Salesforce poll workers on the job queue. */
export async function startWorkers(env: Env, logger: Logger, deps: WorkersDeps): Promise<{ stop(): Promise<void> }> {
  const { db, boss, hubspot, salesforce, mappings, leadReads, alerts, metrics, budgets, later } = deps;
  const now = () => new Date();
  const lists = createListIdResolver(hubspot);
  const started: { stop(): void }[] = [];
  let notify: NotifyWorker | undefined;
  let writeBacks: WriteBackFlusher | undefined;
  let changes: { stop(): Promise<void> } | undefined;
  const stop = async () => {
    for (const worker of started) worker.stop();
    await changes?.stop();
    await notify?.stop();
    await deps.stopJobQueue();
    // After the last batches committed: what they queued is sent now, or stays in the outbox (bounded wait).
    await writeBacks?.stop();
  };
  const run = async <T extends { stop(): void }>(starting: Promise<T>): Promise<T> => {
    const worker = await starting;
    started.push(worker);
    return worker;
  };
  try {
    const handoffHubSpot = hubspot.withPriority('handoff');
    // HubSpot write-backs go out on every replica (rows claimed with SKIP LOCKED), grouped over a short window.
    const bulkWriteBacks = hubspot.withPriority('bulk');
    const flusher = startWriteBackFlusher(
      {
        db,
        hubspotFor: (priority) => (priority === 'bulk' ? bulkWriteBacks : handoffHubSpot),
        lists: createListIdResolver(handoffHubSpot),
        logger,
        now,
        metrics,
      },
      {
        windowMs: env.HUBSPOT_WRITEBACK_WINDOW_MS,
        // Paced handoffs count the write-back's calls in their share; the fixed window (the override) does not pace.
        ...(env.HANDOFF_BATCH_WINDOW_MS > 0
          ? {}
          : {
              roomInShare: writeBackRoom(
                db,
                () => pacingWindowOf(budgets.hubspot.windows('handoff', 'standard')),
                env.HANDOFF_REALTIME_SHARE / 100,
              ),
            }),
      },
    );
    writeBacks = flusher;
    const writeBacksQueued = (count: number) => flusher.queued(count);
    // Owner notifications go out on every replica (rows claimed with SKIP LOCKED), at once when a batch queues some.
    const notifier = startNotifyWorker({ db, channels: deps.notificationChannels, now, logger, metrics });
    notify = notifier;
    const kickNotifications = () => void notifier.kick();
    const channels = deps.notificationChannels.map((channel) => channel.name);
    const unset = mappings().routing.notify.channels.filter((channel) => !channels.includes(channel));
    if (unset.length > 0)
      logger.warn('routing.yaml names notification channels this service has no settings for; they are skipped', {
        module: 'notify',
        channels: unset,
        settings: 'slack: SLACK_BOT_TOKEN; email: SMTP_URL and NOTIFY_EMAIL_FROM; salesforce: NOTIFY_SALESFORCE_PUSH (default true)',
      });
    // Who a new Lead goes to is routing.yaml's (read per batch, so a publish applies at once); only creates are routed.
    const routingFor = (salesforcePort: typeof salesforce, hubspotPort: typeof hubspot, notifyOwners: boolean): HandoffRouting => ({
      db,
      hubspot: hubspotPort,
      salesforce: salesforcePort,
      resolveDirectory: deps.resolveDirectory,
      now,
      channels,
      instanceUrl: () => salesforce.instanceUrl(),
      notify: notifyOwners,
      logger,
    });
    const handoff: HandoffWorker = await run(
      startHandoffWorker(
        boss,
        {
          db,
          hubspot: handoffHubSpot,
          lists: createListIdResolver(handoffHubSpot),
          salesforce: salesforce.withPriority('handoff'),
          routing: routingFor(salesforce.withPriority('handoff'), handoffHubSpot, true),
          onNotificationsQueued: kickNotifications,
          onWriteBacksQueued: writeBacksQueued,
          mappings,
          logger,
          now,
          metrics,
          keptValues: { maxAgeMs: env.HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS * 1000 },
        },
        {
          intakeBusy: deps.intake.busy,
          batchWindowMs: env.HANDOFF_BATCH_WINDOW_MS,
          realtimeShare: env.HANDOFF_REALTIME_SHARE / 100,
          // The window HubSpot holds our handoff calls to: the configured burst, or a stricter one it reported.
          pacingWindow: () => pacingWindowOf(budgets.hubspot.windows('handoff', 'standard')),
          metrics,
        },
      ),
    );
    deps.contactsQueued.listen(() => handoff.wake());
    later.handoffWorkerRunning = true;
    later.replayParked = createParkedReplayer({
      db,
      hubspot,
      lists,
      alerts,
      now,
      logger,
      queueContacts: async (contactIds) => {
        await enqueueContacts(boss, contactIds);
        handoff.wake();
      },
    });
    // Parked work waiting for an API budget or a login resumes on its own once the budget says it may run again.
    await run(
      startParkedResumeWorker(
        boss,
        { db, replay: later.replayParked, isAvailable: budgets.isBudgetAvailable, maxAutoReplays: env.PARKED_MAX_AUTO_REPLAYS, logger },
        env.PARKED_RESUME_SECONDS * 1000,
      ),
    );
    await run(
      startSlaWorker(
        boss,
        {
          db,
          salesforce,
          alerts,
          mappings,
          logger,
          now,
          onBreach: (timer) => metrics.slaBreach(timer.kind),
          reroute: {
            resolveDirectory: deps.resolveDirectory,
            instanceUrl: () => salesforce.instanceUrl(),
            channels,
            metrics,
            kickNotifications,
          },
        },
        env.SLA_TICK_SECONDS * 1000,
      ),
    );
    // A backfill walks HubSpot on its own queue and worker, at `bulk` priority: the first work to slow down as a
    // budget runs low, and never more than its share of HubSpot's window, so real-time handoffs stay fast.
    const bulkHubSpot = hubspot.withPriority('bulk');
    await run(
      startBackfillWorker(boss, {
        db,
        hubspot: bulkHubSpot,
        salesforce: salesforce.withPriority('bulk'),
        // A backfill's Leads are routed like any new Lead, but nobody is paged for history.
        routing: routingFor(salesforce.withPriority('bulk'), bulkHubSpot, false),
        lists: createListIdResolver(bulkHubSpot),
        onWriteBacksQueued: writeBacksQueued,
        mappings,
        leadReads,
        logger,
        now,
      }),
    );
    await run(
      startPrivacyPurgeWorker(boss, {
        db,
        logger,
        now,
        retentionDays: env.PERSONAL_DATA_RETENTION_DAYS,
        evaluationRetentionDays: env.MQL_EVALUATION_RETENTION_DAYS,
        keptValuesMaxAgeSeconds: env.HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS,
      }),
    );
    const poll: PollWorkerDeps = {
      db,
      salesforce,
      hubspot,
      lists,
      mappings,
      leadReads,
      logger,
      now,
      pageSize: env.SALESFORCE_QUERY_PAGE_SIZE,
      metrics,
    };
    const pollIntervalMs = env.SALESFORCE_POLL_INTERVAL_SECONDS * 1000;
    const driftCheckMs = changeEventsOn(env, deps.sandbox !== undefined) ? env.SALESFORCE_CDC_DRIFT_CHECK_SECONDS * 1000 : pollIntervalMs;
    await run(startSalesforcePollWorker(boss, poll, pollIntervalMs, driftCheckMs));
    // Salesforce changes as they commit; the poll above carries them whenever the stream is not live.
    changes = startChangeEvents(env, { salesforce, poll, pollRound: () => pollOrSkip(poll), metrics, sandbox: deps.sandbox });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { stop };
}
