import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import { type AccountOwner, accountOwnersByDomains, domainOfWebsite } from '../../adapters/salesforce/org-directory.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import type { MqlResult } from '../../core/definitions/qualify-mql.ts';
import type { RoutingFacts } from '../../core/routing/decide-route.ts';
import { COMPANY_DOMAIN_PROPERTY, HUBSPOT_OWNER_PROPERTY } from '../../core/routing/routing-references.ts';
import type { RoutingConfig } from '../../core/routing/routing-schema.ts';
import { ProviderError } from '../../errors.ts';
import type { Logger } from '../../log.ts';

export interface RoutingSubject {
  contact: HubSpotContact;
  qualification: Pick<MqlResult, 'segment' | 'fastTrack'>;
}

/**
 * Reads what the routing rules need about a batch of qualified contacts, asking only what some rule uses: the
 * Accounts whose website holds a contact's e-mail or company domain (one query for the batch) and the e-mails of the
 * contacts' HubSpot owners. Returns each contact's facts and the users the directory must also know.
 */
export async function readRoutingFacts(
  subjects: RoutingSubject[],
  routing: RoutingConfig,
  deps: { salesforce: Pick<SalesforcePort, 'query'>; hubspot: Pick<HubSpotPort, 'ownerEmails'>; logger?: Pick<Logger, 'warn'> },
  read: { accounts?: AccountOwner[] } = {},
): Promise<{ facts: Map<string, RoutingFacts>; extra: { userIds: string[]; emails: string[] } }> {
  const sources = ownerSources(routing);
  const domains = new Map(subjects.map((s) => [s.contact.id, contactDomains(s.contact)]));
  const accounts = sources.has('accountDomain')
    ? (read.accounts ?? (await accountOwnersByDomains(deps.salesforce, [...new Set([...domains.values()].flat())])))
    : [];
  const ownerIds = sources.has('hubspotOwner')
    ? subjects.map((s) => s.contact.properties[HUBSPOT_OWNER_PROPERTY]?.trim() ?? '').filter((id) => id !== '')
    : [];
  const ownerEmails = ownerIds.length > 0 ? await hubspotOwnerEmails(deps, [...new Set(ownerIds)]) : new Map<string, string>();
  const facts = new Map<string, RoutingFacts>();
  for (const { contact, qualification } of subjects) {
    const mine = domains.get(contact.id) ?? [];
    // The contact's own e-mail domain first, then its company's: the closer match wins.
    const owners = mine.flatMap((domain) => accounts.filter((a) => a.domain === domain));
    const ownerEmail = ownerEmails.get(contact.properties[HUBSPOT_OWNER_PROPERTY]?.trim() ?? '');
    facts.set(contact.id, {
      properties: contact.properties,
      segmentId: qualification.segment.id,
      source: contact.properties.hs_analytics_source,
      fastTrack: qualification.fastTrack !== undefined,
      accountOwners: owners,
      ...(ownerEmail ? { hubspotOwnerEmail: ownerEmail } : {}),
    });
  }
  return {
    facts,
    extra: { userIds: [...new Set(accounts.map((a) => a.ownerId))], emails: [...new Set(ownerEmails.values())] },
  };
}

/**
 * The domains whose Accounts routing will look up for these contacts, so the caller can ask for them with its own
 * Salesforce reads (findByEmails' accountDomains) and pass the answer to readRoutingFacts; undefined when no rule
 * routes by account.
 */
export function accountDomainsToAsk(contacts: HubSpotContact[], routing: RoutingConfig): string[] | undefined {
  if (!ownerSources(routing).has('accountDomain')) return undefined;
  return [...new Set(contacts.flatMap(contactDomains))];
}

const ownerSources = (routing: RoutingConfig) =>
  new Set(routing.rules.filter((r) => r.strategy === 'existing-owner').flatMap((r) => r.ownerFrom));

/**
 * The HubSpot owners' e-mails. A permanent refusal (the private app lacks `crm.objects.owners.read`, say) must not hold
 * up every new Lead: routing goes on as if the contacts had no HubSpot owner, and says why in the log. A transient
 * failure is thrown, for the batch to be retried.
 */
async function hubspotOwnerEmails(
  deps: { hubspot: Pick<HubSpotPort, 'ownerEmails'>; logger?: Pick<Logger, 'warn'> },
  ownerIds: string[],
): Promise<Map<string, string>> {
  try {
    return await deps.hubspot.ownerEmails(ownerIds);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.retryable) throw error;
    deps.logger?.warn('HubSpot owners could not be read; routing goes on without the HubSpot owner', {
      module: 'routing',
      code: error.code,
      hint: 'the HubSpot app needs the crm.objects.owners.read scope',
    });
    return new Map();
  }
}

/** The contact's e-mail domain and its company's domain (normalised like a website), without repeats. */
function contactDomains(contact: HubSpotContact): string[] {
  const email = contact.properties.email?.trim() ?? '';
  const at = email.lastIndexOf('@');
  const fromEmail = at > 0 ? domainOfWebsite(email.slice(at + 1)) : undefined;
  const fromCompany = domainOfWebsite(contact.properties[COMPANY_DOMAIN_PROPERTY]?.trim() ?? '');
  return [...new Set([fromEmail, fromCompany].filter((d): d is string => d !== undefined))];
}
