import { IANAZone } from 'luxon';
import { z } from 'zod';
import { SALESFORCE_LIMITS } from '../adapters/salesforce/limits.ts';
import { parseShares, type PriorityShares } from '../core/budget/priority.ts';
import { SALESFORCE_AUTH_KEYS, salesforceAuthFromEnv } from './salesforce-auth-env.ts';

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
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: optionalUrl,
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default('./data'),
  MAPPINGS_DIR: z.string().default('./mappings'),
  ADMIN_TOKEN: optionalString,
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
  /** SOQL page size for the poll (Salesforce allows 200 to 2000). */
  SALESFORCE_QUERY_PAGE_SIZE: z.coerce.number().int().min(200).max(2000).default(2000),
  /**
   * Who a Lead that Handoff creates goes to: `active-rule` (the org's active lead assignment rule), `none` (no rule:
   * the owner Handoff sends, else the integration user) or one assignment rule by its id. Updates never run a rule.
   */
  SALESFORCE_LEAD_ASSIGNMENT: z
    .string()
    .trim()
    .refine((value) => value === 'active-rule' || value === 'none' || SALESFORCE_LIMITS.assignmentRuleHeader.ruleIdPattern.test(value), {
      message: 'must be active-rule, none, or a lead assignment rule id (01Q followed by 12 or 15 letters and digits)',
    })
    .default('active-rule'),
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
  /** Operations alerts (refused Salesforce credentials, a spent API budget); the SLA targets when both are unset. */
  OPS_ALERT_SLACK_WEBHOOK_URL: optionalUrl,
  OPS_ALERT_WEBHOOK_URL: optionalUrl,
  /** HubSpot calls per rolling ten seconds for this app: 100, 190 or 250 by subscription (HUBSPOT_LIMITS.burstLimits). */
  HUBSPOT_BURST_LIMIT: z.enum(['100', '190', '250'], { message: 'must be 100, 190 or 250' }).default('100').transform(Number),
  /** HubSpot calls per portal day (private apps; 250,000 on Free and Starter). */
  HUBSPOT_DAILY_LIMIT: z.coerce.number().int().min(1).default(250_000),
  /** The portal's time zone: HubSpot's daily limit resets at midnight there. */
  HUBSPOT_PORTAL_TIMEZONE: z.string().default('UTC').refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Berlin'),
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
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const hubspotKeys = ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_CLIENT_SECRET'] as const;
const salesforceKeys = SALESFORCE_AUTH_KEYS;

export type RunMode = { kind: 'live' } | { kind: 'sandbox'; reason: string };

/** Live mode needs HubSpot's credentials and one Salesforce flow's; none at all means sandbox; a partial set is an error. */
export function runModeOf(env: Env): RunMode {
  const given = [...hubspotKeys, ...salesforceKeys].filter((key) => env[key] !== undefined);
  if (given.length === 0) {
    return { kind: 'sandbox', reason: 'no HubSpot or Salesforce credentials in the environment' };
  }
  return { kind: 'live' };
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if (result.success) {
    const env = result.data;
    const given = [...hubspotKeys, ...salesforceKeys].filter((key) => env[key] !== undefined);
    if (given.length > 0) {
      for (const key of hubspotKeys) {
        if (env[key] === undefined) problems.push(`${key}: required when any provider credential is set (live mode)`);
      }
      problems.push(...salesforceAuthFromEnv(env).problems);
      if (env.PUBLIC_BASE_URL === undefined) {
        problems.push('PUBLIC_BASE_URL: required in live mode (HubSpot signs requests against it)');
      }
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}
