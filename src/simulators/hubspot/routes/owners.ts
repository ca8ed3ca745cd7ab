import { Router } from 'express';
import type { OwnerIdProperty, OwnerStore, SimOwner } from '../owner-store.ts';
import { SimHttpError } from '../types.ts';

/** The owner in the answer's shape: optional fields HubSpot has no value for are left out, as are empty teams. */
function toApiOwner({ teams, ...owner }: SimOwner) {
  return teams.length > 0 ? { ...owner, teams } : owner;
}

function idPropertyOf(value: unknown): OwnerIdProperty {
  if (value === undefined || value === 'id') return 'id';
  if (value === 'userId') return 'userId';
  throw new SimHttpError(400, 'VALIDATION_ERROR', `idProperty must be one of id, userId (got ${JSON.stringify(value)})`);
}

function archivedOf(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new SimHttpError(400, 'VALIDATION_ERROR', `archived must be true or false (got ${JSON.stringify(value)})`);
}

/**
 * HubSpot's Owners API v3, "Retrieve an owner" (developers.hubspot.com/docs/api-reference/latest/crm/owners/get-owner):
 * `GET /crm/v3/owners/{ownerId}` with `idProperty` (`id`, the default, or `userId`) and `archived` (default false:
 * "whether to return only results that have been archived"). The path id is an integer; an owner it does not find
 * is 404. Owners are read-only through the API; tests add them with POST /_sim/owners or the `owners` option.
 */
export function ownerRoutes(owners: OwnerStore): Router {
  const router = Router();
  router.get('/crm/v3/owners/:ownerId', (req, res) => {
    const { ownerId } = req.params;
    if (!/^[0-9]+$/.test(ownerId)) throw new SimHttpError(400, 'VALIDATION_ERROR', `ownerId must be an integer (got ${ownerId})`);
    const owner = owners.find(String(Number(ownerId)), idPropertyOf(req.query.idProperty), archivedOf(req.query.archived));
    if (!owner) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `Owner ${ownerId} not found`);
    res.json(toApiOwner(owner));
  });
  return router;
}
