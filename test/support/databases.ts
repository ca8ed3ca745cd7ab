import { afterAll, beforeAll } from '@jest/globals';
import { type Logger, silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { freshDatabaseUrl } from './engines.ts';

// The jest-free part lives in engines.ts, so harnesses run outside jest can use it too.
export { freshDatabaseUrl, freshDataDir, pinnedNode } from './engines.ts';

export interface FreshDatabase {
  db: Database;
  databaseUrl: string;
  cleanup(): Promise<void>;
}

/** A new, empty, migrated database on the test server that no other suite can see. */
export async function freshDatabase(logger: Logger = silentLogger()): Promise<FreshDatabase> {
  const fresh = await freshDatabaseUrl();
  const db = await openDatabase({ databaseUrl: fresh.url, logger }).catch(async (error: unknown) => {
    await fresh.cleanup();
    throw error;
  });
  return {
    db,
    databaseUrl: fresh.url,
    async cleanup() {
      await db.close();
      await fresh.cleanup();
    },
  };
}

/** Gives the enclosing describe block a fresh, migrated database, handed to `receive` before its tests run. */
export function useFreshDatabase(receive: (db: Database) => void): void {
  let fresh: FreshDatabase | undefined;
  beforeAll(async () => {
    fresh = await freshDatabase();
    receive(fresh.db);
  });
  afterAll(async () => fresh?.cleanup());
}
