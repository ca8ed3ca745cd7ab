/**
 * Reads of the org's directory that owner routing needs, each a SOQL query over the port (Object Reference for the
 * Salesforce Platform: User, Group, QueueSobject, Account, AssignmentRule, Lead). Long lists go in batches that keep
 * each query's URI short (SALESFORCE_LIMITS), and every value is a SOQL literal made by soql.ts.
 */

import { SALESFORCE_LIMITS } from './limits.ts';
import type { AccountOwner, SalesforcePort } from './salesforce-port.ts';

export type { AccountOwner } from './salesforce-port.ts';

import { chunk, soqlIn, soqlLikeContaining } from './soql.ts';

export interface DirectoryUser {
  id: string;
  name: string;
  email: string;
  isActive: boolean;
  managerId: string | null;
}

export interface DirectoryQueue {
  id: string;
  developerName: string;
  name: string;
  email: string | null;
  /** The queue lists Lead among its supported objects (a QueueSobject row), so it can own Leads. */
  supportsLead: boolean;
}

type DirectoryPort = Pick<SalesforcePort, 'query'>;

const SALESFORCE_ID = /^[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$/;
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
const IPV4 = /^\d+(?:\.\d+){3}$/;

/** Distinct, in first-seen order. */
const unique = (values: string[]): string[] => [...new Set(values)];

/** Runs one query per batch of values and joins the rows, in batch order. */
async function inBatches<T extends Record<string, unknown>>(
  port: DirectoryPort,
  values: string[],
  size: number,
  soql: (batch: string[]) => string,
): Promise<T[]> {
  const rows: T[] = [];
  for (const batch of chunk(values, size)) rows.push(...(await port.query<T>(soql(batch))));
  return rows;
}

/**
 * The host a Website value names, as routing compares it with an e-mail domain: lower-case, without scheme, user,
 * port, path, query, a trailing dot or a leading "www."; undefined when it names no host (empty text, an IP address).
 * An internationalised name comes back in its ASCII (punycode) form.
 */
export function domainOfWebsite(website: string): string | undefined {
  const text = website.trim().toLowerCase();
  if (text === '') return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname;
  } catch {
    return undefined;
  }
  host = host.replace(/\.$/, '').replace(/^www\./, '');
  return HOST.test(host) && !IPV4.test(host) ? host : undefined;
}

/** A website's domain matches an e-mail domain when it is that domain or one of its subdomains. */
function matchesDomain(websiteDomain: string, domain: string): boolean {
  return websiteDomain === domain || websiteDomain.endsWith(`.${domain}`);
}

interface UserRow extends Record<string, unknown> {
  Id: string;
  Name: string;
  Email: string;
  IsActive: boolean;
  ManagerId: string | null;
}

const USER_FIELDS = 'SELECT Id, Name, Email, IsActive, ManagerId FROM User';
const toUser = (row: UserRow): DirectoryUser => ({
  id: row.Id,
  name: row.Name,
  email: row.Email,
  isActive: row.IsActive === true,
  managerId: row.ManagerId ?? null,
});

/** Users (active or not) whose Email is one of these, compared case-insensitively as SOQL does. */
export async function usersByEmails(port: DirectoryPort, emails: string[]): Promise<DirectoryUser[]> {
  const wanted = unique(emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ''));
  const rows = await inBatches<UserRow>(
    port,
    wanted,
    SALESFORCE_LIMITS.emailsPerQuery,
    (b) => `${USER_FIELDS} WHERE Email IN ${soqlIn(b)}`,
  );
  const asked = new Set(wanted);
  return rows.filter((row) => asked.has(String(row.Email ?? '').toLowerCase())).map(toUser);
}

/** Users by Id (15 or 18 characters); anything that is not a User id is not asked. */
export async function usersByIds(port: DirectoryPort, ids: string[]): Promise<DirectoryUser[]> {
  const wanted = unique(ids.map((id) => id.trim()).filter((id) => SALESFORCE_ID.test(id) && id.startsWith('005')));
  const rows = await inBatches<UserRow>(port, wanted, SALESFORCE_LIMITS.idsPerQuery, (b) => `${USER_FIELDS} WHERE Id IN ${soqlIn(b)}`);
  return rows.map(toUser);
}

