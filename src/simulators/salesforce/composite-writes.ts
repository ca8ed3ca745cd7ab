import { notFound, SimApiError } from './api-error.ts';
import type { AssignmentDirective } from './assignment-rules.ts';
import type { SimContext } from './context.ts';
import type { SaveOutcome } from './store.ts';
import type { Row } from './validate.ts';

/** A composite subrequest's answer before its referenceId is added. */
export interface SubAnswer {
  body: unknown;
  httpStatusCode: number;
}

const SOBJECT_PATH = /^\/services\/data\/v\d+\.\d\/sobjects\/([A-Za-z0-9_]+)(?:\/([A-Za-z0-9_]+))?(?:\/([^/?]+))?\/?$/;

function recordBody(body: unknown): Row {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SimApiError(400, 'JSON_PARSER_ERROR', 'The subrequest body is not a JSON object');
  }
  return body as Row;
}

/** A failed save answers the subrequest as the single-record endpoint would: 400 and [{ message, errorCode, fields }]. */
function failed(outcome: SaveOutcome): SubAnswer | undefined {
  const first = outcome.errors[0];
  if (outcome.success || !first) return undefined;
  return { httpStatusCode: 400, body: [{ message: first.message, errorCode: first.statusCode, fields: first.fields }] };
}

/**
 * The sObject subrequests of a composite request (REST API Developer Guide, "Composite"): create (POST
 * /sobjects/X), update (PATCH /sobjects/X/id) and upsert (PATCH /sobjects/X/field/value), answered as their
 * single-record endpoints answer. The composite request's own Assignment Rule header applies to each of them.
 * Undefined: not an sObject write this simulator knows.
 */
export function answerSObjectWrite(
  context: SimContext,
  method: string,
  url: string,
  body: unknown,
  directive: AssignmentDirective,
): SubAnswer | undefined {
  const match = SOBJECT_PATH.exec(url);
  if (!match?.[1] || (method !== 'POST' && method !== 'PATCH')) return undefined;
  const { store } = context;
  const [, object, second, third] = match;
  if (method === 'POST' && !second) {
    const outcome = store.create(object, store.normalize(object, recordBody(body)), directive);
    return failed(outcome) ?? { httpStatusCode: 201, body: { id: outcome.id, success: true, errors: [] } };
  }
  if (method === 'PATCH' && second && !third) {
    if (!store.get(object, second)) throw notFound();
    return (
      failed(store.update(object, second, store.normalize(object, recordBody(body)), directive)) ?? { httpStatusCode: 204, body: null }
    );
  }
  if (method === 'PATCH' && second && third) {
    const values = { ...store.normalize(object, recordBody(body)), ...store.normalize(object, { [second]: decodeURIComponent(third) }) };
    const outcome = store.upsert(object, second, values, directive);
    return (
      failed(outcome) ?? {
        httpStatusCode: outcome.created ? 201 : 200,
        body: { id: outcome.id, success: true, errors: [], created: outcome.created },
      }
    );
  }
  return undefined;
}
