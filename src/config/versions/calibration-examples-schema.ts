import { z } from 'zod';
import type { CalibrationExamples } from '../../core/calibration/examples.ts';

/** The examples' answer as the admin API documents it and `npm run review` reads it; kept in step with the core type below. */
const example = z.object({
  contactId: z.string().describe('HubSpot contact id (no e-mail, no name)'),
  evaluatedAt: z.string(),
  definitionVersion: z.string(),
  segmentId: z.string(),
  score: z.number(),
  threshold: z
    .number()
    .nullable()
    .describe("The segment's total threshold under that definition version; null when no stored version holds it"),
  qualified: z.boolean(),
  fastTrack: z.string().nullable(),
  breakdown: z
    .array(
      z.object({
        ruleId: z.string(),
        label: z.string(),
        category: z.enum(['fit', 'behaviour', 'fastTrack', 'exclusion']),
        points: z.number(),
      }),
    )
    .describe('Every scoring rule with its points, and the fast track or exclusion that decided (no values read)'),
  outcome: z.object({
    status: z.enum(['won', 'lost', 'sql', 'rejected', 'open']),
    at: z.string().describe('The latest rejection, the first acceptance (SQL), or the opportunity closing'),
    reasonCode: z.string().nullable().describe('Rejections: the reason code (unspecified without one)'),
    reasonLabel: z.string().nullable(),
  }),
});

export const calibrationExamples = z.object({
  from: z.string(),
  to: z.string(),
  limit: z.number().int(),
  rejectedHighScorers: z.array(example).describe('MQLs rejected by sales (not accepted since), highest score first'),
  acceptedLowScorers: z
    .array(example)
    .describe('Non-MQLs, or MQLs under their threshold (fast track), that became SQL or won; lowest score first'),
});

export type CalibrationExamplesAnswer = z.output<typeof calibrationExamples>;

// The schema must accept every answer the reader builds.
const _schemaTakesTheAnswer = (answer: CalibrationExamples): z.input<typeof calibrationExamples> => answer;
void _schemaTakesTheAnswer;
