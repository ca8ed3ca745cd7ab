import { type BudgetDecision, type BudgetSnapshot, decideBudget } from './decide-budget.ts';
import { ceilingFor, type Priority } from './priority.ts';

/**
 * Whether a call counted without the cross-replica lock may go: the decision when it may, undefined when the
 * locked check must decide instead.
 *
 * The unlocked path counts the call and reads the state in one statement. Statements running at the same moment
 * cannot see each other's counts, so each may pass on a count short by the others: at most as many calls as run
 * at once. With more than `margin` calls left under the priority's ceiling in every quota, that many cannot pass
 * it. Near a ceiling, during an outage, or on a refusal the answer is undefined and the locked check (which sees
 * every committed count and makes the others wait) decides.
 */
export function fastReservation(snapshot: BudgetSnapshot, priority: Priority, now: number, margin: number): BudgetDecision | undefined {
  if (snapshot.outage) return undefined;
  const roomy = snapshot.quotas.every((quota) => quota.used + 1 + margin <= ceilingFor(quota.limit, quota.shares, priority));
  if (!roomy) return undefined;
  const decision = decideBudget(snapshot, priority, now);
  return decision.proceed ? decision : undefined;
}
