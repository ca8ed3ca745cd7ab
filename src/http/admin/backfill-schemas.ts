import { z } from 'zod';
import { COUNT_KEYS } from '../../core/backfill/counts.ts';
import { backfillFilterSchema } from '../../core/backfill/filter.ts';

/** Requests and responses of the backfill routes (the OpenAPI document is generated from these). */

export const startBackfillBody = z.strictObject({
  mode: z
    .enum(['handoff', 'resync'])
    .default('handoff')
    .describe('handoff: hand off qualifying unlinked contacts; resync: bring linked contacts in line with their Lead'),
  dryRun: z
    .boolean()
    .default(false)
    .describe('Only report what the run would do; nothing is written to HubSpot, Salesforce, links or history'),
  filter: backfillFilterSchema.default({}).describe('Which contacts; left out, every contact'),
});

export const backfillIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a backfill run id (digits)')
    .describe('Backfill run id'),
});

export const backfillListQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^(?:[1-9]\d?|1\d\d|200)$/, 'must be a number from 1 to 200')
    .optional()
    .describe('At most this many runs, newest first (default 20)'),
});

const sampleEntry = z.object({
  contactId: z.string(),
  verdict: z.string(),
  reasons: z.array(z.string()),
  score: z.number().nullable().optional(),
  salesforce: z.string().optional(),
});

export const backfillRunView = z.object({
  id: z.string(),
  mode: z.enum(['handoff', 'resync']),
  dryRun: z.boolean(),
  filter: z.record(z.string(), z.unknown()),
  status: z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled']),
  cancelRequested: z.boolean(),
  source: z.enum(['list', 'search', 'links']),
  counts: z.object(Object.fromEntries(COUNT_KEYS.map((key) => [key, z.number().int()]))),
  progress: z.object({
    read: z.number().int(),
    total: z.number().int().nullable().describe('Null while HubSpot has not said how many'),
    percent: z.number().nullable(),
    ratePerSecond: z.number().nullable().describe('Contacts per second since the current worker took the run up'),
    etaSeconds: z.number().nullable(),
    eta: z.string().describe('"unknown" without a total or a rate'),
  }),
  pagesDone: z.number().int(),
  sample: z.array(sampleEntry).describe('Up to 10 contacts per verdict, with the reasons'),
  error: z.string().nullable(),
  requestedBy: z.string(),
  attempts: z.number().int().describe('Worker turns so far (a resume after a crash or a stop adds one)'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  updatedAt: z.string(),
});

export const backfillRunList = z.object({ runs: z.array(backfillRunView) });
