import { type CallsPerThousand, floorCalls, perThousand } from '../support/floor.ts';
import { type LatencyFigures, latencyFigures, type SentTimes, waitForHandoffs } from '../support/handoff-measure.ts';
import { largest, type MemoryFigure } from '../support/memory.ts';
import type { BenchOptions } from '../support/options.ts';
import type { ServiceProcess } from '../support/service.ts';
import { type StageFigure, scrapeStageBuckets, stageFigures } from '../support/stage-figures.ts';
import { sleep } from '../support/stats.ts';
import { creationEvent, deliver, type WebhookTarget } from '../support/webhooks.ts';
import { type BenchWorld, createBenchWorld, createQualifyingContacts } from '../support/world.ts';

export interface HandoffPhase {
  /** `windowed`: the steady load again, with the call-saving batch window on (HANDOFF_BATCH_WINDOW_MS). */
  regime: 'steady' | 'burst' | 'windowed';
  /** What was sent: events per second for steady, events at once for a burst. */
  load: string;
  leads: number;
  handedOff: number;
  latency: LatencyFigures;
  calls: { hubspot: number; salesforce: number; byEndpoint: Record<string, number> };
  callsPerThousand: CallsPerThousand;
  floorPerThousand: CallsPerThousand;
  /** CPU time (user + system) of the service and its database processes per handed-off lead: steadier than wall time on a busy machine. */
  serviceCpuMsPerLead: number;
  durationMs: number;
}

export interface HandoffResults {
  /** With `stages`: our own time per stage in this phase, from the service's handoff_stage_seconds (bench/README.md). */
  steady: HandoffPhase & { stages: StageFigure[] };
  burst: HandoffPhase;
  /** The steady load with the call-saving window on, by a second service process; judged on calls, not latency. */
  windowed: HandoffPhase & { batchWindowMs: number };
  peakRssMiB: number;
  /** Service + its database processes, summed: the larger peak of the two service processes. */
  peakMemory: MemoryFigure;
}

const WARM_UP_CONTACTS = 20;

/**
 * The call-saving mode's window: at 50 events/s, 2 s gathers a full HubSpot batch of 100, so batches are full
 * and each lead waits up to about 2 s more.
 */
const BENCH_BATCH_WINDOW_MS = 2_000;

/** Only handoff calls reach the simulators during the phases. */
const QUIET_SERVICE_ENV = { SALESFORCE_POLL_INTERVAL_SECONDS: '3600', SLA_TICK_SECONDS: '3600' };

/**
 * Qualifying contacts handed off at a steady rate, then all at once, by one service process in the default
 * latency-first mode; then the steady load again with the call-saving batch window on, in a world of its own
 * (fresh simulators, database and service: a service started on the first world's 8,000 Leads would page through
 * them in its first Salesforce poll, and those calls would land in the phase). The Salesforce poll and SLA tick are
 * set to an hour, so only handoff calls reach the simulators during the phases.
 */
export async function runHandoff(options: BenchOptions): Promise<HandoffResults> {
  const { steady, burst } = options.sizes;
  const steadyLoad = `${steady.ratePerSecond} events/s for ${steady.seconds} s`;
  const latencyFirst = await inWorld(options, QUIET_SERVICE_ENV, async (world, target, service) => {
    const steadyIds = createQualifyingContacts(world.hubspot, steady.ratePerSecond * steady.seconds, 'steady');
    const burstIds = createQualifyingContacts(world.hubspot, burst.events, 'burst');
    const stagesFrom = Date.now();
    const stagesBefore = await scrapeStageBuckets(service.url);
    const steadyPhase = await measurePhase(
      world,
      target,
      service,
      'steady',
      steadyLoad,
      steadyIds,
      (sent) => sendSteadily(target, steadyIds, steady.ratePerSecond, sent),
      steady.seconds * 1000 + 120_000,
    );
    const stagesAfter = await scrapeStageBuckets(service.url);
    const phaseCalls = world.calls.calls.filter((call) => call.at >= stagesFrom && call.at < Date.now());
    const stages = stageFigures(stagesBefore, stagesAfter, phaseCalls, options.latencyMs);
    await sleep(1_000);
    const burstPhase = await measurePhase(
      world,
      target,
      service,
      'burst',
      `${burst.events} events at once, ${burst.concurrentRequests} requests of 100 in flight`,
      burstIds,
      (sent) => sendBurst(target, burstIds, burst.concurrentRequests, sent),
      240_000,
    );
    return { steady: { ...steadyPhase, stages }, burst: burstPhase };
  });
  const windowEnv = { ...QUIET_SERVICE_ENV, HANDOFF_BATCH_WINDOW_MS: String(BENCH_BATCH_WINDOW_MS) };
  const callSaving = await inWorld(options, windowEnv, async (world, target, service) => {
    const windowIds = createQualifyingContacts(world.hubspot, steady.ratePerSecond * steady.seconds, 'windowed');
    const phase = await measurePhase(
      world,
      target,
      service,
      'windowed',
      `${steadyLoad}, window ${BENCH_BATCH_WINDOW_MS} ms`,
      windowIds,
      (sent) => sendSteadily(target, windowIds, steady.ratePerSecond, sent),
      steady.seconds * 1000 + 120_000,
    );
    return { windowed: { ...phase, batchWindowMs: BENCH_BATCH_WINDOW_MS } };
  });
  return {
    ...latencyFirst.value,
    ...callSaving.value,
    peakRssMiB: Math.max(latencyFirst.peakRssMiB, callSaving.peakRssMiB),
    peakMemory: largest(latencyFirst.peakMemory, callSaving.peakMemory),
  };
}

