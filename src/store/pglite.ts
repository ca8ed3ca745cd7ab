import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { PgliteDatabase, Queryable, QueryResult } from './database.ts';

type PgliteRunner = Pick<PGlite, 'query' | 'exec'> | Transaction;

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
  const base = queryable(pglite);
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
