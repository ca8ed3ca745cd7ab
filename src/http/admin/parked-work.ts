import type { PgBoss } from 'pg-boss';
import { enqueueContacts } from '../../jobs/handoff-queue.ts';
import type { Queryable } from '../../store/database.ts';
import { listParked, resolveParked, type ParkedWork } from '../../store/parked.ts';

export interface RetryAllResult {
  retried: string[];
  failed: { id: string; message: string }[];
}

/** Parked errors as the admin sees them: list, retry one, retry every open one. */
export interface ParkedWorkPort {
  list(options: { open: boolean; limit?: number }): Promise<ParkedWork[]>;
  /** false when there is no open item with this id. */
  retry(id: string): Promise<boolean>;
  retryAll(): Promise<RetryAllResult>;
}

/** How one parked item is retried; throws when it cannot be (the item then stays open). */
export type RetryParked = (item: ParkedWork) => Promise<void>;

/** Upper bound of open items looked at per call; parked work is meant to stay a short list. */
const MAX_OPEN_ITEMS = 5000;

/**
 * An item is resolved only after its retry was handed off, so a failed retry leaves it visible.
 * If the retried work fails again it is parked again as a new open entry.
 */
export function createParkedWork(db: Queryable, retry: RetryParked): ParkedWorkPort {
  const openItems = () => listParked(db, { open: true, limit: MAX_OPEN_ITEMS });
  async function retryItem(item: ParkedWork): Promise<void> {
    await retry(item);
    await resolveParked(db, item.id);
  }
  return {
    list: (options) => listParked(db, { open: options.open, limit: options.limit ?? 500 }),
    async retry(id) {
      const item = (await openItems()).find((candidate) => candidate.id === id);
      if (!item) return false;
      await retryItem(item);
      return true;
    },
    async retryAll() {
      const result: RetryAllResult = { retried: [], failed: [] };
      for (const item of await openItems()) {
        try {
          await retryItem(item);
          result.retried.push(item.id);
        } catch (error) {
          result.failed.push({ id: item.id, message: (error as Error).message });
        }
      }
      return result;
    },
  };
}

/** Kinds of parked work whose record key is a HubSpot contact id that a new handoff job fixes. */
const HANDOFF_KINDS = new Set(['handoff']);

/** The default retry: 'handoff' items re-queue their contact; other kinds are not retryable from here yet. */
export function requeueParkedHandoff(boss: PgBoss): RetryParked {
  return async (item) => {
    if (!HANDOFF_KINDS.has(item.kind)) throw new Error(`parked ${item.kind} work cannot be retried from the admin API yet`);
    await enqueueContacts(boss, [item.recordKey]);
  };
}
