import { notFound, type RecordError, SimApiError } from './api-error.ts';
import { type AssignmentDirective, AssignmentRules } from './assignment-rules.ts';
import { ChangeFeed, type RecordChange, type SavedChange } from './change-feed.ts';
import { createIdFactory, sfDateTime } from './ids.ts';
import { withOpportunityDerived } from './opportunity-stages.ts';
import { ownerError } from './owner-check.ts';
import { findField, findObject, type ObjectDef, TASK_CLOSED_STATUSES } from './schema.ts';
import { INTEGRATION_USER_ID } from './users.ts';
import { normalizeFields, type Row, recordErrors } from './validate.ts';

export interface SaveOutcome {
  id?: string;
  success: boolean;
  errors: RecordError[];
  created?: boolean;
}

/** One API save of a record, as the simulator saw it: the values sent, in the order saves happened. */
export interface WriteLogEntry {
  operation: 'create' | 'update';
  /** The record's SystemModstamp after this save. */
  at: string;
  values: Row;
}

export type { RecordChange } from './change-feed.ts';

/** What allOrNone rolls back to: the rows, how long each record's write log was, and the changes not yet committed. */
export interface StoreSnapshot {
  rows: Map<string, Map<string, Row>>;
  logLengths: Map<string, number>;
  changeMark: number;
}

/**
 * Fields Salesforce computes on save: Task.IsClosed follows whether its Status is a closed one; an Opportunity's
 * IsClosed, IsWon and forecast category follow its stage (opportunity-stages.ts). `before` is the row until this save.
 */
function withDerived(object: ObjectDef, row: Row, before?: Row): Row {
  if (object.name === 'Opportunity') return withOpportunityDerived(row, before);
  if (object.name !== 'Task') return row;
  return { ...row, IsClosed: TASK_CLOSED_STATUSES.includes(String(row.Status)) };
}

/** The simulated org's data: rows per object, plus the DML rules the REST endpoints share. */
export class Store {
  readonly schema: Map<string, ObjectDef>;
  private rows = new Map<string, Map<string, Row>>();
  private nextId = createIdFactory();
  private readonly now: () => number;
  private lastStamp = 0;
  private sharedStamp: string | undefined;
  /** API saves (create, update, upsert) per record, keyed `Object/Id`; a rep's UI edits are not in it. */
  private writeLog = new Map<string, WriteLogEntry[]>();
  /** The org's lead assignment rules, run by API saves as the request's Assignment Rule header says. */
  readonly assignment: AssignmentRules;
  /** Setup rows (users, queues, seeded accounts, …) a reset brings back as they were. */
  private seeds: Array<{ object: string; row: Row }> = [];
  /** Tells of committed inserts and writes (the Pub/Sub simulator publishes change events from them). */
  private readonly changes = new ChangeFeed();

  constructor(schema: Map<string, ObjectDef>, now: () => number = Date.now, assignment: AssignmentRules = new AssignmentRules()) {
    this.schema = schema;
    this.now = now;
    this.assignment = assignment;
    for (const object of schema.values()) this.rows.set(object.name, new Map());
  }

  /** Calls `listener` for every insert and write once it has committed; returns the call that stops it. */
  onChange(listener: (change: RecordChange) => void): () => void {
    return this.changes.onChange(listener);
  }

  /** Runs one API request's saves as one commit through `origin` (a changeOrigin); see ChangeFeed.commit. */
  commit<T>(origin: string, run: () => T): T {
    return this.changes.commit(origin, run);
  }

  private changed(change: SavedChange): void {
    this.changes.saved(change);
  }

  /** The org's clock (epoch ms). */
  nowMs(): number {
    return this.now();
  }

  object(name: string): ObjectDef {
    const object = findObject(this.schema, name);
    if (!object) throw new SimApiError(404, 'NOT_FOUND', `The requested resource does not exist`);
    return object;
  }

  table(name: string): Map<string, Row> {
    return this.rows.get(this.object(name).name) ?? new Map();
  }

  all(name: string): Row[] {
    return [...this.table(name).values()].map((row) => ({ ...row }));
  }

  get(name: string, id: string): Row | undefined {
    const row = this.table(name).get(id) ?? this.findByShortId(name, id);
    return row ? { ...row } : undefined;
  }

  /** Ids are accepted in 15- or 18-char form. */
  private findByShortId(name: string, id: string): Row | undefined {
    if (id.length !== 15) return undefined;
    return [...this.table(name).values()].find((row) => String(row.Id).startsWith(id));
  }

