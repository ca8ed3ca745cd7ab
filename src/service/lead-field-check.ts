import { describedFields } from '../adapters/salesforce/described-fields.ts';
import type { SalesforcePort } from '../adapters/salesforce/salesforce-port.ts';
import type { MappingsBundle } from '../core/mappings/bundle.ts';
import { createLeadReads, type LeadReads } from '../jobs/salesforce-poll/lead-reads.ts';
import type { Logger } from '../log.ts';
import type { Signal } from './signal.ts';

/**
 * The poll reads only Lead fields the org has. At start and on every publish the Lead is described and
 * whatever the configuration needs but the org lacks is said once, with its fix.
 */
export async function checkLeadFieldsNow(deps: {
  salesforce: SalesforcePort;
  mappings: MappingsBundle;
  mappingsChanged: Signal<MappingsBundle>;
  logger: Logger;
}): Promise<LeadReads> {
  const { logger } = deps;
  const leadReads = createLeadReads({ fields: describedFields(deps.salesforce, 'Lead', { logger }), logger });
  const check = (bundle: MappingsBundle) =>
    leadReads.plan(bundle).then(
      () => undefined,
      (error: unknown) =>
        logger.warn('could not describe the Salesforce Lead to check the fields the configuration reads', {
          module: 'salesforce-poll',
          error,
        }),
    );
  // Awaited so the problems lead the start-up log, but a slow or unreachable Salesforce does not hold the start.
  await Promise.race([check(deps.mappings), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
  deps.mappingsChanged.listen((bundle) => {
    leadReads.invalidate();
    void check(bundle);
  });
  return leadReads;
}
