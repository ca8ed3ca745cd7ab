import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { AccountOwner, LeadAssignment, SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { RouteDecision } from '../../core/routing/decide-route.ts';
import type { Logger } from '../../log.ts';
import type { Database } from '../../store/database.ts';
import { routeBatch } from '../routing/route-batch.ts';
import type { ResolveDirectory, ResolvedDirectory } from '../routing/routing-deps.ts';
import { type RoutingSubject, readRoutingFacts } from '../routing/routing-facts.ts';

export interface RoutingDeps {
  db: Database;
  hubspot: Pick<HubSpotPort, 'ownerEmails'>;
  salesforce: Pick<SalesforcePort, 'query'>;
  resolveDirectory: ResolveDirectory;
  now: () => Date;
  logger?: Pick<Logger, 'warn'>;
}

/** A contact's Lead to create, routed: the decision, its reserved assignment, and how the create must be sent. */
export interface RoutedCreate {
  assignmentId: string;
  decision: RouteDecision;
  /** The owner to set on the Lead (a User or queue Id), or none when the org's assignment rule picks. */
  ownerId?: string;
  /** The Assignment Rule header of the create: FALSE with an owner we chose, else the rule. */
  header: LeadAssignment;
}

/**
 * Routes the contacts about to get a new Lead (routing.yaml): reads what the rules need, resolves the org's users and
 * queues, and takes each pool's turn in one transaction (exact across replicas; a replayed create reuses its
 * reservation). Provider failures propagate to the caller, which parks the creates as for any refused read. `read`
 * holds what the caller already asked Salesforce (the Accounts by domain, with its e-mail match).
 */
export async function routeCreates(
  subjects: RoutingSubject[],
  bundle: MappingsBundle,
  deps: RoutingDeps,
  read: { accounts?: AccountOwner[] } = {},
): Promise<{ routed: Map<string, RoutedCreate>; directory: ResolvedDirectory }> {
  const routing = bundle.routing;
  const { facts, extra } = await readRoutingFacts(subjects, routing, deps, read);
  const directory = await deps.resolveDirectory(routing, extra);
  const decided = await routeBatch(
    deps.db,
    { routing, routingVersion: bundle.versions.routing, directory, now: deps.now() },
    subjects.flatMap(({ contact }) => {
      const known = facts.get(contact.id);
      return known ? [{ contactId: contact.id, facts: known }] : [];
    }),
  );
  const routed = new Map<string, RoutedCreate>();
  for (const [contactId, { assignmentId, decision }] of decided) {
    const owner = decision.owner;
    if (owner.kind === 'assignment-rule')
      routed.set(contactId, {
        assignmentId,
        decision,
        header: owner.ruleId ? { kind: 'rule', ruleId: owner.ruleId } : { kind: 'active-rule' },
      });
    else routed.set(contactId, { assignmentId, decision, ownerId: owner.id, header: { kind: 'none' } });
  }
  return { routed, directory };
}

/** Creates sent together share one header: one group per distinct Assignment Rule header. */
export function headerKey(header: LeadAssignment): string {
  return header.kind === 'rule' ? `rule:${header.ruleId}` : header.kind;
}
