import { z } from 'zod';
import type { BudgetReport } from '../../budgets/budget-report.ts';
import { type AdminRoute, defineRoute } from './route.ts';

const decision = z.object({
  proceed: z.boolean().describe('Whether a call of this priority would be sent now'),
  waitMs: z.number().describe("When refused: milliseconds until this priority's budget returns"),
  reason: z.string(),
});
const priorities = z.object({ handoff: decision, sync: decision, bulk: decision });
const outage = z.object({
  kind: z.enum(['budget', 'auth']).describe('budget: the provider said its API budget is spent; auth: it refused our credentials'),
  reason: z.string(),
  since: z.iso.datetime(),
  retryAt: z.iso.datetime().describe('When one replica checks again'),
});
const calls = z.record(z.string(), z.number()).describe('Calls counted per priority');

/** GET /api/budgets: the shared state of both providers' budgets. */
export const budgetReportSchema = z.object({
  generatedAt: z.iso.datetime(),
  hubspot: z.object({
    windows: z
      .array(z.object({ bucket: z.string(), max: z.number(), windowMs: z.number(), inUse: z.number() }))
      .describe('Rolling windows kept (burst, any stricter one HubSpot reported, search) and the calls started or booked in each'),
    reportedBurst: z
      .object({ max: z.number(), windowMs: z.number(), remaining: z.number().nullable() })
      .nullable()
      .describe('The last X-HubSpot-RateLimit-Max / -Interval-Milliseconds / -Remaining this replica saw'),
    daily: z.object({ limit: z.number(), used: z.number(), resetsAt: z.iso.datetime(), timezone: z.string() }),
    callsToday: calls,
    priorities,
    outages: z.array(outage),
  }),
  salesforce: z.object({
    allocation: z.number().nullable().describe('SALESFORCE_DAILY_API_ALLOCATION; null when only the org limit applies'),
    quotas: z.array(z.object({ name: z.string(), used: z.number(), limit: z.number() })),
    callsLast24h: calls,
    org: z
      .object({ used: z.number(), limit: z.number(), observedAt: z.iso.datetime() })
      .nullable()
      .describe('The org-wide usage from the last Sforce-Limit-Info (or /limits probe)'),
    priorities,
    outages: z.array(outage),
  }),
});

export interface BudgetReader {
  report(): Promise<BudgetReport>;
}

export function budgetRoutes(budgets: BudgetReader): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/budgets',
      tag: 'operations',
      summary: 'API budgets per provider: rate windows, daily and 24-hour counts, what each priority may do, open outages',
      responses: { 200: { description: 'The budgets as every replica shares them', schema: budgetReportSchema } },
      handle: async () => ({ json: budgetReportSchema.parse(await budgets.report()) }),
    }),
  ];
}
