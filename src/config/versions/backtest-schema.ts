import { z } from 'zod';
import type { BacktestReport } from '../../core/calibration/backtest.ts';

/**
 * The backtest's answer as the admin API documents it and the CLI reads it (the core's BacktestReport, plus which
 * version was replayed over which period). A compile-time check below keeps the two in step.
 */
const rate = z.number().nullable().describe('A ratio in [0, 1]; null when nothing is decided');
const count = z.number().int();
const status = z.enum(['won', 'lost', 'sql', 'rejected', 'open']);

const tally = z.object({
  contacts: count,
  open: count.describe('Nothing recorded since the evaluation: still with sales, or never handed to them'),
  sql: count.describe('Became SQL; their opportunity (if any) not closed'),
  won: count,
  lost: count,
  rejected: count.describe('Rejected by sales (held or recycled) and not accepted since'),
  sqlRate: rate.describe('(sql + won + lost) ÷ (sql + won + lost + rejected)'),
  winRate: rate.describe('won ÷ (won + lost + rejected)'),
});

const group = tally.extend({ rejectionReasons: z.array(z.object({ reason: z.string(), count })) });

const changes = z.object({
  count,
  contacts: z.array(z.object({ contactId: z.string(), segmentId: z.string(), activeScore: z.number(), draftScore: z.number(), status })),
  truncated: z.boolean().describe('Only the first 100 (highest draft score first) are listed'),
});

const classifier = z.object({ precision: rate, recall: rate, f1: rate });

const segmentCurve = z.object({
  segmentId: z.string(),
  label: z.string(),
  contacts: count,
  currentThreshold: z.number(),
  best: z.object({ sql: z.number().nullable(), won: z.number().nullable() }).describe('The threshold with the highest F1 per outcome'),
  thresholds: z.array(
    z.object({
      threshold: z.number(),
      mql: count,
      sql: classifier.describe('"MQL" against "became SQL", on contacts whose answer is known'),
      won: classifier.describe('"MQL" against "won", on contacts whose answer is known'),
      current: z.boolean(),
      bestFor: z.array(z.enum(['sql', 'won'])),
    }),
  ),
});

const ruleLift = z.object({
  ruleId: z.string(),
  label: z.string(),
  category: z.enum(['fit', 'behaviour', 'fastTrack', 'exclusion']),
  enabled: z.boolean(),
  firedFor: z.object({ contacts: count, mql: count }),
  shareOfMql: rate,
  outcomes: tally,
  sqlLift: z.number().nullable().describe("The rule's MQLs' SQL rate ÷ all the draft's MQLs' SQL rate"),
  winLift: z.number().nullable(),
  flag: z.enum(['never_fires', 'fires_for_everyone']).nullable(),
});

const propertyCount = z.array(z.object({ property: z.string(), contacts: count }));

export const backtestResult = z.object({
  versionId: z.string().describe('The draft version replayed'),
  activeVersionId: z.string(),
  from: z.string(),
  to: z.string(),
  definitions: z.object({ active: z.string(), draft: z.string() }).describe('The MQL definitions compared (version@hash)'),
  objective: z.string(),
  contacts: z.object({ evaluated: count, replayed: count, notReplayable: count.describe('Their values are past the retention or erased') }),
  coverage: z.object({ notRecorded: propertyCount, domainOnly: propertyCount }),
  mql: z.object({ active: count, draft: count }),
  newlyQualifying: changes,
  noLongerQualifying: changes,
  groups: z.object({ both: group, activeOnly: group, draftOnly: group }),
  segments: z.array(segmentCurve),
  baseline: tally.describe("All the draft's MQLs"),
  rules: z.array(ruleLift),
  scoreBands: z.array(z.object({ from: z.number(), to: z.number(), mql: count, outcomes: tally })),
});

export type BacktestResult = BacktestReport & { versionId: string; activeVersionId: string; from: string; to: string };

// The schema must accept every report the core builds.
const _schemaTakesTheReport = (result: BacktestResult): z.input<typeof backtestResult> => result;
void _schemaTakesTheReport;
