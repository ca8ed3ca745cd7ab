import type { RoutingDirectory } from '../../core/routing/decide-route.ts';
import type { RoutingConfig } from '../../core/routing/routing-schema.ts';

/** A Salesforce user as notifications need them (personal data: used to deliver, never logged or stored past use). */
export interface DirectoryPerson {
  id: string;
  name: string;
  email: string;
  active: boolean;
  managerId: string | null;
}

/** The org directory routing reads, with the people behind the ids for notifications. */
export interface ResolvedDirectory extends RoutingDirectory {
  /** By API name, with the queue's name and e-mail when known (a queue's notifications go there). */
  queues: ReadonlyMap<string, { id: string; supportsLead: boolean; name?: string; email?: string | null }>;
  /** By User Id. */
  people: ReadonlyMap<string, DirectoryPerson>;
}

/**
 * Resolves what a routing configuration names (members, managers, fallback, queues) plus any further users by Id
 * (account owners, current Lead owners) or e-mail (HubSpot owners) against the Salesforce org, cached briefly.
 */
export type ResolveDirectory = (routing: RoutingConfig, extra?: { userIds?: string[]; emails?: string[] }) => Promise<ResolvedDirectory>;
