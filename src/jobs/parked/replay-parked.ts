import type { Logger } from '../../log.ts';
import type { Database, Queryable } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import { countFailedReplay, type ParkedWork, resolveParked } from '../../store/parked.ts';
import { recordReplay } from '../../store/parked-replays.ts';
import { KIND_REPLAYS, type KindReplayDeps, type ReplayEffect } from './kind-replays.ts';

/** A parked item's kind has no replay; the item stays open, untouched. */
export class NoReplayForKind extends Error {
  readonly kind: string;
  constructor(kind: string) {
    super(
      `parked work of kind '${kind}' cannot be replayed: no replay is defined for it (replayable: ${[...KIND_REPLAYS.keys()].join(', ')})`,
    );
    this.name = 'NoReplayForKind';
    this.kind = kind;
  }
}

export type ReplayResult =
  | { status: 'replayed'; outcome: ReplayEffect['outcome'] }
  | { status: 'failed'; message: string; attempts: number }
  /** Someone else resolved or replayed it first. */
  | { status: 'not_open' };

/** Replays one parked item for `actor`; throws NoReplayForKind before doing anything for an unknown kind. */
export type ReplayParked = (item: ParkedWork, actor: string) => Promise<ReplayResult>;

export interface ParkedReplayDeps extends KindReplayDeps {
  db: Database;
  /** Queues handoff jobs for contacts whose replay is in the inbox (best effort: the inbox sweeper also does). */
  queueContacts(contactIds: string[]): Promise<void>;
  logger: Logger;
}

/**
 * The one replay path, for the admin API and the automatic resume alike. The work is redone (or, for a
 * handoff, committed to the inbox) first; then, in one transaction, the item is resolved, the replay
 * recorded and the audit written. A failure leaves the item open with the new message and one more
 * attempt, so nothing is dropped and every retry is counted.
 */
export function createParkedReplayer(deps: ParkedReplayDeps): ReplayParked {
  const log = deps.logger.child({ module: 'parked-replay' });
  return async (item, actor) => {
    const replayKind = KIND_REPLAYS.get(item.kind);
    if (!replayKind) throw new NoReplayForKind(item.kind);
    let effect: ReplayEffect;
    try {
      effect = await replayKind(item, deps);
    } catch (error) {
      return recordFailure(deps.db, item, actor, (error as Error).message);
    }
    const resolved = await deps.db.transaction(async (tx) => {
      if (!(await resolveParked(tx, item.id))) return false;
      await effect.persist?.(tx, actor);
      await recordReplay(tx, { parkedId: item.id, chainId: item.chainId, actor, outcome: effect.outcome, message: effect.message ?? null });
      await auditReplay(tx, item, actor, effect);
      return true;
    });
    if (!resolved) return { status: 'not_open' };
    log.info('parked work replayed', { parkedId: item.id, kind: item.kind, outcome: effect.outcome, actor });
    if (effect.queueContact) {
      await deps
        .queueContacts([effect.queueContact])
        .catch((error: unknown) => log.warn('queueing the replayed contact failed; the inbox sweeper will', { parkedId: item.id, error }));
    }
    return { status: 'replayed', outcome: effect.outcome };
  };
}

async function recordFailure(db: Database, item: ParkedWork, actor: string, message: string): Promise<ReplayResult> {
  return db.transaction(async (tx) => {
    const attempts = await countFailedReplay(tx, item.id, message);
    if (attempts === undefined) return { status: 'not_open' } as const;
    await recordReplay(tx, { parkedId: item.id, chainId: item.chainId, actor, outcome: 'failed', message });
    return { status: 'failed', message, attempts } as const;
  });
}

function auditReplay(tx: Queryable, item: ParkedWork, actor: string, effect: ReplayEffect) {
  if (!effect.contactId) return Promise.resolve(0);
  return appendHistory(tx, [
    {
      hubspotContactId: effect.contactId,
      salesforceId: effect.salesforceId ?? null,
      action: 'replayed',
      reason: `parked ${item.kind} replayed by ${actor}: ${effect.outcome}${effect.message ? ` (${effect.message})` : ''}`,
      detail: { parkedId: item.id, kind: item.kind, outcome: effect.outcome, actor, attempts: item.attempts },
    },
  ]);
}
