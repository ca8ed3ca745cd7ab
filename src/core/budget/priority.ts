/**
 * Every outbound call carries a priority. When a budget runs low, the least urgent work stops first:
 * backfills and resyncs (`bulk`), then the routine sales-side sync (`sync`); real-time handoffs stop last.
 */
export const PRIORITIES = ['handoff', 'sync', 'bulk'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The part of a budget (0..1) each priority may use; handoffs may always use all of it. */
export interface PriorityShares {
  handoff: number;
  sync: number;
  bulk: number;
}

/** Bulk work may use 70 % of a budget, sync 90 %, handoffs all of it. */
export const DEFAULT_SHARES: PriorityShares = { handoff: 1, sync: 0.9, bulk: 0.7 };

/** How many units of `limit` a priority may use: at least one whenever the limit itself allows one. */
export function ceilingFor(limit: number, shares: PriorityShares, priority: Priority): number {
  if (limit <= 0) return 0;
  return Math.max(1, Math.floor(limit * Math.min(1, Math.max(0, shares[priority]))));
}

/**
 * Reads `bulk:70,sync:90` (percentages; handoff is always 100). Returns problems instead of throwing so the
 * environment schema can report them with the variable's name.
 */
export function parseShares(text: string): { shares: PriorityShares } | { problem: string } {
  const shares: PriorityShares = { ...DEFAULT_SHARES };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(sync|bulk)\s*[:=]\s*(\d{1,3})$/.exec(part);
    if (!match) return { problem: `"${part}" is not "sync:N" or "bulk:N" (N a percentage; handoff always uses 100)` };
    const percent = Number(match[2]);
    if (percent < 1 || percent > 100) return { problem: `${match[1]} share must be 1..100, got ${percent}` };
    shares[match[1] as 'sync' | 'bulk'] = percent / 100;
  }
  if (shares.bulk > shares.sync)
    return { problem: `bulk (${shares.bulk * 100}) may not exceed sync (${shares.sync * 100}): bulk work stops first` };
  return { shares };
}
