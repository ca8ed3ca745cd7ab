import type { HubSpotContact } from '../../core/contact.ts';

/** One page of contacts to go through, and the cursor that continues after it (null: this was the last). */
export interface ContactPage {
  contacts: HubSpotContact[];
  /** Ids asked for that HubSpot no longer has (link pages only). */
  missing: string[];
  after: string | null;
}
