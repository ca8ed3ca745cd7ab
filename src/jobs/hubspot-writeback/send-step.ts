import { waitingContext, waitingForOf } from '../../budgets/budget-errors.ts';
import { decideWriteBackFailure, type WriteBackFailureFacts } from '../../core/handoff/writeback-retry.ts';
import { ProviderError } from '../../errors.ts';
import type { ClaimedWriteBack } from '../../store/hubspot-writebacks.ts';

/** How one step (the property update, or one list add) failed for one contact. */
export type StepFailure =
  | { action: 'park'; message: string; context: Record<string, unknown> }
  /** `fail`: not HubSpot's answer (a bug, or a list the mappings name but HubSpot lacks): logged as an error. */
  | { action: 'retry' | 'fail'; waitMs: number; message: string; context: Record<string, unknown>; reason: string };

/** A contact HubSpot refused inside an otherwise answered call (a per-input error of the batch update). */
export interface RefusedInput {
  id: string;
  message: string;
  context: Record<string, unknown>;
}

function factsOf(error: unknown, attempts: number): WriteBackFailureFacts {
  if (!(error instanceof ProviderError)) return { kind: 'other', retryable: false, budget: false, attempts };
  return {
    kind: 'provider',
    retryable: error.retryable,
    budget: waitingForOf(error) === 'hubspot_budget',
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    attempts,
  };
}

/**
 * Runs one HubSpot call for `rows` and says how it failed for each of them (an empty map: all sent). A call that
 * throws fails for every row, each decided by the write-back retry rule with its own attempt count; inputs HubSpot
 * refused one by one are permanent refusals and parked.
 */
export async function sendStep(send: () => Promise<RefusedInput[]>, rows: ClaimedWriteBack[]): Promise<Map<string, StepFailure>> {
  const failures = new Map<string, StepFailure>();
  if (rows.length === 0) return failures;
  try {
    for (const refused of await send()) failures.set(refused.id, { action: 'park', message: refused.message, context: refused.context });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const row of rows) {
      const decision = decideWriteBackFailure(factsOf(error, row.attempts));
      failures.set(
        row.contactId,
        decision.action === 'park'
          ? { action: 'park', message, context: { ...waitingContext(error) } }
          : { action: decision.action, waitMs: decision.waitMs, message, context: {}, reason: decision.reason },
      );
    }
  }
  return failures;
}
