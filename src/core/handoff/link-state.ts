import { recycleDue } from './recycle.ts';

/** What the store knows about a contact before its handoff is decided. */
export interface LinkFacts {
  /** The Salesforce record the contact is linked to, if any. */
  link?: { salesforceObject: 'Lead' | 'Contact'; salesforceId: string };
  /** The linked Lead's last known funnel stage (lead memory), if the poll has seen it. */
  leadStage?: string | null;
  /** The contact's recycle-after property in HubSpot. */
  recycleAfter?: string | null;
}

/**
 * Which way a contact goes, from its link alone. `follow` is the real-time path (a linked Lead's mapped fields are
 * refreshed, a recycled contact re-qualified); `skip` leaves every linked contact alone (a backfill hands off only
 * the unlinked).
 */
export type LinkPath =
  /** Not linked: judged as a new MQL, and given a Lead if it qualifies. */
  | { kind: 'judge'; reason: string }
  /** Recycled and due: judged afresh, and its linked Lead handed off again if it qualifies. */
  | { kind: 'requalify'; leadId: string; reason: string }
  /** Linked to a Lead: its mapped fields are compared with what we last wrote, and the changes sent. */
  | { kind: 'refresh'; leadId: string; reason: string }
  /** Left alone: linked while the caller skips linked contacts, or linked to a Salesforce Contact (sales owns it). */
  | { kind: 'leave'; why: 'linked' | 'salesforce_contact'; reason: string };

export function decideLinkPath(facts: LinkFacts, linked: 'follow' | 'skip', now: Date): LinkPath {
  const { link } = facts;
  if (!link) return { kind: 'judge', reason: 'not linked to Salesforce' };
  if (linked === 'skip') return { kind: 'leave', why: 'linked', reason: `already linked to ${link.salesforceObject} ${link.salesforceId}` };
  if (link.salesforceObject === 'Contact')
    return { kind: 'leave', why: 'salesforce_contact', reason: `linked to Salesforce Contact ${link.salesforceId}` };
  const recycle = recycleDue(facts.leadStage, facts.recycleAfter, now);
  if (recycle.due) return { kind: 'requalify', leadId: link.salesforceId, reason: recycle.reason };
  return { kind: 'refresh', leadId: link.salesforceId, reason: `linked to Lead ${link.salesforceId}; ${recycle.reason}` };
}
