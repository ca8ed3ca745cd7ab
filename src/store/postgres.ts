import pg from 'pg';
import type { Logger } from '../log.ts';
import type { Database, Queryable, QueryResult } from './database-types.ts';

function queryable(runner: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const result = await runner.query(sql, params);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters node-postgres uses the simple protocol, which accepts many statements.
      await runner.query(sql);
    },
  };
}

/** A node-postgres pool. Transactions pin one client for their whole duration. */
export async function openPostgres(connectionString: string, logger: Logger): Promise<Database> {
  const pool = new pg.Pool({ connectionString, application_name: 'handoff' });
  // An idle client that dies must not crash the process; the next checkout reconnects.
  pool.on('error', (error) => logger.warn('idle database connection failed', { error }));
  await pool.query('SELECT 1');
  const base = queryable(pool);
  return {
    connectionString,
    query: base.query,
    exec: base.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A client whose ROLLBACK fails is discarded rather than reused mid-transaction.
        await client.query('ROLLBACK').then(
          () => client.release(),
          (rollbackError: Error) => client.release(rollbackError),
        );
        throw error;
      }
    },
    close: () => pool.end(),
  };
}
