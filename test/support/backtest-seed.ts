import { mqlEvaluationRecord } from '../../src/core/calibration/evaluation-record.ts';
import type { MqlDefinition } from '../../src/core/definitions/mql-schema.ts';
import { qualifyMql } from '../../src/core/definitions/qualify-mql.ts';
import type { Queryable } from '../../src/store/database-types.ts';
import { appendHistory, type HistoryEntryInput } from '../../src/store/history.ts';
import { recordMqlEvaluations } from '../../src/store/mql-evaluations.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

/** The shipped mapping files with the SMB threshold lowered from 50 to 40 (MQL definition 2025.2). */
export function lowerSmbThresholdFiles(): Record<string, string> {
  const seed = shippedFiles();
  return {
    ...seed,
    'mql-definition.yaml': seed['mql-definition.yaml']!.replace('version: "2025.1"', 'version: "2025.2"').replace(
      'threshold: { total: 50, minFit: 15 }',
      'threshold: { total: 40, minFit: 15 }',
    ),
  };
}

/**
 * Four contacts evaluated on 2026-02-10 under `active` (the shipped definition), all SMB (no company of 1,000+):
 * h1 fit 35 (VP 15, contact's software industry 15, Canada 5) + 2 pricing views 10 = 45: MQL under the lowered
 * threshold only; converted. h2 the same + one webinar 8 = 53: both; converted, then won. h3 fit 5 + 10 = 15 (below
 * min fit): neither; open. h4 demo requested (fast track): both; rejected as bad_fit. And h9, evaluated after February.
 */
export async function seedFebruaryEvaluations(db: Queryable, active: MqlDefinition): Promise<void> {
  const people: Record<string, Record<string, string>> = {
    h1: { jobtitle: 'VP Sales', industry: 'COMPUTER_SOFTWARE', country: 'Canada', pricing_page_views: '2' },
    h2: { jobtitle: 'VP Sales', industry: 'COMPUTER_SOFTWARE', country: 'Canada', pricing_page_views: '2', webinars_attended: '1' },
    h3: { jobtitle: 'Engineer', country: 'Canada', pricing_page_views: '2' },
    h4: { demo_requested: 'true' },
  };
  const evaluate = (id: string, properties: Record<string, string>, at: Date) => {
    const contact = { id, properties: { email: `${id}@buyer.example`, ...properties } };
    return mqlEvaluationRecord(contact, qualifyMql(contact, active), active, at);
  };
  await recordMqlEvaluations(db, [
    ...Object.entries(people).map(([id, properties]) => evaluate(id, properties, new Date('2026-02-10T09:00:00Z'))),
    evaluate('h9', { demo_requested: 'true' }, new Date('2026-03-05T00:00:00Z')),
  ]);
  const onDay = (day: number) => new Date(Date.UTC(2026, 1, day));
  // The Opportunity follow-up's actions are not in HistoryAction on this branch: written by name.
  const won = 'opportunity_won' as HistoryEntryInput['action'];
  await appendHistory(db, [
    { hubspotContactId: 'h1', action: 'converted', at: onDay(12) },
    { hubspotContactId: 'h2', action: 'converted', at: onDay(12) },
    { hubspotContactId: 'h2', action: won, at: onDay(20) },
    { hubspotContactId: 'h4', action: 'rejected', at: onDay(11), detail: { reasonCode: 'bad_fit' } },
  ]);
}
