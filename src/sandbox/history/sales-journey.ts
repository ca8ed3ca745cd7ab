import type { MqlResult } from '../../core/definitions/qualify-mql.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { HistoryEntryInput } from '../../store/history.ts';
import type { Random } from './random.ts';
import type { SeededHistory, SeededOpportunity } from './seeded-rows.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const OPEN_STAGES = ['Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review'];

/** What a journey needs besides the contact: the mappings, the quarter's end, and ids for its Lead and deal. */
export interface JourneyContext {
  bundle: MappingsBundle;
  random: Random;
  /** Nothing happens at or after this moment (the start of today). */
  end: Date;
  out: SeededHistory;
}

export interface JourneyStart {
  contactId: string;
  leadId: string;
  opportunityId: string;
  ownerId: string;
  /** The Lead's creation (an MQL's handoff), or the moment sales picked up a contact we did not hand off. */
  at: Date;
  result: MqlResult;
  quality: number;
  source: string | null;
}

/** When the contact's clocks stopped, for the SLA rows: first touch and disposition (null: not by the end). */
export interface JourneyClockStops {
  touchedAt: Date | null;
  disposedAt: Date | null;
  disposition: string | null;
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Sales' odds of accepting the contact: they rise with the score above the segment's threshold and, more, with the
 * contact's hidden intent (which the rules only partly see: what the backtest is there to find out).
 */
export function acceptOdds(result: MqlResult, quality: number): number {
  return logistic((result.score - result.threshold.total) / 25 + 4 * (quality - 0.7));
}

/**
 * What became of a handed-off contact: first touch (SAL), then accepted (SQL, converted with an Opportunity that is
 * won, lost or still open) or rejected with a reason from rejection-reasons.yaml (held or recycled as the reason
 * says). Each step after the quarter's end does not happen: recent MQLs are still open, as they would be.
 */
export function followMql(ctx: JourneyContext, start: JourneyStart): JourneyClockStops {
  const { random } = ctx;
  const stops: JourneyClockStops = { touchedAt: null, disposedAt: null, disposition: null };
  const touched = random.chance(0.93);
  const touchAt = new Date(start.at.getTime() + random.logNormal(3 * HOUR_MS, 1.1));
  if (touched && touchAt < ctx.end) {
    stops.touchedAt = touchAt;
    push(ctx, start, {
      action: 'status_synced',
      stage: 'sal',
      reason: 'Lead Status "Working - Contacted" → sal',
      at: touchAt,
      detail: { stage: 'sal' },
    });
  }
  const decideAt = new Date((stops.touchedAt ?? start.at).getTime() + random.logNormal((touched ? 3 : 12) * DAY_MS, 0.7));
  if (decideAt >= ctx.end) return stops;
  if (touched && random.chance(acceptOdds(start.result, start.quality))) {
    stops.disposedAt = decideAt;
    stops.disposition = 'sql';
    accepted(ctx, start, decideAt);
  } else {
    stops.disposedAt = decideAt;
    stops.disposition = 'rejected';
    rejected(ctx, start, decideAt, touched);
  }
  return stops;
}

/** Accepted by sales; most SQLs are converted with an Opportunity, which then runs its course. */
export function accepted(ctx: JourneyContext, start: JourneyStart, at: Date): void {
  const { random } = ctx;
  ctx.out.counts.sql++;
  push(ctx, start, {
    action: 'sql_qualified',
    stage: 'sql',
    reason: 'Lead Status "Qualified" → sql: BANT met',
    at,
    detail: { stage: 'sql' },
  });
  const convertAt = new Date(at.getTime() + random.logNormal(4 * DAY_MS, 0.6));
  if (!random.chance(0.8) || convertAt >= ctx.end) return;
  push(ctx, start, {
    action: 'converted',
    stage: 'opportunity',
    reason: 'Lead converted with an opportunity',
    at: convertAt,
    detail: { convertedOpportunityId: start.opportunityId, convertedContactId: null },
  });
  opportunity(ctx, start, convertAt);
}

function opportunity(ctx: JourneyContext, start: JourneyStart, convertedAt: Date): void {
  const { random } = ctx;
  const enterprise = start.result.segment.id === 'enterprise';
  const amount = Math.round(random.logNormal(enterprise ? 60_000 : 18_000, 0.6) / 100) * 100;
  const closeAt = new Date(convertedAt.getTime() + random.logNormal(28 * DAY_MS, 0.5));
  const deal: SeededOpportunity = {
    opportunityId: start.opportunityId,
    leadId: start.leadId,
    contactId: start.contactId,
    stage: random.pick(OPEN_STAGES),
    amount,
    closeDate: closeAt.toISOString().slice(0, 10),
    isClosed: false,
    isWon: false,
    lossReason: null,
    ownerId: start.ownerId,
    status: 'open',
    linkedAt: convertedAt,
    closedAt: null,
  };
  ctx.out.opportunities.push(deal);
  if (closeAt >= ctx.end) return;
  const won = random.chance(logistic(-1.6 + 3 * (start.quality - 0.5) + (start.result.score - start.result.threshold.total) / 40));
  const lossReasons = ctx.bundle.revenue.lost?.reasons.map((reason) => reason.code) ?? [];
  Object.assign(deal, {
    stage: won ? 'Closed Won' : 'Closed Lost',
    isClosed: true,
    isWon: won,
    lossReason: won ? null : lossReasons.length > 0 ? random.pick(lossReasons) : null,
    status: won ? 'won' : 'lost',
    closedAt: closeAt,
  });
  if (won) ctx.out.counts.won++;
  else ctx.out.counts.lost++;
  push(ctx, start, {
    action: won ? 'opportunity_won' : 'opportunity_lost',
    stage: 'opportunity',
    salesforceId: deal.opportunityId,
    reason: won ? 'Opportunity Closed Won' : `Opportunity Closed Lost${deal.lossReason ? ` (${deal.lossReason})` : ''}`,
    at: closeAt,
    detail: { opportunityId: deal.opportunityId, amount, closeDate: deal.closeDate, stage: deal.stage, lossReason: deal.lossReason },
  });
}

/** Rejected with a reason that fits the contact: unresponsive when never reached, else one its profile suggests. */
function rejected(ctx: JourneyContext, start: JourneyStart, at: Date, touched: boolean): void {
  const { random } = ctx;
  const reasons = ctx.bundle.rejection.reasons.filter((reason) => !reason.requiresNote);
  const byCode = (code: string) => reasons.find((reason) => reason.code === code);
  const code = touched
    ? random.weighted([
        ['bad_fit', 3 - 2 * start.quality],
        ['no_budget', 2],
        ['no_need', 2 - start.quality],
        ['bad_timing', 2],
        ['no_authority', 1.5],
        ['duplicate', 0.4],
        ['invalid_data', 0.3],
      ])
    : 'unresponsive';
  const reason = byCode(code) ?? random.pick(reasons);
  if (!reason) return;
  const recycle = reason.feedback.lifecycle === 'recycle';
  ctx.out.counts.rejected++;
  push(ctx, start, {
    action: recycle ? 'recycled' : 'rejected',
    stage: 'rejected',
    reason: `Rejected by sales: ${reason.label} (${reason.code}); ${recycle ? 'recycled' : 'held'}`,
    at,
    detail: {
      reasonCode: reason.code,
      reasonLabel: reason.label,
      lifecycle: reason.feedback.lifecycle,
      nurtureList: reason.feedback.nurtureList,
    },
  });
}

function push(
  ctx: JourneyContext,
  start: JourneyStart,
  entry: Omit<HistoryEntryInput, 'hubspotContactId' | 'salesforceId'> & { salesforceId?: string },
): void {
  ctx.out.history.push({ hubspotContactId: start.contactId, salesforceId: start.leadId, ...entry });
}
