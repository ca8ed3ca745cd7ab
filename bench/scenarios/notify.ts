import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CallsPerThousand, perThousand } from '../support/floor.ts';
import { sendSteadily } from '../support/handoff-load.ts';
import { type SentTimes, waitForHandoffs } from '../support/handoff-measure.ts';
import type { MemoryFigure } from '../support/memory.ts';
import {
  allNotified,
  type BatchTimeline,
  batchTimeline,
  type NotifyLatency,
  notifyLatency,
  type PushWaves,
  pushWaves,
} from '../support/notify-measure.ts';
import type { BenchOptions } from '../support/options.ts';
import { waitFor } from '../support/stats.ts';
import { creationEvent, deliver, type WebhookTarget } from '../support/webhooks.ts';
import { createBenchWorld, createQualifyingContacts } from '../support/world.ts';

export interface NotifyResults {
  load: string;
  contacts: number;
  handedOff: number;
  /**
   * False when the service under test has no owner notifications (an earlier version, with `--baseline`): its
   * Leads are still handed off and counted, nothing is awaited on the receivers, and the table shows '—'.
   */
  notifies: boolean;
  latency: NotifyLatency;
  /** Diagnostic: per handoff batch, where the time after the Leads' commit went. */
  timeline: BatchTimeline;
  /** Diagnostic: the notify worker's passes as seen in the Salesforce push calls. */
  pushWaves: PushWaves;
  calls: { hubspot: number; salesforce: number; byEndpoint: Record<string, number> };
  callsPerThousand: CallsPerThousand;
  serviceCpuMsPerLead: number;
  durationMs: number;
  peakRssMiB: number;
  peakMemory: MemoryFigure;
}

const WARM_UP_CONTACTS = 20;

/** Only handoff and notification calls reach the simulators during the phase (as in the handoff scenario). */
const QUIET_SERVICE_ENV = { SALESFORCE_POLL_INTERVAL_SECONDS: '3600', SLA_TICK_SECONDS: '3600' };

/** A version without the notify worker sends no owner notifications: nothing to wait for on the receivers. */
const notifiesAtAll = (root: string) => existsSync(join(root, 'src/jobs/notify/notify-worker.ts'));

/**
 * Webhook sent → owner notified, per channel: qualifying contacts at a fixed rate, each routed by routing.yaml
 * (shipped: the Account owner by e-mail domain, else the org's active rule, here round robin among four reps who are
 * on Slack by the same e-mails), then notified on Slack, by e-mail and by a Salesforce custom notification.
 */
export async function runNotify(options: BenchOptions): Promise<NotifyResults> {
  const sizes = options.sizes.notify;
  const notifies = notifiesAtAll(options.service.root);
  const world = await createBenchWorld(options, { notifications: true });
  try {
    const warm = createQualifyingContacts(world.hubspot, WARM_UP_CONTACTS, 'warm');
    const ids = createQualifyingContacts(world.hubspot, sizes.contacts, 'notify');
    const service = await world.start(QUIET_SERVICE_ENV);
    try {
      const target: WebhookTarget = { serviceUrl: service.url, publicBaseUrl: world.publicBaseUrl, clientSecret: world.clientSecret };
      // Warm-up (not measured): token, list ids, the org directory, the Slack client and the SMTP connection.
      await deliver(
        target,
        warm.map((id) => creationEvent(id)),
      );
      if (!(await waitForHandoffs(world, service.url, warm, 30_000))) throw new Error('warm-up handoffs did not complete');
      if (notifies && !(await waitFor(() => allNotified(world, warm), 30_000, 100)))
        console.warn('notify: the warm-up contacts were not notified on every channel within 30 s');

      const sent: SentTimes = new Map();
      const cpuBefore = await service.cpuSeconds();
      const startedAt = Date.now();
      const deadline = startedAt + sizes.timeoutSeconds * 1000;
      await sendSteadily(target, ids, sizes.ratePerSecond, sent);
      const handedOff = await waitForHandoffs(world, service.url, ids, Math.max(0, deadline - Date.now()));
      const notified = notifies && (await waitFor(() => allNotified(world, ids), Math.max(0, deadline - Date.now()), 100));
      const endedAt = Date.now();
      const cpuMs = ((await service.cpuSeconds()) - cpuBefore) * 1000;
      const latency = notifyLatency(world, sent);
      const leads = latency.sentToCommit.count;
      if (!handedOff) console.warn(`notify: only ${leads} of ${ids.length} handoffs completed within ${sizes.timeoutSeconds} s`);
      if (notifies && !notified) console.warn(`notify: not every owner was notified on every channel within ${sizes.timeoutSeconds} s`);
      const counts = world.calls.countBetween(startedAt, endedAt);
      return {
        load: `${sizes.ratePerSecond} events/s, ${sizes.contacts} contacts`,
        contacts: ids.length,
        handedOff: leads,
        notifies,
        latency,
        timeline: batchTimeline(world, sent),
        pushWaves: pushWaves(world, startedAt, endedAt),
        calls: { ...counts, byEndpoint: world.calls.endpointsBetween(startedAt, endedAt) },
        callsPerThousand: { hubspot: perThousand(counts.hubspot, leads), salesforce: perThousand(counts.salesforce, leads) },
        serviceCpuMsPerLead: leads === 0 ? Number.NaN : cpuMs / leads,
        durationMs: endedAt - startedAt,
        peakRssMiB: await service.peakRssMiB(),
        peakMemory: service.peakMemory(),
      };
    } finally {
      await service.stop();
    }
  } finally {
    await world.close();
  }
}
