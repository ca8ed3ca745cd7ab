import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import { MAPPING_FILES, type MappingsBundle } from '../../core/mappings/bundle.ts';
import { routingReferences } from '../../core/routing/routing-references.ts';
import { type ChangeEventCheckPort, changeEventProblems } from './change-event-checks.ts';
import type { ConfigProblem } from './config-versions-port.ts';
import { withLines } from './files.ts';
import { hubspotProblems, hubspotSchema } from './hubspot-checks.ts';
import { followsOpportunities, opportunityProblems } from './opportunity-checks.ts';
import { type RoutingCheckPort, type RoutingReference, routingReferenceProblems } from './routing-checks.ts';
import { salesforceProblems } from './salesforce-checks.ts';

/** The read-only calls live validation makes. */
export interface LiveSystems {
  hubspot: Pick<HubSpotPort, 'listProperties'>;
  salesforce: Pick<SalesforcePort, 'describe'> & RoutingCheckPort;
  /** The custom notification type owner notifications use (SALESFORCE_NOTIFICATION_TYPE); default the package's. */
  notificationType?: string;
  /** The Pub/Sub API, while SALESFORCE_CDC is on: its topics are checked too. */
  changeEvents?: ChangeEventCheckPort;
  /** Lets go of what the systems hold open (the Pub/Sub API's channel). */
  close?(): void;
}

/** Everything routing.yaml names in the org, plus the notification type when it notifies through Salesforce. */
function routingRefs(bundle: MappingsBundle, notificationType: string): RoutingReference[] {
  const file = MAPPING_FILES.routing;
  const refs: RoutingReference[] = routingReferences(bundle.routing).map((ref) => ({ ...ref, file }));
  if (bundle.routing.notify.channels.includes('salesforce'))
    refs.push({ file, path: 'notify.channels', kind: 'notificationType', value: notificationType });
  return refs;
}

/**
 * Checks schema-valid mappings against the live (or simulated) systems, each with its line in `files`.
 * A system that cannot be asked is one problem of that system, not an exception: the admin sees the
 * other system's results and why this one is missing.
 */
export async function liveProblems(bundle: MappingsBundle, files: Record<string, string>, systems: LiveSystems): Promise<ConfigProblem[]> {
  const object = bundle.fieldMapping.salesforce.object;
  let salesforceReached = true;
  const [hubspot, salesforce, opportunity] = await Promise.all([
    hubspotSchema(bundle, systems.hubspot).then(
      (schema) => withLines(hubspotProblems(bundle, schema.contacts, schema.companies), files),
      (error: unknown) => [unreachable('hubspot', 'hubspot', 'could not list HubSpot contact or company properties', error)],
    ),
    systems.salesforce.describe(object).then(
      (description) => withLines(salesforceProblems(bundle, description), files),
      (error: unknown) => {
        salesforceReached = false;
        return [unreachable('salesforce', 'salesforce.object', `could not describe the Salesforce ${object} object`, error)];
      },
    ),
    // revenue.yaml reads the Opportunity; asked only while it follows deals.
    followsOpportunities(bundle)
      ? systems.salesforce.describe('Opportunity').then(
          (description) => withLines(opportunityProblems(bundle, description), files),
          (error: unknown) => [
            {
              ...unreachable('salesforce', 'enabled', 'could not describe the Salesforce Opportunity object', error),
              file: MAPPING_FILES.revenue,
            },
          ],
        )
      : [],
  ]);
  // Salesforce out of reach is one problem (above), not one more per user and queue routing.yaml names.
  const routing = salesforceReached
    ? withLines(
        (await routingReferenceProblems(systems.salesforce, routingRefs(bundle, systems.notificationType ?? 'Handoff_Lead_Assigned'))).map(
          (p) => ({ ...p, source: 'salesforce' as const }),
        ),
        files,
      )
    : [];
  const changeEvents = salesforceReached && systems.changeEvents ? await changeEventProblems(bundle, systems.changeEvents) : [];
  return [...hubspot, ...salesforce, ...(salesforceReached ? opportunity : []), ...routing, ...changeEvents];
}

function unreachable(source: 'hubspot' | 'salesforce', path: string, what: string, error: unknown): ConfigProblem {
  const message = error instanceof Error ? error.message : String(error);
  return { file: MAPPING_FILES.fieldMapping, path, source, message: `${what}: ${message}` };
}
