import type { SalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import type { RunningService } from '../e2e/support/service-process.ts';
import type { WebhookSender } from './webhook-sender.ts';

/**
 * When a kill falls. The strategies take turns so every run crashes the service in each window that
 * matters: while a webhook is being answered, while a Salesforce write is in flight, in the gap between
 * Salesforce's commit and ours, and anywhere at all.
 */
export const KILL_MOMENTS = ['webhook in flight', 'salesforce write in flight', 'after a salesforce commit', 'anywhere'] as const;
export type KillMoment = (typeof KILL_MOMENTS)[number];

export interface KillRecord {
  moment: KillMoment;
  /** Whether the moment came within the wait (otherwise the kill fell anywhere). */
  hit: boolean;
  atMs: number;
  webhooksInFlight: number;
  salesforceWritesInFlight: number;
  /** The embedded database server was killed with the service. */
  databaseKilled: boolean;
  restartMs: number;
}

export interface KillerOptions {
  kills: number;
  /** The kills are spread over this long, from the start of the load. */
  spanMs: number;
  /** A restarted service runs at least this long before the next kill, so it gets some work done. */
  minUptimeMs?: number;
  /** How long to wait for a kill's moment before killing anyway. */
  momentWaitMs?: number;
  random: () => number;
  startedAt: number;
}

export interface KillTargets {
  current(): RunningService;
  restart(): Promise<RunningService>;
  sender: WebhookSender;
  salesforce: SalesforceSimulator;
  /** SIGKILLs the service's embedded database server too; every other kill does, when given. */
  killDatabase?: () => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(2);
  }
  return false;
}

function momentReached(moment: KillMoment, targets: KillTargets, timeoutMs: number): Promise<boolean> {
  switch (moment) {
    case 'webhook in flight':
      return waitFor(() => targets.sender.inFlight > 0, timeoutMs);
    case 'salesforce write in flight':
      return waitFor(() => targets.salesforce.writesInFlight > 0, timeoutMs);
    case 'after a salesforce commit': {
      // A new Lead has just been saved; the service has not had time to record it yet.
      const before = targets.salesforce.records('Lead').length;
      return waitFor(() => targets.salesforce.records('Lead').length > before, timeoutMs);
    }
    case 'anywhere':
      return Promise.resolve(true);
  }
}

/** SIGKILLs the service `kills` times at spread-out random moments, restarting it after each. */
export async function runKiller(options: KillerOptions, targets: KillTargets): Promise<KillRecord[]> {
  const records: KillRecord[] = [];
  let upSince = Date.now();
  for (let k = 0; k < options.kills; k += 1) {
    const slot = options.spanMs / options.kills;
    const plannedAt = options.startedAt + slot * (k + 0.25 + 0.5 * options.random());
    await sleep(Math.max(plannedAt - Date.now(), upSince + (options.minUptimeMs ?? 1_500) - Date.now(), 0));
    const moment = KILL_MOMENTS[k % KILL_MOMENTS.length]!;
    const hit = await momentReached(moment, targets, options.momentWaitMs ?? 3_000);
    const record = {
      moment,
      hit,
      atMs: Date.now() - options.startedAt,
      webhooksInFlight: targets.sender.inFlight,
      salesforceWritesInFlight: targets.salesforce.writesInFlight,
    };
    await targets.current().kill();
    const databaseKilled = targets.killDatabase !== undefined && k % 2 === 1;
    if (databaseKilled) await targets.killDatabase!();
    const killedAt = Date.now();
    await targets.restart();
    upSince = Date.now();
    records.push({ ...record, databaseKilled, restartMs: upSince - killedAt });
  }
  return records;
}
