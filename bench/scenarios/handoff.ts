import { sendBurst, sendSteadily } from '../support/handoff-load.ts';
import {
  type HandoffPhase,
  type HandoffPhaseName,
  type HandoffWorld,
  inWorld,
  measurePhase,
  restBeforePhase,
} from '../support/handoff-phase.ts';
import { largest, type MemoryFigure } from '../support/memory.ts';
import type { BenchOptions, SteadyLoad } from '../support/options.ts';
import { type StageFigure, scrapeStageBuckets, stageFigures } from '../support/stage-figures.ts';
import { createQualifyingContacts, HUBSPOT_STARTER_LIMIT } from '../support/world.ts';

export type { HandoffPhase } from '../support/handoff-phase.ts';

/** Every phase's figures (bench/README.md, "Handoff latency"); `results.json` keeps them whole. */
export interface HandoffResults {
  /** 5 leads/s on the 190-per-10 s portal; with `stages`, our own time per stage (where the 25 ms goes). */
  slow: HandoffPhase & { stages: StageFigure[] };
  /** 50 leads/s on the 190-per-10 s portal; with `stages`, our own time per stage from handoff_stage_seconds. */
  steady: HandoffPhase & { stages: StageFigure[] };
  /** 50 leads/s on a 100-per-10 s portal (HubSpot Starter), in a world of its own. */
  starter: HandoffPhase;
  /** 20 leads/s with no fixed window: calls per 1,000. */
  calls: HandoffPhase;
  /** All at once; `judged` only at the 5,000 (the full profile). */
  burst: HandoffPhase & { judged: boolean };
  /** The fixed-window override (HANDOFF_BATCH_WINDOW_MS), information only, in a world of its own. */
  windowed: HandoffPhase & { batchWindowMs: number };
  peakRssMiB: number;
  /** Service + its database processes, summed: the largest peak of the three service processes. */
  peakMemory: MemoryFigure;
}

/** The explicit override's window: at 50 events/s, 2 s gathers a full HubSpot batch of 100. */
const BENCH_BATCH_WINDOW_MS = 2_000;

/**
 * Only handoff calls reach the simulators during the phases. No batching setting is passed: the service under test
 * chooses (the new one from its default real-time share, HANDOFF_REALTIME_SHARE; HANDOFF_BATCH_WINDOW_MS unset is 0).
 */
const QUIET_SERVICE_ENV = { SALESFORCE_POLL_INTERVAL_SECONDS: '3600', SLA_TICK_SECONDS: '3600' };

/** Time to finish a steady phase after its last webhook, and a burst. */
const DRAIN_MS = 120_000;
const BURST_TIMEOUT_MS = 240_000;

/**
 * Three worlds, each a fresh service, database and simulators: the 190-per-10 s portal runs 5/s, 50/s, 20/s and the
 * burst one after another; a 100-per-10 s portal runs 50/s; the fixed window runs 50/s. A window's rest before each phase.
 * The Salesforce poll and SLA tick are set to an hour, so only handoff calls reach the simulators.
 */
export async function runHandoff(options: BenchOptions): Promise<HandoffResults> {
  const sizes = options.sizes.handoff;
  const main = await inWorld(options, { env: QUIET_SERVICE_ENV }, async (handoff) => {
    const hubspot = handoff.world.hubspot;
    const slowIds = createQualifyingContacts(hubspot, contactsFor(sizes.slow), 'slow');
    const steadyIds = createQualifyingContacts(hubspot, contactsFor(sizes.steady), 'steady');
    const callsIds = createQualifyingContacts(hubspot, contactsFor(sizes.calls), 'calls');
    const burstIds = createQualifyingContacts(hubspot, sizes.burst.events, 'burst');
    await restBeforePhase(handoff.world);
    const slow = await steadyWithStages(handoff, 'slow', sizes.slow, slowIds, options.latencyMs);
    await restBeforePhase(handoff.world);
    const steady = await steadyWithStages(handoff, 'steady', sizes.steady, steadyIds, options.latencyMs);
    await restBeforePhase(handoff.world);
    const calls = await steadyPhase(handoff, 'calls', sizes.calls, callsIds);
    await restBeforePhase(handoff.world);
    const burst = await measurePhase(
      handoff,
      {
        name: 'burst',
        load: `${sizes.burst.events} events at once, ${sizes.burst.concurrentRequests} requests of 100 in flight`,
        ids: burstIds,
        timeoutMs: BURST_TIMEOUT_MS,
      },
      (sent) => sendBurst(handoff.target, burstIds, sizes.burst.concurrentRequests, sent),
    );
    return { slow, steady, calls, burst: { ...burst, judged: sizes.burst.judged } };
  });
  const starter = await inWorld(options, { env: QUIET_SERVICE_ENV, hubspotLimit: HUBSPOT_STARTER_LIMIT }, async (handoff) => {
    const ids = createQualifyingContacts(handoff.world.hubspot, contactsFor(sizes.starter), 'starter');
    await restBeforePhase(handoff.world);
    return steadyPhase(handoff, 'starter', sizes.starter, ids);
  });
  const windowEnv = { ...QUIET_SERVICE_ENV, HANDOFF_BATCH_WINDOW_MS: String(BENCH_BATCH_WINDOW_MS) };
  const windowed = await inWorld(options, { env: windowEnv }, async (handoff) => {
    const ids = createQualifyingContacts(handoff.world.hubspot, contactsFor(sizes.windowed), 'windowed');
    await restBeforePhase(handoff.world);
    const phase = await steadyPhase(handoff, 'windowed', sizes.windowed, ids, `, window ${BENCH_BATCH_WINDOW_MS} ms`);
    return { ...phase, batchWindowMs: BENCH_BATCH_WINDOW_MS };
  });
  const worlds = [main, starter, windowed];
  return {
    ...main.value,
    starter: starter.value,
    windowed: windowed.value,
    peakRssMiB: Math.max(...worlds.map((world) => world.peakRssMiB)),
    peakMemory: worlds.map((world) => world.peakMemory).reduce(largest),
  };
}

const contactsFor = (load: SteadyLoad) => load.ratePerSecond * load.seconds;

/** One `contact.creation` webhook per contact at the load's rate, then until every contact is handed off. */
function steadyPhase(handoff: HandoffWorld, name: HandoffPhaseName, load: SteadyLoad, ids: string[], note = ''): Promise<HandoffPhase> {
  return measurePhase(
    handoff,
    { name, load: `${load.ratePerSecond} events/s for ${load.seconds} s${note}`, ids, timeoutMs: load.seconds * 1000 + DRAIN_MS },
    (sent) => sendSteadily(handoff.target, ids, load.ratePerSecond, sent),
  );
}

/** A steady phase (5/s, 50/s) with the service's handoff_stage_seconds scraped before and after it. */
async function steadyWithStages(
  handoff: HandoffWorld,
  name: 'slow' | 'steady',
  load: SteadyLoad,
  ids: string[],
  latencyMs: number,
): Promise<HandoffPhase & { stages: StageFigure[] }> {
  const stagesFrom = Date.now();
  const before = await scrapeStageBuckets(handoff.service.url);
  const phase = await steadyPhase(handoff, name, load, ids);
  const after = await scrapeStageBuckets(handoff.service.url);
  const phaseCalls = handoff.world.calls.calls.filter((call) => call.at >= stagesFrom && call.at < Date.now());
  return { ...phase, stages: stageFigures(before, after, phaseCalls, latencyMs) };
}
