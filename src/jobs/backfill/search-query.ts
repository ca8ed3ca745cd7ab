import type { SearchContactsRequest, SearchFilter } from '../../adapters/hubspot/hubspot-port.ts';
import type { BackfillFilter } from '../../core/backfill/filter.ts';

/** HubSpot search compares datetime properties in epoch milliseconds. */
const epochMs = (iso: string) => String(Date.parse(iso));

/** The run's filter as HubSpot search filters, ANDed in one group (at most 5 of the 6 a group allows). */
export function searchFiltersFor(filter: BackfillFilter): SearchFilter[] {
  const filters: SearchFilter[] = [];
  if (filter.createdAfter) filters.push({ propertyName: 'createdate', operator: 'GTE', value: epochMs(filter.createdAfter) });
  if (filter.createdBefore) filters.push({ propertyName: 'createdate', operator: 'LT', value: epochMs(filter.createdBefore) });
  if (filter.modifiedAfter) filters.push({ propertyName: 'lastmodifieddate', operator: 'GTE', value: epochMs(filter.modifiedAfter) });
  if (filter.modifiedBefore) filters.push({ propertyName: 'lastmodifieddate', operator: 'LT', value: epochMs(filter.modifiedBefore) });
  if (filter.lifecycleStages) filters.push({ propertyName: 'lifecyclestage', operator: 'IN', values: [...filter.lifecycleStages] });
  return filters;
}

/**
 * One page of a filtered walk. Search stops answering after 10,000 results of one query, so every page is
 * a fresh query for the ids after the last one seen (sorted by hs_object_id): no page is ever deep.
 */
export function keysetSearchRequest(
  filters: SearchFilter[],
  afterId: string | null,
  properties: string[],
  limit: number,
): SearchContactsRequest {
  const keyset: SearchFilter[] = afterId === null ? [] : [{ propertyName: 'hs_object_id', operator: 'GT', value: afterId }];
  return {
    filterGroups: [{ filters: [...filters, ...keyset] }],
    sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
    properties,
    limit,
  };
}
