/** A record's values (validate.ts's Row; not imported, as validate.ts reads the schema that reads this file). */
type Row = Record<string, unknown>;

/**
 * A standard org's Opportunity Stage picklist: the ten values of the OpportunityStage standard value set a new org
 * ships with. Each value carries its own closed and won flags and default forecast category (Object Reference,
 * "OpportunityStage": IsClosed, IsWon, ForecastCategoryName per stage value), and an Opportunity's IsClosed, IsWon
 * and ForecastCategoryName follow its StageName (Object Reference, "Opportunity": IsClosed and IsWon are read-only,
 * controlled by StageName). Closed Won is the one closed and won value, Closed Lost the one closed and not won;
 * forecast categories as a new org maps them: open stages Pipeline, Closed Won Closed, Closed Lost Omitted.
 */
export interface OpportunityStageValue {
  stage: string;
  closed: boolean;
  won: boolean;
  forecastCategory: ForecastCategory;
}

/** ForecastCategoryName's values (Object Reference, "OpportunityStage": ForecastCategoryName). */
export const FORECAST_CATEGORIES = ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

const open = (stage: string): OpportunityStageValue => ({ stage, closed: false, won: false, forecastCategory: 'Pipeline' });

export const DEFAULT_OPPORTUNITY_STAGES: readonly OpportunityStageValue[] = [
  open('Prospecting'),
  open('Qualification'),
  open('Needs Analysis'),
  open('Value Proposition'),
  open('Id. Decision Makers'),
  open('Perception Analysis'),
  open('Proposal/Price Quote'),
  open('Negotiation/Review'),
  { stage: 'Closed Won', closed: true, won: true, forecastCategory: 'Closed' },
  { stage: 'Closed Lost', closed: true, won: false, forecastCategory: 'Omitted' },
];

/** The stage a converted Lead's Opportunity starts in: the picklist's first value, as conversion sets it. */
export const FIRST_OPPORTUNITY_STAGE = 'Prospecting';

function stageValue(stage: unknown): OpportunityStageValue | undefined {
  return DEFAULT_OPPORTUNITY_STAGES.find((value) => value.stage === stage);
}

/**
 * What Salesforce computes on an Opportunity save: IsClosed and IsWon from the stage, and the stage's forecast
 * category whenever the stage changes (a rep may override the category afterwards, until the next stage change).
 */
export function withOpportunityDerived(row: Row, before: Row | undefined): Row {
  const value = stageValue(row.StageName);
  const stageChanged = before === undefined || before.StageName !== row.StageName;
  return {
    ...row,
    IsClosed: value?.closed ?? false,
    IsWon: value?.won ?? false,
    ...(stageChanged || row.ForecastCategoryName === undefined ? { ForecastCategoryName: value?.forecastCategory ?? 'Pipeline' } : {}),
  };
}
