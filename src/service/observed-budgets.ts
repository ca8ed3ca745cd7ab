import { type AlertSender, createAlertSender } from '../adapters/alerts/alert-sender.ts';
import { type ApiBudgets, createApiBudgets } from '../budgets/api-budgets.ts';
import { registerBudgetGauges } from '../budgets/budget-gauges.ts';
import type { Env } from '../config/env.ts';
import type { Logger } from '../log.ts';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import type { Database } from '../store/database.ts';
import { registerKpiGauges } from './kpi-gauges.ts';

export interface ObservedBudgets {
  metrics: Metrics;
  alerts: AlertSender;
  budgets: ApiBudgets;
  stop(): void;
}

/** Metrics, alert targets and the API budgets: what the HTTP routes, the providers and the workers all share. */
export function createObservedBudgets(env: Env, db: Database, logger: Logger): ObservedBudgets {
  const metrics = createMetrics({ db });
  const alerts = createAlertSender(
    {
      slackWebhookUrl: env.SLA_ALERT_SLACK_WEBHOOK_URL,
      webhookUrl: env.SLA_ALERT_WEBHOOK_URL,
      opsSlackWebhookUrl: env.OPS_ALERT_SLACK_WEBHOOK_URL,
      opsWebhookUrl: env.OPS_ALERT_WEBHOOK_URL,
    },
    logger,
  );
  // API budgets live in the database, so every replica shares the same windows, counts and outages.
  // `budgets.isBudgetAvailable(waitingFor)` tells the replay of parked work when it may run again.
  const budgets = createApiBudgets({
    db,
    logger,
    metrics,
    alerts,
    hubspot: {
      burstLimit: env.HUBSPOT_BURST_LIMIT,
      dailyLimit: env.HUBSPOT_DAILY_LIMIT,
      timezone: env.HUBSPOT_PORTAL_TIMEZONE,
      shares: env.HUBSPOT_PRIORITY_SHARES,
    },
    salesforce: {
      allocation: env.SALESFORCE_DAILY_API_ALLOCATION,
      allocationShares: env.SALESFORCE_ALLOCATION_SHARES,
      orgShares: env.SALESFORCE_ORG_SHARES,
      probeIntervalMs: env.SALESFORCE_BUDGET_PROBE_SECONDS * 1000,
      authRecheckMs: env.SALESFORCE_AUTH_RECHECK_SECONDS * 1000,
    },
  });
  registerBudgetGauges(metrics.registry, budgets.report);
  registerKpiGauges(metrics.registry, db);
  const pruneBudgets = setInterval(
    () => void budgets.prune().catch((error: unknown) => logger.warn('could not prune API call counts', { error })),
    10 * 60_000,
  );
  pruneBudgets.unref();
  return { metrics, alerts, budgets, stop: () => clearInterval(pruneBudgets) };
}
