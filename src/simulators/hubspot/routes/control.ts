import { Router } from 'express';
import type { CompanyStore } from '../company-store.ts';
import type { OwnerStore } from '../owner-store.ts';
import type { ContactStore } from '../store.ts';
import { type CallCounts, type ChangeOrigin, type FaultPlan, SimHttpError } from '../types.ts';
import { requireObject } from './render.ts';

/** What the control endpoints drive; the server wires these to its parts. */
export interface SimControls {
  store: ContactStore;
  companies: CompanyStore;
  owners: OwnerStore;
  /** Every list and its members, as a person sees them in the UI. */
  lists(): Array<{ listId: string; name: string; memberIds: string[] }>;
  uiOrigin: ChangeOrigin;
  calls(): CallCounts;
  refused(): Record<string, number>;
  injectFaults(plan: FaultPlan): void;
  reset(): void;
}

function parseFaults(body: Record<string, unknown>): FaultPlan {
  const status = Number(body.status);
  const count = Number(body.count ?? 1);
  if (!Number.isInteger(status) || status < 400 || status > 599 || !Number.isInteger(count) || count < 0) {
    throw new SimHttpError(400, 'VALIDATION_ERROR', 'faults need an integer status 400-599 and a count ≥ 0');
  }
  const plan: FaultPlan = { status, count };
  if (body.retryAfterSeconds !== undefined) plan.retryAfterSeconds = Number(body.retryAfterSeconds);
  if (typeof body.endpoint === 'string') plan.endpoint = body.endpoint;
  return plan;
}

function originOf(body: Record<string, unknown>, fallback: ChangeOrigin): ChangeOrigin {
  return typeof body.changeSource === 'string'
    ? { changeSource: body.changeSource, sourceId: typeof body.sourceId === 'string' ? body.sourceId : fallback.sourceId }
    : fallback;
}

/**
 * /_sim/* endpoints for tests that run the service in another process. No auth: the simulator
 * only ever listens on loopback. Writes here behave like a person in the HubSpot UI.
 */
export function controlRoutes(controls: SimControls): Router {
  const router = Router();
  const ui = { forwardOnlyLifecycle: false };

  // `companyId`: the new contact's primary company, set with the creation as HubSpot's create call allows
  // (`associations` on POST /crm/v3/objects/contacts), so no read can see the contact without it.
  router.post('/_sim/contacts', (req, res) => {
    const body = requireObject(req.body ?? {}, 'body');
    const companyId = body.companyId;
    if (companyId !== undefined && (typeof companyId !== 'string' || !controls.companies.get(companyId))) {
      throw new SimHttpError(400, 'VALIDATION_ERROR', `companyId must name an existing company (got ${JSON.stringify(companyId)})`);
    }
    const contact = controls.store.create(requireObject(body.properties ?? {}, 'properties'), originOf(body, controls.uiOrigin));
    if (typeof companyId === 'string') controls.companies.associate(contact.id, companyId, true);
    res.status(201).json(contact);
  });
  router.patch('/_sim/contacts/:id', (req, res) => {
    const body = requireObject(req.body ?? {}, 'body');
    const contact = controls.store.update(
      req.params.id,
      requireObject(body.properties ?? {}, 'properties'),
      originOf(body, controls.uiOrigin),
      ui,
    );
    if (!contact) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', 'resource not found');
    res.json(contact);
  });
  // A person deleting the contact in the UI; `?privacy=true` for the GDPR delete (contact.privacyDeletion too).
  router.delete('/_sim/contacts/:id', (req, res) => {
    if (!controls.store.remove(req.params.id, controls.uiOrigin, { privacy: req.query.privacy === 'true' })) {
      throw new SimHttpError(404, 'OBJECT_NOT_FOUND', 'resource not found');
    }
    res.status(204).end();
  });
  router.get('/_sim/contacts/:id', (req, res) => {
    const contact = controls.store.get(req.params.id);
    if (!contact) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', 'resource not found');
    res.json(contact);
  });
  // Companies and their contacts, as a person sets them up in the UI (or HubSpot's own enrichment would).
  router.post('/_sim/companies', (req, res) => {
    const body = requireObject(req.body ?? {}, 'body');
    res.status(201).json(controls.companies.create(requireObject(body.properties ?? {}, 'properties')));
  });
  router.post('/_sim/associations', (req, res) => {
    const body = requireObject(req.body ?? {}, 'body');
    const { contactId, companyId } = body;
    if (typeof contactId !== 'string' || typeof companyId !== 'string') {
      throw new SimHttpError(
        400,
        'VALIDATION_ERROR',
        'associations need contactId and companyId (strings) and may say primary (default true)',
      );
    }
    if (!controls.store.get(contactId)) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `No contact ${contactId}`);
    controls.companies.associate(contactId, companyId, body.primary !== false);
    res.status(204).end();
  });
  // An owner added to the portal, as adding a user in HubSpot's settings does (the API cannot create owners).
  router.post('/_sim/owners', (req, res) => {
    res.status(201).json(controls.owners.add(req.body ?? {}));
  });
  router.get('/_sim/owners', (_req, res) => {
    res.json(controls.owners.all());
  });
  router.get('/_sim/lists', (_req, res) => {
    res.json(controls.lists());
  });
  router.get('/_sim/calls', (_req, res) => {
    res.json(controls.calls());
  });
  router.get('/_sim/refused', (_req, res) => {
    res.json(controls.refused());
  });
  router.get('/_sim/contacts/:id/writes', (req, res) => {
    res.json(controls.store.writesOf(req.params.id));
  });
  router.post('/_sim/faults', (req, res) => {
    controls.injectFaults(parseFaults(requireObject(req.body ?? {}, 'body')));
    res.status(204).end();
  });
  router.post('/_sim/reset', (_req, res) => {
    controls.reset();
    res.status(204).end();
  });
  return router;
}
