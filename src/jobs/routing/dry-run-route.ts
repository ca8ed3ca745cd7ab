import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import { qualifyMql } from '../../core/definitions/qualify-mql.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { decideRoute, type RouteDecision } from '../../core/routing/decide-route.ts';
import type { Queryable } from '../../store/database.ts';
import { readPoolStates } from '../../store/routing-members.ts';
import { readContactsWithCompanies } from '../handoff/read-contacts.ts';
import type { ResolveDirectory } from './routing-deps.ts';
import { readRoutingFacts } from './routing-facts.ts';

export interface RoutingDryRun {
  contactId: string;
  /** Whether the contact is an MQL now; routing applies only to MQLs whose Lead Handoff creates. */
  qualified: boolean;
  segment: string;
  score: number;
  decision: RouteDecision;
}

export interface DryRunDeps {
  db: Queryable;
  hubspot: Pick<HubSpotPort, 'readContacts' | 'readCompanies' | 'ownerEmails'>;
  salesforce: Pick<SalesforcePort, 'query'>;
  resolveDirectory: ResolveDirectory;
  mappings: () => MappingsBundle;
  now: () => Date;
}

/**
 * Where the active routing would send this contact's new Lead now, and why — read as the handoff reads (the contact,
 * its company, matching Accounts, its HubSpot owner, the pools' stored turns) without taking a turn or writing
 * anything. Undefined when HubSpot has no such contact.
 */
export async function dryRunRoute(contactId: string, deps: DryRunDeps): Promise<RoutingDryRun | undefined> {
  const bundle = deps.mappings();
  const read = await readContactsWithCompanies(deps.hubspot, [contactId], bundle.hubspotProperties);
  const contact = read.contacts[0];
  if (!contact) return undefined;
  const qualification = qualifyMql(contact, bundle.mql);
  const { facts, extra } = await readRoutingFacts([{ contact, qualification }], bundle.routing, deps);
  const known = facts.get(contact.id);
  if (!known) return undefined;
  const [directory, pools] = await Promise.all([deps.resolveDirectory(bundle.routing, extra), readPoolStates(deps.db)]);
  const { decision } = decideRoute(known, bundle.routing, directory, pools, deps.now());
  return { contactId, qualified: qualification.qualified, segment: qualification.segment.id, score: qualification.score, decision };
}
