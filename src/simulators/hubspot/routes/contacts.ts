import { Router } from 'express';
import { HUBSPOT_LIMITS } from '../../../adapters/hubspot/limits.ts';
import type { ContactStore } from '../store.ts';
import { type ChangeOrigin, SimHttpError } from '../types.ts';
import { batchIds, batchRead, checkBatchSize, notFoundError } from './batch.ts';
import { contactShape, queryList, requireArray, requireObject, toApiObject } from './render.ts';

const BASE = '/crm/v3/objects/contacts';
const API_RULES = { forwardOnlyLifecycle: true };
const DEFAULT_LIST_LIMIT = 10;

function notFound(): SimHttpError {
  return new SimHttpError(404, 'OBJECT_NOT_FOUND', 'resource not found');
}

/** Single-record and batch contact endpoints. Writes made here are 'INTEGRATION' changes. */
export function contactRoutes(store: ContactStore, origin: ChangeOrigin): Router {
  const router = Router();
  const shape = contactShape(store);

  router.post(BASE, (req, res) => {
    const body = requireObject(req.body, 'body');
    const contact = store.create(requireObject(body.properties ?? {}, 'properties'), origin);
    res.status(201).json(toApiObject(contact, Object.keys(contact.properties)));
  });

  router.post(
    `${BASE}/batch/read`,
    batchRead('CONTACT', (id) => store.get(id), shape),
  );

  router.post(`${BASE}/batch/update`, (req, res) => {
    const startedAt = new Date().toISOString();
    const inputs = requireArray(requireObject(req.body, 'body').inputs, 'inputs');
    checkBatchSize(inputs);
    const ids = batchIds(inputs);
    if (new Set(ids).size !== ids.length) throw new SimHttpError(400, 'VALIDATION_ERROR', 'Duplicate IDs found in batch input.');
    const writes = inputs.map((input) => requireObject(requireObject(input, 'inputs[]').properties ?? {}, 'properties'));
    // HubSpot rejects the whole batch when any input carries an invalid property, before writing anything.
    for (const properties of writes) store.validate(properties);
    const updated = [];
    const missing: string[] = [];
    for (const [index, properties] of writes.entries()) {
      const id = ids[index]!;
      const contact = store.update(id, properties, origin, API_RULES);
      if (contact) updated.push(toApiObject(contact, Object.keys(properties)));
      else missing.push(id);
    }
    const completedAt = new Date().toISOString();
    if (missing.length === 0) return void res.json({ status: 'COMPLETE', results: updated, startedAt, completedAt });
    res
      .status(207)
      .json({ status: 'COMPLETE', results: updated, numErrors: 1, errors: [notFoundError('CONTACT', missing)], startedAt, completedAt });
  });

  // The list endpoint: every contact in id order; `after` is the id the next page starts at (opaque to clients).
  router.get(BASE, (req, res) => {
    const limit = req.query.limit === undefined ? DEFAULT_LIST_LIMIT : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > HUBSPOT_LIMITS.listMaxPageSize) {
      throw new SimHttpError(400, 'VALIDATION_ERROR', `limit must be between 1 and ${HUBSPOT_LIMITS.listMaxPageSize}`);
    }
    const from = req.query.after === undefined ? 0 : Number(req.query.after);
    if (!Number.isInteger(from)) throw new SimHttpError(400, 'VALIDATION_ERROR', 'after must be a cursor from paging.next.after');
    const { page, next } = store.pageFrom(from, limit);
    const properties = queryList(req.query.properties);
    res.json({
      results: page.map((contact) => toApiObject(contact, properties, shape)),
      ...(next ? { paging: { next: { after: next.id, link: `${BASE}?after=${next.id}` } } } : {}),
    });
  });

  router.get(`${BASE}/:id`, (req, res) => {
    const contact = store.get(req.params.id);
    if (!contact) throw notFound();
    res.json(toApiObject(contact, queryList(req.query.properties), shape));
  });

  router.patch(`${BASE}/:id`, (req, res) => {
    const properties = requireObject(requireObject(req.body, 'body').properties ?? {}, 'properties');
    const contact = store.update(req.params.id, properties, origin, API_RULES);
    if (!contact) throw notFound();
    res.json(toApiObject(contact, Object.keys(properties)));
  });

  // Archive (HubSpot: DELETE /crm/v3/objects/contacts/{contactId}, 204; sends contact.deletion).
  router.delete(`${BASE}/:id`, (req, res) => {
    if (!store.remove(req.params.id, origin, { privacy: false })) throw notFound();
    res.status(204).end();
  });

  // "Permanently delete a contact (GDPR-compliant)": POST /crm/v3/objects/contacts/gdpr-delete {objectId, idProperty?}, 204.
  router.post(`${BASE}/gdpr-delete`, (req, res) => {
    const body = requireObject(req.body, 'body');
    const objectId = typeof body.objectId === 'string' ? body.objectId : undefined;
    if (!objectId) throw new SimHttpError(400, 'VALIDATION_ERROR', 'objectId is required');
    const id =
      body.idProperty === 'email'
        ? [...store.scan()].find((contact) => contact.properties.email?.toLowerCase() === objectId.toLowerCase())?.id
        : objectId;
    if (!id || !store.remove(id, origin, { privacy: true })) throw notFound();
    res.status(204).end();
  });

  return router;
}
