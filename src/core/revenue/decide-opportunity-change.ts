import type { MappingsBundle } from '../mappings/bundle.ts';
import type { HubSpotFeedback } from '../sales/lead-change-types.ts';
import type {
  OpportunityDecision,
  OpportunityHistory,
  OpportunityMemory,
  OpportunityOutcome,
  OpportunityState,
  OpportunityStatus,
} from './opportunity-types.ts';
import { type EnabledRevenue, findLossReason, isFollowed, lostNurtureList } from './revenue-schema.ts';

/** The values a decision depends on, as last acted on. */
interface Fingerprinted {
  stage: string | null;
  isClosed: boolean;
  isWon: boolean;
  amount: number | null;
  closeDate: string | null;
  lossReason: string | null;
}

/**
 * Decides what a changed Opportunity of a converted Lead means for HubSpot. Pure: `memory` is what was last acted
 * on. Won (closed and won, as the org's stage says) → lifecycle `customer` with the amount and close date; lost →
 * the lost Lead Status and the loss reason's nurture list; open → recorded only. Only the move into won or lost is
 * an `opportunity_won` / `opportunity_lost`; later edits of a closed deal (a corrected amount, a loss reason filled
 * in afterwards) are `fields_synced`, so each closing counts once. A change last made by `integrationUserId` (our
 * own integration user) is ours, not a rep's: it is left alone, and its memory is not moved, so the next change a
 * rep makes is decided against what was last acted on.
 */
export function decideOpportunityChange(
  opportunity: OpportunityState,
  memory: OpportunityMemory | undefined,
  bundle: MappingsBundle,
  integrationUserId?: string,
): OpportunityDecision {
  const fingerprint = opportunityFingerprint(opportunity);
  const status = statusOf(opportunity);
  const decide = (outcome: OpportunityOutcome): OpportunityDecision => ({ fingerprint, status, outcome });
  const revenue = bundle.revenue;
  if (!isFollowed(revenue))
    return decide({ kind: 'none', code: 'not_followed', reason: 'revenue follow-up is off (revenue.yaml enabled: false)' });
  if (memory?.fingerprint === fingerprint) return decide({ kind: 'none', code: 'unchanged', reason: 'no change since last processed' });
  if (integrationUserId && opportunity.lastModifiedById === integrationUserId)
    return decide({ kind: 'none', code: 'our_write', reason: "last changed by Handoff's integration user: our own write, not a rep's" });
  const before = parseOpportunityFingerprint(memory?.fingerprint);
  const previousList = memory?.status === 'lost' && before ? lostNurtureList(revenue, before.lossReason) : undefined;
  switch (status) {
    case 'open':
      return decide({
        kind: 'open',
        reason:
          memory?.status === 'won' || memory?.status === 'lost' ? `reopened: ${stageText(opportunity)}` : `open: ${stageText(opportunity)}`,
      });
    case 'won':
      return decide(won(opportunity, revenue, memory?.status !== 'won', previousList));
    case 'lost':
      return decide(lost(opportunity, revenue, memory?.status !== 'lost', previousList));
  }
}

function statusOf(opportunity: OpportunityState): OpportunityStatus {
  if (!opportunity.isClosed) return 'open';
  return opportunity.isWon ? 'won' : 'lost';
}

function won(
  opportunity: OpportunityState,
  revenue: EnabledRevenue,
  closing: boolean,
  previousList: string | undefined,
): OpportunityOutcome {
  const { won } = revenue;
  const hubspot: HubSpotFeedback = {
    // '' clears a HubSpot property: a won deal without an amount leaves none from an earlier deal behind.
    properties: {
      [won.amountProperty]: opportunity.amount === null ? '' : String(opportunity.amount),
      [won.closeDateProperty]: opportunity.closeDate ?? '',
    },
    lifecyclestage: won.lifecyclestage,
    // A deal lost and then won after all: the contact leaves the lost deal's nurture list.
    lists: { add: [], remove: previousList ? [previousList] : [] },
  };
  const amount = opportunity.amount === null ? 'no amount' : `amount ${opportunity.amount}`;
  const reason = closing
    ? `Opportunity won (${stageText(opportunity)}): ${amount}, closed ${opportunity.closeDate ?? 'without a close date'}`
    : `Won Opportunity changed: ${amount}, closed ${opportunity.closeDate ?? 'without a close date'}`;
  return { kind: 'won', hubspot, history: history(opportunity, closing ? 'opportunity_won' : 'fields_synced', reason, {}) };
}

function lost(
  opportunity: OpportunityState,
  revenue: EnabledRevenue,
  closing: boolean,
  previousList: string | undefined,
): OpportunityOutcome {
  const code = opportunity.lossReason?.trim() || null;
  const reason = findLossReason(revenue, code);
  const list = lostNurtureList(revenue, code);
  const hubspot: HubSpotFeedback = {
    properties: { hs_lead_status: revenue.lost.hs_lead_status },
    lists: { add: [list], remove: previousList && previousList !== list ? [previousList] : [] },
  };
  const why = reason
    ? `${reason.label} (${reason.code})`
    : code
      ? `loss reason "${code}" is not in revenue.yaml, so the default list`
      : 'no loss reason given, so the default list';
  const text = closing ? `Opportunity lost (${stageText(opportunity)}): ${why}` : `Lost Opportunity changed: ${why}`;
  return {
    kind: 'lost',
    hubspot,
    history: history(opportunity, closing ? 'opportunity_lost' : 'fields_synced', text, { nurtureList: list }),
  };
}

function history(
  opportunity: OpportunityState,
  action: OpportunityHistory['action'],
  reason: string,
  extra: Record<string, unknown>,
): OpportunityHistory {
  return {
    action,
    reason,
    detail: {
      opportunityId: opportunity.id,
      amount: opportunity.amount,
      closeDate: opportunity.closeDate,
      stage: opportunity.stageName,
      lossReason: opportunity.isClosed && !opportunity.isWon ? opportunity.lossReason?.trim() || null : null,
      ...extra,
    },
  };
}

function stageText(opportunity: OpportunityState): string {
  return opportunity.stageName ? `stage "${opportunity.stageName}"` : 'no stage';
}

/** The decision-relevant values as stable JSON. Forecast category, owner and modstamp are left out: they decide nothing. */
export function opportunityFingerprint(opportunity: OpportunityState): string {
  const values: Fingerprinted = {
    amount: opportunity.amount,
    closeDate: opportunity.closeDate,
    isClosed: opportunity.isClosed,
    isWon: opportunity.isWon,
    lossReason: opportunity.lossReason,
    stage: opportunity.stageName,
  };
  return JSON.stringify(values);
}

/** Reads a fingerprint back; undefined when it is not one of ours. */
function parseOpportunityFingerprint(fingerprint: string | undefined): Fingerprinted | undefined {
  if (!fingerprint) return undefined;
  try {
    const parsed = JSON.parse(fingerprint) as Partial<Fingerprinted> | null;
    return parsed && typeof parsed.isClosed === 'boolean' ? (parsed as Fingerprinted) : undefined;
  } catch {
    return undefined;
  }
}
