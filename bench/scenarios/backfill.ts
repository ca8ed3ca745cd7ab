import type { BenchOptions } from '../support/options.ts';

/**
 * Backfill throughput as a share of the HubSpot simulator's rate-limit ceiling. The `backfill` command does
 * not exist yet, so nothing is measured; when it does, this module runs it against a seeded portal and
 * returns { measured: true, ... } with contacts per second and the share of the ceiling.
 */
export type BackfillResults =
  | { measured: false; reason: string }
  | { measured: true; contactsPerSecond: number; ceilingCallsPerSecond: number; shareOfCeiling: number };

export async function runBackfill(_options: BenchOptions): Promise<BackfillResults> {
  return { measured: false, reason: 'backfill not built yet' };
}
