import type { FieldMapping } from '../field-mapping/field-schema.ts';
import { STAGE_PROPERTIES } from '../mappings/cross-checks.ts';
import type { MappingProblem } from '../mappings/problems.ts';
import type { RevenueConfig } from './revenue-schema.ts';

/**
 * Problems only visible beside field-mapping.yaml: the properties a won deal writes must be nobody else's. A stage
 * property belongs to status-map.yaml, and a property the field mapping writes too would flip between the two.
 */
export function revenueCrossProblems(
  files: { revenue: string; fieldMapping: string },
  revenue: RevenueConfig,
  mapping: FieldMapping,
): MappingProblem[] {
  if (!revenue.won) return [];
  const taken = new Map<string, string>();
  for (const name of STAGE_PROPERTIES) taken.set(name, 'a stage property of status-map.yaml');
  for (const [key, name] of Object.entries(mapping.hubspot))
    if (name) taken.set(name.toLowerCase(), `${files.fieldMapping} hubspot.${key}`);
  mapping.fields.forEach((field, i) => {
    if (field.direction !== 'to_salesforce')
      taken.set(field.hubspot.toLowerCase(), `${files.fieldMapping} fields[${i}] (${field.salesforce})`);
  });
  return (['amountProperty', 'closeDateProperty'] as const).flatMap((key) => {
    const name = revenue.won?.[key] ?? '';
    const owner = taken.get(name.toLowerCase());
    return owner
      ? [
          {
            file: files.revenue,
            path: `won.${key}`,
            message: `HubSpot property ${name} is already ${owner}; give the won deal's ${key === 'amountProperty' ? 'amount' : 'close date'} its own property`,
          },
        ]
      : [];
  });
}
