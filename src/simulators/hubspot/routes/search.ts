import { Router } from 'express';
import type { SearchFilterGroup } from '../../../adapters/hubspot/hubspot-port.ts';
import { HUBSPOT_LIMITS } from '../../../adapters/hubspot/limits.ts';
import { matchesGroups, normaliseSorts, paginate, sortContacts } from '../search.ts';
import type { ContactStore } from '../store.ts';
import { SimHttpError } from '../types.ts';
import { contactShape, requireObject, toApiObject } from './render.ts';

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);
const DEFAULT_SEARCH_LIMIT = 10;

function checkGroups(groups: SearchFilterGroup[]): void {
  const total = groups.reduce((sum, group) => sum + (group.filters?.length ?? 0), 0);
  if (
    groups.length > HUBSPOT_LIMITS.searchMaxFilterGroups ||
    total > HUBSPOT_LIMITS.searchMaxFiltersTotal ||
    groups.some((group) => (group.filters?.length ?? 0) > HUBSPOT_LIMITS.searchMaxFiltersPerGroup)
  ) {
    throw new SimHttpError(400, 'VALIDATION_ERROR', 'Too many filters or filter groups in the search request.');
  }
  for (const filter of groups.flatMap((group) => group.filters ?? [])) {
    if (!OPERATORS.has(filter.operator)) throw new SimHttpError(400, 'VALIDATION_ERROR', `Unknown operator ${String(filter.operator)}`);
  }
}

/** POST /crm/v3/objects/contacts/search: filterGroups, sorts, properties, limit ≤ 200, after. */
export function searchRoutes(store: ContactStore): Router {
  const router = Router();
  const shape = contactShape(store);
  router.post('/crm/v3/objects/contacts/search', (req, res) => {
    const body = requireObject(req.body, 'body');
    const limit = body.limit === undefined ? DEFAULT_SEARCH_LIMIT : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > HUBSPOT_LIMITS.searchMaxPageSize) {
      throw new SimHttpError(400, 'VALIDATION_ERROR', `limit must be between 1 and ${HUBSPOT_LIMITS.searchMaxPageSize}`);
    }
    const groups = (Array.isArray(body.filterGroups) ? body.filterGroups : []) as SearchFilterGroup[];
    checkGroups(groups);
    const isDate = (name: string) => store.definition(name)?.type === 'datetime';
    // Scanned in place: a portal of tens of thousands is not copied for every search, only the page answered.
    const matched = [...store.scan()].filter((contact) => matchesGroups(contact, groups, isDate));
    const sorted = sortContacts(matched, normaliseSorts(Array.isArray(body.sorts) ? body.sorts : []));
    const after = body.after === undefined ? undefined : String(body.after);
    if (Number.parseInt(after ?? '0', 10) + limit > HUBSPOT_LIMITS.searchMaxResults) {
      throw new SimHttpError(
        400,
        'VALIDATION_ERROR',
        `Search results are capped at ${HUBSPOT_LIMITS.searchMaxResults}; narrow the query or page on by id`,
      );
    }
    const page = paginate(sorted.slice(0, HUBSPOT_LIMITS.searchMaxResults), after, limit);
    const properties = Array.isArray(body.properties) ? body.properties.map(String) : [];
    res.json({
      total: matched.length,
      results: page.items.map((contact) => toApiObject(contact, properties, shape)),
      ...(page.next ? { paging: { next: { after: page.next, link: `?after=${page.next}` } } } : {}),
    });
  });
  return router;
}
