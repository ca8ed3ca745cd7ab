import { HUBSPOT_LIMITS } from '../../src/adapters/hubspot/limits.ts';
import { SALESFORCE_LIMITS } from '../../src/adapters/salesforce/limits.ts';

/** API calls per 1,000 handed-off leads, per provider, with the parts that make them up. */
export interface CallsPerThousand {
  hubspot: number;
  salesforce: number;
}

/**
 * The fewest calls the vendors' batch limits allow for `leads` handoffs, whatever the batching:
 * - HubSpot: one batch read and one batch update per 100 contacts, one sales-ready list add per 100,000;
 * - Salesforce: one collections create per 200 new Leads, and the e-mail match (Lead and Contact queries, 100
 *   addresses each) packed into composite requests (one API call each, at most 5 queries per composite).
 */
export function floorCalls(leads: number): CallsPerThousand {
  const hubspot = Math.ceil(leads / HUBSPOT_LIMITS.batchMaxInputs) * 2 + Math.ceil(leads / HUBSPOT_LIMITS.listMembershipMaxIds);
  const queries = Math.ceil(leads / SALESFORCE_LIMITS.emailsPerQuery) * 2;
  const salesforce =
    Math.ceil(leads / SALESFORCE_LIMITS.collectionBatchSize) + Math.ceil(queries / SALESFORCE_LIMITS.composite.maxQuerySubrequests);
  return { hubspot, salesforce };
}

export function perThousand(calls: number, leads: number): number {
  return leads === 0 ? Number.NaN : (calls / leads) * 1000;
}
