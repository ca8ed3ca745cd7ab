import type { ObjectDescription } from '../../adapters/salesforce/salesforce-port.ts';
import { MAPPING_FILES, type MappingsBundle } from '../../core/mappings/bundle.ts';
import { OPPORTUNITY_FIELDS } from '../../core/revenue/opportunity-reads.ts';
import { isFollowed } from '../../core/revenue/revenue-schema.ts';
import type { ConfigProblem } from './config-versions-port.ts';

/** Whether live validation must describe the Opportunity: only while revenue.yaml follows deals. */
export function followsOpportunities(bundle: MappingsBundle): boolean {
  return isFollowed(bundle.revenue);
}

/**
 * Checks revenue.yaml against describe(Opportunity): the standard fields the poll reads are visible to the
 * integration user (a query naming a field it cannot see fails as a whole), the loss-reason field exists, and
 * each loss-reason code is one of its picklist values.
 */
export function opportunityProblems(bundle: MappingsBundle, object: ObjectDescription): ConfigProblem[] {
  const { revenue } = bundle;
  if (!isFollowed(revenue)) return [];
  const file = MAPPING_FILES.revenue;
  const byName = new Map(object.fields.map((f) => [f.name.toLowerCase(), f]));
  const problems: ConfigProblem[] = [];
  const hidden = OPPORTUNITY_FIELDS.filter((name) => !byName.has(name.toLowerCase()));
  if (hidden.length > 0)
    problems.push({
      file,
      path: 'enabled',
      source: 'salesforce',
      message: `the integration user cannot read Opportunity.${hidden.join(', Opportunity.')}: grant read access (the Handoff_Integration permission set) or the deals cannot be followed`,
    });
  const name = revenue.salesforce.lossReasonField;
  if (!name) return problems;
  const field = byName.get(name.toLowerCase());
  if (!field) {
    problems.push({
      file,
      path: 'salesforce.lossReasonField',
      source: 'salesforce',
      message: `Opportunity has no field ${name} (deploy salesforce-metadata/ for Handoff_Loss_Reason__c, or check the API name; custom fields end in __c)`,
    });
    return problems;
  }
  if (field.picklistValues.length === 0) return problems;
  revenue.lost.reasons.forEach((reason, i) => {
    if (field.picklistValues.includes(reason.code)) return;
    problems.push({
      file,
      path: `lost.reasons[${i}].code`,
      source: 'salesforce',
      message: `"${reason.code}" is not a picklist value of Opportunity.${field.name}; add it to the field or remove the reason`,
    });
  });
  return problems;
}
