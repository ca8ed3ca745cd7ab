import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type OutcomeOf, outcomeLabel } from '../core/handoff/outcomes.ts';
import { CHANGE_EVENT_LEASE } from '../store/cdc-lease.ts';
import type { Queryable } from '../store/database.ts';
import { countPending } from '../store/inbox.ts';
import { registerBackfillGauges } from './backfill-gauges.ts';
import { type ChangeEventMetrics, createChangeEventMetrics, registerChangePathGauge } from './change-event-metrics.ts';
import { createKeptValueMetrics, type KeptValueMetrics } from './kept-metrics.ts';
import { createPacingMetrics, type PacingMetrics } from './pacing-metrics.ts';
import { METRIC_PREFIX } from './prefix.ts';
import { createStageMetrics, type StageMetrics } from './stage-metrics.ts';

/**
 * Prometheus metrics in a registry of our own (so tests and several services in one process never share
 * series). Labels are bounded codes only — outcomes, reason codes, clock kinds, providers, operations —
 * never ids or e-mail addresses.
 */
export interface Metrics extends ChangeEventMetrics, StageMetrics, KeptValueMetrics, PacingMetrics {
  readonly registry: Registry;
  /** One contact's handoff outcome, counted under its code (see core/handoff/outcomes.ts). */
  handoff(outcome: OutcomeOf): void;
  /** A sales rejection, by reason code. */
  rejection(reason: string): void;
  slaBreach(kind: 'first_touch' | 'disposition'): void;
  apiCall(provider: Provider, operation: string): void;
  /** Webhook received → Lead committed in Salesforce. */
  syncLatency(seconds: number): void;
  /** The provider's own count of its API budget (e.g. Salesforce Sforce-Limit-Info api-usage=used/limit). */
  apiBudget(provider: Provider, used: number, limit: number): void;
  /** A call our own budget refused before sending it, by priority and code (BUDGET_RESERVED, BUDGET_EXHAUSTED, AUTH_FAILED). */
  budgetRefused(provider: Provider, priority: string, code: string): void;
  /** A refused token refresh (Salesforce invalid_grant and the like). */
  authFailure(provider: Provider): void;
  /** Time a call waited for a slot in a provider's rate window. */
  rateLimitWait(provider: Provider, seconds: number): void;
  /** A poll round skipped because a budget or the credentials refused it (it re-reads next round). */
  pollSkipped(reason: string): void;
  /** Webhook events refused one by one (malformed or unstorable) while the rest of their delivery was stored. */
  webhookEventsRejected(count: number): void;
  /** How an owner notification's attempt ended, by channel and kind (assigned, rerouted, reassigned_away). */
  ownerNotification(channel: string, kind: string, outcome: NotificationOutcome): void;
  /** Lead assigned → owner notification delivered. */
  notificationLatency(seconds: number): void;
  /** A Lead moved to a new owner after a first-touch breach, by how (next-member, manager). */
  reroute(how: string): void;
}

export type NotificationOutcome = 'delivered' | 'retried' | 'parked';

export type Provider = 'hubspot' | 'salesforce';

export interface MetricsOptions {
  /** Read at scrape time for the queue-depth and backfill gauges; left out, those gauges are not registered. */
  db?: Queryable;
  /** Node's process metrics (CPU, memory, event loop) in the same registry; default true. */
  processMetrics?: boolean;
}

/**
 * Sync latency: with no queue ahead of it a contact is handed off in well under a second, so the low end resolves
 * 10–100 ms (where a regression first shows); a backlog or a provider outage takes minutes to an hour.
 */
const SYNC_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
/** A rate-window wait is nothing or a few milliseconds when there is room, and at most one window (HubSpot's is 10 s) when not. */
/**
 * Assigned → notified: the target is within a second (issue 17), so the low end resolves 50 ms–1 s; a channel that
 * retries takes minutes (the backoff reaches about 20 minutes before parking).
 */
