import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import { MAPPING_FILES, type MappingsBundle } from '../../core/mappings/bundle.ts';
import type { ConfigProblem } from './config-versions-port.ts';
import { withLines } from './files.ts';
import { hubspotProblems, hubspotSchema } from './hubspot-checks.ts';
import { salesforceProblems } from './salesforce-checks.ts';

/** The two read-only calls live validation makes. */
export interface LiveSystems {
  hubspot: Pick<HubSpotPort, 'listProperties'>;
  salesforce: Pick<SalesforcePort, 'describe'>;
}

/**
 * Checks schema-valid mappings against the live (or simulated) systems, each with its line in `files`.
 * A system that cannot be asked is one problem of that system, not an exception: the admin sees the
 * other system's results and why this one is missing.
 */
export async function liveProblems(bundle: MappingsBundle, files: Record<string, string>, systems: LiveSystems): Promise<ConfigProblem[]> {
  const object = bundle.fieldMapping.salesforce.object;
  const [hubspot, salesforce] = await Promise.all([
    hubspotSchema(bundle, systems.hubspot).then(
      (schema) => withLines(hubspotProblems(bundle, schema.contacts, schema.companies), files),
      (error: unknown) => [unreachable('hubspot', 'hubspot', 'could not list HubSpot contact or company properties', error)],
    ),
    systems.salesforce.describe(object).then(
      (description) => withLines(salesforceProblems(bundle, description), files),
      (error: unknown) => [unreachable('salesforce', 'salesforce.object', `could not describe the Salesforce ${object} object`, error)],
    ),
  ]);
  return [...hubspot, ...salesforce];
}

function unreachable(source: 'hubspot' | 'salesforce', path: string, what: string, error: unknown): ConfigProblem {
  const message = error instanceof Error ? error.message : String(error);
  return { file: MAPPING_FILES.fieldMapping, path, source, message: `${what}: ${message}` };
}