  /** Strictly increasing timestamps so SystemModstamp polling never sees two writes as one instant out of order. */
  private stamp(): string {
    if (this.sharedStamp) return this.sharedStamp;
    this.lastStamp = Math.max(this.now(), this.lastStamp + 1);
    return sfDateTime(this.lastStamp);
  }

  /** Every save inside `run` gets one SystemModstamp, as the records of one Salesforce transaction do. */
  transaction<T>(run: () => T): T {
    if (this.sharedStamp) return run();
    this.sharedStamp = this.stamp();
    try {
      return run();
    } finally {
      this.sharedStamp = undefined;
    }
  }

  reset(): void {
    for (const table of this.rows.values()) table.clear();
    this.writeLog.clear();
    this.assignment.reset();
    for (const { object, row } of this.seeds) this.table(object).set(String(row.Id), { ...row });
  }

  /** Adds setup rows as they are (ids included), stamped as created by the integration user; they survive reset(). */
  seed(rows: Map<string, Row[]>): void {
    const stamp = sfDateTime(this.now());
    for (const [name, list] of rows) {
      const object = this.object(name);
      const names = new Set(object.fields.map((field) => field.name));
      const system: Row = {
        CreatedById: INTEGRATION_USER_ID,
        CreatedDate: stamp,
        LastModifiedById: INTEGRATION_USER_ID,
        LastModifiedDate: stamp,
        SystemModstamp: stamp,
      };
      const audit = Object.fromEntries(Object.entries(system).filter(([key]) => names.has(key)));
      for (const values of list) {
        const row = withDerived(object, { ...audit, ...values });
        this.seeds.push({ object: object.name, row });
        this.table(object.name).set(String(row.Id), { ...row });
      }
    }
  }

  /** The OwnerId check of an API save; objects queues may own (Lead) take a queue that supports them. */
  private ownerProblem(object: ObjectDef, values: Row): RecordError | undefined {
    const owner = findField(object, 'OwnerId');
    if (!owner || !('OwnerId' in values)) return undefined;
    return ownerError(
      { name: object.name, ownerTypes: owner.referenceTo ?? ['User'] },
      values.OwnerId,
      (name, id) => this.get(name, id),
      (name) => this.all(name),
    );
  }

  snapshot(): StoreSnapshot {
    return {
      rows: new Map([...this.rows].map(([name, table]) => [name, new Map([...table].map(([id, row]) => [id, { ...row }]))])),
      logLengths: new Map([...this.writeLog].map(([key, entries]) => [key, entries.length])),
      changeMark: this.changes.mark(),
    };
  }

  restore(snapshot: StoreSnapshot): void {
    this.rows = snapshot.rows;
    this.changes.rollBackTo(snapshot.changeMark);
    for (const [key, entries] of this.writeLog) {
      const length = snapshot.logLengths.get(key) ?? 0;
      if (length === 0) this.writeLog.delete(key);
      else entries.length = length;
    }
  }

  /** Every API save of one record, oldest first (accepts 15- or 18-char ids). */
  writesOf(objectName: string, id: string): WriteLogEntry[] {
    const object = this.object(objectName);
    const fullId = String(this.get(object.name, id)?.Id ?? id);
    return (this.writeLog.get(`${object.name}/${fullId}`) ?? []).map((entry) => ({ ...entry, values: { ...entry.values } }));
  }

  private logWrite(object: ObjectDef, id: string, operation: WriteLogEntry['operation'], values: Row): void {
    const key = `${object.name}/${id}`;
    const at = String(this.table(object.name).get(id)?.SystemModstamp ?? '');
    const entries = this.writeLog.get(key) ?? [];
    entries.push({ operation, at, values: { ...values } });
    this.writeLog.set(key, entries);
  }

  /** Whole-request checks (unknown field, bad JSON types) throw; per-record problems come back as the outcome. */
  normalize(objectName: string, input: Row): Row {
    return normalizeFields(this.object(objectName), input);
  }

  /** The owner an assignment rule gives a Lead saved by the API, if one runs; other objects have none here. */
  private assignedOwner(object: ObjectDef, directive: AssignmentDirective, operation: 'create' | 'update'): Row {
    if (object.name !== 'Lead') return {};
    const owner = this.assignment.ownerFor(directive, operation);
    return owner ? { OwnerId: owner } : {};
  }

