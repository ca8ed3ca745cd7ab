import type { Queryable } from './database.ts';

/**
 * What became of a replay: handed off to the durable inbox ('handed_off'), done at once ('done'),
 * found outdated by newer work on the same record ('superseded'), or failed again ('failed').
 */
export type ReplayOutcome = 'handed_off' | 'done' | 'superseded' | 'failed';

export interface ReplayInput {
  parkedId: string;
  chainId: string;
  /** Who asked: 'admin' for the token-authenticated API, 'auto-resume' for the periodic job, 'salesforce-poll' when newer work settled it. */
  actor: string;
  outcome: ReplayOutcome;
  message?: string | null;
}

export interface ParkedReplay {
  parkedId: string;
  actor: string;
  outcome: ReplayOutcome;
  message: string | null;
  at: Date;
}

export async function recordReplay(db: Queryable, input: ReplayInput): Promise<void> {
  await db.query(`INSERT INTO parked_replays (parked_id, chain_id, actor, outcome, message) VALUES ($1::bigint, $2::bigint, $3, $4, $5)`, [
    input.parkedId,
    input.chainId,
    input.actor,
    input.outcome,
    input.message ?? null,
  ]);
}

/** Replays per chain, oldest first: every replay of the work, across the entries it was parked as. */
export async function replayHistory(db: Queryable, chainIds: string[]): Promise<Map<string, ParkedReplay[]>> {
  const history = new Map<string, ParkedReplay[]>();
  if (chainIds.length === 0) return history;
  const result = await db.query<ParkedReplay & { chainId: string }>(
    `SELECT chain_id::text AS "chainId", parked_id::text AS "parkedId", actor, outcome, message, replayed_at AS "at"
     FROM parked_replays WHERE chain_id = ANY($1::bigint[]) ORDER BY replayed_at, id`,
    [[...new Set(chainIds)]],
  );
  for (const { chainId, ...replay } of result.rows) history.set(chainId, [...(history.get(chainId) ?? []), replay]);
  return history;
}
