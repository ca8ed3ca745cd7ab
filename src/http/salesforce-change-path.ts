import { CHANGE_EVENT_LEASE, readCdcState } from '../store/cdc-lease.ts';
import type { Queryable } from '../store/database.ts';

/** Which path carries Salesforce changes to HubSpot now, for /readyz, the admin API and the admin page. */
export interface SalesforceChangePath {
  /** change-events: a live stream; poll: the poll carries every change (CDC off, starting, reconnecting, unavailable). */
  path: 'change-events' | 'poll';
  /** The subscriber's own status, or `off` when SALESFORCE_CDC is off. */
  status: string;
  detail: string | null;
  since: string | null;
}

export async function readSalesforceChangePath(db: Queryable, changeEventsOn: boolean): Promise<SalesforceChangePath> {
  if (!changeEventsOn) return { path: 'poll', status: 'off', detail: 'SALESFORCE_CDC is off: the poll carries every change', since: null };
  const state = await readCdcState(db, CHANGE_EVENT_LEASE);
  if (!state) return { path: 'poll', status: 'starting', detail: 'no replica has subscribed yet', since: null };
  const live = state.held && state.status === 'live';
  const detail = state.held ? state.detail : 'no replica holds the subscriber lease; a standby takes it within seconds';
  return { path: live ? 'change-events' : 'poll', status: state.held ? state.status : 'stopped', detail, since: state.since.toISOString() };
}
