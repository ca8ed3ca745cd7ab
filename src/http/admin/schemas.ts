import { z } from 'zod';
import { assignmentView } from './routing-schemas.ts';

/**
 * Every request and response shape of the admin API, in one place: the routes parse with these and
 * the OpenAPI document is generated from them, so the two cannot drift apart.
 */

// ── Requests ────────────────────────────────────────────────────────────────────────────────────
export const versionIdParams = z.strictObject({
  id: z.string().min(1).max(200).describe('Configuration version id'),
});

export const recordKeyParams = z.strictObject({
  key: z.string().min(1).max(320).describe('HubSpot contact id, Salesforce Lead/Contact id, or e-mail address'),
});

export const parkedIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a parked item id (digits)')
    .describe('Parked item id'),
});

/** A person's name as changes record it (X-Admin-Name, or given at sign-in): printable text only, safe in diffs. */
export const adminName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** Who made a change, from the X-Admin-Name header. */
const adminNameHeader = adminName.default('admin');

/** Headers parsed as an object so a problem's path names the header. */
export const authorHeaders = z.object({ 'x-admin-name': adminNameHeader });

/** A mapping file name, never a path: the export command checks the names it writes with it. */
export const MAPPING_FILE_NAME = /^[a-z0-9][a-z0-9-]*\.ya?ml$/;
const MAX_FILE_CHARS = 200_000;
/**
 * YAML allows tab, line feed and carriage return but no other C0 control character (YAML 1.2, 5.1), and the
 * database cannot store U+0000 in text: refuse them here, where the path can say which file.
 */
const YAML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** A version's comment, kept in the database and shown in the history: printable text, at most 500 characters. */
const comment = z
  .string()
  .trim()
  .max(500)
  .regex(/^[^\p{Cc}]*$/u, 'must be printable text (no control characters or line breaks)');
export const yamlText = z
  .string()
  .max(MAX_FILE_CHARS)
  .refine((text) => !YAML_FORBIDDEN.test(text), 'contains a control character YAML does not allow');

const mappingFiles = z
  .record(z.string().regex(MAPPING_FILE_NAME, 'must be a mapping file name like field-mapping.yaml'), yamlText)
  .refine((files) => Object.keys(files).length > 0, 'at least one file is required')
  .describe('File name → YAML text');

export const createDraftBody = z.strictObject({
  files: mappingFiles,
  comment: comment.default('').describe('Why this change is made'),
  basedOn: z.string().min(1).max(200).optional().describe('The version this draft was edited from'),
});

export const importBody = z.strictObject({
  files: mappingFiles.describe('File name → YAML text: a mappings folder as kept in git'),
  comment: comment.optional().describe('Why this change is made (default "imported")'),
});

export const validateBody = z.strictObject({
  live: z.boolean().default(false).describe('Also check against the live HubSpot and Salesforce schemas'),
});

export const dryRunBody = z
  .strictObject({
    contactId: z
      .string()
      .regex(/^\d{1,20}$/, 'must be a HubSpot contact id (digits)')
      .optional(),
    sample: z.record(z.string().min(1).max(200), z.string().max(10_000)).optional().describe('HubSpot property → value'),
  })
  .refine((body) => (body.contactId === undefined) !== (body.sample === undefined), {
    message: 'give exactly one of contactId or sample',
  });

/** A day (`2026-11-01`, midnight UTC) or an instant with an offset (`2026-11-01T09:00:00+01:00`), as the KPIs take. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text));

export const backtestBody = z
  .strictObject({
    from: instant.describe('Period start (inclusive), on evaluation time'),
    to: instant.describe('Period end (exclusive)'),
  })
  .refine((body) => body.from.getTime() < body.to.getTime(), { path: ['to'], message: 'to must be after from' });

export const rollbackBody = z.strictObject({
  comment: comment.optional(),
});

export const exportQuery = z.strictObject({
  file: z.string().regex(MAPPING_FILE_NAME, 'must be a mapping file name like field-mapping.yaml').optional(),
});

/** Which parked items a list or a bulk replay takes; every field optional, all given ones must match. */
const parkedSelection = {
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be a parked work kind like handoff or sales_feedback')
    .optional(),
  provider: z.enum(['hubspot', 'salesforce']).optional(),
  code: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a provider error code like FIELD_CUSTOM_VALIDATION_EXCEPTION')
    .optional()
    .describe("The provider's error code (context.code)"),
  waitingFor: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be a condition name like salesforce_budget')
    .optional()
    .describe('The condition the item waits for (context.waitingFor)'),
};

