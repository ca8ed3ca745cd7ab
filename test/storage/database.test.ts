import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { appliedVersions, loadMigrations, runMigrations } from '../../src/store/migrate.ts';
import { freshDatabaseUrl, useFreshDatabase } from '../support/databases.ts';

const logger = silentLogger();
const TABLES = [
  'admin_sessions',
  'api_call_counts',
  'api_outages',
  'api_rate_slots',
  'api_reported_usage',
  'api_urgent_calls',
  'backfill_runs',
  'cdc_lease',
  'cdc_replay',
  'config_versions',
  'contact_kept_values',
  'handoff_history',
  'hubspot_writebacks',
  'last_written',
  'lead_assignments',
  'lead_memory',
  'mql_evaluations',
  'opportunities',
  'owner_notifications',
  'parked_replays',
  'parked_work',
  'record_links',
  'rejected_webhook_events',
  'routing_members',
  'salesforce_write_intents',
  'schema_migrations',
  'sla_timers',
  'sync_state',
  'webhook_inbox',
];

describe('database', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('creates every table and records each migration once', async () => {
    const tables = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.rows.map((row) => row.name)).toEqual(TABLES);
    const shipped = (await loadMigrations()).map((m) => m.version);
    expect(await appliedVersions(db)).toEqual(shipped);
  });

  it('re-running migrations applies nothing', async () => {
    expect(await runMigrations(db, logger)).toEqual([]);
  });

  it('counts rows the same way on both engines', async () => {
    await db.query(`INSERT INTO parked_work (kind, record_key, message) VALUES ('count', 'a', 'm'), ('count', 'b', 'm')`);
    const selected = await db.query(`SELECT 1 FROM parked_work WHERE kind = 'count'`);
    const updated = await db.query(`UPDATE parked_work SET attempts = 2 WHERE kind = 'count'`);
    expect([selected.rowCount, updated.rowCount]).toEqual([2, 2]);
  });

  it('commits a transaction and returns its value', async () => {
    const value = await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO parked_work (kind, record_key, message) VALUES ('tx', 'commit', 'm')`);
      return 'done';
    });
    expect(value).toBe('done');
    const rows = await db.query(`SELECT 1 FROM parked_work WHERE kind = 'tx' AND record_key = 'commit'`);
    expect(rows.rowCount).toBe(1);
  });

  it('rolls back a failed transaction without touching a write issued meanwhile outside it', async () => {
    let outside: Promise<unknown> | undefined;
    const failing = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO parked_work (kind, record_key, message) VALUES ('tx', 'inside', 'm')`);
      // Issued while the transaction is open; on PGlite it must wait for the lock, not join the transaction.
      outside = db.query(`INSERT INTO parked_work (kind, record_key, message) VALUES ('tx', 'outside', 'm')`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('abort this transaction');
    });
    await expect(failing).rejects.toThrow('abort this transaction');
    await outside;
    const rows = await db.query<{ key: string }>(
      `SELECT record_key AS key FROM parked_work WHERE kind = 'tx' AND record_key IN ('inside', 'outside')`,
    );
    expect(rows.rows.map((row) => row.key)).toEqual(['outside']);
  });
});

describe('concurrent start', () => {
  it('applies each migration once when several starters race', async () => {
    const target = await unmigratedTarget();
    try {
      const applied = await Promise.all(target.dbs.map((db) => runMigrations(db, logger)));
      const shipped = (await loadMigrations()).map((m) => m.version);
      // Every version applied by exactly one starter, and recorded once.
      expect(applied.flat().sort((a, b) => a - b)).toEqual(shipped);
      expect(await appliedVersions(target.dbs[0]!)).toEqual(shipped);
    } finally {
      await target.cleanup();
    }
  });
});

/** Three handles, each with its own pool, on one empty database: three replicas starting together. */
async function unmigratedTarget(): Promise<{ dbs: Database[]; cleanup(): Promise<void> }> {
  const fresh = await freshDatabaseUrl();
  const dbs = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: fresh.url, logger, migrate: false })));
  return {
    dbs,
    cleanup: async () => {
      await Promise.all(dbs.map((db) => db.close()));
      await fresh.cleanup();
    },
  };
}
