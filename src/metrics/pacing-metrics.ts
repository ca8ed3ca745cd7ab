import { Counter, Gauge, type Registry } from 'prom-client';
import { PACING_REASONS, type PacingDecision } from '../core/budget/handoff-pacing.ts';
import { METRIC_PREFIX } from './prefix.ts';

export interface PacingMetrics {
  /** One pacing decision of the handoff worker (budget-aware batching, HANDOFF_REALTIME_SHARE). */
  handoffPacing(decision: Pick<PacingDecision, 'holdMs' | 'shareInUse' | 'reason'>): void;
}

export function createPacingMetrics(registry: Registry): PacingMetrics {
  const delay = new Gauge({
    name: `${METRIC_PREFIX}batch_delay_seconds`,
    help: 'How long the oldest waiting handoff is being held to group it with others (0 while handoffs go at once)',
    registers: [registry],
  });
  const share = new Gauge({
    name: `${METRIC_PREFIX}realtime_share_in_use`,
    help: "Handoff calls in HubSpot's rolling window over what HANDOFF_REALTIME_SHARE allows them (0..1)",
    registers: [registry],
  });
  const decisions = new Counter({
    name: `${METRIC_PREFIX}pacing_decisions_total`,
    help: 'Handoff pacing decisions by reason (idle, within_share, grouping, full_batch, max_hold)',
    labelNames: ['reason'],
    registers: [registry],
  });
  // Every reason shows from the start, at 0, so a rate over it is defined before the first grouping.
  for (const reason of PACING_REASONS) decisions.inc({ reason }, 0);
  return {
    handoffPacing: ({ holdMs, shareInUse, reason }) => {
      delay.set(Math.max(0, holdMs) / 1000);
      share.set(shareInUse);
      decisions.inc({ reason });
    },
  };
}
