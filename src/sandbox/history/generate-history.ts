import { mqlEvaluationRecord } from '../../core/calibration/evaluation-record.ts';
import { qualifyMql } from '../../core/definitions/qualify-mql.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { slaClocksFor } from '../../core/sla/sla-clocks.ts';
import { caseSafeSuffix } from '../../simulators/salesforce/ids.ts';
import { seededRandom } from './random.ts';
import { accepted, followMql, type JourneyContext, type JourneyStart } from './sales-journey.ts';
import { seededContact } from './seeded-contact.ts';
import type { SeededHistory } from './seeded-rows.ts';
import { clockRows } from './seeded-timers.ts';

const DAY_MS = 86_400_000;

export interface HistoryPlan {
  bundle: MappingsBundle;
  /** The quarter ends here, exclusive: the start of today, so today's own figures stay the run's own. */
  end: Date;
  days: number;
  contacts: number;
  seed: number;
  /** Active sales reps' Salesforce User ids: the Leads' owners. */
  reps: string[];
}

/**
 * Salesforce-looking ids for seeded records, in a range of their own (`Hq7…`): the simulator's start at `Hs0`/`Hs1`,
 * so a Lead created today never shares an id with a seeded one.
 */
export function seededSalesforceId(prefix: string, n: number): string {
  const id15 = `${prefix}Hq7${String(n).padStart(9, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

/**
 * HubSpot contact ids far above the simulator's (which count from 101), so today's contacts never meet a seeded
 * contact's history.
 */
export const seededContactId = (n: number): string => String(9_000_000_000 + n);

/**
 * A quarter of history, pure and reproducible: `contacts` contacts evaluated by the ACTIVE MQL definition (real
 * qualifyMql results, recorded as the handoff records them), the MQLs handed off and followed through sales, and a
 * few contacts we did not hand off that sales accepted anyway.
 */
export function generateHistory(plan: HistoryPlan): SeededHistory {
  const random = seededRandom(plan.seed);
  const { bundle } = plan;
  const out: SeededHistory = {
    evaluations: [],
    history: [],
    assignments: [],
    timers: [],
    opportunities: [],
    counts: { contacts: plan.contacts, mql: 0, sql: 0, won: 0, lost: 0, rejected: 0, nonMqlSql: 0 },
  };
  const ctx: JourneyContext = { bundle, random, end: plan.end, out };
  const start = plan.end.getTime() - plan.days * DAY_MS;
  for (let n = 1; n <= plan.contacts; n++) {
    const { contact, quality } = seededContact(random, seededContactId(n));
    const evaluatedAt = workingMoment(random.next, start, plan.days);
    const result = qualifyMql(contact, bundle.mql);
    out.evaluations.push(mqlEvaluationRecord(contact, result, bundle.mql, evaluatedAt));
    const source = contact.properties.hs_analytics_source ?? null;
    const journey: JourneyStart = {
      contactId: contact.id,
      leadId: seededSalesforceId('00Q', n),
      opportunityId: seededSalesforceId('006', n),
      ownerId: random.pick(plan.reps),
      at: new Date(evaluatedAt.getTime() + random.int(800, 9_000)),
      result,
      quality,
      source,
    };
    if (!result.qualified) {
      notQualified(ctx, journey, evaluatedAt);
      continue;
    }
    out.counts.mql++;
    handedOff(ctx, journey, plan);
    const facts = { source, segmentId: result.segment.id, fastTrack: result.fastTrack !== undefined };
    // The business-hours arithmetic (about a millisecond a handoff) is most of the generator's time.
    const clocks = slaClocksFor({ ...facts, handedOffAt: journey.at }, bundle.sla);
    const stops = followMql(ctx, journey);
    out.timers.push(...clockRows(journey, evaluatedAt, clocks, stops, plan.end));
  }
  return out;
}

/** A moment on a working day (weekends are quiet), mostly in office hours (UTC), within the quarter. */
function workingMoment(next: () => number, start: number, days: number): Date {
  for (;;) {
    const day = Math.floor(next() * days);
    const midnight = start + day * DAY_MS;
    const weekday = new Date(midnight).getUTCDay();
    if ((weekday === 0 || weekday === 6) && next() > 0.2) continue;
    const hours = next() < 0.85 ? 7 + next() * 11 : next() * 24;
    return new Date(midnight + Math.floor(hours * 3_600_000));
  }
}

/** The handoff's own rows: the audit's `handed_off` (shaped as salesforce-outcomes.ts writes it) and the routing. */
function handedOff(ctx: JourneyContext, journey: JourneyStart, plan: HistoryPlan): void {
  const { result } = journey;
  const routingVersion = plan.bundle.versions.routing;
  ctx.out.history.push({
    hubspotContactId: journey.contactId,
    salesforceId: journey.leadId,
    action: 'handed_off',
    stage: 'mql',
    reason: result.reasons.join('; '),
    definitionVersion: result.version,
    score: result.score,
    at: journey.at,
    detail: {
      how: 'created',
      created: true,
      source: journey.source,
      segment: result.segment,
      breakdown: result.breakdown,
      fastTrack: result.fastTrack ?? null,
    },
  });
  const reason = "Fallback: the org's active assignment rule";
  ctx.out.history.push({
    hubspotContactId: journey.contactId,
    salesforceId: journey.leadId,
    action: 'routed',
    reason,
    at: journey.at,
    detail: { rule: 'fallback', strategy: 'fallback', ownerKind: 'assignment-rule', ownerId: journey.ownerId },
  });
  ctx.out.assignments.push({
    contactId: journey.contactId,
    leadId: journey.leadId,
    ruleId: 'fallback',
    strategy: 'fallback',
    ownerId: journey.ownerId,
    ownerKind: 'assignment-rule',
    decision: {
      rule: { id: 'fallback', label: 'Fallback' },
      strategy: 'fallback',
      owner: { kind: 'assignment-rule' },
      reason,
      passed: [],
      skipped: [],
    },
    routingVersion,
    decidedAt: journey.at,
    assignedAt: journey.at,
  });
}

/**
 * Not an MQL: the audit's verdict, and now and then (more for the keen) sales found the contact anyway — a rep's own
 * Lead that became an SQL: the examples the monthly review argues about.
 */
function notQualified(ctx: JourneyContext, journey: JourneyStart, evaluatedAt: Date): void {
  const { result } = journey;
  ctx.out.history.push({
    hubspotContactId: journey.contactId,
    action: 'not_qualified',
    reason: result.reasons.join('; '),
    definitionVersion: result.version,
    score: result.score,
    at: evaluatedAt,
    detail: { segment: result.segment, breakdown: result.breakdown, mappingProblems: [] },
  });
  if (result.excludedBy || !ctx.random.chance(0.01 + 0.12 * journey.quality ** 2)) return;
  const at = new Date(evaluatedAt.getTime() + ctx.random.logNormal(12 * DAY_MS, 0.6));
  if (at >= ctx.end) return;
  ctx.out.counts.nonMqlSql++;
  accepted(ctx, { ...journey, at }, at);
}
