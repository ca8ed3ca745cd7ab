import { parseArgs } from 'node:util';
import { z } from 'zod';

/** How big each scenario is. Every figure is bounded in count and in time. */
export interface Profile {
  name: 'quick' | 'full';
  steady: { ratePerSecond: number; seconds: number };
  burst: { events: number; concurrentRequests: number };
  /** Each phase runs `seconds`; the first offers `targetEventsPerSecond` on a fixed schedule, the second saturates. */
  ingest: { seconds: number; connections: number; eventsPerRequest: number; contacts: number; targetEventsPerSecond: number };
  feedback: { pollSeconds: number; rejections: number; spacingMs: number };
  /** Seeded contacts (every second one qualifies); real-time webhooks per second during a second run (0: none). */
  backfill: { contacts: number; handoffsPerSecond: number; timeoutSeconds: number };
}

export const PROFILES: Record<Profile['name'], Profile> = {
  quick: {
    name: 'quick',
    steady: { ratePerSecond: 50, seconds: 10 },
    burst: { events: 1_000, concurrentRequests: 10 },
    ingest: { seconds: 5, connections: 16, eventsPerRequest: 10, contacts: 500, targetEventsPerSecond: 2_000 },
    feedback: { pollSeconds: 2, rejections: 6, spacingMs: 730 },
    backfill: { contacts: 5_000, handoffsPerSecond: 2, timeoutSeconds: 180 },
  },
  full: {
    name: 'full',
    steady: { ratePerSecond: 50, seconds: 60 },
    burst: { events: 5_000, concurrentRequests: 10 },
    ingest: { seconds: 20, connections: 16, eventsPerRequest: 10, contacts: 2_000, targetEventsPerSecond: 2_000 },
    feedback: { pollSeconds: 2, rejections: 20, spacingMs: 730 },
    backfill: { contacts: 20_000, handoffsPerSecond: 2, timeoutSeconds: 180 },
  },
};

export const SCENARIOS = ['handoff', 'ingest', 'feedback', 'backfill'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const optionsSchema = z.object({
  profile: z.enum(['quick', 'full']),
  engine: z.enum(['pglite', 'postgres']),
  latencyMs: z.coerce.number().int().min(0).max(1_000),
  out: z.string().min(1),
  only: z.array(z.enum(SCENARIOS)).min(1),
  databaseAdminUrl: z.string().url(),
  cpuProfileDir: z.string().min(1).optional(),
});

export type BenchOptions = z.infer<typeof optionsSchema> & { sizes: Profile };

const USAGE = `npm run bench -- [--quick | --full] [--engine pglite|postgres] [--latency-ms 50] [--only handoff,ingest,feedback,backfill] [--out bench/results.json] [--cpu-prof DIR]`;

/** Parses the command line; bad input names the option and exits with a usage line. */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      full: { type: 'boolean' },
      engine: { type: 'string', default: 'pglite' },
      'latency-ms': { type: 'string', default: '50' },
      only: { type: 'string', default: SCENARIOS.join(',') },
      out: { type: 'string', default: 'bench/results.json' },
      // The local server the test suites use: trust auth, loopback only.
      'postgres-admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
      // Where the service processes write V8 CPU profiles (node --cpu-prof), to see where the time goes.
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const parsed = optionsSchema.safeParse({
    profile: values.full ? 'full' : 'quick',
    engine: values.engine,
    latencyMs: values['latency-ms'],
    out: values.out,
    only: String(values.only).split(',').map((name) => name.trim()).filter(Boolean),
    databaseAdminUrl: values['postgres-admin-url'],
    cpuProfileDir: values['cpu-prof'],
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
    throw new Error(`${problems.join('\n')}\nusage: ${USAGE}`);
  }
  if (values.quick && values.full) throw new Error(`choose --quick or --full, not both\nusage: ${USAGE}`);
  return { ...parsed.data, sizes: PROFILES[parsed.data.profile] };
}
