import type { Provider } from '../errors.ts';
import type { Queryable } from './database.ts';

/** Counting our own calls, the provider's reported usage, and open outages (see migration 005). */

export type OutageKind = 'budget' | 'auth';

export interface OutageRow {
  provider: Provider;
  kind: OutageKind;
  reason: string;
  since: Date;
  retryAt: Date;
  alertedAt: Date | null;
}

export interface ReportedUsage {
  used: number;
  limit: number;
  observedAt: Date;
  /** Our own count (over the provider's period) when the report came in. */
  ourCount?: number;
}

const minuteOf = (at: number) => new Date(Math.floor(at / 60_000) * 60_000);

/** Adds one call to its minute's count; parameters $1 provider, $2 minute, $3 priority. */
const COUNT_ONE_CALL = `INSERT INTO api_call_counts (provider, minute, priority, calls) VALUES ($1, $2, $3, 1)
     ON CONFLICT (provider, minute, priority) DO UPDATE SET calls = api_call_counts.calls + 1`;

/** One call of `priority` made at `at`, counted in its minute. */
export async function countCall(db: Queryable, provider: Provider, priority: string, at: number): Promise<void> {
  await db.query(COUNT_ONE_CALL, [provider, minuteOf(at), priority]);
}

/**
 * Records a counted call as the last urgent one: a WITH named `counted` (COUNT_ONE_CALL ... RETURNING 1) comes before
 * it, and $4 is the call's time (epoch ms; null: not urgent, nothing recorded). The row is written from the count's
 * output, so the count's row is locked first: PostgreSQL does not say in which order unrelated WITH statements run, and
 * every statement writing both rows takes them in the same order, so two of them cannot deadlock.
 */
const RECORD_URGENT_CALL = `INSERT INTO api_urgent_calls (provider, last_call_ms) SELECT $1, $4::bigint FROM counted WHERE $4::bigint IS NOT NULL
     ON CONFLICT (provider) DO UPDATE SET last_call_ms = greatest(api_urgent_calls.last_call_ms, EXCLUDED.last_call_ms)`;

/**
 * Counts a call more urgent than bulk and records when it was made, in one statement (it sits on the handoff
 * path), so every replica's bulk work stops borrowing the rolling window for a while.
 */
export async function countUrgentCall(db: Queryable, provider: Provider, priority: string, at: number): Promise<void> {
  await db.query(`WITH counted AS (${COUNT_ONE_CALL} RETURNING 1) ${RECORD_URGENT_CALL}`, [provider, minuteOf(at), priority, at]);
}

/** Calls counted in minutes starting at or after `since` (rounded down to its minute: never under-counts). */
export async function callsSince(db: Queryable, provider: Provider, since: number): Promise<number> {
  const result = await db.query<{ calls: string | null }>(
    'SELECT sum(calls)::text AS calls FROM api_call_counts WHERE provider = $1 AND minute >= $2',
    [provider, minuteOf(since)],
  );
  return Number(result.rows[0]?.calls ?? 0);
}

/** Calls per minute since `since`, oldest first: when each minute's calls leave a rolling window. */
export async function callMinutes(db: Queryable, provider: Provider, since: number): Promise<{ minute: number; calls: number }[]> {
  const result = await db.query<{ minute: Date; calls: string }>(
    `SELECT minute, sum(calls)::text AS calls FROM api_call_counts WHERE provider = $1 AND minute >= $2
     GROUP BY minute ORDER BY minute`,
    [provider, minuteOf(since)],
  );
  return result.rows.map((row) => ({ minute: new Date(row.minute).getTime(), calls: Number(row.calls) }));
}

export async function callsByPriority(db: Queryable, provider: Provider, since: number): Promise<Record<string, number>> {
  const result = await db.query<{ priority: string; calls: string }>(
    'SELECT priority, sum(calls)::text AS calls FROM api_call_counts WHERE provider = $1 AND minute >= $2 GROUP BY priority',
    [provider, minuteOf(since)],
  );
  return Object.fromEntries(result.rows.map((row) => [row.priority, Number(row.calls)]));
}

