import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../adapters/hubspot/list-ids.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { ProviderError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { Database } from '../../store/database.ts';
import { pendingEvents } from '../../store/inbox.ts';
import { parkResult, type ContactResult } from './contact-result.ts';
import { decideAndWrite } from './decide-and-write.ts';
import { persistResults } from './persist-results.ts';
import { triageEvents } from './triage-events.ts';

export interface HandoffDeps {
  db: Database;
  hubspot: HubSpotPort;
  /** Resolves the list names the mappings use (the sales-ready list) to HubSpot list ids. */
  lists: ListIdResolver;
  salesforce: SalesforcePort;
  /** The active mappings; read once per batch so a batch never mixes versions. */
  mappings: () => MappingsBundle;
  logger: Logger;
  now: () => Date;
  metrics?: Pick<Metrics, 'handoff' | 'syncLatency'>;
}

export interface HandoffSummary {
  contacts: number;
  outcomes: Record<string, number>;
}

/**
 * One batch of contact jobs: settle echoes and irrelevant events, read the contacts that changed in one
 * batch read, decide each with the shared definition, write Salesforce, write back to HubSpot, and
 * record links, history and settled inbox events. Retryable provider failures throw (the job retries);
 * permanent ones park the affected contacts with the provider's message.
 */
export async function handoffContacts(contactIds: string[], deps: HandoffDeps): Promise<HandoffSummary> {
  const bundle = deps.mappings();
  const events = await pendingEvents(deps.db, [...new Set(contactIds)]);
  const triage = await triageEvents(deps.db, events);
  // When each contact's earliest waiting event reached us: the start of our own routing delay.
  const receivedAt = new Map<string, Date>();
  for (const event of events) {
    const at = new Date(event.receivedAt);
    const known = receivedAt.get(event.objectId);
    if (!known || at < known) receivedAt.set(event.objectId, at);
  }
  const results: ContactResult[] = [];
  const ids = [...triage.toRead.keys()];
  const newResult = (contactId: string): ContactResult => {
    const result: ContactResult = { contactId, eventIds: triage.toRead.get(contactId) ?? [], outcome: 'pending', history: [] };
    results.push(result);
    return result;
  };

  if (ids.length > 0) {
    let read: { contacts: HubSpotContact[]; missing: string[] };
    try {
      read = await deps.hubspot.readContacts(ids, [...bundle.hubspotProperties, bundle.fieldMapping.hubspot.recycleAfterProperty]);
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable) throw error;
      for (const id of ids) parkResult(newResult(id), 'handoff', 'hubspot', error.message, { step: 'read contacts' });
      read = { contacts: [], missing: [] };
    }
    for (const id of read.missing) {
      const result = newResult(id);
      result.outcome = 'contact not found in HubSpot';
      result.history.push({ hubspotContactId: id, action: 'failed', reason: 'HubSpot no longer has this contact (deleted or merged)' });
    }
    await decideAndWrite(read.contacts, newResult, bundle, deps, { receivedAt });
  }
  await persistResults(deps.db, results, triage.settled);
  const outcomes: Record<string, number> = {};
  for (const result of results) {
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    deps.metrics?.handoff(result.outcome);
    const delay = result.slaClocks?.[0]?.routingDelayMs;
    if (delay !== null && delay !== undefined) deps.metrics?.syncLatency(delay / 1000);
  }
  deps.logger.info('handoff batch done', { module: 'handoff', contacts: results.length, outcomes });
  return { contacts: results.length, outcomes };
}
