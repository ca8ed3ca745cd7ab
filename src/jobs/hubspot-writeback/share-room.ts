import { shareRoomInMs } from '../../core/budget/handoff-pacing.ts';
import type { Queryable } from '../../store/database.ts';
import { priorityCallStarts } from '../../store/rate-slots.ts';
import type { PacingWindow } from '../handoff/pacing-step.ts';
import { WRITEBACK_CALLS_PER_PASS } from './writeback-flusher.ts';

/**
 * A batch read the pacing lets go at the same moment cannot see the pass's calls yet, nor the pass it: room is asked
 * for one more call than the pass makes, so the two together still keep within the share.
 */
const CONCURRENT_READ = 1;

/**
 * The flusher's wait before a pass (its `roomInShare`): the handoff calls in the pacing window now, read across
 * replicas as the handoff pacing reads them, and core's answer for the pass's calls.
 */
export function writeBackRoom(db: Queryable, window: () => PacingWindow, share: number): (heldForMs: number) => Promise<number> {
  return async (heldForMs) => {
    const current = window();
    const calls = await priorityCallStarts(db, current.bucket, 'handoff', current.windowMs);
    return shareRoomInMs({
      window: current,
      share,
      handoffCallStarts: calls.starts,
      calls: WRITEBACK_CALLS_PER_PASS + CONCURRENT_READ,
      heldForMs,
      now: calls.now,
    });
  };
}
