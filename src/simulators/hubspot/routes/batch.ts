import type { Request, Response } from 'express';
import { HUBSPOT_LIMITS } from '../../../adapters/hubspot/limits.ts';
import { type SimContact, SimHttpError } from '../types.ts';
import { type ReadShape, requireArray, requireObject, toApiObject } from './render.ts';

/** Every CRM object's batch endpoints share these rules (CRM API guides, "batch read"/"batch update"). */

export function checkBatchSize(inputs: unknown[], max: number = HUBSPOT_LIMITS.batchMaxInputs): void {
  if (inputs.length > max) {
    throw new SimHttpError(400, 'VALIDATION_ERROR', `Batch input limit exceeded: got ${inputs.length} inputs, the limit is ${max}.`, {
      context: { maxInputs: [String(max)] },
    });
  }
}

export function batchIds(inputs: unknown[]): string[] {
  return inputs.map((input) => String(requireObject(input, 'inputs[]').id ?? ''));
}

/** The one error a batch answer carries for the ids it does not know (`object`: CONTACT, COMPANY). */
export function notFoundError(object: string, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${object} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    errors: [],
    links: {},
  };
}

/** `POST …/batch/read`: the known records with the asked properties; unknown ids make the answer a 207. */
export function batchRead(object: string, get: (id: string) => SimContact | undefined, shape: ReadShape) {
  return (req: Request, res: Response): void => {
    const startedAt = new Date().toISOString();
    const body = requireObject(req.body, 'body');
    const inputs = requireArray(body.inputs, 'inputs');
    checkBatchSize(inputs);
    const properties = Array.isArray(body.properties) ? body.properties.map(String) : [];
    const ids = batchIds(inputs);
    const found = ids.map(get).filter((record) => record !== undefined);
    const missing = ids.filter((id) => !get(id));
    const results = found.map((record) => toApiObject(record, properties, shape));
    const completedAt = new Date().toISOString();
    if (missing.length === 0) return void res.json({ status: 'COMPLETE', results, startedAt, completedAt });
    res.status(207).json({ status: 'COMPLETE', results, numErrors: 1, errors: [notFoundError(object, missing)], startedAt, completedAt });
  };
}
