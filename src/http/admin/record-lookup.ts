import type { Queryable } from '../../store/database.ts';
import { type HistoryEntry, historyForContact } from '../../store/history.ts';
import { linkForSalesforceId, linksForContacts, type RecordLink } from '../../store/links.ts';
import { type AssignmentView, assignmentsForContact } from '../../store/routing-admin.ts';
import { refuseNul } from '../errors.ts';

/** A contact's sync status: its Salesforce link (if any) and every step taken, oldest first. */
export interface RecordView {
  key: string;
  matchedBy: 'hubspotContactId' | 'salesforceId' | 'email';
  hubspotContactId: string;
  link: RecordLink | null;
  history: HistoryEntry[];
  /** Routing decisions (initial and re-routes), oldest first, each with its notifications' delivery state. */
  routing: AssignmentView[];
}

export interface RecordLookup {
  /** undefined when nothing is known under this key. */
  find(key: string): Promise<RecordView | undefined>;
}

export interface RecordLookupOptions {
  /**
   * Resolves an e-mail to a HubSpot contact id (e.g. through HubSpot search). The store keeps no
   * e-mail addresses, so without this an e-mail look-up answers EmailLookupUnavailable.
   */
  contactIdForEmail?: (email: string) => Promise<string | undefined>;
}

/** Thrown for an e-mail key when no resolver is wired; the API answers 400 with this message. */
export class EmailLookupUnavailable extends Error {
  constructor() {
    super('look-up by e-mail is not available: use the HubSpot contact id or the Salesforce Lead/Contact id');
    this.name = 'EmailLookupUnavailable';
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Salesforce ids first (they have a fixed shape and are unique), then HubSpot contact ids. */
export function createRecordLookup(db: Queryable, options: RecordLookupOptions = {}): RecordLookup {
  async function viewOf(key: string, matchedBy: RecordView['matchedBy'], contactId: string, link?: RecordLink) {
    const [history, routing] = await Promise.all([historyForContact(db, contactId), assignmentsForContact(db, contactId)]);
    const linked = link ?? (await linksForContacts(db, [contactId])).get(contactId);
    if (!linked && history.length === 0 && routing.length === 0) return undefined;
    return { key, matchedBy, hubspotContactId: contactId, link: linked ?? null, history, routing };
  }
  return {
    async find(key) {
      // The key reaches SQL as text, where U+0000 fails the query (a 500) instead of matching nothing.
      refuseNul(key, 'key');
      if (EMAIL.test(key)) {
        if (!options.contactIdForEmail) throw new EmailLookupUnavailable();
        const contactId = await options.contactIdForEmail(key);
        return contactId === undefined ? undefined : viewOf(key, 'email', contactId);
      }
      const link = await linkForSalesforceId(db, key);
      if (link) return viewOf(key, 'salesforceId', link.hubspotContactId, link);
      return viewOf(key, 'hubspotContactId', key);
    },
  };
}
