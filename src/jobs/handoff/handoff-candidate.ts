import type { HubSpotContact } from '../../core/contact.ts';
import type { MqlResult } from '../../core/definitions/qualify-mql.ts';
import type { LeadFields } from '../../core/handoff/build-lead.ts';
import type { SlaClocks } from '../../core/sla/sla-clocks.ts';
import type { ContactResult } from './contact-result.ts';

/** What the handoff asks Salesforce to do for one contact: a new or adopted Lead, or a refresh of a linked one. */
export interface HandoffCandidate {
  contact: HubSpotContact;
  result: ContactResult;
  lead: LeadFields;
  /** The same contact's mapped fields without create-time defaults, for adopting an existing Lead. */
  updateFields: LeadFields;
  qualification: MqlResult;
  hubspotUpdate: Record<string, string>;
  /** A recycled contact handed off again after its recycle date. */
  requalified?: boolean;
  /** The Lead the contact is already linked to (a re-qualified contact): updated, never created again. */
  leadId?: string;
  /** The SLA clocks this handoff starts, and when the first contact event reached us (for routing delay). */
  sla?: { clocks: SlaClocks; handedOffAt: Date; firstReceivedAt: Date | null };
}

export interface LeadRefresh {
  contact: HubSpotContact;
  result: ContactResult;
  leadId: string;
  lead: LeadFields;
}
