import { conditionsOf } from '../definitions/conditions.ts';
import type { RoutingConfig } from './routing-schema.ts';

/** Something routing.yaml names in the Salesforce org, with where it is named (for live validation). */
export interface RoutingReference {
  path: string;
  kind: 'user' | 'queue' | 'assignmentRule';
  value: string;
}

/** Every user, queue and assignment rule the routing names: each must exist (and users be active) in the org. */
export function routingReferences(routing: RoutingConfig): RoutingReference[] {
  const refs: RoutingReference[] = [];
  routing.pools.forEach((pool, i) => {
    (pool.members ?? []).forEach((member, j) => {
      refs.push({ path: `pools[${i}].members[${j}].user`, kind: 'user', value: member.user });
    });
    if (pool.queue) refs.push({ path: `pools[${i}].queue`, kind: 'queue', value: pool.queue });
    if (pool.manager) refs.push({ path: `pools[${i}].manager`, kind: 'user', value: pool.manager });
  });
  routing.rules.forEach((rule, i) => {
    if (rule.assignmentRule) refs.push({ path: `rules[${i}].assignmentRule`, kind: 'assignmentRule', value: rule.assignmentRule });
  });
  const fallback = routing.fallback;
  if (fallback !== 'salesforce-rules' && 'user' in fallback) refs.push({ path: 'fallback.user', kind: 'user', value: fallback.user });
  if (fallback !== 'salesforce-rules' && 'queue' in fallback) refs.push({ path: 'fallback.queue', kind: 'queue', value: fallback.queue });
  return refs;
}

/** The HubSpot owner's property (HubSpot's default "Contact owner"), read when a rule looks for the HubSpot owner. */
export const HUBSPOT_OWNER_PROPERTY = 'hubspot_owner_id';
/** The company's domain (HubSpot's default company property), for lead-to-account matching. */
export const COMPANY_DOMAIN_PROPERTY = 'company.domain';

/** The HubSpot properties routing reads: its conditions', plus e-mail, owner and company domain for existing-owner. */
export function routingProperties(routing: RoutingConfig): string[] {
  const names = new Set<string>();
  for (const rule of routing.rules) {
    if (rule.when?.match) for (const c of conditionsOf(rule.when.match)) names.add(c.property);
    if (rule.strategy === 'existing-owner') {
      names.add('email');
      if (rule.ownerFrom.includes('accountDomain')) names.add(COMPANY_DOMAIN_PROPERTY);
      if (rule.ownerFrom.includes('hubspotOwner')) names.add(HUBSPOT_OWNER_PROPERTY);
    }
  }
  return [...names].sort();
}

/** The routing of a configuration version saved before routing.yaml existed: the org's assignment rule, as then. */
export const ROUTING_BEFORE_FILE_EXISTED = `# Added by Handoff: this version was saved before routing.yaml existed.
# Every new Lead goes through the org's active assignment rule, as it did then.
version: "0"
fallback: salesforce-rules
`;
