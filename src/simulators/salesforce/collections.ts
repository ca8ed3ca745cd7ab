import express, { type Request, type Response } from 'express';
import { SimApiError } from './api-error.ts';
import { ASSIGNMENT_HEADER, type AssignmentDirective, readAssignmentHeader } from './assignment-rules.ts';
import { committing } from './change-origin.ts';
import type { SimContext } from './context.ts';
import type { SaveOutcome } from './store.ts';
import type { Row } from './validate.ts';

/** sObject Collections accept at most 200 records per request (Salesforce REST API rule). */
const COLLECTION_LIMIT = 200;

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[],
};

interface CollectionBody {
  allOrNone: boolean;
  records: Row[];
}

function readBody(body: unknown): CollectionBody {
  const value = body as { allOrNone?: unknown; records?: unknown } | undefined;
  if (!value || !Array.isArray(value.records)) {
    throw new SimApiError(400, 'JSON_PARSER_ERROR', 'The request body must be { allOrNone, records: [...] }');
  }
  if (value.records.length > COLLECTION_LIMIT) {
    throw new SimApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
    );
  }
  return { allOrNone: value.allOrNone === true, records: value.records as Row[] };
}

function typeOf(record: Row, fallback?: string): string | undefined {
  const attributes = record.attributes as { type?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : fallback;
}

/**
 * Applies each record in order. Whole-request problems (unknown field, undeserialisable value) are
 * checked for every record first and fail the call; with allOrNone one failure rolls every record back.
 */
function apply(
  context: SimContext,
  body: CollectionBody,
  fallbackType: string | undefined,
  save: (type: string, values: Row) => SaveOutcome,
): SaveOutcome[] {
  const prepared = body.records.map((record) => {
    const type = typeOf(record, fallbackType);
    return type ? { type, values: context.store.normalize(type, record) } : undefined;
  });
  const snapshot = body.allOrNone ? context.store.snapshot() : undefined;
  const saveAll = (): SaveOutcome[] =>
    prepared.map(
      (item): SaveOutcome =>
        item
          ? save(item.type, item.values)
          : { success: false, errors: [{ statusCode: 'INVALID_TYPE', message: 'Must send a concrete entity type.', fields: [] }] },
    );
  const outcomes = context.settings.stampPerRequest ? context.store.transaction(saveAll) : saveAll();
  if (snapshot && outcomes.some((o) => !o.success)) {
    context.store.restore(snapshot);
    return outcomes.map((o) => (o.success ? { success: false, errors: [ROLLED_BACK] } : { success: false, errors: o.errors }));
  }
  return outcomes;
}

/** Collections results always carry id (null when none), success and errors; upserts add created. */
function render(outcomes: SaveOutcome[], withCreated: boolean): Row[] {
  return outcomes.map((o) => ({
    id: o.id ?? null,
    success: o.success,
    errors: o.errors,
    ...(withCreated && o.success ? { created: o.created ?? false } : {}),
  }));
}

/** POST /composite/sobjects: creates each record; also a composite subrequest (composite.ts). */
export function createCollection(context: SimContext, body: unknown, directive: AssignmentDirective): Row[] {
  const outcomes = apply(context, readBody(body), undefined, (type, values) => context.store.create(type, values, directive));
  return render(outcomes, false);
}

function postCollection(context: SimContext) {
  return (req: Request, res: Response): void => {
    res.json(createCollection(context, req.body, readAssignmentHeader(req.get(ASSIGNMENT_HEADER))));
  };
}

function patchCollection(context: SimContext) {
  return (req: Request, res: Response): void => {
    const directive = readAssignmentHeader(req.get(ASSIGNMENT_HEADER));
    const outcomes = apply(context, readBody(req.body), undefined, (type, values) => {
      const { Id: id, ...rest } = values;
      if (typeof id !== 'string' || id === '') {
        return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] };
      }
      return context.store.update(type, id, rest, directive);
    });
    res.json(render(outcomes, false));
  };
}

function upsertCollection(context: SimContext) {
  return (req: Request, res: Response): void => {
    const object = context.store.object(String(req.params.object)).name;
    const field = String(req.params.field);
    const directive = readAssignmentHeader(req.get(ASSIGNMENT_HEADER));
    const outcomes = apply(context, readBody(req.body), object, (type, values) => {
      if (type !== object) {
        return {
          success: false,
          errors: [{ statusCode: 'INVALID_TYPE', message: `Record type ${type} does not match ${object}`, fields: [] }],
        };
      }
      return context.store.upsert(object, field, values, directive);
    });
    res.json(render(outcomes, true));
  };
}

export function collectionsRouter(context: SimContext): express.Router {
  const router = express.Router({ mergeParams: true });
  router.post('/composite/sobjects', committing(context, postCollection(context)));
  router.patch('/composite/sobjects', committing(context, patchCollection(context)));
  router.patch('/composite/sobjects/:object/:field', committing(context, upsertCollection(context)));
  return router;
}
