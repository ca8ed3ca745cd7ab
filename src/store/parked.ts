import type { Provider } from '../errors.ts';
import type { Queryable } from './database.ts';

export interface ParkInput {
  /** The job or step that failed, e.g. 'handoff' or 'status_sync'. */
  kind: string;
  /** What it was working on, e.g. a HubSpot contact id. */
  recordKey: string;
  provider?: Provider | null;
  message: string;
  context?: Record<string, unknown>;
}

export interface ParkedWork {
  id: string;
  kind: string;
  recordKey: string;
  provider: Provider | null;
  message: string;
  context: Record<string, unknown>;
  parkedAt: Date;
  resolvedAt: Date | null;
  attempts: number;
}

const PARKED_COLUMNS = `id::text AS id, kind, record_key AS "recordKey", provider, message, context,
  parked_at AS "parkedAt", resolved_at AS "resolvedAt", attempts`;

/**
 * Parks failed work for a person. Parking the same open work again updates the message and
 * counts an attempt instead of adding a second entry.
 */
export async function park(db: Queryable, input: ParkInput): Promise<ParkedWork> {
  const result = await db.query<ParkedWork>(
    `INSERT INTO parked_work (kind, record_key, provider, message, context)
     VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (kind, record_key) WHERE resolved_at IS NULL DO UPDATE
       SET provider = EXCLUDED.provider, message = EXCLUDED.message, context = EXCLUDED.context,
           attempts = parked_work.attempts + 1
     RETURNING ${PARKED_COLUMNS}`,
    [input.kind, input.recordKey, input.provider ?? null, input.message, JSON.stringify(input.context ?? {})],
  );
  const row = result.rows[0];
  if (!row) throw new Error('park returned no row');
  return row;
}

/** Parked work, newest first; `open: true` leaves out resolved entries. */
export async function listParked(db: Queryable, options: { open?: boolean; limit?: number } = {}): Promise<ParkedWork[]> {
  const result = await db.query<ParkedWork>(
    `SELECT ${PARKED_COLUMNS} FROM parked_work
     WHERE ($1::boolean IS NOT TRUE OR resolved_at IS NULL)
     ORDER BY parked_at DESC, id DESC LIMIT $2`,
    [options.open ?? false, options.limit ?? 500],
  );
  return result.rows;
}

/** Marks an entry resolved. False when it does not exist or was already resolved. */
export async function resolveParked(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query('UPDATE parked_work SET resolved_at = now() WHERE id = $1::bigint AND resolved_at IS NULL', [
    id,
  ]);
  return result.rowCount > 0;
}
