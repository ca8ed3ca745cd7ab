import express, { type Request, type Response } from 'express';
import { notFound, SimApiError } from './api-error.ts';
import { ASSIGNMENT_HEADER, readAssignmentHeader } from './assignment-rules.ts';
import { committing } from './change-origin.ts';
import type { SimContext } from './context.ts';
import { findField } from './schema.ts';
import type { SaveOutcome } from './store.ts';
import type { Row } from './validate.ts';

/** Single-record endpoints answer a failed save with 400 and [{ message, errorCode, fields }]. */
function failOn(outcome: SaveOutcome): void {
  const first = outcome.errors[0];
  if (!outcome.success && first) throw new SimApiError(400, first.statusCode, first.message, first.fields);
}

function body(req: Request): Row {
  const value: unknown = req.body;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SimApiError(400, 'JSON_PARSER_ERROR', 'The request body is not a JSON object');
  }
  return value as Row;
}

function postRecord(context: SimContext) {
  return (req: Request, res: Response): void => {
    const object = String(req.params.object);
    const outcome = context.store.create(
      object,
      context.store.normalize(object, body(req)),
      readAssignmentHeader(req.get(ASSIGNMENT_HEADER)),
    );
    failOn(outcome);
    res.status(201).json({ id: outcome.id, success: true, errors: [] });
  };
}

function getRecord(context: SimContext) {
  return (req: Request, res: Response): void => {
    const object = context.store.object(String(req.params.object));
    const row = context.store.get(object.name, String(req.params.id));
    if (!row) throw notFound();
    const wanted = typeof req.query.fields === 'string' ? req.query.fields.split(',').map((f) => f.trim()) : undefined;
    const fields = wanted ? wanted.map((name) => findField(object, name)?.name ?? name) : object.fields.map((f) => f.name);
    const out: Row = {
      attributes: { type: object.name, url: `/services/data/v${context.settings.apiVersion}/sobjects/${object.name}/${String(row.Id)}` },
    };
    for (const name of fields) out[name] = row[name] ?? null;
    res.json(out);
  };
}

function patchRecord(context: SimContext) {
  return (req: Request, res: Response): void => {
    const object = String(req.params.object);
    const id = String(req.params.id);
    if (!context.store.get(object, id)) throw notFound();
    failOn(context.store.update(object, id, context.store.normalize(object, body(req)), readAssignmentHeader(req.get(ASSIGNMENT_HEADER))));
    res.status(204).end();
  };
}

/** Upsert by external id: 201 when it created, 200 when it updated, both with { id, success, errors, created }. */
function upsertRecord(context: SimContext) {
  return (req: Request, res: Response): void => {
    const object = String(req.params.object);
    const field = String(req.params.field);
    const values = { ...context.store.normalize(object, body(req)), ...context.store.normalize(object, { [field]: req.params.value }) };
    const outcome = context.store.upsert(object, field, values, readAssignmentHeader(req.get(ASSIGNMENT_HEADER)));
    failOn(outcome);
    res.status(outcome.created ? 201 : 200).json({ id: outcome.id, success: true, errors: [], created: outcome.created });
  };
}

export function sobjectsRouter(context: SimContext): express.Router {
  const router = express.Router({ mergeParams: true });
  router.post('/sobjects/:object', committing(context, postRecord(context)));
  router.get('/sobjects/:object/:id', getRecord(context));
  router.patch('/sobjects/:object/:id', committing(context, patchRecord(context)));
  router.patch('/sobjects/:object/:field/:value', committing(context, upsertRecord(context)));
  return router;
}
