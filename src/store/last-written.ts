import type { Queryable } from './database.ts';

export type Side = 'hubspot' | 'salesforce';

/** Property values as written; HubSpot and webhook values are strings, null clears a field. */
export type WrittenValues = Record<string, string | null>;

export interface LastWritten {
  recordId: string;
  /** Every property we have written to the record, latest value each. */
  values: WrittenValues;
  /** md5 of the canonical jsonb text of `values` (jsonb sorts keys), so equal sets hash equally. */
  hash: string;
  writtenAt: Date;
}

/**
 * Remembers values we wrote. Merges into what was written before, because echo webhooks arrive
 * one property at a time and may trail a later write of other properties.
 */
export async function recordWritten(db: Queryable, side: Side, recordId: string, values: WrittenValues): Promise<LastWritten> {
  const result = await db.query<LastWritten>(
    `INSERT INTO last_written (side, record_id, "values", hash)
     VALUES ($1, $2, $3::jsonb, md5($3::jsonb::text))
     ON CONFLICT (side, record_id) DO UPDATE
       SET "values" = last_written."values" || EXCLUDED."values",
           hash = md5((last_written."values" || EXCLUDED."values")::text),
           written_at = now()
     RETURNING record_id AS "recordId", "values", hash, written_at AS "writtenAt"`,
    [side, recordId, JSON.stringify(values)],
  );
  const row = result.rows[0];
  if (!row) throw new Error('recordWritten returned no row');
  return row;
}

/**
 * recordWritten for many records in one statement. Writes to the same record are merged in order first
 * (one statement cannot update a row twice), which is what recording them one by one would leave.
 */
export async function recordWrittenMany(db: Queryable, side: Side, writes: { recordId: string; values: WrittenValues }[]): Promise<void> {
  if (writes.length === 0) return;
  const merged = new Map<string, WrittenValues>();
  for (const write of writes) merged.set(write.recordId, { ...merged.get(write.recordId), ...write.values });
  const rows = [...merged].map(([recordId, values]) => ({ record_id: recordId, values }));
  await db.query(
    `INSERT INTO last_written (side, record_id, "values", hash)
     SELECT $1, record_id, "values", md5("values"::text)
     FROM jsonb_to_recordset($2::jsonb) AS e(record_id text, "values" jsonb)
     ON CONFLICT (side, record_id) DO UPDATE
       SET "values" = last_written."values" || EXCLUDED."values",
           hash = md5((last_written."values" || EXCLUDED."values")::text),
           written_at = now()`,
    [side, JSON.stringify(rows)],
  );
}

/** What we last wrote to these records, keyed by record id. */
export async function lastWritten(db: Queryable, side: Side, recordIds: string[]): Promise<Map<string, LastWritten>> {
  if (recordIds.length === 0) return new Map();
  const result = await db.query<LastWritten>(
    `SELECT record_id AS "recordId", "values", hash, written_at AS "writtenAt"
     FROM last_written WHERE side = $1 AND record_id = ANY($2::text[])`,
    [side, recordIds],
  );
  return new Map(result.rows.map((row) => [row.recordId, row]));
}

/** True when `value` is exactly what we last wrote to this property, i.e. the change is our own echo. */
export async function isEcho(db: Queryable, side: Side, recordId: string, property: string, value: string | null): Promise<boolean> {
  const result = await db.query<{ echo: boolean }>(
    `SELECT coalesce("values" -> $3 = coalesce(to_jsonb($4::text), 'null'::jsonb), false) AS echo
     FROM last_written WHERE side = $1 AND record_id = $2`,
    [side, recordId, property, value],
  );
  return result.rows[0]?.echo ?? false;
}

/**
 * The same test as isEcho against values already read with lastWritten (one query for a whole batch):
 * the property was written by us and the value is exactly the one we wrote (null for a cleared value).
 */
export function matchesWritten(written: LastWritten | undefined, property: string, value: string | null): boolean {
  return written !== undefined && Object.hasOwn(written.values, property) && written.values[property] === value;
}
