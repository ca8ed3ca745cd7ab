import {
  type DirectoryQueue,
  type DirectoryUser,
  queuesByDeveloperNames,
  usersByEmails,
  usersByIds,
} from '../../adapters/salesforce/org-directory.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import type { ResolvedUser } from '../../core/routing/round-robin.ts';
import { routingReferences } from '../../core/routing/routing-references.ts';
import { SALESFORCE_USER_ID } from '../../core/routing/routing-schema.ts';
import type { DirectoryPerson, ResolveDirectory, ResolvedDirectory } from './routing-deps.ts';

/** How long an answer about a user or queue is trusted: a deactivated rep stops getting leads within this. */
export const DIRECTORY_TTL_MS = 60_000;

interface Cached<T> {
  value: T | null;
  at: number;
}

/**
 * The org directory routing reads, cached per user and queue for DIRECTORY_TTL_MS so a busy handoff asks Salesforce
 * about its members at most once a minute, and only about those it has not seen lately. An e-mail held by two active
 * users names nobody (validate --live reports it), so routing never guesses between two people.
 */
export function createDirectoryResolver(options: {
  salesforce: Pick<SalesforcePort, 'query'>;
  now?: () => number;
  ttlMs?: number;
}): ResolveDirectory {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? DIRECTORY_TTL_MS;
  const byEmail = new Map<string, Cached<DirectoryUser>>();
  const byId = new Map<string, Cached<DirectoryUser>>();
  const queues = new Map<string, Cached<DirectoryQueue>>();
  const fresh = <T>(entry: Cached<T> | undefined): entry is Cached<T> => entry !== undefined && now() - entry.at < ttl;

  return async (routing, extra = {}) => {
    const refs = routingReferences(routing);
    const emails = new Set([...(extra.emails ?? []).map((e) => e.toLowerCase())]);
    const ids = new Set(extra.userIds ?? []);
    const queueNames = new Set<string>();
    for (const ref of refs) {
      if (ref.kind === 'queue') queueNames.add(ref.value);
      else if (ref.kind === 'user') (SALESFORCE_USER_ID.test(ref.value) ? ids : emails).add(ref.value);
    }
    const at = now();
    const staleEmails = [...emails].filter((e) => !fresh(byEmail.get(e)));
    if (staleEmails.length > 0) {
      const found = await usersByEmails(options.salesforce, staleEmails);
      for (const email of staleEmails) byEmail.set(email, { value: onePersonFor(email, found), at });
    }
    const staleIds = [...ids].filter((id) => !fresh(byId.get(key(id))));
    if (staleIds.length > 0) {
      const found = await usersByIds(options.salesforce, staleIds);
      for (const id of staleIds) byId.set(key(id), { value: found.find((u) => key(u.id) === key(id)) ?? null, at });
    }
    const staleQueues = [...queueNames].filter((q) => !fresh(queues.get(q)));
    if (staleQueues.length > 0) {
      const found = await queuesByDeveloperNames(options.salesforce, staleQueues);
      for (const name of staleQueues) queues.set(name, { value: found.find((q) => q.developerName === name) ?? null, at });
    }
    return assemble(emails, ids, queueNames, byEmail, byId, queues);
  };
}

/** 15- and 18-character forms of one id name the same record. */
const key = (id: string): string => id.slice(0, 15);

function onePersonFor(email: string, found: DirectoryUser[]): DirectoryUser | null {
  const matching = found.filter((u) => u.email.toLowerCase() === email);
  const active = matching.filter((u) => u.isActive);
  if (active.length === 1) return active[0] ?? null;
  if (active.length > 1) return null;
  return matching[0] ?? null;
}

function assemble(
  emails: Set<string>,
  ids: Set<string>,
  queueNames: Set<string>,
  byEmail: Map<string, Cached<DirectoryUser>>,
  byId: Map<string, Cached<DirectoryUser>>,
  queues: Map<string, Cached<DirectoryQueue>>,
): ResolvedDirectory {
  const users = new Map<string, ResolvedUser>();
  const people = new Map<string, DirectoryPerson>();
  const add = (ref: string, user: DirectoryUser | null | undefined) => {
    if (!user) return;
    const resolved = { id: user.id, active: user.isActive };
    users.set(ref, resolved);
    users.set(user.id, resolved);
    users.set(key(user.id), resolved);
    people.set(user.id, { id: user.id, name: user.name, email: user.email, active: user.isActive, managerId: user.managerId });
  };
  for (const email of emails) add(email, byEmail.get(email)?.value);
  for (const id of ids) add(id, byId.get(key(id))?.value);
  const queueMap = new Map<string, { id: string; supportsLead: boolean; email: string | null; name: string }>();
  for (const name of queueNames) {
    const queue = queues.get(name)?.value;
    if (queue) queueMap.set(name, { id: queue.id, supportsLead: queue.supportsLead, email: queue.email, name: queue.name });
  }
  return { users, queues: queueMap, people };
}
