import { afterAll, beforeAll } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { silentLogger, type Logger } from '../../src/log.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { freshDataDir, freshDatabaseUrl, type Engine } from './engines.ts';

// The jest-free part lives in engines.ts, so harnesses run outside jest can use it too.
export { engines, freshDataDir, freshDatabaseUrl, pinnedNode, type Engine } from './engines.ts';

export interface FreshDatabase {
  db: Database;
  databaseUrl?: string;
  dataDir?: string;
  cleanup(): Promise<void>;
}

/** A new, empty, migrated database of the given kind that no other suite can see. */
export async function freshDatabase(kind: Engine, logger: Logger = silentLogger()): Promise<FreshDatabase> {
  if (kind === 'pglite') {
    const dataDir = await freshDataDir();
    const db = await openDatabase({ dataDir, logger });
    return {
      db,
      dataDir,
      async cleanup() {
        await db.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const fresh = await freshDatabaseUrl();
  const db = await openDatabase({ databaseUrl: fresh.url, dataDir: '', logger }).catch(async (error: unknown) => {
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
export function useFreshDatabase(engine: Engine, receive: (db: Database) => void): void {
  let fresh: FreshDatabase | undefined;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    receive(fresh.db);
  });
  afterAll(async () => fresh?.cleanup());
}