const NOTIFICATION_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800];
const RATE_LIMIT_WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Anything that is not a short code becomes "other", so no free text (or personal data) reaches a label. */
export function safeLabel(value: string): string {
  return LABEL.test(value) ? value : 'other';
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const handoffs = new Counter({
    name: `${METRIC_PREFIX}handoffs_total`,
    help: 'Handoff outcomes per contact',
    labelNames: ['outcome'],
    registers,
  });
  const rejections = new Counter({
    name: `${METRIC_PREFIX}rejections_total`,
    help: 'Sales rejections by reason code',
    labelNames: ['reason'],
    registers,
  });
  const breaches = new Counter({
    name: `${METRIC_PREFIX}sla_breaches_total`,
    help: 'SLA clocks that breached, by kind',
    labelNames: ['kind'],
    registers,
  });
  const calls = new Counter({
    name: `${METRIC_PREFIX}api_calls_total`,
    help: 'Calls made to a provider API',
    labelNames: ['provider', 'operation'],
    registers,
  });
  const latency = new Histogram({
    name: `${METRIC_PREFIX}sync_latency_seconds`,
    help: 'Webhook received to Lead committed in Salesforce',
    buckets: SYNC_LATENCY_BUCKETS,
    registers,
  });
  const budgetUsed = new Gauge({
    name: `${METRIC_PREFIX}api_budget_used`,
    help: 'API budget used, as the provider reports it',
    labelNames: ['provider'],
    registers,
  });
  const budgetLimit = new Gauge({
    name: `${METRIC_PREFIX}api_budget_limit`,
    help: 'API budget limit, as the provider reports it',
    labelNames: ['provider'],
    registers,
  });
  const refusals = new Counter({
    name: `${METRIC_PREFIX}api_budget_refusals_total`,
    help: 'Calls refused by our own API budget before sending',
    labelNames: ['provider', 'priority', 'code'],
    registers,
  });
  const authFailures = new Counter({
    name: `${METRIC_PREFIX}api_auth_failures_total`,
    help: 'Token refreshes the provider refused',
    labelNames: ['provider'],
    registers,
  });
  const waits = new Histogram({
    name: `${METRIC_PREFIX}api_rate_limit_wait_seconds`,
    help: 'Wait for a slot in the provider rate window',
    labelNames: ['provider'],
    buckets: RATE_LIMIT_WAIT_BUCKETS,
    registers,
  });
  const skipped = new Counter({
    name: `${METRIC_PREFIX}salesforce_poll_skipped_total`,
    help: 'Salesforce poll rounds skipped (budget or credentials)',
    labelNames: ['reason'],
    registers,
  });
  const rejectedEvents = new Counter({
    name: `${METRIC_PREFIX}webhook_events_rejected_total`,
    help: 'Webhook events refused on their own (kept in rejected_webhook_events with the reason)',
    registers,
  });
  const notifications = new Counter({
    name: `${METRIC_PREFIX}owner_notifications_total`,
    help: 'Owner notification attempts by channel, kind and outcome (delivered, retried, parked)',
    labelNames: ['channel', 'kind', 'outcome'],
    registers,
  });
  const notificationSeconds = new Histogram({
    name: `${METRIC_PREFIX}owner_notification_latency_seconds`,
    help: 'Lead assigned to owner notification delivered',
    buckets: NOTIFICATION_LATENCY_BUCKETS,
    registers,
  });
  const reroutes = new Counter({
    name: `${METRIC_PREFIX}reroutes_total`,
    help: 'Leads re-routed after a first-touch breach, by how (next-member, manager)',
    labelNames: ['how'],
    registers,
  });
  if (options.db) {
    registerQueueDepth(registry, options.db);
    registerBackfillGauges(registry, options.db);
    registerChangePathGauge(registry, options.db, CHANGE_EVENT_LEASE);
  }
  return {
    registry,
    handoff: (outcome) => handoffs.inc({ outcome: outcomeLabel(outcome) }),
    rejection: (reason) => rejections.inc({ reason: safeLabel(reason) }),
    slaBreach: (kind) => breaches.inc({ kind }),
    apiCall: (provider, operation) => calls.inc({ provider, operation: safeLabel(operation) }),
    syncLatency: (seconds) => {
      if (Number.isFinite(seconds) && seconds >= 0) latency.observe(seconds);
    },
    apiBudget: (provider, used, limit) => {
      budgetUsed.set({ provider }, used);
      budgetLimit.set({ provider }, limit);
    },
    budgetRefused: (provider, priority, code) => refusals.inc({ provider, priority: safeLabel(priority), code: safeLabel(code) }),
    authFailure: (provider) => authFailures.inc({ provider }),
    rateLimitWait: (provider, seconds) => waits.observe({ provider }, Math.max(0, seconds)),
    pollSkipped: (reason) => skipped.inc({ reason: safeLabel(reason) }),
    webhookEventsRejected: (count) => rejectedEvents.inc(count),
    ownerNotification: (channel, kind, outcome) => notifications.inc({ channel: safeLabel(channel), kind: safeLabel(kind), outcome }),
    notificationLatency: (seconds) => {
      if (Number.isFinite(seconds) && seconds >= 0) notificationSeconds.observe(seconds);
    },
    reroute: (how) => reroutes.inc({ how: safeLabel(how) }),
    ...createChangeEventMetrics(registry, safeLabel),
    ...createStageMetrics(registry),
    ...createKeptValueMetrics(registry),
    ...createPacingMetrics(registry),
  };
}

/** Pending webhook events, read from the database when Prometheus scrapes (every replica sees the same inbox). */
function registerQueueDepth(registry: Registry, db: Queryable): void {
  new Gauge({
    name: `${METRIC_PREFIX}inbox_pending_events`,
    help: 'Accepted webhook events not yet processed',
    registers: [registry],
    async collect() {
      this.set(await countPending(db));
    },
  });
}
