import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { PgliteDatabase, Queryable, QueryResult } from './database.ts';

type PgliteRunner = Pick<PGlite, 'query' | 'exec'> | Transaction;

/**
 * PGlite runs each statement synchronously on this thread, and a chain of awaited statements resolves through
 * promise callbacks alone: without a turn of the event loop between them, a worker's run of statements would
 * keep the HTTP server from reading its sockets for the whole run. Outside transactions (which hold PGlite's
 * lock, so yielding there would only make others wait longer) each statement first lets pending I/O run.
 */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** PGlite with a turn of the event loop before each statement: what our queries and pg-boss's both run on. */
export function yieldingPglite(pglite: PGlite): Pick<PGlite, 'query' | 'exec' | 'listen'> {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      await yieldToIo();
      return pglite.query<T>(sql, params);
    },
    async exec(sql: string) {
      await yieldToIo();
      return pglite.exec(sql);
    },
    listen: (channel, callback) => pglite.listen(channel, callback),
  };
}

function queryable(runner: PgliteRunner): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const result = await runner.query<T>(sql, params);
      // Match node-postgres: a statement that returns rows counts them, a bare write counts affected rows.
      const rowCount = result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0);
      return { rows: result.rows, rowCount };
    },
    async exec(sql: string): Promise<void> {
      await runner.exec(sql);
    },
  };
}

/**
 * PGlite persisted in `dataDir`. PGlite is a single connection: its own `transaction()` holds the
 * instance lock for the whole callback, and every other `query`/`exec` (ours and pg-boss's) waits
 * for that lock, so concurrent callers never interleave inside another caller's transaction.
 */
export async function openPglite(dataDir: string): Promise<PgliteDatabase> {
  const pglite = await PGlite.create({ dataDir });
  const base = queryable(yieldingPglite(pglite));
  return {
    kind: 'pglite',
    dataDir,
    pglite,
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pglite.transaction((tx) => fn(queryable(tx))),
    close: () => pglite.close(),
  };
}