/**
 * A fresh world and a service with this environment, warmed up (token, list ids, JIT) by 20 handoffs outside the
 * measured phases; then `use`.
 */
async function inWorld<T>(
  options: BenchOptions,
  env: Record<string, string>,
  use: (world: BenchWorld, target: WebhookTarget, service: ServiceProcess) => Promise<T>,
): Promise<{ value: T; peakRssMiB: number; peakMemory: MemoryFigure }> {
  const world = await createBenchWorld(options);
  try {
    const warm = createQualifyingContacts(world.hubspot, WARM_UP_CONTACTS, 'warm');
    const service = await world.start(env);
    try {
      const target: WebhookTarget = { serviceUrl: service.url, publicBaseUrl: world.publicBaseUrl, clientSecret: world.clientSecret };
      await deliver(
        target,
        warm.map((id) => creationEvent(id)),
      );
      if (!(await waitForHandoffs(world, service.url, warm, 30_000))) throw new Error('warm-up handoffs did not complete');
      const value = await use(world, target, service);
      return { value, peakRssMiB: await service.peakRssMiB(), peakMemory: service.peakMemory() };
    } finally {
      await service.stop();
    }
  } finally {
    await world.close();
  }
}

async function measurePhase(
  world: BenchWorld,
  target: WebhookTarget,
  service: ServiceProcess,
  regime: HandoffPhase['regime'],
  load: string,
  ids: string[],
  send: (sent: SentTimes) => Promise<void>,
  timeoutMs: number,
): Promise<HandoffPhase> {
  const sent: SentTimes = new Map();
  const cpuBefore = await service.cpuSeconds();
  const startedAt = Date.now();
  await send(sent);
  const complete = await waitForHandoffs(world, target.serviceUrl, ids, timeoutMs);
  const endedAt = Date.now();
  const cpuMs = ((await service.cpuSeconds()) - cpuBefore) * 1000;
  const latency = latencyFigures(world, sent);
  const counts = world.calls.countBetween(startedAt, endedAt);
  if (!complete) console.warn(`${regime}: only ${latency.rawMs.count} of ${ids.length} handoffs completed within ${timeoutMs / 1000} s`);
  return {
    regime,
    load,
    leads: ids.length,
    handedOff: latency.rawMs.count,
    latency,
    calls: { ...counts, byEndpoint: world.calls.endpointsBetween(startedAt, endedAt) },
    callsPerThousand: {
      hubspot: perThousand(counts.hubspot, latency.rawMs.count),
      salesforce: perThousand(counts.salesforce, latency.rawMs.count),
    },
    floorPerThousand: floorCalls(1000),
    serviceCpuMsPerLead: latency.rawMs.count === 0 ? Number.NaN : cpuMs / latency.rawMs.count,
    durationMs: endedAt - startedAt,
  };
}

/** One webhook per contact on a fixed schedule (catching up if the loop falls behind), one event each. */
async function sendSteadily(target: WebhookTarget, ids: string[], perSecond: number, sent: SentTimes): Promise<void> {
  const start = Date.now();
  const deliveries: Promise<void>[] = [];
  for (let i = 0; i < ids.length; i++) {
    const due = start + (i * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const id = ids[i]!;
    sent.set(id, Date.now());
    deliveries.push(deliver(target, [creationEvent(id)]));
  }
  await Promise.all(deliveries);
}

/** The whole import at once, as HubSpot delivers it: batches of 100 events, a bounded number in flight. */
async function sendBurst(target: WebhookTarget, ids: string[], inFlight: number, sent: SentTimes): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) batches.push(ids.slice(i, i + 100));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const at = Date.now();
      for (const id of batch) sent.set(id, at);
      await deliver(
        target,
        batch.map((id) => creationEvent(id)),
      );
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}
