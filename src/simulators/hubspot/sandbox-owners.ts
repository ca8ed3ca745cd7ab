import type { OwnerSeed } from './owner-seed.ts';

/**
 * The sandbox portal's contact owners. Their e-mails are those of the Salesforce sandbox's sales users, so routing
 * can find the Salesforce user behind a contact's `hubspot_owner_id` (the user with the same e-mail).
 */
export const SANDBOX_HUBSPOT_OWNERS: readonly OwnerSeed[] = [
  { id: '70001', email: 'riley.rep@sales.example', firstName: 'Riley', lastName: 'Rep', userId: 7_100_001 },
  { id: '70002', email: 'sam.seller@sales.example', firstName: 'Sam', lastName: 'Seller', userId: 7_100_002 },
];
