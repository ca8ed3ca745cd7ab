import type { DescribedFields } from '../../adapters/salesforce/described-fields.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { type LeadReadPlan, type MissingLeadFields, planLeadReads } from '../../core/sales/lead-reads.ts';
import type { Logger } from '../../log.ts';

/** The poll's select list for the org as last described, with each problem logged once (not every round). */
export interface LeadReads {
  plan(bundle: MappingsBundle): Promise<LeadReadPlan>;
  /** Of these Lead fields, the ones the org has (other reads of Leads, such as a backfill's resync). */
  available(fields: string[]): Promise<string[]>;
  /** Describe the Lead again at the next plan (a configuration version was published). */
  invalidate(): void;
}

export function createLeadReads(deps: { fields: DescribedFields; logger: Logger }): LeadReads {
  const log = deps.logger.child({ module: 'salesforce-poll' });
  let reported = new Set<string>();

  const report = (missing: MissingLeadFields[]): void => {
    const now = new Set<string>();
    for (const problem of missing) {
      const line = problemLine(problem);
      now.add(line);
      if (!reported.has(line))
        log.warn(line, { file: problem.file, path: problem.path, fields: problem.fields, essential: problem.essential });
    }
    reported = now;
  };

  return {
    async plan(bundle) {
      const plan = planLeadReads(bundle, await deps.fields.names());
      report(plan.missing);
      return plan;
    },
    async available(fields) {
      const has = new Set((await deps.fields.names()).map((name) => name.toLowerCase()));
      return fields.filter((name) => has.has(name.toLowerCase()));
    },
    invalidate: () => deps.fields.invalidate(),
  };
}

/** `sla-rules.yaml firstTouch.detectBy[1]: firstCallOrEmail needs …`: where the use is, then what to do. */
function problemLine(problem: MissingLeadFields): string {
  return `${problem.file} ${problem.path}: ${problem.message}`;
}

/** The select list, or a clear error when a field the poll cannot do without is missing. */
export function selectableFields(plan: LeadReadPlan): string[] {
  const blocking = plan.missing.filter((m) => m.essential);
  if (blocking.length > 0) throw new Error(`the Salesforce poll cannot run: ${blocking.map(problemLine).join('; ')}`);
  return plan.fields;
}
