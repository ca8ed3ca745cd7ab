import { sleep } from './stats.ts';
import type { BenchWorld } from './world.ts';

/**
 * Watches a HubSpot list in the simulator, in-process, every `everyMs`, and stamps `joinedAt` (bench clock) for each
 * contact the first time it is seen a member. Returns once all are members or `timeoutMs` has passed.
 */
export async function watchList(
  world: BenchWorld,
  list: string,
  ids: readonly string[],
  joinedAt: Map<string, number>,
  timeoutMs: number,
  everyMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (joinedAt.size < ids.length && Date.now() < deadline) {
    const members = new Set(world.hubspot.lists.members(list) ?? []);
    const now = Date.now();
    for (const id of ids) if (!joinedAt.has(id) && members.has(id)) joinedAt.set(id, now);
    await sleep(everyMs);
  }
}

/** The nurture list the shipped rejection taxonomy names for `reason`; throws when it names none. */
export function nurtureListFor(world: BenchWorld, reason: string): string {
  const list = world.mappings.rejection.reasons.find((entry) => entry.code === reason)?.feedback.nurtureList;
  if (!list) throw new Error(`the mappings have no nurture list for ${reason}`);
  return list;
}
