import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** This checkout: the current side's service runs from here. */
const CURRENT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Webhooks at `ratePerSecond` on a fixed schedule for `seconds`. */
export interface SteadyLoad {
  ratePerSecond: number;
  seconds: number;
}

/**
 * The handoff phases: `slow` (5/s), `steady` (50/s on the 190-per-10 s portal), `starter` (50/s on a 100-per-10 s
 * portal), `calls` (20/s, calls per 1,000 without the fixed window), `burst` (all at once, `concurrentRequests`
 * deliveries of 100 in flight; `judged` only at the issue's size) and `windowed` (the fixed-window override, information).
 */
export interface HandoffSizes {
  slow: SteadyLoad;
  steady: SteadyLoad;
  starter: SteadyLoad;
  calls: SteadyLoad;
  burst: { events: number; concurrentRequests: number; judged: boolean };
  windowed: SteadyLoad;
}

/** How big each scenario is. Every figure is bounded in count and in time. */
export interface Profile {
  name: 'quick' | 'full';
  /** After each start, the service sits this long without load before its idle memory is read. */
  startup: { idleSeconds: number };
  /** The handoff scenario's phases, one per target of issue 21 (bench/README.md, "Handoff latency"). */
  handoff: HandoffSizes;
  /** Each phase runs `seconds`; the first offers `targetEventsPerSecond` on a fixed schedule, the second saturates. */
  ingest: { seconds: number; connections: number; eventsPerRequest: number; contacts: number; targetEventsPerSecond: number };
  feedback: { pollSeconds: number; rejections: number; spacingMs: number };
  /**
   * Change events against the poll (issue 19), per service: `rejections` spaced `spacingMs` for the feedback latency,
   * an idle window of `idleSeconds`, then `leadChanges` Leads changed at `changesPerSecond` on a fixed schedule.
   */
  changes: { rejections: number; spacingMs: number; idleSeconds: number; leadChanges: number; changesPerSecond: number };
  /** Seeded contacts (every second one qualifies); real-time webhooks per second during a second run (0: none). */
  backfill: { contacts: number; handoffsPerSecond: number; timeoutSeconds: number };
  /**
   * `redact` on each input at each size: up to `repetitions` timed calls, none started once the time spent plus
   * the longest call so far would pass `budgetSeconds`; the child process is killed at `timeoutSeconds`.
   */
  redact: { sizesKiB: number[]; repetitions: number; budgetSeconds: number; timeoutSeconds: number };
  /** Qualifying contacts sent at `ratePerSecond` on a fixed schedule, each followed to its owner's notifications. */
  notify: { ratePerSecond: number; contacts: number; timeoutSeconds: number };
  /** Stored MQL evaluations (one contact in ten evaluated twice) and backtests of a draft over them. */
  backtest: { evaluations: number; repetitions: number };
}

const PROFILES: Record<Profile['name'], Profile> = {
  quick: {
    name: 'quick',
    startup: { idleSeconds: 5 },
    handoff: {
      slow: { ratePerSecond: 5, seconds: 10 },
      steady: { ratePerSecond: 50, seconds: 10 },
      starter: { ratePerSecond: 50, seconds: 10 },
      calls: { ratePerSecond: 20, seconds: 20 },
      // The issue's burst is 5,000: the quick profile sends fewer and says so; only the full profile is judged.
      burst: { events: 1_000, concurrentRequests: 10, judged: false },
      windowed: { ratePerSecond: 50, seconds: 10 },
    },
    ingest: { seconds: 5, connections: 16, eventsPerRequest: 10, contacts: 500, targetEventsPerSecond: 2_000 },
    feedback: { pollSeconds: 2, rejections: 6, spacingMs: 730 },
    changes: { rejections: 12, spacingMs: 1_370, idleSeconds: 30, leadChanges: 200, changesPerSecond: 20 },
    backfill: { contacts: 5_000, handoffsPerSecond: 2, timeoutSeconds: 180 },
    redact: { sizesKiB: [64], repetitions: 5, budgetSeconds: 5, timeoutSeconds: 20 },
    notify: { ratePerSecond: 50, contacts: 500, timeoutSeconds: 120 },
    backtest: { evaluations: 100_000, repetitions: 3 },
  },
  full: {
    name: 'full',
    startup: { idleSeconds: 5 },
    handoff: {
      slow: { ratePerSecond: 5, seconds: 30 },
      steady: { ratePerSecond: 50, seconds: 60 },
      starter: { ratePerSecond: 50, seconds: 30 },
      calls: { ratePerSecond: 20, seconds: 60 },
      burst: { events: 5_000, concurrentRequests: 10, judged: true },
      windowed: { ratePerSecond: 50, seconds: 60 },
    },
    ingest: { seconds: 20, connections: 16, eventsPerRequest: 10, contacts: 2_000, targetEventsPerSecond: 2_000 },
    feedback: { pollSeconds: 2, rejections: 20, spacingMs: 730 },
    changes: { rejections: 30, spacingMs: 1_370, idleSeconds: 60, leadChanges: 1_000, changesPerSecond: 20 },
    backfill: { contacts: 20_000, handoffsPerSecond: 2, timeoutSeconds: 180 },
    redact: { sizesKiB: [64, 1_024], repetitions: 5, budgetSeconds: 5, timeoutSeconds: 20 },
    notify: { ratePerSecond: 50, contacts: 1_500, timeoutSeconds: 180 },
    backtest: { evaluations: 100_000, repetitions: 5 },
  },
};

