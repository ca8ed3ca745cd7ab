import type { FunnelStage } from '../contact.ts';
import { addBusinessTime, businessDurationMs, parseDuration } from './business-time.ts';
import type { BusinessCalendar, SlaLimit, SlaRule, SlaRules, SlaUnit } from './sla-schema.ts';

export { detectFirstTouch, type FirstTouch, slaLeadFieldsToRead } from './first-touch.ts';

/** What the handoff knows when the Lead commits in Salesforce. */
export interface HandoffFacts {
  handedOffAt: Date;
  /** hs_analytics_source of the contact. */
  source: string | null | undefined;
  /** Segment id chosen by the MQL definition. */
  segmentId: string | null | undefined;
  /** True when a fast track qualified the contact. */
  fastTrack: boolean;
}

export type SlaClockKind = 'first_touch' | 'disposition';

export interface SlaClock {
  kind: SlaClockKind;
  dueAt: Date;
  /** Null when the rule sets no warning, or the warning would fall at or before the handoff. */
  warnAt: Date | null;
  /** For people: "first touch within 4 business hours (Europe/Berlin)". */
  rule: string;
}

export interface SlaClocks {
  rule: { id: string; label: string };
  clocks: SlaClock[];
}

/** Rules are tried in file order; the first whose `when` holds wins, else the default. */
export function selectSlaRule(facts: Omit<HandoffFacts, 'handedOffAt'>, sla: SlaRules): SlaRule {
  const matched = sla.rules.find((rule) => !rule.default && rule.when && ruleMatches(rule.when, facts));
  const chosen = matched ?? sla.rules.find((rule) => rule.default);
  if (!chosen) throw new Error('SLA rules have no default rule (the schema should have refused them)');
  return chosen;
}

function ruleMatches(when: NonNullable<SlaRule['when']>, facts: Omit<HandoffFacts, 'handedOffAt'>): boolean {
  // HubSpot's source values are upper-case enums; compare case-insensitively so "paid_search" still matches.
  const source = facts.source?.trim().toUpperCase();
  if (when.source && !(source && when.source.includes(source))) return false;
  if (when.segment && !(facts.segmentId && when.segment.includes(facts.segmentId))) return false;
  if (when.fastTrack && !facts.fastTrack) return false;
  return true;
}

/** The two clocks a handoff starts, from the rule that applies to it. */
export function slaClocksFor(facts: HandoffFacts, sla: SlaRules): SlaClocks {
  const rule = selectSlaRule(facts, sla);
  const clock = (kind: SlaClockKind, limit: SlaLimit, warnBefore: string | undefined): SlaClock => {
    const dueAt = addBusinessTime(facts.handedOffAt, limit.within, limit.unit, sla.calendar);
    return {
      kind,
      dueAt,
      warnAt: warnAtFor(facts.handedOffAt, dueAt, limit.unit, warnBefore, sla.calendar),
      rule: describeLimit(kind, limit, sla.calendar),
    };
  };
  return {
    rule: { id: rule.id, label: rule.label },
    clocks: [
      clock('first_touch', rule.firstTouch, rule.warnBefore.firstTouch),
      clock('disposition', rule.disposition, rule.warnBefore.disposition),
    ],
  };
}

/** The warning is counted back in the clock's own kind of time: wall clock for minutes, business time otherwise. */
function warnAtFor(start: Date, dueAt: Date, unit: SlaUnit, warnBefore: string | undefined, calendar: BusinessCalendar): Date | null {
  if (!warnBefore) return null;
  const before = parseDuration(warnBefore);
  let warnAt: Date;
  if (unit === 'minutes') warnAt = new Date(dueAt.getTime() - before.ms);
  else if (before.unit === 'days') warnAt = addBusinessTime(dueAt, -before.amount, 'businessDays', calendar);
  else warnAt = addBusinessTime(dueAt, -before.ms / 60_000, 'businessMinutes', calendar);
  return warnAt.getTime() > start.getTime() ? warnAt : null;
}

const UNIT_WORDS: Record<SlaUnit, [string, string]> = {
  minutes: ['minute', 'minutes'],
  businessMinutes: ['business minute', 'business minutes'],
  businessHours: ['business hour', 'business hours'],
  businessDays: ['business day', 'business days'],
};

/** "first touch within 4 business hours (Europe/Berlin)"; wall-clock minutes need no time zone. */
function describeLimit(kind: SlaClockKind, limit: SlaLimit, calendar: BusinessCalendar): string {
  const [one, many] = UNIT_WORDS[limit.unit];
  const zone = limit.unit === 'minutes' ? '' : ` (${calendar.timeZone})`;
  return `${kind === 'first_touch' ? 'first touch' : 'disposition'} within ${limit.within} ${limit.within === 1 ? one : many}${zone}`;
}

export interface Lateness {
  /** Wall-clock ms past due (0 when not late): what sla_timers.late_by_ms stores. */
  lateByMs: number;
  /** The part of the lateness inside business hours. */
  businessLateByMs: number;
  /** "2 h 5 min late", "1 d 3 h late", "less than a minute late", or "on time". */
  text: string;
}

export function lateness(dueAt: Date, at: Date, calendar: BusinessCalendar): Lateness {
  const lateByMs = Math.max(0, at.getTime() - dueAt.getTime());
  const businessLateByMs = lateByMs > 0 ? businessDurationMs(dueAt, at, calendar) : 0;
  return { lateByMs, businessLateByMs, text: latenessText(lateByMs) };
}

/** "on time", "less than a minute late", "2 h 5 min late": whole minutes, rounded down. */
export function latenessText(ms: number): string {
  if (ms <= 0) return 'on time';
  const totalMinutes = Math.floor(ms / 60_000);
  if (totalMinutes === 0) return 'less than a minute late';
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', minutes ? `${minutes} min` : ''].filter(Boolean);
  return `${parts.join(' ')} late`;
}

/** Stages that stop the disposition clock (the caller passes only stages it propagated). */
const DISPOSITION_STAGES: readonly FunnelStage[] = ['sql', 'opportunity', 'rejected', 'recycled'];

export function isDisposition(stage: FunnelStage | null): boolean {
  return stage !== null && DISPOSITION_STAGES.includes(stage);
}
