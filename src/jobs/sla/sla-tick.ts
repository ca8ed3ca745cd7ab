import type { AlertSender, SlaAlert } from '../../adapters/alerts/alert-sender.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { latenessText } from '../../core/sla/sla-clocks.ts';
import type { Logger } from '../../log.ts';
import type { Database } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import { park } from '../../store/parked.ts';
import { claimDueBreaches, claimDueWarnings, releaseWarning, type SlaTimer } from '../../store/sla-timers.ts';
import { type RerouteCounts, type RerouteOptions, rerouteBreaches } from './reroute-breaches.ts';

export interface SlaTickDeps {
  db: Database;
  salesforce: SalesforcePort;
  alerts: AlertSender;
  /** The active configuration: its field mapping names the Lead checkbox a breach ticks (`slaBreached`). */
  mappings: () => MappingsBundle;
  logger: Logger;
  now: () => Date;
  onBreach?: (timer: SlaTimer) => void;
  /** Re-routing on a first-touch breach (routing.yaml `onFirstTouchBreach`); left out, owners are never changed. */
  reroute?: RerouteOptions;
}

const CLOCK_NAMES = { first_touch: 'first touch', disposition: 'disposition' } as const;

function alertOf(timer: SlaTimer, event: SlaAlert['event']): SlaAlert {
  const clock = CLOCK_NAMES[timer.kind];
  const text =
    event === 'sla_warning'
      ? `SLA warning: ${clock} for Lead ${timer.leadId} is due at ${timer.dueAt.toISOString()} (${timer.rule}).`
      : `SLA breached: ${clock} for Lead ${timer.leadId} is ${latenessText(timer.lateByMs ?? 0)} (${timer.rule}).`;
  return {
    event,
    clock: timer.kind,
    leadId: timer.leadId,
    hubspotContactId: timer.hubspotContactId,
    rule: timer.rule,
    dueAt: timer.dueAt.toISOString(),
    lateByMs: timer.lateByMs,
    text,
  };
}

/**
 * One pass of the SLA clock: pre-breach warnings go out (released again if no target accepted them, so the
 * next tick retries); breaches are recorded with how late they are, flagged on the Lead and announced.
 * Clocks are rows claimed with SKIP LOCKED, so a pass run by several replicas fires each event once. With
 * `reroute`, a breached first-touch clock whose routing rule says so moves the Lead to a new owner (reroute-breaches.ts).
 */
export async function slaTick(deps: SlaTickDeps): Promise<{ warned: number; breached: number; rerouted?: RerouteCounts }> {
  const now = deps.now();
  const log = deps.logger.child({ module: 'sla' });
  let warned = 0;
  for (const timer of await claimDueWarnings(deps.db, now)) {
    try {
      await deps.alerts.send(alertOf(timer, 'sla_warning'));
      await appendHistory(deps.db, [
        {
          hubspotContactId: timer.hubspotContactId,
          salesforceId: timer.leadId,
          action: 'sla_warning',
          reason: alertOf(timer, 'sla_warning').text,
          detail: { clock: timer.kind, dueAt: timer.dueAt.toISOString() },
        },
      ]);
      warned += 1;
    } catch (error) {
      log.warn('SLA warning not delivered; retried next tick', { leadId: timer.leadId, error });
      await releaseWarning(deps.db, timer.id);
    }
  }
  const breaches = await claimDueBreaches(deps.db, now);
  if (breaches.length > 0) {
    const leads = [...new Set(breaches.map((t) => t.leadId))];
    // Read per tick, so a published mapping that renames the checkbox applies from the next tick on.
    const breachedField = deps.mappings().fieldMapping.salesforce.fields.slaBreached;
    const saves = await deps.salesforce
      .updateRecords(
        'Lead',
        leads.map((Id) => ({ Id, [breachedField]: true })),
      )
      .catch((error: unknown) => {
        log.warn('could not flag breached Leads in Salesforce', { error });
        return [];
      });
    saves.forEach((save, index) => {
      if (!save.success) log.warn('Lead not flagged as breached', { leadId: leads[index], errors: save.errors.map((e) => e.statusCode) });
    });
  }
  for (const timer of breaches) {
    const alert = alertOf(timer, 'sla_breached');
    deps.onBreach?.(timer);
    await appendHistory(deps.db, [
      {
        hubspotContactId: timer.hubspotContactId,
        salesforceId: timer.leadId,
        action: 'sla_breached',
        reason: alert.text,
        detail: { clock: timer.kind, dueAt: timer.dueAt.toISOString(), lateByMs: timer.lateByMs },
      },
    ]);
    try {
      await deps.alerts.send(alert);
    } catch (error) {
      // The breach itself is recorded; only the announcement is parked for a person to see.
      await park(deps.db, {
        kind: 'sla_alert',
        recordKey: `${timer.leadId}:${timer.kind}`,
        message: (error as Error).message,
        context: { alert },
      });
    }
  }
  if (warned + breaches.length > 0) log.info('SLA tick', { warned, breached: breaches.length });
  if (!deps.reroute) return { warned, breached: breaches.length };
  // After the breaches are recorded: also picks up re-routes a previous tick left for a retryable failure.
  const rerouted = await rerouteBreaches({
    ...deps.reroute,
    db: deps.db,
    salesforce: deps.salesforce,
    mappings: deps.mappings,
    logger: deps.logger,
    now: deps.now,
  });
  if (rerouted.rerouted + rerouted.kept + rerouted.parked + rerouted.waiting > 0) log.info('SLA re-routes', { ...rerouted });
  return { warned, breached: breaches.length, rerouted };
}
