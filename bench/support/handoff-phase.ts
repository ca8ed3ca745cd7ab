import { type CallsPerThousand, floorCalls, perThousand } from './floor.ts';
import { type LatencyFigures, latencyFigures, type SentTimes, waitForHandoffs } from './handoff-measure.ts';
import type { MemoryFigure } from './memory.ts';
import type { BenchOptions } from './options.ts';
import type { ServiceProcess } from './service.ts';
import { sleep } from './stats.ts';
import { creationEvent, deliver, type WebhookTarget } from './webhooks.ts';
import { type BenchWorld, createBenchWorld, createQualifyingContacts, type PortalLimit } from './world.ts';

/** The handoff scenario's phases, one per target of issue 21 (bench/README.md, "Handoff latency"). */
export type HandoffPhaseName = 'slow' | 'steady' | 'starter' | 'calls' | 'burst' | 'windowed';

export interface HandoffPhase {
  name: HandoffPhaseName;
  /** What was sent: events per second for a steady load, events at once for a burst. */
  load: string;
  /** The simulated portal's burst limit in this phase's world. */
  portal: PortalLimit;
  leads: number;
  handedOff: number;
  latency: LatencyFigures;
  calls: { hubspot: number; salesforce: number; byEndpoint: Record<string, number> };
  callsPerThousand: CallsPerThousand;
  floorPerThousand: CallsPerThousand;
  /** Most HubSpot calls that reached the simulator in any rolling window of the portal's length during the phase. */
  hubspotPeakInWindow: number;
  /** 429 answers the simulated HubSpot's rate limit gave during the phase. */
  hubspot429s: number;
  /** CPU time (user + system) of the service and its database processes per handed-off lead: steadier than wall time on a busy machine. */
  serviceCpuMsPerLead: number;
  durationMs: number;
}

/** What a phase runs in: the world, the service's webhook address, and the service process. */
export interface HandoffWorld {
  world: BenchWorld;
  target: WebhookTarget;
  service: ServiceProcess;
}

const WARM_UP_CONTACTS = 20;

/**
 * A fresh world (simulators with this portal limit, database, service process with `env`), warmed up (token, list ids,
 * JIT) by 20 handoffs outside the measured phases; then `use`.
 */
export async function inWorld<T>(
  options: BenchOptions,
  setup: { env: Record<string, string>; hubspotLimit?: PortalLimit },
  use: (handoff: HandoffWorld) => Promise<T>,
): Promise<{ value: T; peakRssMiB: number; peakMemory: MemoryFigure }> {
  const world = await createBenchWorld(options, setup.hubspotLimit ? { hubspotLimit: setup.hubspotLimit } : {});
  try {
    const warm = createQualifyingContacts(world.hubspot, WARM_UP_CONTACTS, 'warm');
    const service = await world.start(setup.env);
    try {
      const target: WebhookTarget = { serviceUrl: service.url, publicBaseUrl: world.publicBaseUrl, clientSecret: world.clientSecret };
      await deliver(
        target,
        warm.map((id) => creationEvent(id)),
      );
      if (!(await waitForHandoffs(world, service.url, warm, 30_000, { writtenBack: true })))
        throw new Error('warm-up handoffs did not complete');
      const value = await use({ world, target, service });
      return { value, peakRssMiB: await service.peakRssMiB(), peakMemory: service.peakMemory() };
    } finally {
      await service.stop();
    }
  } finally {
    await world.close();
  }
}

/**
 * One portal window and a second with nothing sent, so a phase starts with an empty rolling window (the service's
 * budget and the peak figure see only that phase's calls) and a late write-back of the warm-up or of the phase
 * before cannot land in it.
 */
export const restBeforePhase = (world: BenchWorld): Promise<void> => sleep(world.portalLimit.windowMs + 1_000);

/**
 * Sends the load, waits until every contact is handed off and written back (or `timeoutMs`), then reads the figures:
 * latency per contact, calls from the start until every handoff is done, the fullest window and the 429s in between.
 */
export async function measurePhase(
  { world, target, service }: HandoffWorld,
  phase: { name: HandoffPhaseName; load: string; ids: string[]; timeoutMs: number },
  send: (sent: SentTimes) => Promise<void>,
): Promise<HandoffPhase> {
  const sent: SentTimes = new Map();
  const cpuBefore = await service.cpuSeconds();
  const refusedBefore = world.hubspot.rateLimit.refused;
  const startedAt = Date.now();
  await send(sent);
  const complete = await waitForHandoffs(world, target.serviceUrl, phase.ids, phase.timeoutMs, { writtenBack: true });
  const endedAt = Date.now();
  const cpuMs = ((await service.cpuSeconds()) - cpuBefore) * 1000;
  const latency = latencyFigures(world, sent);
  const counts = world.calls.countBetween(startedAt, endedAt);
  const handedOff = latency.rawMs.count;
  if (!complete)
    console.warn(`${phase.name}: only ${handedOff} of ${phase.ids.length} handoffs completed within ${phase.timeoutMs / 1000} s`);
  return {
    name: phase.name,
    load: phase.load,
    portal: world.portalLimit,
    leads: phase.ids.length,
    handedOff,
    latency,
    calls: { ...counts, byEndpoint: world.calls.endpointsBetween(startedAt, endedAt) },
    callsPerThousand: { hubspot: perThousand(counts.hubspot, handedOff), salesforce: perThousand(counts.salesforce, handedOff) },
    floorPerThousand: floorCalls(1000),
    hubspotPeakInWindow: world.calls.peakInWindow('hubspot', startedAt, endedAt, world.portalLimit.windowMs),
    hubspot429s: world.hubspot.rateLimit.refused - refusedBefore,
    serviceCpuMsPerLead: handedOff === 0 ? Number.NaN : cpuMs / handedOff,
    durationMs: endedAt - startedAt,
  };
}
