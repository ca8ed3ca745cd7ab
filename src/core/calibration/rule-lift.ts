import type { MqlDefinition } from '../definitions/mql-schema.ts';
import type { BreakdownCategory } from '../definitions/qualify-mql.ts';
import { noStatuses, type OutcomeStatus, type OutcomeTally, ratio, type StatusCounts, tallyCounts } from './outcome.ts';

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

interface RuleCounts {
  id: string;
  label: string;
  category: BreakdownCategory;
  enabled: boolean;
  contacts: number;
  mql: StatusCounts;
}

/** Per rule of the draft, in file order: how often it fired, and how its MQLs did against all the draft's MQLs. */
export class RuleLiftCounter {
  private readonly rules: RuleCounts[];
  private readonly byId: Map<string, RuleCounts>;
  private contacts = 0;

  constructor(definition: MqlDefinition) {
    const rule = (r: { id: string; label: string }, category: BreakdownCategory, enabled: boolean): RuleCounts => ({
      id: r.id,
      label: r.label,
      category,
      enabled,
      contacts: 0,
      mql: noStatuses(),
    });
    this.rules = [
      ...definition.fit.map((r) => rule(r, 'fit', true)),
      ...definition.behaviour.map((r) => rule(r, 'behaviour', true)),
      ...definition.fastTrack.map((r) => rule(r, 'fastTrack', r.enabled)),
      ...definition.exclusions.map((r) => rule(r, 'exclusion', r.enabled)),
    ];
    this.byId = new Map(this.rules.map((r) => [r.id, r]));
  }

  add(draft: { qualified: boolean; fired: string[] }, status: OutcomeStatus): void {
    this.contacts += 1;
    for (const id of draft.fired) {
      const rule = this.byId.get(id);
      if (!rule) continue;
      rule.contacts += 1;
      if (draft.qualified) rule.mql[status] += 1;
    }
  }

  /** `baseline`: the tally of all the draft's MQLs. */
  lift(baseline: OutcomeTally): RuleLift[] {
    return this.rules.map((rule) => {
      const outcomes = tallyCounts(rule.mql);
      return {
        ruleId: rule.id,
        label: rule.label,
        category: rule.category,
        enabled: rule.enabled,
        firedFor: { contacts: rule.contacts, mql: outcomes.contacts },
        shareOfMql: ratio(outcomes.contacts, baseline.contacts),
        outcomes,
        sqlLift: lift(outcomes.sqlRate, baseline.sqlRate),
        winLift: lift(outcomes.winRate, baseline.winRate),
        flag: rule.contacts === 0 ? 'never_fires' : rule.contacts === this.contacts ? 'fires_for_everyone' : null,
      };
    });
  }
}

function lift(rate: number | null, baseline: number | null): number | null {
  return rate === null || baseline === null || baseline === 0 ? null : rate / baseline;
}
