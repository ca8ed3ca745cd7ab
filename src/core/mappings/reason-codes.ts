import type { z } from 'zod';

/**
 * Reason codes (rejection reasons, loss reasons) are Salesforce picklist values read back case-insensitively, so
 * within one list they must differ case-insensitively. A zod superRefine for such a list.
 */
export function checkUniqueCodes(reasons: ReadonlyArray<{ code: string }>, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  reasons.forEach((reason, i) => {
    const first = seen.get(reason.code.toLowerCase());
    if (first !== undefined)
      ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `duplicate code "${reason.code}" (first used at reasons[${first}])` });
    else seen.set(reason.code.toLowerCase(), i);
  });
}

/** The reason with this code (trimmed, case-insensitive; the codes are lower-case snake_case), or undefined. */
export function findByCode<R extends { code: string }>(reasons: readonly R[], code: string | null | undefined): R | undefined {
  const wanted = code?.trim().toLowerCase();
  return wanted ? reasons.find((r) => r.code === wanted) : undefined;
}
