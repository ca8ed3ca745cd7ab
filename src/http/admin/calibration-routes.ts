import { z } from 'zod';
import type { CalibrationExamplesReader } from '../../config/versions/calibration-examples.ts';
import { calibrationExamples } from '../../config/versions/calibration-examples-schema.ts';
import { instant } from './kpi-routes.ts';
import { type AdminRoute, defineRoute } from './route.ts';

export const EXAMPLES_LIMIT = { default: 10, max: 100 } as const;

const examplesQuery = z
  .strictObject({
    from: instant.describe('Period start (inclusive) on evaluation time'),
    to: instant.describe('Period end (exclusive)'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(EXAMPLES_LIMIT.max)
      .default(EXAMPLES_LIMIT.default)
      .describe(`Examples per list (default ${EXAMPLES_LIMIT.default}, at most ${EXAMPLES_LIMIT.max})`),
  })
  .refine((q) => q.from.getTime() < q.to.getTime(), { path: ['to'], message: 'to must be after from' });

/** GET /api/calibration/examples: the examples both teams argue about at the monthly MQL review. */
export function calibrationRoutes(reader: CalibrationExamplesReader): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/calibration/examples',
      tag: 'kpis',
      summary:
        'Examples for the MQL review, per contact evaluated in the period (its latest evaluation): high-scoring MQLs rejected by sales, low scorers or non-MQLs that became SQL or won',
      query: examplesQuery,
      responses: { 200: { description: 'Both lists, each with its breakdown (rule labels and points)', schema: calibrationExamples } },
      handle: async ({ query }) => ({ json: await reader.examples(query) }),
    }),
  ];
}
