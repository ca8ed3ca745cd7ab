import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../adapters/hubspot/list-ids.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { OpportunityDecision, OpportunityState } from '../../core/revenue/opportunity-types.ts';
import type { LeadChangeDecision, LeadMemory, LeadState } from '../../core/sales/lead-change-types.ts';
import type { Logger } from '../../log.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { Database } from '../../store/database.ts';
import type { StoredLeadMemory } from '../../store/lead-memory.ts';
import type { StoredOpportunity } from '../../store/opportunities.ts';
import type { LeadReads } from './lead-reads.ts';

// The poll's shapes, shared by the poll, the page it carries out and the SLA stops, so none imports back.

export interface LeadPollDeps {
  db: Database;
  salesforce: SalesforcePort;
  hubspot: HubSpotPort;
  lists: ListIdResolver;
  mappings: () => MappingsBundle;
  /** The Lead fields the org has (from describe): the poll never names a field the org lacks. */
  leadReads: LeadReads;
  logger: Logger;
  now: () => Date;
  /** SOQL page size (Salesforce allows 200–2000). */
  pageSize?: number;
  /**
   * Re-read this far behind the watermark: records sharing a timestamp, or committed out of order, are never
   * missed; re-reads are recognised by their fingerprint and cost nothing but the read.
   */
  overlapMs?: number;
  metrics?: Pick<Metrics, 'rejection'>;
}

/** One Lead of a page, with what the poll remembers of it and what core decided. */
export interface DecidedLead {
  lead: LeadState;
  memory: (LeadMemory & Partial<Pick<StoredLeadMemory, 'flagTaskId'>>) | undefined;
  decision: LeadChangeDecision;
}

/** One Opportunity of a page, with its stored row (link and memory) and what core decided. */
export interface DecidedOpportunity {
  opportunity: OpportunityState;
  row: StoredOpportunity;
  decision: OpportunityDecision;
}
