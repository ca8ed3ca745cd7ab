import type { RevenueConfig } from './revenue-schema.ts';

/**
 * The standard Opportunity fields the poll reads (Object Reference, "Opportunity"): the stage and what the org's
 * stage sets (IsClosed, IsWon, ForecastCategoryName), the deal's amount and close date, and who changed it last.
 */
export const OPPORTUNITY_FIELDS = [
  'Id',
  'StageName',
  'Amount',
  'CloseDate',
  'IsClosed',
  'IsWon',
  'ForecastCategoryName',
  'OwnerId',
  'LastModifiedById',
  'SystemModstamp',
] as const;

/** The poll's select list: the standard fields, then the loss-reason field when revenue.yaml names one. */
export function opportunityFieldsToRead(revenue: RevenueConfig): string[] {
  const extra = revenue.salesforce.lossReasonField;
  const standard: string[] = [...OPPORTUNITY_FIELDS];
  return extra && !standard.some((name) => name.toLowerCase() === extra.toLowerCase()) ? [...standard, extra] : standard;
}
