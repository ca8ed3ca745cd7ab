import { NoReplayForKind, type ReplayParked } from '../../jobs/parked/replay-parked.ts';
import type { Queryable } from '../../store/database.ts';
import { getParked, listParked, type ParkedFilter, type ParkedWork } from '../../store/parked.ts';
import { type ParkedReplay, replayHistory } from '../../store/parked-replays.ts';

/** A parked item as the admin sees it: what failed, whether a person must act, and every replay so far. */
export interface ParkedItemView extends ParkedWork {
  /** Parked more often than automatic replays allow: only a person replays it now. */
  needsPerson: boolean;
  replays: ParkedReplay[];
}

/** Which items a bulk replay (or the list) takes: any combination, all optional. */
export type ParkedSelection = Pick<ParkedFilter, 'kind' | 'provider' | 'code' | 'waitingFor'>;

export interface Replayed {
  id: string;
  kind: string;
  recordKey: string;
  outcome: 'handed_off' | 'done' | 'superseded';
}

export interface NotReplayed {
  id: string;
  kind: string;
  recordKey: string;
  /**
   * unknown_kind: nothing can replay it (untouched); replay_failed: it failed again (attempt counted);
   * not_open: resolved meanwhile; error: an unexpected failure such as the database (the item stays open).
   */
  code: 'unknown_kind' | 'replay_failed' | 'not_open' | 'error';
  message: string;
  attempts?: number;
  needsPerson?: boolean;
}

export type RetryOneResult = { status: 'not_found' } | ({ status: 'replayed' } & Replayed) | ({ status: 'not_replayed' } & NotReplayed);

export interface RetryManyResult {
  retried: Replayed[];
  failed: NotReplayed[];
}

/** Parked errors as the admin sees them: list, replay one, replay every open one matching a filter. */
export interface ParkedWorkPort {
  list(query: ParkedSelection & { open: boolean; limit?: number }): Promise<ParkedItemView[]>;
  retry(id: string, actor: string): Promise<RetryOneResult>;
  retryAll(selection: ParkedSelection, actor: string): Promise<RetryManyResult>;
}

export interface ParkedWorkOptions {
  /** Items parked more often than this are never replayed automatically (PARKED_MAX_AUTO_REPLAYS). */
  maxAutoReplays: number;
}

/** Upper bound of open items one bulk replay takes; parked work is meant to stay a short list. */
const MAX_BULK_ITEMS = 5000;

export function createParkedWork(db: Queryable, replay: ReplayParked, options: ParkedWorkOptions): ParkedWorkPort {
  async function replayItem(item: ParkedWork, actor: string): Promise<Exclude<RetryOneResult, { status: 'not_found' }>> {
    const ref = { id: item.id, kind: item.kind, recordKey: item.recordKey };
    try {
      const result = await replay(item, actor);
      if (result.status === 'replayed') return { status: 'replayed', ...ref, outcome: result.outcome };
      if (result.status === 'not_open')
        return { status: 'not_replayed', ...ref, code: 'not_open', message: `parked item ${item.id} was resolved meanwhile` };
      return {
        status: 'not_replayed',
        ...ref,
        code: 'replay_failed',
        message: result.message,
        attempts: result.attempts,
        needsPerson: result.attempts > options.maxAutoReplays,
      };
    } catch (error) {
      if (error instanceof NoReplayForKind) return { status: 'not_replayed', ...ref, code: 'unknown_kind', message: error.message };
      throw error;
    }
  }
  return {
    async list(query) {
      const items = await listParked(db, { ...query, limit: query.limit ?? 500 });
      const replays = await replayHistory(
        db,
        items.map((item) => item.chainId),
      );
      return items.map((item) => ({
        ...item,
        needsPerson: item.attempts > options.maxAutoReplays,
        replays: replays.get(item.chainId) ?? [],
      }));
    },
    async retry(id, actor) {
      const item = await getParked(db, id);
      if (!item || item.resolvedAt) return { status: 'not_found' };
      return replayItem(item, actor);
    },
    async retryAll(selection, actor) {
      const result: RetryManyResult = { retried: [], failed: [] };
      for (const item of await listParked(db, { ...selection, open: true, order: 'oldest', limit: MAX_BULK_ITEMS })) {
        try {
          const { status, ...outcome } = await replayItem(item, actor);
          if (status === 'replayed') result.retried.push(outcome as Replayed);
          else result.failed.push(outcome as NotReplayed);
        } catch (error) {
          // One item's unexpected failure (e.g. the database) must not hide what the others did.
          result.failed.push({ id: item.id, kind: item.kind, recordKey: item.recordKey, code: 'error', message: (error as Error).message });
        }
      }
      return result;
    },
  };
}
