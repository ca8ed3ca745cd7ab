import type { OpportunityState } from '../../core/revenue/opportunity-types.ts';

function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}

/** Amount is a JSON number in the REST answer; anything else reads as no amount. */
function amountOf(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** SOQL names are case-insensitive; the answer spells the field as the org does. */
function fieldOf(row: Record<string, unknown>, field: string): unknown {
  if (field in row) return row[field];
  const key = Object.keys(row).find((name) => name.toLowerCase() === field.toLowerCase());
  return key === undefined ? undefined : row[key];
}

/** An Opportunity row from SOQL as the core reads it; `lossReasonField` is revenue.yaml's field, if any. */
export function toOpportunityState(row: Record<string, unknown>, lossReasonField: string | undefined): OpportunityState {
  return {
    id: String(row.Id),
    stageName: text(row.StageName),
    amount: amountOf(row.Amount),
    closeDate: text(row.CloseDate)?.slice(0, 10) ?? null,
    isClosed: row.IsClosed === true || row.IsClosed === 'true',
    isWon: row.IsWon === true || row.IsWon === 'true',
    forecastCategory: text(row.ForecastCategoryName),
    lossReason: lossReasonField ? text(fieldOf(row, lossReasonField)) : null,
    ownerId: text(row.OwnerId),
    lastModifiedById: text(row.LastModifiedById),
    systemModstamp: text(row.SystemModstamp) ?? '',
  };
}
