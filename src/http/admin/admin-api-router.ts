import express, { type Router } from 'express';
import type { CalibrationExamplesReader } from '../../config/versions/calibration-examples.ts';
import type { ConfigVersionsPort } from '../../config/versions/config-versions-port.ts';
import type { BackfillPort } from '../../jobs/backfill/backfill-service.ts';
import type { KpiReader } from '../../kpis/compute-kpis.ts';
import type { RoutingKpiReader } from '../../kpis/routing-kpis.ts';
import type { Logger } from '../../log.ts';
import type { SalesforceChangePath } from '../salesforce-change-path.ts';
import { REQUEST_BUDGETS } from '../security.ts';
import { requireAdmin } from './auth.ts';
import { backfillRoutes } from './backfill-routes.ts';
import { type BudgetReader, budgetRoutes } from './budget-routes.ts';
import { calibrationRoutes } from './calibration-routes.ts';
import { changePathRoutes } from './change-path-routes.ts';
import { configRoutes } from './config-routes.ts';
import { FailedAuthCounter } from './failed-auth.ts';
import { kpiRoutes, routingKpiRoutes } from './kpi-routes.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { parkedRoutes, recordRoutes } from './operations-routes.ts';
import type { ParkedWorkPort } from './parked-work.ts';
import type { RecordLookup } from './record-lookup.ts';
import { type AdminRoute, defineRoute } from './route.ts';
import { type RoutingAdminDeps, routingRoutes } from './routing-routes.ts';
import { type SchemaSources, schemaRoutes } from './schema-routes.ts';
import { type AdminSessions, processLocalSessions } from './sessions.ts';

export interface AdminApiDeps {
  /** Unset: every admin route answers 503 (the API is off, never open). */
  adminToken: string | undefined;
  configVersions: ConfigVersionsPort;
  records: RecordLookup;
  parked: ParkedWorkPort;
  /** Funnel KPIs (GET /api/kpis); left out, the route is not mounted. */
  kpis?: KpiReader;
  /** The MQL review's examples (GET /api/calibration/examples); left out, the route is not mounted. */
  calibration?: CalibrationExamplesReader;
  /** Routing KPIs by owner and pool (GET /api/kpis/routing); left out, the route is not mounted. */
  routingKpis?: RoutingKpiReader;
  /** Routing pools, pause and resume (/api/routing/pools…); left out, the routes are not mounted. */
  routing?: RoutingAdminDeps;
  /** API budgets (GET /api/budgets); left out, the route is not mounted. */
  budgets?: BudgetReader;
  /** Which path carries Salesforce changes (GET /api/status/salesforce-changes); left out, the route is not mounted. */
  changePath?: () => Promise<SalesforceChangePath>;
  /** Live HubSpot properties and Salesforce fields (/api/schemas/…); left out, the routes are not mounted. */
  schemas?: SchemaSources;
  /** Backfill and resync runs (/api/backfill); left out, the routes are not mounted. */
  backfill?: BackfillPort;
  /** The admin page's sessions (the same object the page router gets); left out, this process's memory. */
  sessions?: AdminSessions;
  /** PUBLIC_BASE_URL: its origin may make changes with the session cookie, as the request's own origin may. */
  publicBaseUrl?: string;
  logger: Logger;
  now?: () => number;
}

/** Admin JSON bodies are mapping files at most; anything bigger is a mistake. */
const MAX_BODY = '2mb';

/** Every admin route, the OpenAPI document included (it describes itself too). */
export function adminRoutes(
  deps: Pick<
    AdminApiDeps,
    | 'configVersions'
    | 'records'
    | 'parked'
    | 'kpis'
    | 'calibration'
    | 'routingKpis'
    | 'routing'
    | 'budgets'
    | 'backfill'
    | 'changePath'
    | 'schemas'
  >,
): AdminRoute[] {
  const routes = [
    ...configRoutes(deps.configVersions),
    ...recordRoutes(deps.records),
    ...parkedRoutes(deps.parked),
    ...(deps.kpis ? kpiRoutes(deps.kpis) : []),
    ...(deps.calibration ? calibrationRoutes(deps.calibration) : []),
    ...(deps.routingKpis ? routingKpiRoutes(deps.routingKpis) : []),
    ...(deps.routing ? routingRoutes(deps.routing) : []),
    ...(deps.budgets ? budgetRoutes(deps.budgets) : []),
    ...(deps.backfill ? backfillRoutes(deps.backfill) : []),
    ...(deps.changePath ? changePathRoutes(deps.changePath) : []),
    ...(deps.schemas ? schemaRoutes(deps.schemas) : []),
  ];
  const openApi = defineRoute({
    method: 'get',
    path: '/api/openapi.json',
    tag: 'meta',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    handle: async () => ({ json: document }),
  });
  const all = [...routes, openApi];
  const document = buildOpenApiDocument(all);
  return all;
}

/**
 * The admin API under /api (paths are absolute, so mount it with `app.use(router)` like the others).
 * Order per route: auth (with the failure count and, for the session cookie, the same-origin checks) → JSON body →
 * zod-parse → port call; errors go to the app's errorHandler.
 */
export function adminApiRouter(deps: AdminApiDeps): Router {
  const router = express.Router();
  const log = deps.logger.child({ module: 'http.admin' });
  const now = deps.now ?? Date.now;
  const auth = requireAdmin({
    adminToken: deps.adminToken,
    sessions: deps.sessions ?? processLocalSessions(),
    publicBaseUrl: deps.publicBaseUrl,
    now,
    failures: new FailedAuthCounter(REQUEST_BUDGETS.adminFailedAuth, now),
    onBlocked: (client) =>
      log.warn('admin authentication refused for a while: too many failures from one client', {
        client,
        limit: REQUEST_BUDGETS.adminFailedAuth.limit,
        windowSeconds: REQUEST_BUDGETS.adminFailedAuth.windowMs / 1000,
      }),
  });
  const json = express.json({ limit: MAX_BODY });
  if (!deps.adminToken) log.warn('admin API disabled: ADMIN_TOKEN is not set');
  for (const route of adminRoutes(deps)) {
    router[route.method](route.path, auth, json, async (req, res) => {
      await route.run(req, res);
      // Who made it is kept with the change itself (versions, replays); a person's name stays out of the log.
      if (route.method === 'post') log.info('admin change', { route: route.path, status: res.statusCode });
    });
  }
  return router;
}
