import type { Row } from './validate.ts';

/** One saved record as Change Data Capture sees it: its row before (none on create) and after, who saved it, and how. */
export interface RecordChange {
  object: string;
  changeType: 'CREATE' | 'UPDATE';
  before?: Row;
  after: Row;
  userId: string;
  /**
   * The ChangeEventHeader's changeOrigin: the API and client that made the save (see change-origin.ts); empty for a
   * save that came through no API, such as a rep's edit in the UI.
   */
  changeOrigin: string;
}

/** A save as the store reports it; the feed adds the origin of the commit it belongs to. */
export type SavedChange = Omit<RecordChange, 'changeOrigin'>;

interface OpenCommit {
  origin: string;
  pending: RecordChange[];
}

/**
 * Tells listeners of saved records once their transaction has committed. Change Data Capture publishes a change
 * event for a committed transaction only (ChangeEventHeader Fields: commitNumber is "the system change number of a
 * committed transaction"), so the saves of one API request are held until the request is done, and saves that an
 * allOrNone rollback undoes are dropped. A save outside a request (a rep's UI edit) commits at once.
 */
export class ChangeFeed {
  private listeners: Array<(change: RecordChange) => void> = [];
  private open: OpenCommit | undefined;

  /** Calls `listener` for every committed save; returns the call that stops it. */
  onChange(listener: (change: RecordChange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  saved(change: SavedChange): void {
    if (this.open) this.open.pending.push({ ...change, changeOrigin: this.open.origin });
    else this.tell([{ ...change, changeOrigin: '' }]);
  }

  /**
   * Runs one API request's saves, made through `origin`, and tells their changes once it returns (or throws: the
   * rows it saved stay saved, so they were committed). Nested calls join the outer request.
   */
  commit<T>(origin: string, run: () => T): T {
    if (this.open) return run();
    const open: OpenCommit = { origin, pending: [] };
    this.open = open;
    try {
      return run();
    } finally {
      this.open = undefined;
      this.tell(open.pending);
    }
  }

  /** Where the open request stands, for a rollback to return to (0 outside a request). */
  mark(): number {
    return this.open?.pending.length ?? 0;
  }

  /** An allOrNone rollback: the saves since `mark` never committed, so no one hears of them. */
  rollBackTo(mark: number): void {
    if (this.open) this.open.pending.length = Math.min(mark, this.open.pending.length);
  }

  private tell(changes: RecordChange[]): void {
    for (const change of changes) for (const listener of this.listeners) listener(change);
  }
}
