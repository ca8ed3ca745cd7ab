import type { ChangeEventHeaderView, FollowedEntity } from './change-event-types.ts';

/** What became of one event: its records re-read, ours, a deletion (the poll never follows those), or an overflow. */
export type ChangeEventOutcome = 'reread' | 'echo' | 'deleted' | 'overflow' | 'other-entity';

/** Who we are on Salesforce: the integration user every call runs as, and the client name our calls carry. */
export interface OurIdentity {
  integrationUserId: string | undefined;
  clientName: string;
}

export interface ChangeBatchDecision {
  /** Record Ids to re-read per entity, each once, in the order the events named them. */
  reread: Record<FollowedEntity, string[]>;
  /**
   * The batch stands for changes it cannot name: an overflow event (a transaction past 100,000 changes carries no
   * record ids, "Overflow Events") or a wildcard id after a field type conversion ("ChangeEventHeader Fields").
   * The poll reads them from its watermark.
   */
  pollNow: boolean;
  outcomes: Record<ChangeEventOutcome, number>;
  /** The oldest commit in the batch among the events that are not ours (epoch ms), for the lag measure. */
  oldestCommit: number | undefined;
}

/**
 * `changeOrigin` ends with `;client=<client id>` when the caller set the Call Options header ("ChangeEventHeader
 * Fields"); the header only rides on some REST resources, so the commit user is the rule that always holds.
 */
function isOurs(event: ChangeEventHeaderView, ours: OurIdentity): boolean {
  if (ours.integrationUserId && event.commitUser === ours.integrationUserId) return true;
  const client = /;client=([^;]*)$/.exec(event.changeOrigin)?.[1];
  return client !== undefined && client === ours.clientName;
}

const isDeletion = (changeType: string) => changeType === 'DELETE' || changeType === 'GAP_DELETE';
const isFollowed = (entity: string): entity is FollowedEntity => entity === 'Lead' || entity === 'Opportunity';
/** A wildcard id (`00Q*`) names every record with that key prefix. */
const isWildcard = (id: string) => id.endsWith('*');

/**
 * One delivered batch of change events → the records to re-read. Our own writes come back as events and are dropped
 * here (the poll's fingerprints would drop them too, at the cost of a read). Gap events name their records without
 * values, which is all we use, so they are re-read like any change.
 */
export function decideChangeBatch(events: readonly ChangeEventHeaderView[], ours: OurIdentity): ChangeBatchDecision {
  const reread: Record<FollowedEntity, Set<string>> = { Lead: new Set(), Opportunity: new Set() };
  const outcomes: Record<ChangeEventOutcome, number> = { reread: 0, echo: 0, deleted: 0, overflow: 0, 'other-entity': 0 };
  let pollNow = false;
  let oldestCommit: number | undefined;
  const count = (outcome: ChangeEventOutcome) => {
    outcomes[outcome] += 1;
  };
  for (const event of events) {
    if (!isFollowed(event.entityName)) count('other-entity');
    else if (isOurs(event, ours)) count('echo');
    else if (isDeletion(event.changeType)) count('deleted');
    else if (event.changeType === 'GAP_OVERFLOW' || event.recordIds.length === 0 || event.recordIds.some(isWildcard)) {
      pollNow = true;
      count('overflow');
    } else {
      for (const id of event.recordIds) reread[event.entityName].add(id);
      count('reread');
    }
    if (isFollowed(event.entityName) && !isOurs(event, ours))
      oldestCommit = Math.min(oldestCommit ?? event.commitTimestamp, event.commitTimestamp);
  }
  return { reread: { Lead: [...reread.Lead], Opportunity: [...reread.Opportunity] }, pollNow, outcomes, oldestCommit };
}
