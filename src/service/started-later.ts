import type { HubSpotPort } from '../adapters/hubspot/hubspot-port.ts';
import type { SalesforcePort } from '../adapters/salesforce/salesforce-port.ts';
import type { ConfigVersionsPort } from '../config/versions/config-versions-port.ts';
import type { SchemaSources } from '../http/admin/schema-routes.ts';
import type { ReplayParked } from '../jobs/parked/replay-parked.ts';
import type { RoutingDryRun } from '../jobs/routing/dry-run-route.ts';
import type { ResolveDirectory } from '../jobs/routing/routing-deps.ts';

/**
 * What the admin routes call but what exists only after the port is bound: the providers need the bound URL
 * (the simulated HubSpot sends its webhooks there) and /healthz must answer while a slow Salesforce is still
 * being checked. So the routes are built first and these are filled in as start-up reaches them; until then a
 * call says which part is still starting.
 */
export interface StartedLater {
  configVersions?: ConfigVersionsPort;
  hubspot?: HubSpotPort;
  /** The admin page's field pickers read its describe. */
  salesforce?: SalesforcePort;
  replayParked?: ReplayParked;
  /** The org directory (needs Salesforce) and the routing dry run (needs HubSpot and Salesforce). */
  resolveDirectory?: ResolveDirectory;
  routingDryRun?: (contactId: string) => Promise<RoutingDryRun | undefined>;
  handoffWorkerRunning: boolean;
}

function need<T>(value: T | undefined, what: string): T {
  if (!value) throw new Error(`${what} is still starting`);
  return value;
}

/** The configuration service as the admin API sees it from the first request on. */
export function configVersionsWhenStarted(later: StartedLater): ConfigVersionsPort {
  const port = () => need(later.configVersions, 'configuration service');
  return {
    list: () => port().list(),
    get: (id) => port().get(id),
    active: () => port().active(),
    createDraft: (input) => port().createDraft(input),
    validate: (id, options) => port().validate(id, options),
    dryRun: (id, input) => port().dryRun(id, input),
    backtest: (id, period) => port().backtest(id, period),
    previewMql: (input) => port().previewMql(input),
    publish: (id, input) => port().publish(id, input),
    rollback: (toId, input) => port().rollback(toId, input),
    exportFiles: (id) => port().exportFiles(id),
  };
}

/** The store keeps no e-mail addresses: an e-mail is resolved to a contact through HubSpot search. */
export async function contactIdForEmail(later: StartedLater, email: string): Promise<string | undefined> {
  const hubspot = need(later.hubspot, 'HubSpot');
  const found = await hubspot.searchContacts({
    filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }],
    properties: ['email'],
    limit: 1,
  });
  return found.contacts[0]?.id;
}

export function replayParkedWhenStarted(later: StartedLater): ReplayParked {
  return async (item, actor) => need(later.replayParked, 'parked work replay')(item, actor);
}

export function resolveDirectoryWhenStarted(later: StartedLater): ResolveDirectory {
  return (routing, extra) => need(later.resolveDirectory, 'Salesforce directory')(routing, extra);
}

export function routingDryRunWhenStarted(later: StartedLater): (contactId: string) => Promise<RoutingDryRun | undefined> {
  return (contactId) => need(later.routingDryRun, 'routing dry run')(contactId);
}

/** The live schemas the admin page's pickers offer: HubSpot's contact properties and Salesforce's describe. */
export function schemaSourcesWhenStarted(later: StartedLater): SchemaSources {
  return {
    listProperties: () => need(later.hubspot, 'HubSpot').listProperties(),
    describe: (object) => need(later.salesforce, 'Salesforce').describe(object),
  };
}
