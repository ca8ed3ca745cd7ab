import type { Request, Response } from 'express';
import { z } from 'zod';
import type { KpiReader } from '../../kpis/compute-kpis.ts';
import { kpisToCsv } from '../../kpis/kpi-csv.ts';
import { KPI_GROUPINGS, type KpiQuery, kpiReport } from '../../kpis/kpi-types.ts';
import { routingKpisToCsv } from '../../kpis/routing-kpi-csv.ts';
import { ROUTING_KPI_CUTS, routingKpiReport } from '../../kpis/routing-kpi-types.ts';
import type { RoutingKpiReader } from '../../kpis/routing-kpis.ts';
import { describeIssues, HttpError } from '../errors.ts';
import type { AdminRoute } from './route.ts';

/** A day (`2026-11-01`, midnight UTC) or an instant with an offset (`2026-11-01T09:00:00+01:00`). */
export const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text));
const cut = z.string().min(1).max(200);

const kpiQuerySchema = z
  .strictObject({
    from: instant.describe('Window start (inclusive) on handoff time'),
    to: instant.describe('Window end (exclusive)'),
    groupBy: z
      .enum(KPI_GROUPINGS)
      .optional()
      .describe('One row per source, segment id, MQL definition version, Lead owner (its latest assignment) or score band (tens)'),
    source: cut.optional().describe('Only handoffs from this hs_analytics_source'),
    segment: cut.optional().describe('Only handoffs in this segment id'),
    definitionVersion: cut.optional().describe('Only handoffs under this MQL definition version'),
    format: z.enum(['json', 'csv']).optional().describe('csv: the same as Accept: text/csv'),
  })
  .refine((q) => q.from.getTime() < q.to.getTime(), { path: ['to'], message: 'to must be after from' });

type ParsedQuery = z.output<typeof kpiQuerySchema>;

function toKpiQuery(q: ParsedQuery): KpiQuery {
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    filters: { source: q.source, segment: q.segment, definitionVersion: q.definitionVersion },
  };
}

/** CSV when asked by `?format=csv` or when the client prefers text/csv over JSON. */
function wantsCsv(req: Request, q: { format?: 'json' | 'csv' | undefined }): boolean {
  if (q.format) return q.format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/**
 * GET /api/kpis. Its own `run` (not defineRoute's) because the answer depends on the Accept header, which
 * route handlers do not see; parsing and errors follow the same rules.
 */
export function kpiRoutes(kpis: KpiReader): AdminRoute[] {
  return [
    {
      method: 'get',
      path: '/api/kpis',
      tag: 'kpis',
      summary:
        'Funnel KPIs for a window: volumes to won, conversion and win rates, won amount, rejection reasons, response times, SLA adherence',
      query: kpiQuerySchema,
      responses: {
        200: { description: 'The KPIs (JSON). With Accept: text/csv or format=csv: one CSV row per group', schema: kpiReport },
      },
      async run(req: Request, res: Response) {
        const parsed = kpiQuerySchema.safeParse({ ...(req.query as object) });
        if (!parsed.success) throw new HttpError(400, 'invalid_query', 'invalid query parameters', describeIssues(parsed.error.issues));
        const report = await kpis.report(toKpiQuery(parsed.data));
        res.vary('Accept');
        if (!wantsCsv(req, parsed.data)) {
          res.json(report);
          return;
        }
        const name = `kpis-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}${report.groupBy ? `-by-${report.groupBy}` : ''}.csv`;
        res.attachment(name).type('text/csv; charset=utf-8').send(kpisToCsv(report));
      },
    },
  ];
}

const routingKpiQuerySchema = z
  .strictObject({
    from: instant.describe('Window start (inclusive) on assignment time (first-touch clocks: on their start)'),
    to: instant.describe('Window end (exclusive)'),
    by: z.enum(ROUTING_KPI_CUTS).default('owner').describe('One row per Lead owner (default) or per routing pool'),
    format: z.enum(['json', 'csv']).optional().describe('csv: the same as Accept: text/csv'),
  })
  .refine((q) => q.from.getTime() < q.to.getTime(), { path: ['to'], message: 'to must be after from' });

/** GET /api/kpis/routing: its own `run` for the same reason as /api/kpis (JSON or CSV by the Accept header). */
export function routingKpiRoutes(kpis: RoutingKpiReader): AdminRoute[] {
  return [
    {
      method: 'get',
      path: '/api/kpis/routing',
      tag: 'kpis',
      summary: 'Routing KPIs by owner or pool: leads assigned, re-routes, first response, first-touch SLA adherence, MQL→SQL',
      query: routingKpiQuerySchema,
      responses: {
        200: {
          description: 'The KPIs (JSON). With Accept: text/csv or format=csv: one CSV row per owner or pool',
          schema: routingKpiReport,
        },
      },
      async run(req: Request, res: Response) {
        const parsed = routingKpiQuerySchema.safeParse({ ...(req.query as object) });
        if (!parsed.success) throw new HttpError(400, 'invalid_query', 'invalid query parameters', describeIssues(parsed.error.issues));
        const { from, to, by } = parsed.data;
        const report = await kpis.report({ from, to, by });
        res.vary('Accept');
        if (!wantsCsv(req, parsed.data)) {
          res.json(report);
          return;
        }
        const name = `routing-kpis-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}-by-${report.by}.csv`;
        res.attachment(name).type('text/csv; charset=utf-8').send(routingKpisToCsv(report));
      },
    },
  ];
}