export const SCENARIOS = ['startup', 'handoff', 'ingest', 'feedback', 'changes', 'backfill', 'redact', 'notify', 'backtest'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/**
 * Run only when named with --only: `changes` starts three services one after another (about 4½ minutes quick, an estimated 13
 * full), which would push a run of every scenario past its watchdog.
 */
const ON_REQUEST: readonly ScenarioName[] = ['changes'];
const DEFAULT_SCENARIOS = SCENARIOS.filter((name) => !ON_REQUEST.includes(name));

const optionsSchema = z.object({
  profile: z.enum(['quick', 'full']),
  engine: z.enum(['embedded', 'postgres']),
  latencyMs: z.coerce.number().int().min(0).max(1_000),
  out: z.string().min(1),
  only: z.array(z.enum(SCENARIOS)).min(1),
  databaseAdminUrl: z.string().url(),
  cpuProfileDir: z.string().min(1).optional(),
  baselineDir: z.string().min(1).optional(),
});

/**
 * Whose service the scenarios start: this checkout's, or the `--baseline` checkout's (an earlier version).
 * Everything else — simulators, load, measurement — is this checkout's either way.
 */
export interface ServiceUnderTest {
  side: 'baseline' | 'current';
  root: string;
}

export type BenchOptions = z.infer<typeof optionsSchema> & { sizes: Profile; service: ServiceUnderTest };

const USAGE = `npm run bench -- [--quick | --full] [--engine embedded|postgres] [--latency-ms 50] [--only startup,handoff,ingest,feedback,changes,backfill,redact,notify,backtest] [--baseline DIR] [--out bench/results.json] [--cpu-prof DIR]`;

/** Parses the command line; bad input names the option and exits with a usage line. */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      full: { type: 'boolean' },
      // embedded: the service gets only DATA_DIR and runs its own database; postgres: a fresh database on the local server.
      engine: { type: 'string', default: 'embedded' },
      'latency-ms': { type: 'string', default: '50' },
      only: { type: 'string', default: DEFAULT_SCENARIOS.join(',') },
      out: { type: 'string', default: 'bench/results.json' },
      // The local server the test suites use: trust auth, loopback only.
      'postgres-admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
      // Where the service processes write V8 CPU profiles (node --cpu-prof), to see where the time goes.
      'cpu-prof': { type: 'string' },
      // A checkout of an earlier version whose service the same scenarios run too, reported side by side.
      baseline: { type: 'string' },
    },
    strict: true,
  });
  const parsed = optionsSchema.safeParse({
    profile: values.full ? 'full' : 'quick',
    engine: values.engine,
    latencyMs: values['latency-ms'],
    out: values.out,
    only: String(values.only)
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    databaseAdminUrl: values['postgres-admin-url'],
    cpuProfileDir: values['cpu-prof'],
    baselineDir: values.baseline === undefined ? undefined : resolve(values.baseline),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
    throw new Error(`${problems.join('\n')}\nusage: ${USAGE}`);
  }
  if (values.quick && values.full) throw new Error(`choose --quick or --full, not both\nusage: ${USAGE}`);
  const { baselineDir } = parsed.data;
  if (baselineDir && !existsSync(join(baselineDir, 'src/main.ts')))
    throw new Error(`--baseline ${baselineDir}: no src/main.ts there\nusage: ${USAGE}`);
  if (baselineDir && !existsSync(join(baselineDir, 'node_modules')))
    throw new Error(`--baseline ${baselineDir}: no node_modules there (run npm install in it once)`);
  return { ...parsed.data, sizes: PROFILES[parsed.data.profile], service: { side: 'current', root: CURRENT_ROOT } };
}
