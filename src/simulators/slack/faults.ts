import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

/** Answers to force on the next API calls, whatever they ask. */
export const faultPlanSchema = z
  .object({
    /** The next `count` calls get HTTP 429 with `Retry-After: retryAfterSec` ("Rate limits"). */
    rateLimited: z.object({ count: z.number().int().min(1), retryAfterSec: z.number().int().min(0).default(1) }).optional(),
    /** The next `count` calls fail: a Slack error code (`{ ok: false, error }`, HTTP 200) or an HTTP status (5xx). */
    failing: z
      .object({ count: z.number().int().min(1), error: z.union([z.string().min(1), z.number().int().min(400).max(599)]) })
      .optional(),
  })
  .strict();

export type SlackFaultPlan = z.input<typeof faultPlanSchema>;

export class SlackFaults {
  private rateLimited = { left: 0, retryAfterSec: 1 };
  private failing: { left: number; error: string | number } = { left: 0, error: 'internal_error' };

  inject(input: SlackFaultPlan): void {
    const plan = faultPlanSchema.parse(input);
    if (plan.rateLimited) this.rateLimited = { left: plan.rateLimited.count, retryAfterSec: plan.rateLimited.retryAfterSec };
    if (plan.failing) this.failing = { left: plan.failing.count, error: plan.failing.error };
  }

  reset(): void {
    this.rateLimited = { left: 0, retryAfterSec: 1 };
    this.failing = { left: 0, error: 'internal_error' };
  }

  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.rateLimited.left > 0) {
      this.rateLimited.left -= 1;
      res.status(429).set('Retry-After', String(this.rateLimited.retryAfterSec)).json({ ok: false, error: 'ratelimited' });
      return;
    }
    if (this.failing.left > 0) {
      this.failing.left -= 1;
      const { error } = this.failing;
      if (typeof error === 'number') res.status(error).type('text/plain').send('simulated failure');
      else res.json({ ok: false, error });
      return;
    }
    next();
  };
}