/** Queues (Groups of Type 'Queue') by DeveloperName, each with whether it supports Leads. */
export async function queuesByDeveloperNames(port: DirectoryPort, names: string[]): Promise<DirectoryQueue[]> {
  const wanted = unique(names.map((n) => n.trim()).filter((n) => n !== ''));
  const groups = await inBatches<{ Id: string; Name: string; DeveloperName: string; Email: string | null }>(
    port,
    wanted,
    SALESFORCE_LIMITS.idsPerQuery,
    (b) => `SELECT Id, Name, DeveloperName, Email FROM Group WHERE Type = 'Queue' AND DeveloperName IN ${soqlIn(b)}`,
  );
  const supports = await inBatches<{ QueueId: string }>(
    port,
    groups.map((g) => g.Id),
    SALESFORCE_LIMITS.idsPerQuery,
    (b) => `SELECT QueueId FROM QueueSobject WHERE SobjectType = 'Lead' AND QueueId IN ${soqlIn(b)}`,
  );
  const leadQueues = new Set(supports.map((s) => s.QueueId.slice(0, 15)));
  return groups.map((g) => ({
    id: g.Id,
    developerName: g.DeveloperName,
    name: g.Name,
    email: g.Email ?? null,
    supportsLead: leadQueues.has(g.Id.slice(0, 15)),
  }));
}

/**
 * Accounts whose Website is one of these domains or a subdomain of one, with their owners. SOQL cannot normalise a
 * URL, so each batch asks `Website LIKE '%domain%'` and the answer is filtered here by domainOfWebsite.
 */
export async function accountOwnersByDomains(port: DirectoryPort, domains: string[]): Promise<AccountOwner[]> {
  const owners: AccountOwner[] = [];
  for (const query of accountOwnerQueries(domains))
    owners.push(...accountOwnersIn(await port.query<AccountRow>(query.soql), query.domains));
  return owners;
}

export type AccountRow = { Id: string; Name: string; OwnerId: string; Website: string | null };

/** The queries accountOwnersByDomains sends, each with the domains it asks (also sent inside a composite: email-match.ts). */
export function accountOwnerQueries(domains: string[]): Array<{ soql: string; domains: string[] }> {
  const wanted = unique(domains.map((d) => domainOfWebsite(d)).filter((d): d is string => d !== undefined));
  return chunk(wanted, SALESFORCE_LIMITS.domainsPerQuery).map((batch) => ({
    soql: `SELECT Id, Name, OwnerId, Website FROM Account WHERE ${batch.map((d) => `Website LIKE ${soqlLikeContaining(d)}`).join(' OR ')} ORDER BY Id`,
    domains: batch,
  }));
}

/** The owners of one query's Accounts whose website really is one of its domains (LIKE also matched look-alikes). */
export function accountOwnersIn(rows: AccountRow[], domains: string[]): AccountOwner[] {
  const owners: AccountOwner[] = [];
  for (const domain of domains) {
    for (const row of rows) {
      const site = domainOfWebsite(row.Website ?? '');
      if (site && matchesDomain(site, domain)) owners.push({ accountId: row.Id, accountName: row.Name, ownerId: row.OwnerId, domain });
    }
  }
  return owners;
}

/** The org's Lead assignment rules (at most one active). */
export async function assignmentRules(port: DirectoryPort): Promise<Array<{ id: string; name: string; active: boolean }>> {
  const rows = await port.query<{ Id: string; Name: string; Active: boolean }>(
    "SELECT Id, Name, Active FROM AssignmentRule WHERE SobjectType = 'Lead' ORDER BY Name",
  );
  return rows.map((r) => ({ id: r.Id, name: r.Name, active: r.Active === true }));
}

/** Lead Id → OwnerId (a User or a queue), keyed by the ids as asked (15 or 18 characters); missing Leads are left out. */
export async function leadOwners(port: DirectoryPort, leadIds: string[]): Promise<Map<string, string>> {
  const wanted = unique(leadIds.map((id) => id.trim()).filter((id) => SALESFORCE_ID.test(id) && id.startsWith('00Q')));
  const rows = await inBatches<{ Id: string; OwnerId: string }>(
    port,
    wanted,
    SALESFORCE_LIMITS.idsPerQuery,
    (b) => `SELECT Id, OwnerId FROM Lead WHERE Id IN ${soqlIn(b)}`,
  );
  const byShortId = new Map(rows.map((row) => [row.Id.slice(0, 15), row.OwnerId]));
  const owners = new Map<string, string>();
  for (const id of wanted) {
    const owner = byShortId.get(id.slice(0, 15));
    if (owner !== undefined) owners.set(id, owner);
  }
  return owners;
}
