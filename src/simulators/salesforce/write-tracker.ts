import type { NextFunction, Request, Response } from 'express';
import { kindOf } from './call-kind.ts';
import type { Store } from './store.ts';
import type { Row } from './validate.ts';

/** Two write requests that were in flight at the same time for the same record. */
export interface WriteOverlap {
  /** `Object/Id` of an existing record, or `Object/ExternalField=value` for one not created yet. */
  record: string;
  at: string;
}

/**
 * Watches write requests for the same record in flight at once. One client that processes each record
 * at a time never sends two; two workers racing on one record do, as soon as their requests overlap in
 * time (give the simulator some latency to widen the window). Salesforce itself would answer such a
 * race with UNABLE_TO_LOCK_ROW or a duplicate; here it is counted so a test can assert it never happens.
 */
export class WriteTracker {
  private inFlight = new Map<string, number>();
  private requests = 0;
  readonly overlaps: WriteOverlap[] = [];

  /** Write requests that have not been answered yet. */
  get writesInFlight(): number {
    return this.requests;
  }

  begin(records: string[]): () => void {
    this.requests += 1;
    for (const record of records) {
      const count = this.inFlight.get(record) ?? 0;
      if (count > 0) this.overlaps.push({ record, at: new Date().toISOString() });
      this.inFlight.set(record, count + 1);
    }
    return () => {
      this.requests -= 1;
      for (const record of records) {
        const count = (this.inFlight.get(record) ?? 1) - 1;
        if (count > 0) this.inFlight.set(record, count);
        else this.inFlight.delete(record);
      }
    };
  }

  clearOverlaps(): void {
    this.overlaps.length = 0;
  }
}

/** Runs after the body is parsed and before latency, so a request counts as in flight for its whole duration. */
export function trackWrites(context: { writes: WriteTracker; store: Store }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const kind = kindOf(req.method, req.path);
    if (kind !== 'create' && kind !== 'update' && kind !== 'upsert') {
      next();
      return;
    }
    const done = context.writes.begin(recordsWritten(context.store, req.path, req.body));
    res.once('close', done);
    next();
  };
}

/** The records a write request names (deduplicated: one request writing a record twice is not an overlap). */
function recordsWritten(store: Store, path: string, body: unknown): string[] {
  const [, ...rest] = path.split('/').filter(Boolean);
  const records = Array.isArray((body as { records?: unknown } | undefined)?.records)
    ? (body as { records: Row[] }).records
    : [body as Row];
  const keys: string[] = [];
  try {
    if (rest[0] === 'composite' && rest[1] === 'sobjects') {
      const [, , object, field] = rest;
      for (const record of records) {
        const type = object ?? typeOf(record);
        if (!type) continue;
        if (field) keys.push(byExternalId(store, type, field, record?.[field]));
        else keys.push(...recordKeys(store, type, record));
      }
    } else if (rest[0] === 'sobjects' && rest[1]) {
      const [, object, idOrField, value] = rest;
      if (value !== undefined && idOrField) keys.push(byExternalId(store, object!, idOrField, decodeURIComponent(value)));
      else keys.push(...recordKeys(store, object!, { ...(body as Row), ...(idOrField ? { Id: idOrField } : {}) }));
    }
  } catch {
    // An unknown object or a malformed body: the route answers it; nothing is written.
  }
  return [...new Set(keys.filter((key) => key !== ''))];
}

function typeOf(record: Row | undefined): string | undefined {
  const type = (record?.attributes as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** An existing record by Id, else any external id the record carries. */
function recordKeys(store: Store, objectName: string, record: Row | undefined): string[] {
  if (!record) return [];
  const object = store.object(objectName);
  if (typeof record.Id === 'string' && record.Id !== '')
    return [`${object.name}/${String(store.get(object.name, record.Id)?.Id ?? record.Id)}`];
  return object.fields
    .filter((field) => field.externalId && record[field.name] !== undefined && record[field.name] !== null)
    .map((field) => byExternalId(store, object.name, field.name, record[field.name]));
}

function byExternalId(store: Store, objectName: string, fieldName: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const object = store.object(objectName);
  const field = object.fields.find((f) => f.name.toLowerCase() === fieldName.toLowerCase())?.name ?? fieldName;
  const existing = [...store.table(object.name).values()].find((row) => String(row[field]) === String(value));
  return existing ? `${object.name}/${String(existing.Id)}` : `${object.name}/${field}=${String(value)}`;
}
