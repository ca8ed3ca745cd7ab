import type { Database, Queryable } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import { queuedWriteBackProperties, supersedeWriteBacks } from '../../store/hubspot-writebacks.ts';
import { recordWrittenMany } from '../../store/last-written.ts';
import { recordOpportunities } from '../../store/opportunities.ts';
import { parkMany, settleSuperseded } from '../../store/parked.ts';
import { applyHubSpotFeedback, type FeedbackItem, type FeedbackResult } from './hubspot-feedback.ts';
import { OPPORTUNITY_FEEDBACK, opportunityRecords } from './opportunity-records.ts';
import type { DecidedOpportunity, LeadPollDeps } from './poll-types.ts';

export type { DecidedOpportunity } from './poll-types.ts';

const SUPERSEDED_BY_POLL = "a later poll synced this Opportunity's newer state to HubSpot";

/**
 * Carries out one page of decisions: won and lost deals go to HubSpot (properties, lifecycle forward only, nurture
 * lists) through the same feedback code as the Lead poll; then the deals, history, parked feedback and
 * `alsoInTransaction` (the watermark) are written in one transaction. Returns an outcome label per Opportunity.
 */
export async function processOpportunityPage(
  decided: DecidedOpportunity[],
  deps: Pick<LeadPollDeps, 'db' | 'hubspot' | 'lists' | 'now'>,
  alsoInTransaction?: (tx: Queryable) => Promise<void>,
): Promise<string[]> {
  const items: DealFeedback[] = [];
  for (const { opportunity, row, decision } of decided) {
    const outcome = decision.outcome;
    if (outcome.kind === 'won' || outcome.kind === 'lost')
      items.push({ opportunityId: opportunity.id, item: { contactId: row.hubspotContactId, feedback: outcome.hubspot } });
  }
  const applied = await applyPerContact(items, deps);
  const records = opportunityRecords(decided, applied);
  await recordPage(deps.db, records, deps.now(), alsoInTransaction);
  return records.labels;
}

interface DealFeedback {
  opportunityId: string;
  item: FeedbackItem;
}

/**
 * applyHubSpotFeedback answers per contact, so two deals of one contact in a page go in successive rounds, in page
 * order. Answers are keyed by Opportunity.
 */
async function applyPerContact(
  deals: DealFeedback[],
  deps: Pick<LeadPollDeps, 'db' | 'hubspot' | 'lists'>,
): Promise<Map<string, FeedbackResult>> {
  const results = new Map<string, FeedbackResult>();
  let rest = deals;
  while (rest.length > 0) {
    const contacts = new Set<string>();
    const round: DealFeedback[] = [];
    const later: DealFeedback[] = [];
    for (const deal of rest) {
      if (contacts.has(deal.item.contactId)) later.push(deal);
      else {
        contacts.add(deal.item.contactId);
        round.push(deal);
      }
    }
    // A contact past `customer` (an evangelist) keeps its stage: a won deal only ever moves it forward.
    const queued = await queuedWriteBackProperties(deps.db, [...contacts]);
    const answers = await applyHubSpotFeedback(
      round.map((deal) => deal.item),
      deps.hubspot,
      deps.lists,
      { backwardLifecycle: false, queued },
    );
    for (const deal of round) {
      const answer = answers.get(deal.item.contactId);
      if (answer) results.set(deal.opportunityId, answer);
    }
    rest = later;
  }
  return results;
}

async function recordPage(
  db: Database,
  records: ReturnType<typeof opportunityRecords>,
  at: Date,
  alsoInTransaction?: (tx: Queryable) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    await recordOpportunities(tx, records.opportunities, at);
    await recordWrittenMany(tx, 'hubspot', records.hubspotWritten);
    await supersedeWriteBacks(tx, records.hubspotWritten);
    await parkMany(tx, records.parked);
    // Feedback parked for these deals earlier is outdated: HubSpot now holds their current state.
    await settleSuperseded(tx, {
      kind: OPPORTUNITY_FEEDBACK,
      recordKeys: records.synced,
      actor: 'salesforce-poll',
      message: SUPERSEDED_BY_POLL,
    });
    await appendHistory(tx, records.history);
    await alsoInTransaction?.(tx);
  });
}
