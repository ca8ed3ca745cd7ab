import type { MqlDefinition } from '../definitions/mql-schema.ts';
import type { BreakdownCategory } from '../definitions/qualify-mql.ts';
import { type OutcomeStatus, type OutcomeTally, ratio, tallyOutcomes } from './outcome.ts';

export interface RuleLift {
  ruleId: string;
  label: string;
  category: BreakdownCategory;
  /** A fast track or exclusion switched off in the draft never fires. */
  enabled: boolean;
  /** Contacts it fired for: of all replayed, and of the draft's MQLs. */
  firedFor: { contacts: number; mql: number };
  /** Of the draft's MQLs, the share it fired for (null without MQLs). */
  shareOfMql: number | null;
  /** Outcomes of the MQLs it fired for (rates as in OutcomeTally). */
  outcomes: OutcomeTally;
  /** The rule's MQL rates ÷ the baseline's (all the draft's MQLs); null when either is unknown or the baseline is 0. */
  sqlLift: number | null;
  winLift: number | null;
  /** `never_fires`: for no contact replayed; `fires_for_everyone`: for every one, so it tells contacts apart no more. */
  flag: 'never_fires' | 'fires_for_everyone' | null;
}

export interface LiftContact {
  draft: { qualified: boolean; fired: string[] };
  status: OutcomeStatus;
}

/** Per rule of the draft, in file order: how often it fired and how its MQLs did against all the draft's MQLs. */
export function ruleLift(definition: MqlDefinition, contacts: LiftContact[], baseline: OutcomeTally): RuleLift[] {
  const fired = new Map<string, { contacts: number; mqlStatuses: OutcomeStatus[] }>();
  for (const contact of contacts) {
    for (const id of contact.draft.fired) {
      const entry = fired.get(id) ?? { contacts: 0, mqlStatuses: [] };
      entry.contacts += 1;
      if (contact.draft.qualified) entry.mqlStatuses.push(contact.status);
      fired.set(id, entry);
    }
  }
  const rules: { id: string; label: string; category: BreakdownCategory; enabled: boolean }[] = [
    ...definition.fit.map((rule) => ({ ...rule, category: 'fit' as const, enabled: true })),
    ...definition.behaviour.map((rule) => ({ ...rule, category: 'behaviour' as const, enabled: true })),
    ...definition.fastTrack.map((rule) => ({ ...rule, category: 'fastTrack' as const })),
    ...definition.exclusions.map((rule) => ({ ...rule, category: 'exclusion' as const })),
  ];
  return rules.map((rule) => {
    const entry = fired.get(rule.id) ?? { contacts: 0, mqlStatuses: [] };
    const outcomes = tallyOutcomes(entry.mqlStatuses);
    const flag = entry.contacts === 0 ? 'never_fires' : entry.contacts === contacts.length ? 'fires_for_everyone' : null;
    return {
      ruleId: rule.id,
      label: rule.label,
      category: rule.category,
      enabled: rule.enabled,
      firedFor: { contacts: entry.contacts, mql: entry.mqlStatuses.length },
      shareOfMql: ratio(entry.mqlStatuses.length, baseline.contacts),
      outcomes,
      sqlLift: lift(outcomes.sqlRate, baseline.sqlRate),
      winLift: lift(outcomes.winRate, baseline.winRate),
      flag,
    };
  });
}

function lift(rate: number | null, baseline: number | null): number | null {
  return rate === null || baseline === null || baseline === 0 ? null : rate / baseline;
}
