import { IANAZone } from 'luxon';
import { z } from 'zod';
import { type PriorityShares, parseShares } from '../core/budget/priority.ts';
import { databaseUrlProblem } from './database-url.ts';
import { notificationEnvProblems, notificationEnvShape } from './notification-env.ts';
import { HANDOFF_MODES, type RunMode, type RunModeVars, runModeOf, runModeProblems } from './run-mode.ts';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.ts';

export { type RunMode, runModeOf } from './run-mode.ts';

/** Settings that moved into a mappings file: set (not empty), they stop the start with where they went. */
const MOVED_SETTINGS: Record<string, string> = {
  SALESFORCE_LEAD_ASSIGNMENT:
    'moved to mappings/routing.yaml: remove it, and there use `fallback: salesforce-rules` (was active-rule), a rule with ' +
    '`strategy: salesforce-rules` and `assignmentRule: 01Q…` (was a rule id), or `fallback: { user: … }` (was none)',
};

function movedSettingProblems(source: NodeJS.ProcessEnv): string[] {
  return Object.entries(MOVED_SETTINGS).flatMap(([name, where]) => ((source[name] ?? '').trim() === '' ? [] : [`${name}: ${where}`]));
}

/**
 * The environment is the public contract of the service: one schema, parsed once at start.
 * Every missing or invalid variable is reported together so an operator fixes them in one go.
 */
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url().optional())
  .optional();

const optionalPositiveInt = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : Number(value)))
  .pipe(z.number().int().min(1).optional())
  .optional();

