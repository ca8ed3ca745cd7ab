import { z } from 'zod';

/**
 * The cuts a report can be grouped by; each maps to one recorded attribute of the handoff: its source, segment and
 * MQL definition version, the Lead's owner (its latest assignment), and the score band (the MQL score in tens).
 */
export const KPI_GROUPINGS = ['source', 'segment', 'definitionVersion', 'owner', 'scoreBand'] as const;
export type KpiGrouping = (typeof KPI_GROUPINGS)[number];

export interface KpiFilters {
  source?: string | undefined;
  /** The segment id recorded with the handoff (detail.segment.id). */
  segment?: string | undefined;
  definitionVersion?: string | undefined;
}

/** A window `[from, to)` on handoff time, optionally grouped and filtered. */
export interface KpiQuery {
  from: Date;
  to: Date;
  groupBy?: KpiGrouping | undefined;
  filters?: KpiFilters;
}

const rate = z.number().nullable().describe('A ratio in [0, 1]; null when the denominator is 0');
const figure = z.number().nullable();

export const slaKindFigures = z.object({
  met: z.number().int().describe('Clocks stopped on or before due and never breached'),
  decided: z.number().int().describe('Clocks stopped or breached'),
  breached: z.number().int(),
  adherence: rate,
});

export const kpiGroup = z.object({
  key: z.string().nullable().describe('The group value (null: not recorded, or the whole window when ungrouped)'),
  funnel: z.object({
    mql: z.number().int().describe('Contacts handed off in the window'),
    sal: z.number().int().describe('Of those, contacts whose later history reaches SAL or a later stage'),
    sql: z.number().int(),
    opportunity: z.number().int(),
    won: z.number().int().describe('Of those, contacts whose opportunity was last seen Closed Won'),
  }),
  rates: z.object({
    mqlToSal: rate,
    mqlToSql: rate,
    sqlToOpportunity: rate,
    opportunityToWon: rate,
    winRate: rate.describe('Won out of closed (won + lost) opportunities'),
  }),
  revenue: z.object({
    won: z.number().int(),
    lost: z.number().int(),
    wonAmount: z.number().describe("Sum of the won opportunities' Amount (as last seen)"),
    openDeals: z.number().int().describe('Opportunities of the cohort last read as open'),
    openAmount: z.number().describe('Their Amount: the open pipeline'),
    medianDaysMqlToWon: figure.describe('Days from the handoff to the moment the won deal was seen'),
  }),
  rejectionReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  firstResponse: z.object({
    count: z.number().int().describe('First-touch clocks stopped (the rep touched the Lead)'),
    medianMinutes: figure,
    p90Minutes: figure,
  }),
  routingDelay: z.object({
    count: z.number().int().describe('Handoffs with a measured routing delay (our own sync time)'),
    medianSeconds: figure,
    p90Seconds: figure,
  }),
  sla: z.object({ firstTouch: slaKindFigures, disposition: slaKindFigures }),
});

export const kpiReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(KPI_GROUPINGS).nullable(),
  filters: z.object({ source: z.string().optional(), segment: z.string().optional(), definitionVersion: z.string().optional() }),
  total: kpiGroup,
  groups: z.array(kpiGroup),
});

export type KpiGroup = z.output<typeof kpiGroup>;
export type KpiReport = z.output<typeof kpiReport>;
export type SlaKindFigures = z.output<typeof slaKindFigures>;
