import { z } from 'zod';
import { slaKindFigures } from './kpi-types.ts';

/** The cuts of the routing KPIs: the Lead's owner (a Salesforce User or queue Id), or the pool that dealt it. */
export const ROUTING_KPI_CUTS = ['owner', 'pool'] as const;
export type RoutingKpiCut = (typeof ROUTING_KPI_CUTS)[number];

/** A window `[from, to)`: on assignment time for assignments and re-routes, on the clock's start for first touch. */
export interface RoutingKpiQuery {
  from: Date;
  to: Date;
  by: RoutingKpiCut;
}

const rate = z.number().nullable().describe('A ratio in [0, 1]; null when the denominator is 0');
const figure = z.number().nullable();

export const routingKpiGroup = z.object({
  key: z.string().nullable().describe('Owner Id or pool id; null: not recorded (owner) or not dealt by a pool (pool)'),
  label: z.string().nullable().describe("The owner's name or the pool's label when known"),
  assigned: z.object({
    total: z.number().int().describe('Assignments committed in the window (state assigned)'),
    initial: z.number().int(),
    rerouted: z.number().int().describe('Assignments made by a re-route (to this owner or within this pool)'),
  }),
  reroutedAway: z.number().int().describe('Re-routes in the window that took a Lead away from this owner (or pool)'),
  sql: z.number().int().describe('Assigned Leads whose contact reached SQL (or later) while this assignment stood'),
  mqlToSql: rate,
  firstResponse: z.object({
    count: z.number().int().describe("First-touch clocks of this owner's (pool's) assignments that stopped"),
    medianMinutes: figure,
    p90Minutes: figure,
  }),
  firstTouchSla: slaKindFigures,
});

export const routingKpiReport = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(ROUTING_KPI_CUTS),
  groups: z.array(routingKpiGroup),
});

export type RoutingKpiGroup = z.output<typeof routingKpiGroup>;
export type RoutingKpiReport = z.output<typeof routingKpiReport>;