/** The admin token guards every admin route; a short one can be guessed, so it is refused rather than accepted. */
const ADMIN_TOKEN_MIN_LENGTH = 32;
const ADMIN_TOKEN_HELP =
  `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters; generate one with \`openssl rand -base64 32\`` +
  " or `node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"`, or unset it to turn the admin API off";

const adminToken = optionalString.refine((token) => token === undefined || token.length >= ADMIN_TOKEN_MIN_LENGTH, ADMIN_TOKEN_HELP);

const databaseUrl = optionalString.superRefine((value, ctx) => {
  const problem = value === undefined ? undefined : databaseUrlProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Express's `trust proxy`: who may say, in X-Forwarded-For, which client a request came from. */
const trustProxy = z
  .string()
  .trim()
  .default('loopback')
  .transform((text, ctx): TrustProxy => {
    const parsed = parseTrustProxy(text === '' ? 'loopback' : text);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.value;
  });

const handoffMode = z
  .string()
  .trim()
  .default('auto')
  .transform((text) => (text === '' ? 'auto' : text))
  .pipe(z.enum(HANDOFF_MODES, { message: 'must be auto, live or sandbox' }));

/** `sync:90,bulk:70`: the percentage of a budget each priority may use (handoffs always 100). */
const shares = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx): PriorityShares => {
      const parsed = parseShares(text);
      if ('problem' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }
      return parsed.shares;
    });

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: 127.0.0.1 in sandbox mode (the simulators' secrets are public), 0.0.0.0 in live mode (see parseEnv). */
  HOST: optionalString,
  /** Which proxies' X-Forwarded-For is believed (client addresses for rate limits and logs); see trust-proxy.ts. */
  TRUST_PROXY: trustProxy,
  HANDOFF_MODE: handoffMode,
  NODE_ENV: optionalString,
  PUBLIC_BASE_URL: optionalUrl,
  DATABASE_URL: databaseUrl,
  DATA_DIR: z.string().default('./data'),
  MAPPINGS_DIR: z.string().default('./mappings'),
  ADMIN_TOKEN: adminToken,
  HUBSPOT_ACCESS_TOKEN: optionalString,
  HUBSPOT_CLIENT_SECRET: optionalString,
  HUBSPOT_APP_ID: optionalString,
  HUBSPOT_BASE_URL: z.url().default('https://api.hubapi.com'),
  /** The token endpoint's host: login/test.salesforce.com, or the org's My Domain (required by client credentials). */
  SALESFORCE_LOGIN_URL: z.url().default('https://login.salesforce.com'),
  SALESFORCE_INSTANCE_URL: optionalUrl,
  SALESFORCE_CLIENT_ID: optionalString,
  SALESFORCE_CLIENT_SECRET: optionalString,
  SALESFORCE_REFRESH_TOKEN: optionalString,
  /** JWT bearer flow: the user the integration runs as (the JWT's sub claim). */
  SALESFORCE_USERNAME: optionalString,
  /** JWT bearer flow: the PEM private key of the app's certificate, inline (\n escapes allowed) or as a file path. */
  SALESFORCE_JWT_PRIVATE_KEY: optionalString,
  SALESFORCE_JWT_PRIVATE_KEY_FILE: optionalString,
  /** Spring '26 is API v66.0; checked at start against the org's `GET /services/data/` list. */
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2,3}\.0$/, 'must look like 66.0')
    .default('66.0'),
  /** How often Salesforce is asked for changed Leads (the native connector's is minutes). */
  SALESFORCE_POLL_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  /**
   * Change Data Capture over the Pub/Sub API (issue 19): `on` follows Lead (and Opportunity) changes as they commit,
   * the poll becoming a drift check; `off` polls only. Unset: on in sandbox mode (the simulated org publishes change
   * events), off in live mode, where Lead must first be selected for Change Data Capture in Setup.
   */
  SALESFORCE_CDC: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['on', 'off'], { message: 'must be on or off' }))
    .optional(),
  /** The Pub/Sub API host:port ("Pub/Sub API Endpoints": api.pubsub.salesforce.com on 7443 or 443). */
  SALESFORCE_PUBSUB_ENDPOINT: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port, like api.pubsub.salesforce.com:7443')
    .default('api.pubsub.salesforce.com:7443'),
  /** While change events are live, the poll only checks for drift this often. */
  SALESFORCE_CDC_DRIFT_CHECK_SECONDS: z.coerce.number().min(10).max(86_400).default(600),
  /** A stream with no event and no keep-alive for this long is dead (Salesforce sends keep-alives within 270 s). */
  SALESFORCE_CDC_SILENCE_SECONDS: z.coerce.number().min(1).max(3_600).default(300),
  /** SOQL page size for the poll (Salesforce allows 200 to 2000). */
  SALESFORCE_QUERY_PAGE_SIZE: z.coerce.number().int().min(200).max(2000).default(2000),
  ...notificationEnvShape,
  /** SLA warnings and breaches go to a Slack-compatible incoming webhook and/or a generic JSON webhook. */
  SLA_ALERT_SLACK_WEBHOOK_URL: optionalUrl,
  SLA_ALERT_WEBHOOK_URL: optionalUrl,
  /** How often running SLA clocks are checked. */
  SLA_TICK_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  /** A parked item parked more often than this is marked as needing a person and never replayed automatically. */
  PARKED_MAX_AUTO_REPLAYS: z.coerce.number().int().min(1).max(100).default(5),
  /** How often parked work waiting for a condition (an API budget, a login) is checked for automatic resume. */
  PARKED_RESUME_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** Days personal data is kept after its use: processed webhook payloads, audit detail, resolved parked work. */
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  /**
   * How long MQL evaluations keep the values a backtest replays: a quarter, the period the MQL review recalibrates on
   * (issue 18). They hold only the properties the definition reads, an e-mail as its domain.
   */
  MQL_EVALUATION_RETENTION_DAYS: z.coerce.number().int().positive().default(92),
  /**
   * Sandbox mode only: `on` (the default) seeds an empty sandbox database with a quarter of made-up history (3,000
   * evaluated contacts, their handoffs and outcomes) so the KPIs, the backtest and the review pack show something on a
   * first run; `off` starts empty. Ignored in live mode, which never seeds.
   */
  SANDBOX_HISTORY: z
    .string()
    .trim()
    .toLowerCase()
    .default('on')
    .pipe(z.enum(['on', 'off'], { message: 'must be on or off' })),
  /** Operations alerts (refused Salesforce credentials, a spent API budget); the SLA targets when both are unset. */
  OPS_ALERT_SLACK_WEBHOOK_URL: optionalUrl,
  OPS_ALERT_WEBHOOK_URL: optionalUrl,
  /** HubSpot calls per rolling ten seconds for this app: 100, 190 or 250 by subscription (HUBSPOT_LIMITS.burstLimits). */
  HUBSPOT_BURST_LIMIT: z.enum(['100', '190', '250'], { message: 'must be 100, 190 or 250' }).default('100').transform(Number),
  /** HubSpot calls per portal day (private apps; 250,000 on Free and Starter). */
  HUBSPOT_DAILY_LIMIT: z.coerce.number().int().min(1).default(250_000),
  /** The portal's time zone: HubSpot's daily limit resets at midnight there. */
  HUBSPOT_PORTAL_TIMEZONE: z
    .string()
    .default('UTC')
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Berlin'),
  HUBSPOT_PRIORITY_SHARES: shares('sync:90,bulk:70'),
  /** The admin-set daily Salesforce allocation for Handoff (rolling 24 h); unset: only the org's own limit. */
  SALESFORCE_DAILY_API_ALLOCATION: optionalPositiveInt,
  SALESFORCE_ALLOCATION_SHARES: shares('sync:90,bulk:70'),
  SALESFORCE_ORG_SHARES: shares('sync:95,bulk:80'),
  /** While Salesforce's API budget is spent, one replica asks GET /limits this often. */
  SALESFORCE_BUDGET_PROBE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** While Salesforce refuses Handoff's credentials, one replica tries a token refresh (no API call) this often. */
  SALESFORCE_AUTH_RECHECK_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /**
   * Call-saving batch window for handoffs: 0 (the default) hands each lead off as soon as it can (latency first);
   * above 0 the worker holds waiting handoffs until the oldest has waited this long or a full HubSpot batch (100)
   * is waiting, trading up to this much latency for far fewer API calls per lead.
   */
  HANDOFF_BATCH_WINDOW_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be 0 (off) or more')
    .max(60_000, 'must be at most 60000 (one minute)')
    .default(0),
  /**
   * How old a kept property value may be and still decide a known contact's later change without a HubSpot read
   * (issue 21). Values of the primary company and of properties the app is not subscribed to change without a
   * webhook, so this is also how stale such a value may be. 0 turns kept values off (every change reads the contact).
   */
  HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 (off) or more')
    .max(86_400, 'must be at most 86400 (one day)')
    .default(600),
  /**
   * Percent of HubSpot's rolling burst window (HUBSPOT_BURST_LIMIT calls per 10 s) real-time handoff calls may use
   * before waiting handoffs are grouped: below it each lead goes at once, at it handoffs wait just until enough calls
   * leave the window for the next batch to fit. Not used while HANDOFF_BATCH_WINDOW_MS (the fixed window) is on.
   */
  HANDOFF_REALTIME_SHARE: z.coerce
    .number({ message: 'must be a whole percentage (1..100) of the HubSpot burst window' })
    .int('must be a whole percentage (1..100) of the HubSpot burst window')
    .min(1, 'must be at least 1 (percent of the HubSpot burst window)')
    .max(100, 'must be at most 100 (percent of the HubSpot burst window)')
    .default(50),
  /**
   * How long a HubSpot write-back (lifecycle, Salesforce id, score, sales-ready list) waits in the outbox for other
   * batches' to share its call; a full batch update (100 contacts) goes at once. Off the Lead's path: it only delays
   * what HubSpot shows, and each extra batch joining saves a HubSpot update and a list add. 2 s keeps the write-back to
   * about one call a second at any rate, so it leaves most of HANDOFF_REALTIME_SHARE to the reads Leads wait for.
   */
  HUBSPOT_WRITEBACK_WINDOW_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be 0 (send at once) or more')
    .max(10_000, 'must be at most 10000 (ten seconds)')
    .default(2_000),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
});

/** Whether this start seeds the sandbox's quarter of history: sandbox mode with SANDBOX_HISTORY on. Never in live mode. */
export function seedsSandboxHistory(env: Pick<Env, 'SANDBOX_HISTORY'> & RunModeVars): boolean {
  return runModeOf(env).kind === 'sandbox' && env.SANDBOX_HISTORY === 'on';
}

/** The parsed environment; HOST is resolved from the run mode when it is unset. */
export type Env = Omit<z.infer<typeof envSchema>, 'HOST'> & { HOST: string };

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Loopback unless live: a sandbox's simulators and their published secrets stay on this machine. */
const defaultHostOf = (mode: RunMode): string => (mode.kind === 'sandbox' ? '127.0.0.1' : '0.0.0.0');

const modeSchema = envSchema.pick({
  HANDOFF_MODE: true,
  NODE_ENV: true,
  PUBLIC_BASE_URL: true,
  HUBSPOT_ACCESS_TOKEN: true,
  HUBSPOT_CLIENT_SECRET: true,
  SALESFORCE_LOGIN_URL: true,
  SALESFORCE_INSTANCE_URL: true,
  SALESFORCE_CLIENT_ID: true,
  SALESFORCE_CLIENT_SECRET: true,
  SALESFORCE_REFRESH_TOKEN: true,
  SALESFORCE_USERNAME: true,
  SALESFORCE_JWT_PRIVATE_KEY: true,
  SALESFORCE_JWT_PRIVATE_KEY_FILE: true,
});

/** The mode's variables one by one, an invalid one as if unset, so the mode is judged even when other variables are wrong. */
function modeVarsOf(source: NodeJS.ProcessEnv): z.output<typeof modeSchema> {
  const vars: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(modeSchema.shape)) {
    const parsed = field.safeParse(source[key]);
    vars[key] = parsed.success ? parsed.data : field.safeParse(undefined).data;
  }
  return vars as z.output<typeof modeSchema>;
}

/** `A, B: …` names A and B. */
const namesAnyOf = (problem: string, keys: Set<string>): boolean =>
  problem
    .slice(0, Math.max(0, problem.indexOf(':')))
    .split(', ')
    .some((key) => keys.has(key));

/**
 * The environment, or one ConfigError naming every problem: the schema's and the run mode's together, so an
 * operator fixes them in one round. A mode problem about a variable the schema already refused is left out.
 */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  const issues = result.success ? [] : result.error.issues;
  const invalid = new Set(issues.map((issue) => String(issue.path[0])));
  const problems = [
    ...issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    ...runModeProblems(modeVarsOf(source)).filter((problem) => !namesAnyOf(problem, invalid)),
    ...(result.success ? notificationEnvProblems(result.data) : []),
    ...movedSettingProblems(source),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return { ...result.data, HOST: result.data.HOST ?? defaultHostOf(runModeOf(result.data)) };
}
