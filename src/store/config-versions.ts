import type { Queryable } from './database.ts';

export type ConfigVersionStatus = 'draft' | 'active' | 'archived';

/** One stored version of the mappings files. */
export interface ConfigVersionRow {
  id: string;
  status: ConfigVersionStatus;
  /** File name → YAML text, exactly as written. */
  files: Record<string, string>;
  author: string;
  comment: string;
  basedOn: string | null;
  versions: Record<string, string> | null;
  diff: string;
  createdAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
}

/** A row without its (large) files and diff, for listings. */
export type ConfigVersionSummaryRow = Omit<ConfigVersionRow, 'files' | 'diff'>;

/** What a caller supplies for a new draft; `createdAt` defaults to the database clock. */
export type NewConfigVersion = Pick<ConfigVersionRow, 'files' | 'author' | 'comment' | 'basedOn' | 'versions' | 'diff'> & {
  createdAt?: Date;
};

/** The database itself (publishing needs its own transaction). */
export interface TransactionalDb extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export type PublishOutcome =
  | { ok: true; version: ConfigVersionRow; archivedId: string | null }
  | { ok: false; reason: 'not_found' | 'archived' };

/** Fixed key so every process serialises publishes (and seeding) on the same advisory lock. */
const CONFIG_PUBLISH_LOCK_KEY = 727_004;

const SUMMARY_COLUMNS = `id::text AS id, status, author, comment, based_on::text AS "basedOn", versions,
  created_at AS "createdAt", published_at AS "publishedAt", published_by AS "publishedBy"`;
const ALL_COLUMNS = `${SUMMARY_COLUMNS}, files, diff`;

/** bigint ids arrive as text from the API; anything else cannot name a version. */
const isId = (id: string): boolean => /^\d{1,18}$/.test(id);

export async function insertConfigVersion(db: Queryable, input: NewConfigVersion): Promise<ConfigVersionRow> {
  const result = await db.query<ConfigVersionRow>(
    `INSERT INTO config_versions (files, author, comment, based_on, versions, diff, created_at)
     VALUES ($1::jsonb, $2, $3, $4::bigint, $5::jsonb, $6, COALESCE($7::timestamptz, now()))
     RETURNING ${ALL_COLUMNS}`,
    [
      JSON.stringify(input.files),
      input.author,
      input.comment,
      input.basedOn,
      input.versions === null ? null : JSON.stringify(input.versions),
      input.diff,
      input.createdAt?.toISOString() ?? null,
    ],
  );
  const row = result.rows[0];
  if (!row) throw new Error('insertConfigVersion returned no row');
  return row;
}

export async function getConfigVersion(db: Queryable, id: string): Promise<ConfigVersionRow | undefined> {
  if (!isId(id)) return undefined;
  const result = await db.query<ConfigVersionRow>(`SELECT ${ALL_COLUMNS} FROM config_versions WHERE id = $1::bigint`, [id]);
  return result.rows[0];
}

/** Newest first. */
export async function listConfigVersions(db: Queryable, options: { limit?: number } = {}): Promise<ConfigVersionSummaryRow[]> {
  const result = await db.query<ConfigVersionSummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM config_versions ORDER BY id DESC LIMIT $1`, [
    options.limit ?? 500,
  ]);
  return result.rows;
}

export async function activeConfigVersion(db: Queryable): Promise<ConfigVersionRow | undefined> {
  const result = await db.query<ConfigVersionRow>(`SELECT ${ALL_COLUMNS} FROM config_versions WHERE status = 'active'`);
  return result.rows[0];
}

/** The cheap question every replica asks on each refresh: which version is active now? */
export async function activeConfigVersionId(db: Queryable): Promise<string | undefined> {
  const result = await db.query<{ id: string }>(`SELECT id::text AS id FROM config_versions WHERE status = 'active'`);
  return result.rows[0]?.id;
}

/**
 * Archives the active version and activates `id`, in one transaction. The advisory lock makes two
 * admins publishing at once take turns (the later one wins); the partial unique index is the backstop.
 * Publishing the active version again changes nothing; an archived one must be rolled back to instead.
 */
export async function publishConfigVersion(
  db: TransactionalDb,
  id: string,
  input: { publishedBy: string; at?: Date },
): Promise<PublishOutcome> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CONFIG_PUBLISH_LOCK_KEY]);
    const target = await getConfigVersion(tx, id);
    if (!target) return { ok: false, reason: 'not_found' };
    if (target.status === 'active') return { ok: true, version: target, archivedId: null };
    if (target.status === 'archived') return { ok: false, reason: 'archived' };
    const archived = await tx.query<{ id: string }>(
      `UPDATE config_versions SET status = 'archived' WHERE status = 'active' RETURNING id::text AS id`,
    );
    const result = await tx.query<ConfigVersionRow>(
      `UPDATE config_versions SET status = 'active', published_at = COALESCE($2::timestamptz, now()), published_by = $3
       WHERE id = $1::bigint RETURNING ${ALL_COLUMNS}`,
      [id, input.at?.toISOString() ?? null, input.publishedBy],
    );
    const version = result.rows[0];
    if (!version) throw new Error(`publishConfigVersion: version ${id} vanished`);
    return { ok: true, version, archivedId: archived.rows[0]?.id ?? null };
  });
}

/**
 * Stores and activates the first version unless one is already active. Replicas starting together
 * serialise on the publish lock and re-check inside it, so exactly one of them seeds.
 */
export async function seedActiveConfigVersion(
  db: TransactionalDb,
  input: NewConfigVersion,
): Promise<{ version: ConfigVersionRow; seeded: boolean }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CONFIG_PUBLISH_LOCK_KEY]);
    const existing = await activeConfigVersion(tx);
    if (existing) return { version: existing, seeded: false };
    const inserted = await insertConfigVersion(tx, input);
    const result = await tx.query<ConfigVersionRow>(
      `UPDATE config_versions SET status = 'active', published_at = created_at, published_by = $2
       WHERE id = $1::bigint RETURNING ${ALL_COLUMNS}`,
      [inserted.id, input.author],
    );
    const version = result.rows[0];
    if (!version) throw new Error('seedActiveConfigVersion: inserted version vanished');
    return { version, seeded: true };
  });
}

/**
 * One stored version's files for each recorded version of `fileName` asked for (`versions` column, e.g.
 * `2025.1@abc1234`): the stamp carries the file's hash, so any version holding it holds the same text.
 */
export async function filesByRecordedVersion(
  db: Queryable,
  fileName: string,
  recorded: string[],
): Promise<{ recorded: string; files: Record<string, string> }[]> {
  if (recorded.length === 0) return [];
  const result = await db.query<{ recorded: string; files: Record<string, string> }>(
    `SELECT DISTINCT ON (versions->>$1) versions->>$1 AS recorded, files FROM config_versions
     WHERE versions->>$1 = ANY($2::text[]) ORDER BY versions->>$1, id DESC`,
    [fileName, recorded],
  );
  return result.rows;
}