  /** An API create; `directive` is the request's Assignment Rule header (absent means the active rule). */
  create(objectName: string, values: Row, directive: AssignmentDirective): SaveOutcome {
    const object = this.object(objectName);
    if ('Id' in values) return fail('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
    const errors = recordErrors(object, values, 'create');
    if (errors.length > 0) return { success: false, errors };
    const owner = this.ownerProblem(object, values);
    if (owner) return { success: false, errors: [owner] };
    const defaults = Object.fromEntries(
      object.fields.filter((f) => f.defaultValue !== undefined && values[f.name] === undefined).map((f) => [f.name, f.defaultValue]),
    );
    const duplicate = this.uniqueViolation(object, values);
    if (duplicate) return { success: false, errors: [duplicate] };
    const outcome = this.insert(object, { ...defaults, ...values, ...this.assignedOwner(object, directive, 'create') });
    if (outcome.id) this.logWrite(object, outcome.id, 'create', values);
    return outcome;
  }

  /** Writes without access checks: how a rep's UI edit or a conversion lands. The running user owns what it creates. */
  insert(object: ObjectDef, values: Row, userId: string = INTEGRATION_USER_ID): SaveOutcome {
    const id = this.nextId(object.keyPrefix);
    const stamp = this.stamp();
    const row: Row = {
      OwnerId: userId,
      ...values,
      Id: id,
      CreatedById: userId,
      CreatedDate: stamp,
      LastModifiedById: userId,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    };
    if (object.name === 'Lead') row.IsConverted ??= false;
    const saved = withDerived(object, row);
    this.table(object.name).set(id, saved);
    this.changed({ object: object.name, changeType: 'CREATE', after: { ...saved }, userId });
    return { id, success: true, errors: [] };
  }

  /** An API update; `directive` as for create (a rule id runs on creates only). */
  update(objectName: string, id: string, values: Row, directive: AssignmentDirective): SaveOutcome {
    const object = this.object(objectName);
    const existing = this.table(object.name).get(id);
    if (!existing) return fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
    if (existing.IsConverted === true) return fail('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
    const errors = recordErrors(object, values, 'update', existing);
    if (errors.length > 0) return { id, success: false, errors };
    const owner = this.ownerProblem(object, values);
    if (owner) return { id, success: false, errors: [owner] };
    const duplicate = this.uniqueViolation(object, values, id);
    if (duplicate) return { id, success: false, errors: [duplicate] };
    this.write(object, id, { ...values, ...this.assignedOwner(object, directive, 'update') });
    this.logWrite(object, id, 'update', values);
    return { id, success: true, errors: [] };
  }

  write(object: ObjectDef, id: string, values: Row, userId: string = INTEGRATION_USER_ID): void {
    const table = this.table(object.name);
    const existing = table.get(id);
    if (!existing) throw notFound();
    const stamp = this.stamp();
    const saved = withDerived(
      object,
      { ...existing, ...values, LastModifiedById: userId, LastModifiedDate: stamp, SystemModstamp: stamp },
      existing,
    );
    table.set(id, saved);
    this.changed({ object: object.name, changeType: 'UPDATE', before: { ...existing }, after: { ...saved }, userId });
  }

  /** Upsert by external id: one match updates, none creates, several is an error (as in Salesforce). */
  upsert(objectName: string, externalField: string, values: Row, directive: AssignmentDirective): SaveOutcome {
    const object = this.object(objectName);
    const field = findField(object, externalField);
    if (!field || !(field.externalId || field.name === 'Id')) {
      throw new SimApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${externalField}`);
    }
    const key = values[field.name];
    if (key === undefined || key === null || key === '') {
      return fail('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
    }
    const matches = [...this.table(object.name).values()].filter((row) => row[field.name] === key);
    if (matches.length > 1) {
      return fail(
        'DUPLICATE_EXTERNAL_ID',
        `${field.name}: more than one record found for external id field: ${matches.map((m) => m.Id).join(', ')}`,
        [field.name],
      );
    }
    const match = matches[0];
    if (!match) return { ...this.create(object.name, values, directive), created: true };
    const { [field.name]: _key, ...rest } = values;
    return { ...this.update(object.name, String(match.Id), rest, directive), created: false };
  }

  private uniqueViolation(object: ObjectDef, values: Row, selfId?: string): RecordError | undefined {
    for (const field of object.fields.filter((f) => f.unique)) {
      const value = values[field.name];
      if (value === undefined || value === null) continue;
      const other = [...this.table(object.name).values()].find((row) => row[field.name] === value && row.Id !== selfId);
      if (other) {
        return {
          statusCode: 'DUPLICATE_VALUE',
          message: `duplicate value found: ${field.name} duplicates value on record with id: ${String(other.Id)}`,
          fields: [field.name],
        };
      }
    }
    return undefined;
  }
}

function fail(statusCode: string, message: string, fields: string[]): SaveOutcome {
  return { success: false, errors: [{ statusCode, message, fields }] };
}