export async function pruneCallCounts(db: Queryable, before: number): Promise<void> {
  await db.query('DELETE FROM api_call_counts WHERE minute < $1', [new Date(before)]);
}

export async function readReportedUsage(db: Queryable, provider: Provider): Promise<ReportedUsage | undefined> {
  const row = (
    await db.query<RawReported>(
      `SELECT used::text, usage_limit::text AS "limit", observed_at AS "observedAt", our_count::text AS "ourCount"
     FROM api_reported_usage WHERE provider = $1`,
      [provider],
    )
  ).rows[0];
  return row ? toReportedUsage(row) : undefined;
}

/** A report as SQL or JSON gives it (bigints as text so they survive JSON). */
interface RawReported {
  used: string;
  limit: string;
  observedAt: Date | string;
  ourCount: string;
}

function toReportedUsage(raw: RawReported): ReportedUsage {
  return { used: Number(raw.used), limit: Number(raw.limit), observedAt: new Date(raw.observedAt), ourCount: Number(raw.ourCount) };
}

/** Keeps the newest report: answers arriving out of order never move the count back in time. */
export async function writeReportedUsage(db: Queryable, provider: Provider, usage: ReportedUsage): Promise<void> {
  await db.query(
    `INSERT INTO api_reported_usage (provider, used, usage_limit, observed_at, our_count) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (provider) DO UPDATE SET used = EXCLUDED.used, usage_limit = EXCLUDED.usage_limit, observed_at = EXCLUDED.observed_at,
       our_count = EXCLUDED.our_count
     WHERE api_reported_usage.observed_at <= EXCLUDED.observed_at`,
    [provider, usage.used, usage.limit, usage.observedAt, usage.ourCount ?? 0],
  );
}

/** What a budget decision reads: open outages, the provider's last report, and our calls since `since`. */
export interface BudgetState {
  outages: OutageRow[];
  reported: ReportedUsage | undefined;
  /** Calls counted since `since` (0 when no `since` was given). */
  calls: number;
  /** When any replica last made a call more urgent than bulk (epoch ms); undefined if none was recorded. */
  lastUrgentCallMs: number | undefined;
}

/** The budget state's reads as columns; `$1` is the provider, `since` the placeholder of the first minute counted (null: none). */
const stateColumns = (since: string) => `
       (SELECT coalesce(json_agg(json_build_object('provider', provider, 'kind', kind, 'reason', reason, 'since', since,
          'retryAt', retry_at, 'alertedAt', alerted_at)), '[]'::json) FROM api_outages WHERE provider = $1) AS outages,
       (SELECT json_build_object('used', used::text, 'limit', usage_limit::text, 'observedAt', observed_at, 'ourCount', our_count::text)
          FROM api_reported_usage WHERE provider = $1) AS reported,
       (SELECT sum(calls)::text FROM api_call_counts WHERE provider = $1 AND ${since}::timestamptz IS NOT NULL AND minute >= ${since}) AS calls,
       (SELECT last_call_ms FROM api_urgent_calls WHERE provider = $1) AS "lastUrgentCallMs"`;

type RawState = { outages: RawOutage[]; reported: RawReported | null; calls: string | null; lastUrgentCallMs: number | string | null };

function toBudgetState(row: RawState | undefined): BudgetState {
  return {
    outages: (row?.outages ?? []).map(toOutageRow),
    reported: row?.reported ? toReportedUsage(row.reported) : undefined,
    calls: Number(row?.calls ?? 0),
    lastUrgentCallMs: row?.lastUrgentCallMs === null || row?.lastUrgentCallMs === undefined ? undefined : Number(row.lastUrgentCallMs),
  };
}

/**
 * The three reads of a budget decision in one statement: it runs before every API call, so one round trip
 * instead of three is what keeps the budget's cost small next to the call it guards.
 */
export async function readBudgetState(db: Queryable, provider: Provider, since?: number): Promise<BudgetState> {
  const result = await db.query<RawState>(`SELECT ${stateColumns('$2')}`, [provider, since === undefined ? null : minuteOf(since)]);
  return toBudgetState(result.rows[0]);
}

