/**
 * What core reads of a Change Data Capture event: its ChangeEventHeader ("ChangeEventHeader Fields", Change Data
 * Capture Developer Guide). The record's fields are left out on purpose: an event carries only what changed, so the
 * subscriber re-reads the records and decides on their whole state, as the poll does.
 */
export interface ChangeEventHeaderView {
  entityName: string;
  /** CREATE, UPDATE, DELETE, UNDELETE, or a gap type (GAP_CREATE … GAP_UNDELETE, GAP_OVERFLOW). */
  changeType: string;
  /** Usually one Id; several when one transaction made the same change to many records; `00Q*` after a type conversion. */
  recordIds: string[];
  /** The Id of the user whose transaction made the change. */
  commitUser: string;
  /** When the transaction committed, epoch ms. */
  commitTimestamp: number;
  /** `com/salesforce/api/<api>/<version>;client=<client id>` for API changes, empty otherwise. */
  changeOrigin: string;
}

/** The entities the subscriber follows, with their change topics on the Pub/Sub API. */
export const CHANGE_TOPICS = {
  Lead: '/data/LeadChangeEvent',
  Opportunity: '/data/OpportunityChangeEvent',
} as const;

export type FollowedEntity = keyof typeof CHANGE_TOPICS;
