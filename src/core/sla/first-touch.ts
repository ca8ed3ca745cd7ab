import { DateTime } from 'luxon';
import type { LeadMemory, LeadState } from '../sales/lead-change-types.ts';
import type { FirstTouchDetector, SlaRules } from './sla-schema.ts';

/**
 * Standard Lead fields that reveal a first touch. FirstCallDateTime and FirstEmailDateTime are dateTime
 * fields Salesforce fills only in orgs with Sales Engagement (High Velocity Sales); LastActivityDate is a
 * date without a time, set when a task or event is logged on the Lead.
 */
export const SLA_LEAD_FIELDS = {
  firstCall: 'FirstCallDateTime',
  firstEmail: 'FirstEmailDateTime',
  lastActivity: 'LastActivityDate',
} as const;

/** The extra Lead fields the poller must read for the configured detectors. */
export function slaLeadFieldsToRead(sla: SlaRules): string[] {
  const fields: string[] = [];
  if (sla.firstTouch.detectBy.includes('firstCallOrEmail')) fields.push(SLA_LEAD_FIELDS.firstCall, SLA_LEAD_FIELDS.firstEmail);
  if (sla.firstTouch.detectBy.includes('activityLogged')) fields.push(SLA_LEAD_FIELDS.lastActivity);
  return fields;
}

export interface FirstTouch {
  at: Date;
  /** For people and history: what showed the touch. */
  how: string;
  detector: FirstTouchDetector;
}

/**
 * The first touch the Lead shows, by the configured detectors, or undefined. When several fire, the
 * earliest wins. `at` is the field's own timestamp when it has one, else the Lead's SystemModstamp (the
 * status change and LastActivityDate carry no time of their own). `memory` only explains a status that had
 * already left the handoff status when the service last acted: the true time is then unknown, and
 * SystemModstamp is the upper bound the caller records.
 */
export function detectFirstTouch(
  lead: LeadState,
  memory: LeadMemory | undefined,
  sla: SlaRules,
  initialStatus: string,
): FirstTouch | undefined {
  const modstamp = parseInstant(lead.systemModstamp);
  const candidates: FirstTouch[] = [];
  const detectBy = sla.firstTouch.detectBy;
  if (detectBy.includes('statusLeavesInitial') && modstamp) {
    const status = lead.status?.trim();
    if (status && status !== initialStatus.trim()) {
      const earlier = memory?.status && memory.status.trim() !== initialStatus.trim() ? '; it had already left it when last seen' : '';
      candidates.push({ at: modstamp, how: `status left "${initialStatus}" (now "${status}")${earlier}`, detector: 'statusLeavesInitial' });
    }
  }
  if (detectBy.includes('firstCallOrEmail')) {
    for (const [field, what] of [
      [SLA_LEAD_FIELDS.firstCall, 'first call'],
      [SLA_LEAD_FIELDS.firstEmail, 'first e-mail'],
    ] as const) {
      const at = parseInstant(lead.fields[field]);
      if (at) candidates.push({ at, how: `${what} (${field})`, detector: 'firstCallOrEmail' });
    }
  }
  if (detectBy.includes('activityLogged') && modstamp) {
    const date = lead.fields[SLA_LEAD_FIELDS.lastActivity]?.trim();
    if (date)
      candidates.push({ at: modstamp, how: `activity logged (${SLA_LEAD_FIELDS.lastActivity} ${date})`, detector: 'activityLogged' });
  }
  return candidates.reduce<FirstTouch | undefined>((first, c) => (!first || c.at.getTime() < first.at.getTime() ? c : first), undefined);
}

/** Salesforce sends `2026-03-02T10:15:00.000+0000`; luxon reads that ISO form, Date alone is lenient. */
function parseInstant(value: string | null | undefined): Date | undefined {
  if (!value?.trim()) return undefined;
  const parsed = DateTime.fromISO(value.trim(), { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
