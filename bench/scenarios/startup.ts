import type { MemoryFigure } from '../support/memory.ts';
import type { BenchOptions } from '../support/options.ts';
import { sleep } from '../support/stats.ts';
import { type BenchWorld, createBenchWorld } from '../support/world.ts';

/** One start of the service: how long to ready, and its memory once it has sat idle. */
export interface StartupRun {
  /** Spawn → first /readyz 200. */
  readyMs: number;
  /** Service + its database processes, `idleSeconds` after ready with no load. */
  idle: MemoryFigure;
  /** The largest sums from spawn to stop (the start itself included). */
  peak: MemoryFigure;
  /** The service process alone (VmHWM). */
  peakRssMiB: number;
}

export interface StartupResults {
  engine: BenchOptions['engine'];
  idleSeconds: number;
  /** First start on an empty DATA_DIR (embedded: the cluster is initialised) or a new empty database. */
  fresh: StartupRun;
  /** The same DATA_DIR or database again, after a clean stop (SIGTERM) of the first. */
  existing: StartupRun;
}

const QUIET_SERVICE_ENV = { SALESFORCE_POLL_INTERVAL_SECONDS: '3600', SLA_TICK_SECONDS: '3600' };

/** Starts the service twice on one store: fresh, then existing after a clean stop. No load at any time. */
export async function runStartup(options: BenchOptions): Promise<StartupResults> {
  const { idleSeconds } = options.sizes.startup;
  const world = await createBenchWorld(options);
  try {
    const fresh = await startIdleStop(world, idleSeconds);
    const existing = await startIdleStop(world, idleSeconds);
    return { engine: options.engine, idleSeconds, fresh, existing };
  } finally {
    await world.close();
  }
}

async function startIdleStop(world: BenchWorld, idleSeconds: number): Promise<StartupRun> {
  const service = await world.start(QUIET_SERVICE_ENV);
  try {
    await sleep(idleSeconds * 1000);
    const idle = await service.memoryNow();
    return { readyMs: service.readyMs, idle, peak: service.peakMemory(), peakRssMiB: await service.peakRssMiB() };
  } finally {
    await service.stop();
  }
}
