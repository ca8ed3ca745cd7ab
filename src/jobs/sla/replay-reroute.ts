import type { Queryable } from '../../store/database.ts';
import { reopenReroute } from '../../store/sla-timers.ts';

/**
 * Replays a parked `sla_reroute` (Salesforce refused the new owner): the breached clock's re-route is opened again
 * in the transaction that resolves the parked entry, and the next SLA tick decides it afresh with the routing and
 * directory of that moment. Shaped as jobs/parked/kind-replays.ts's KindReplay, for its KIND_REPLAYS map.
 */
export async function replayReroute(item: { recordKey: string; context: Record<string, unknown> }) {
  const timerId = typeof item.context.timerId === 'string' ? item.context.timerId : undefined;
  if (!timerId) throw new Error('this parked re-route names no SLA clock (context.timerId), so it cannot be replayed');
  return {
    outcome: 'done' as const,
    salesforceId: item.recordKey,
    message: 'the re-route is decided again at the next SLA tick',
    persist: async (tx: Queryable) => {
      // A clock stopped since (the first touch came) has nothing left to re-route: the replay is then a no-op.
      await reopenReroute(tx, timerId);
    },
  };
}
