import { z } from 'zod';
import { FUNNEL_STAGES, type FunnelStage } from '../contact.ts';
import { type Parsed, problemsFromZod } from '../mappings/problems.ts';

/** HubSpot's built-in lifecycle stage internal values (the labels differ; the API speaks these). */
export const HUBSPOT_LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

const stageSchema = z.strictObject({
  hubspot: z.strictObject({
    lifecyclestage: z.enum(HUBSPOT_LIFECYCLE_STAGES),
    /** HubSpot Lead Status internal value, e.g. NEW, OPEN, IN_PROGRESS, OPEN_DEAL, UNQUALIFIED, BAD_TIMING. */
    hs_lead_status: z.string().min(1),
  }),
  salesforce: z.strictObject({
    /** The Lead Status we write when the contact enters this stage. */
    write: z.string().min(1),
    /** Every Lead Status that means this stage when read back (must include `write`). */
    read: z.array(z.string().min(1)).min(1),
  }),
});
export type StageMapping = z.output<typeof stageSchema>;

export const statusMapSchema = z
  .strictObject({
    version: z.string().min(1, 'version must be a non-empty string'),
    useSal: z.boolean(),
    /** With useSal false, anything that means SAL (read back or asked for) resolves to this stage. */
    salDisabledResolvesTo: z.enum(['mql', 'sql']).default('mql'),
    stages: z.strictObject({
      mal: stageSchema,
      mql: stageSchema,
      sal: stageSchema.optional(),
      sql: stageSchema,
      opportunity: stageSchema,
      rejected: stageSchema,
      recycled: stageSchema,
    }),
  })
  .superRefine((map, ctx) => {
    if (map.useSal && !map.stages.sal)
      ctx.addIssue({ code: 'custom', path: ['stages', 'sal'], message: 'useSal is true: define the sal stage' });
    checkSalesforceStatuses(map.stages, ctx);
    checkHubSpotPairs(map.stages, ctx);
  });

export type StatusMap = z.output<typeof statusMapSchema>;
type Stages = StatusMap['stages'];

export function definedStages(stages: Stages): Array<[FunnelStage, StageMapping]> {
  return FUNNEL_STAGES.flatMap((stage) => {
    const mapping = stages[stage];
    return mapping ? [[stage, mapping] as [FunnelStage, StageMapping]] : [];
  });
}

/** A Salesforce status may mean only one stage, or reading it back would be ambiguous. Compared case-insensitively. */
function checkSalesforceStatuses(stages: Stages, ctx: z.RefinementCtx): void {
  const owner = new Map<string, FunnelStage>();
  for (const [stage, mapping] of definedStages(stages)) {
    const reads = mapping.salesforce.read.map((s) => s.toLowerCase());
    if (!reads.includes(mapping.salesforce.write.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', stage, 'salesforce', 'read'],
        message: `must include the written status "${mapping.salesforce.write}"`,
      });
    }
    mapping.salesforce.read.forEach((status, i) => {
      const first = owner.get(status.toLowerCase());
      if (first && first !== stage) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', stage, 'salesforce', 'read', i],
          message: `Salesforce status "${status}" already means stage ${first}`,
        });
      } else owner.set(status.toLowerCase(), stage);
    });
  }
}

/** Each stage needs its own (lifecyclestage, hs_lead_status) pair so HubSpot values read back unambiguously. */
function checkHubSpotPairs(stages: Stages, ctx: z.RefinementCtx): void {
  const owner = new Map<string, FunnelStage>();
  for (const [stage, mapping] of definedStages(stages)) {
    const key = `${mapping.hubspot.lifecyclestage}/${mapping.hubspot.hs_lead_status}`.toLowerCase();
    const first = owner.get(key);
    if (first)
      ctx.addIssue({
        code: 'custom',
        path: ['stages', stage, 'hubspot'],
        message: `same lifecyclestage and hs_lead_status as stage ${first}`,
      });
    else owner.set(key, stage);
  }
}

export function parseStatusMap(file: string, data: unknown): Parsed<StatusMap> {
  const result = statusMapSchema.safeParse(data);
  if (!result.success) return { ok: false, problems: problemsFromZod(file, result.error) };
  return { ok: true, value: result.data };
}
