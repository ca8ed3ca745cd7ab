import { z } from 'zod';
import { configProblem, MAPPING_FILE_NAME, yamlText } from './schemas.ts';

// POST /api/config/preview/mql: a draft MQL definition scored against sample contacts as the admin edits it.

const hubspotContactId = z.string().regex(/^\d{1,20}$/, 'must be a HubSpot contact id (digits)');

/** The preview scores as you type: a handful of contacts keeps it fast and HubSpot reads to one batch. */
export const MAX_PREVIEW_CONTACTS = 20;
const MAX_SAMPLE_PROPERTIES = 500;
const sampleProperties = z
  .record(z.string().min(1).max(200), z.string().max(10_000))
  .refine((properties) => Object.keys(properties).length <= MAX_SAMPLE_PROPERTIES, `at most ${MAX_SAMPLE_PROPERTIES} properties`)
  .describe('HubSpot property → value');

export const mqlPreviewBody = z
  .strictObject({
    files: z
      .record(z.string().regex(MAPPING_FILE_NAME, 'must be a mapping file name like field-mapping.yaml'), yamlText)
      .describe('The draft files; only mql-definition.yaml is read'),
    contacts: z
      .array(
        z.strictObject({
          id: z.string().trim().min(1).max(100).optional().describe('A label for the pasted contact (default sample-<n>)'),
          properties: sampleProperties,
        }),
      )
      .max(MAX_PREVIEW_CONTACTS)
      .default([])
      .describe('Pasted sample contacts'),
    hubspotIds: z.array(hubspotContactId).max(MAX_PREVIEW_CONTACTS).default([]).describe('HubSpot contacts to read and score'),
  })
  .refine((body) => body.contacts.length + body.hubspotIds.length <= MAX_PREVIEW_CONTACTS, {
    path: ['contacts'],
    message: `at most ${MAX_PREVIEW_CONTACTS} contacts in all (contacts and hubspotIds together)`,
  });

const previewLine = z.object({
  rule: z.string().describe('The rule id'),
  label: z.string(),
  category: z.enum(['fit', 'behaviour', 'fastTrack', 'exclusion']),
  points: z.number(),
  detail: z.string().optional(),
});

export const mqlPreviewResult = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      qualified: z.boolean(),
      score: z.number(),
      segment: z.string().describe('The segment id'),
      threshold: z.number().describe("The segment's total threshold"),
      fastTrack: z.string().nullable().describe('The fast track that qualified the contact'),
      excluded: z.string().nullable().describe('The exclusion that disqualified the contact'),
      breakdown: z.array(previewLine),
      reasons: z.array(z.string()),
    }),
  ),
  problems: z.array(configProblem),
});
