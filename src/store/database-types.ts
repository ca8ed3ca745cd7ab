// The shapes every repository, migration and engine file uses, apart from opening (database.ts), so none imports back.
/** Rows of one statement. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. Repositories take this. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a parameterless, possibly multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
}

/** A PostgreSQL database through a node-postgres pool; pg-boss opens its own pool from the same URL. */
export interface Database extends Queryable {
  readonly connectionString: string;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