export const parkedListQuery = z.strictObject({
  open: z.enum(['true', 'false']).default('true').describe('Only unresolved items (default true)'),
  limit: z
    .string()
    .regex(/^(?:[1-9]\d?|[1-4]\d\d|500)$/, 'must be a number from 1 to 500')
    .optional(),
  ...parkedSelection,
});

export const parkedRetryAllBody = z
  .strictObject(parkedSelection)
  .describe('Replay every open item matching all the given fields; {} replays every open item');

export const emptyObject = z.strictObject({});

// ── Responses (documentation; the port's types are the source of these shapes) ──────────────────
export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const versionSummary = z.object({
  id: z.string(),
  status: z.enum(['draft', 'active', 'archived']),
  author: z.string(),
  comment: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable().describe('Who published it (null for a draft)'),
  basedOn: z.string().nullable(),
  versions: z.record(z.string(), z.string()).nullable(),
});

export const configProblem = z.object({
  file: z.string(),
  path: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  source: z.enum(['schema', 'hubspot', 'salesforce']),
});

export const validationReport = z.object({ ok: z.boolean(), problems: z.array(configProblem) });

export const versionDetail = versionSummary.extend({
  files: z.record(z.string(), z.string()),
  diff: z.string(),
  validation: validationReport.optional().describe('Drafts only: the schema checks (as validate without live reports them)'),
});

export const versionList = z.object({ versions: z.array(versionSummary) });

export const invalidVersionError = z.object({
  error: z.object({
    code: z.literal('invalid_version'),
    message: z.string(),
    details: z.object({ problems: z.array(configProblem) }),
  }),
});

const dryRunSide = z.object({
  version: z.string(),
  qualified: z.boolean(),
  score: z.number(),
  breakdown: z.string(),
  reasons: z.array(z.string()),
  salesforcePayload: z.record(z.string(), z.unknown()).nullable(),
});

export const dryRunResult = z.object({ contactId: z.string().nullable(), active: dryRunSide, draft: dryRunSide });

export const exportFiles = z.object({ id: z.string(), files: z.record(z.string(), z.string()) });

const historyEntry = z.object({
  id: z.string(),
  hubspotContactId: z.string(),
  salesforceId: z.string().nullable(),
  action: z.string(),
  stage: z.string().nullable(),
  reason: z.string().nullable(),
  definitionVersion: z.string().nullable(),
  score: z.number().nullable(),
  detail: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export const recordView = z.object({
  key: z.string(),
  matchedBy: z.enum(['hubspotContactId', 'salesforceId', 'email']),
  hubspotContactId: z.string(),
  link: z
    .object({
      hubspotContactId: z.string(),
      salesforceObject: z.enum(['Lead', 'Contact']),
      salesforceId: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .nullable(),
  history: z.array(historyEntry),
  routing: z.array(assignmentView).describe('Routing decisions, oldest first, with notification delivery (never the content)'),
});

const parkedReplay = z.object({
  parkedId: z.string(),
  actor: z.string(),
  outcome: z.enum(['handed_off', 'done', 'superseded', 'failed']),
  message: z.string().nullable(),
  at: z.string(),
});

const parkedItem = z.object({
  id: z.string(),
  kind: z.string(),
  recordKey: z.string(),
  provider: z.enum(['hubspot', 'salesforce']).nullable(),
  message: z.string(),
  context: z.record(z.string(), z.unknown()),
  parkedAt: z.string(),
  resolvedAt: z.string().nullable(),
  attempts: z.number().int(),
  chainId: z.string().describe('The first entry of this work; an item that failed again after a replay continues its chain'),
  waitingFor: z.string().nullable(),
  needsPerson: z.boolean().describe('Parked more often than automatic replays allow'),
  replays: z.array(parkedReplay).describe('Every replay of this work, oldest first'),
});

const replayed = z.object({
  id: z.string(),
  kind: z.string(),
  recordKey: z.string(),
  outcome: z
    .enum(['handed_off', 'done', 'superseded'])
    .describe('handed_off: queued in the durable inbox; done: redone at once; superseded: newer work made it moot'),
});

const notReplayed = z.object({
  id: z.string(),
  kind: z.string(),
  recordKey: z.string(),
  code: z.enum(['unknown_kind', 'replay_failed', 'not_open', 'error']),
  message: z.string(),
  attempts: z.number().int().optional(),
  needsPerson: z.boolean().optional(),
});

export const parkedList = z.object({ items: z.array(parkedItem) });
export const retryOutcome = replayed.extend({ retried: z.literal(true) });
export const retryAllOutcome = z.object({ retried: z.array(replayed), failed: z.array(notReplayed) });
