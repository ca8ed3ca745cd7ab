import type { SlaClock, SlaClocks } from '../../core/sla/sla-clocks.ts';
import type { JourneyClockStops, JourneyStart } from './sales-journey.ts';
import type { SeededTimer } from './seeded-rows.ts';

/**
 * The handoff's two SLA clocks (the active sla-rules.yaml's, computed as the handoff computes them), settled the way
 * the poll settles them: stopped at the first touch or the disposition, on time or after breaching. A clock neither
 * stopped nor due by the quarter's end is left out: the SLA tick would otherwise try to flag a Lead that exists only
 * in this history.
 */
export function clockRows(journey: JourneyStart, evaluatedAt: Date, clocks: SlaClocks, stops: JourneyClockStops, end: Date): SeededTimer[] {
  const rows: SeededTimer[] = [];
  for (const clock of clocks.clocks) {
    const stoppedAt = clock.kind === 'first_touch' ? stops.touchedAt : stops.disposedAt;
    const row = settled(clock, stoppedAt, end);
    if (!row) continue;
    const stopWhy = clock.kind === 'first_touch' ? 'first touch: Lead Status changed' : `disposition: ${stops.disposition}`;
    rows.push({
      leadId: journey.leadId,
      contactId: journey.contactId,
      kind: clock.kind,
      rule: `${clocks.rule.label}: ${clock.rule}`,
      source: journey.source,
      segment: journey.result.segment.id,
      definitionVersion: journey.result.version,
      handedOffAt: journey.at,
      routingDelayMs: journey.at.getTime() - evaluatedAt.getTime(),
      warnAt: clock.warnAt,
      dueAt: clock.dueAt,
      ...row,
      stopReason: row.stoppedAt
        ? `${clock.kind === 'first_touch' ? 'first touch' : 'disposition'} ${row.breachedAt ? 'after the SLA breached' : 'within the SLA'} (${stopWhy})`
        : null,
      ownerId: journey.ownerId,
    });
  }
  return rows;
}

type Settled = Pick<SeededTimer, 'warnedAt' | 'breachedAt' | 'lateByMs' | 'stoppedAt'>;

function settled(clock: SlaClock, stoppedAt: Date | null, end: Date): Settled | undefined {
  const stop = stoppedAt && stoppedAt < end ? stoppedAt : null;
  const breached = clock.dueAt < end && (!stop || stop > clock.dueAt);
  if (!stop && !breached) return undefined;
  const warnedAt = clock.warnAt && clock.warnAt < (stop ?? end) ? clock.warnAt : null;
  return {
    warnedAt,
    breachedAt: breached ? clock.dueAt : null,
    lateByMs: breached ? 0 : null,
    stoppedAt: stop,
  };
}
