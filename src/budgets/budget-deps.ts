import type { AlertSender, OpsAlert } from '../adapters/alerts/alert-sender.ts';
import type { Provider } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { markOutageAlerted, type OutageKind } from '../store/api-budget.ts';
import type { Queryable } from '../store/database.ts';

export type BudgetMetrics = Pick<Metrics, 'budgetRefused' | 'authFailure' | 'rateLimitWait'>;
export type BudgetAlerts = Pick<AlertSender, 'sendOps'>;

/**
 * Sends the one alert of an outage (the caller just opened it) and records that it went out. A failed
 * delivery is logged and left unmarked, so the next re-check of the outage tries again.
 */
export async function announceOutage(
  deps: { db: Queryable; alerts?: BudgetAlerts | undefined; logger: Logger },
  provider: Provider,
  kind: OutageKind,
  alert: OpsAlert,
): Promise<void> {
  if (!deps.alerts) return;
  try {
    await deps.alerts.sendOps(alert);
    await markOutageAlerted(deps.db, provider, kind);
  } catch (error) {
    deps.logger.warn('operations alert not delivered; retried at the next re-check', { event: alert.event, error });
  }
}

/** Serialises a budget's check-and-count across replicas (and this process's own pool) for the rest of `tx`. */
export async function lockAcrossReplicas(tx: Queryable, key: number): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [key]);
}

/**
 * Calls left under a ceiling below which a budget checks with the lock (see core/budget/fast-reservation.ts).
 * Above it a call is counted and decided in one statement: statements running at once can each miss the others'
 * counts, and there are never this many (a replica's database pool holds 10 connections).
 */
export const FAST_RESERVATION_MARGIN = 1_000;