/**
 * Counts one call (and, with `urgentAt`, records it as the last urgent call) and reads the budget state, in one
 * statement and one round trip: the budgets' unlocked path (see core/budget/fast-reservation.ts). The state is as
 * the statement found it, without this call's count: the same state a check made before counting would read.
 */
export async function countCallReadingState(
  db: Queryable,
  provider: Provider,
  call: { priority: string; at: number; urgentAt?: number },
  since?: number,
): Promise<BudgetState> {
  // A data-modifying WITH runs once and to completion whether or not the SELECT reads it.
  const result = await db.query<RawState>(
    `WITH counted AS (${COUNT_ONE_CALL} RETURNING 1), urgent AS (${RECORD_URGENT_CALL})
     SELECT ${stateColumns('$5')}`,
    [provider, minuteOf(call.at), call.priority, call.urgentAt ?? null, since === undefined ? null : minuteOf(since)],
  );
  return toBudgetState(result.rows[0]);
}

/** Takes back a call counted by countCallReadingState that did not go (the locked check decides it again). */
export async function uncountCall(db: Queryable, provider: Provider, priority: string, at: number): Promise<void> {
  await db.query('UPDATE api_call_counts SET calls = calls - 1 WHERE provider = $1 AND minute = $2 AND priority = $3 AND calls > 0', [
    provider,
    minuteOf(at),
    priority,
  ]);
}

/** An outage as SQL (dates) or JSON (strings) gives it. */
type RawOutage = Omit<OutageRow, 'since' | 'retryAt' | 'alertedAt'> & {
  since: Date | string;
  retryAt: Date | string;
  alertedAt: Date | string | null;
};

function toOutageRow(raw: RawOutage): OutageRow {
  return { ...raw, since: new Date(raw.since), retryAt: new Date(raw.retryAt), alertedAt: raw.alertedAt ? new Date(raw.alertedAt) : null };
}

const OUTAGE_COLUMNS = `provider, kind, reason, since, retry_at AS "retryAt", alerted_at AS "alertedAt"`;

export async function readOutages(db: Queryable, provider: Provider): Promise<OutageRow[]> {
  const result = await db.query<RawOutage>(`SELECT ${OUTAGE_COLUMNS} FROM api_outages WHERE provider = $1`, [provider]);
  return result.rows.map(toOutageRow);
}

/** Opens an outage; true only for the caller that opened it (the one that sends its alert). */
export async function openOutage(
  db: Queryable,
  outage: { provider: Provider; kind: OutageKind; reason: string; retryAt: number },
): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO api_outages (provider, kind, reason, retry_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (provider, kind) DO UPDATE SET reason = EXCLUDED.reason, retry_at = greatest(api_outages.retry_at, EXCLUDED.retry_at)
     RETURNING (xmax = 0) AS inserted`,
    [outage.provider, outage.kind, outage.reason, new Date(outage.retryAt)],
  );
  return (result.rows[0] as { inserted?: boolean } | undefined)?.inserted === true;
}

/** One replica at a time re-checks an outage: true when this caller moved `retry_at` from the past to `next`. */
export async function claimOutageRecheck(db: Queryable, provider: Provider, kind: OutageKind, now: number, next: number): Promise<boolean> {
  const result = await db.query('UPDATE api_outages SET retry_at = $4 WHERE provider = $1 AND kind = $2 AND retry_at <= $3', [
    provider,
    kind,
    new Date(now),
    new Date(next),
  ]);
  return result.rowCount > 0;
}

export async function resolveOutage(db: Queryable, provider: Provider, kind: OutageKind): Promise<boolean> {
  const result = await db.query('DELETE FROM api_outages WHERE provider = $1 AND kind = $2', [provider, kind]);
  return result.rowCount > 0;
}

export async function markOutageAlerted(db: Queryable, provider: Provider, kind: OutageKind): Promise<void> {
  await db.query('UPDATE api_outages SET alerted_at = now() WHERE provider = $1 AND kind = $2', [provider, kind]);
}
