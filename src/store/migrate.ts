import { readdir, readFile } from 'node:fs/promises';
import type { Logger } from '../log.ts';
import type { Database, Queryable } from './database-types.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Files named `NNN_description.sql`; the number is the version and fixes the order. */
const MIGRATION_FILE = /^(\d+)_([a-z0-9_]+)\.sql$/;
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
/** Arbitrary but fixed key so every Handoff process serialises on the same advisory lock. */
const MIGRATION_LOCK_KEY = 727_001;

/** Reads the migration files shipped beside this module, in version order. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = await readdir(dir);
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) continue;
    const [, version, name] = match as unknown as [string, string, string];
    migrations.push({ version: Number(version), name, sql: await readFile(new URL(file, dir), 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  const versions = migrations.map((m) => m.version);
  if (new Set(versions).size !== versions.length) throw new Error(`duplicate migration versions: ${versions.join(',')}`);
  return migrations;
}

/**
 * Applies each pending migration in its own transaction. The transaction first takes an advisory
 * lock and re-reads what is applied, so two processes starting together apply each version once.
 * Returns the versions this call applied.
 */
export async function runMigrations(db: Database, logger: Logger, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  const applied: number[] = [];
  for (const migration of all) {
    const didApply = await db.transaction((tx) => applyIfPending(tx, migration));
    if (didApply) {
      applied.push(migration.version);
      logger.info('migration applied', { version: migration.version, name: migration.name });
    }
  }
  return applied;
}

async function applyIfPending(tx: Queryable, migration: Migration): Promise<boolean> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
  if (done.rowCount > 0) return false;
  await tx.exec(migration.sql);
  await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
  return true;
}

/** Versions recorded as applied, ascending. */
export async function appliedVersions(db: Queryable): Promise<number[]> {
  const result = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return result.rows.map((row) => row.version);
}
