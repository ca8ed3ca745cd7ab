import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { detectFirstTouch, isDisposition } from '../../core/sla/sla-clocks.ts';
import { salesforceStatusFor } from '../../core/status-map/status-map.ts';
import type { Queryable } from '../../store/database.ts';
import type { HistoryEntryInput } from '../../store/history.ts';
import { runningClocks, type SlaKind, type SlaTimer, stopClocksMany } from '../../store/sla-timers.ts';
import { parseSalesforceDateTime } from './lead-state.ts';
import type { DecidedLead } from './poll-types.ts';

export interface ClockStop {
  decided: DecidedLead;
  kinds: SlaKind[];
  at: Date;
  reason: string;
  /** What the Lead's SLA-due field should say next: the disposition due time, or empty once disposed. */
  nextDue: string | null;
}

/**
 * What the poll tells the SLA clocks: the first touch stops the first-touch clock (at the touch's own time
 * where Salesforce records one), and a disposition (SQL, opportunity, a valid rejection) stops both.
 */
export async function planClockStops(db: Queryable, decided: DecidedLead[], bundle: MappingsBundle): Promise<ClockStop[]> {
  const running = await runningClocks(
    db,
    decided.map((d) => d.lead.id),
  );
  if (running.length === 0) return [];
  const byLead = new Map<string, SlaTimer[]>();
  for (const timer of running) byLead.set(timer.leadId, [...(byLead.get(timer.leadId) ?? []), timer]);
  const initialStatus = salesforceStatusFor('mql', bundle.statusMap);
  const stops: ClockStop[] = [];
  for (const item of decided) {
    const clocks = byLead.get(item.lead.id);
    if (!clocks) continue;
    const changedAt = new Date(parseSalesforceDateTime(item.lead.systemModstamp) || Date.now());
    if (item.decision.outcome.kind === 'propagate' && isDisposition(item.decision.stage)) {
      stops.push({
        decided: item,
        kinds: clocks.map((c) => c.kind),
        at: changedAt,
        reason: `disposition: ${item.decision.stage}`,
        nextDue: null,
      });
      continue;
    }
    if (!clocks.some((c) => c.kind === 'first_touch')) continue;
    const touch = detectFirstTouch(item.lead, item.memory, bundle.sla, initialStatus);
    if (!touch) continue;
    const disposition = clocks.find((c) => c.kind === 'disposition');
    const firstTouchClock = clocks.find((c) => c.kind === 'first_touch')!;
    // A call logged before this handoff says nothing about this handoff: the touch is no earlier than the change we see now.
    const at = touch.at < new Date(firstTouchClock.handedOffAt) ? changedAt : touch.at;
    stops.push({
      decided: item,
      kinds: ['first_touch'],
      at,
      reason: `first touch: ${touch.how}`,
      nextDue: disposition?.dueAt.toISOString() ?? null,
    });
  }
  return stops;
}

/** Records the stops (inside the page's transaction, one statement for the page) and says them in the audit. */
export async function recordClockStops(tx: Queryable, stops: ClockStop[], history: HistoryEntryInput[]): Promise<void> {
  const stoppedPerStop = await stopClocksMany(
    tx,
    stops.map((stop) => ({ leadId: stop.decided.lead.id, kinds: stop.kinds, at: stop.at, reason: stop.reason })),
  );
  stops.forEach((stop, index) => {
    for (const clock of stoppedPerStop[index] ?? []) {
      const late = clock.breachedAt !== null || stop.at.getTime() > new Date(clock.dueAt).getTime();
      history.push({
        hubspotContactId: clock.hubspotContactId,
        salesforceId: clock.leadId,
        action: 'sla_stopped',
        reason: `${clock.kind === 'first_touch' ? 'first touch' : 'disposition'} ${late ? 'after the SLA breached' : 'within the SLA'} (${stop.reason})`,
        detail: {
          clock: clock.kind,
          at: stop.at.toISOString(),
          dueAt: clock.dueAt.toISOString(),
          withinSla: !late,
          responseMs: stop.at.getTime() - new Date(clock.handedOffAt).getTime(),
        },
      });
    }
  });
}

/** Keeps the Lead's SLA-due field on the clock that is still running (never on a converted Lead). */
export async function updateSlaDue(stops: ClockStop[], salesforce: SalesforcePort, bundle: MappingsBundle): Promise<void> {
  const field = bundle.fieldMapping.salesforce.fields.slaDue;
  const updates = stops
    .filter((s) => !s.decided.lead.isConverted && s.decided.lead.fields[field] !== s.nextDue)
    .map((s) => ({ Id: s.decided.lead.id, [field]: s.nextDue }));
  if (updates.length > 0) await salesforce.updateRecords('Lead', updates);
}
