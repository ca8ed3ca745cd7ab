/** What the change-event subscriber last said, as every replica's poll reads it. */
export interface ChangePathState {
  status: string;
  /** Whether a replica's subscriber lease is current. */
  held: boolean;
}

export type PollRoundDecision =
  | { run: true; reason: 'no-change-events' | 'change-events-not-live' | 'drift-check-due' }
  | { run: false; reason: 'change-events-live' };

/**
 * While change events arrive live, the poll is only the drift check, every `driftCheckMs`; otherwise (no subscriber,
 * a lapsed lease, a stream reconnecting or catching up, an org without CDC) it runs at its own interval and carries
 * every change. Both write the same Lead memory, so a change both see is applied once.
 */
export function decidePollRound(
  path: ChangePathState | undefined,
  lastRoundAt: Date | undefined,
  now: Date,
  driftCheckMs: number,
): PollRoundDecision {
  if (!path) return { run: true, reason: 'no-change-events' };
  if (!path.held || path.status !== 'live') return { run: true, reason: 'change-events-not-live' };
  if (!lastRoundAt || now.getTime() - lastRoundAt.getTime() >= driftCheckMs) return { run: true, reason: 'drift-check-due' };
  return { run: false, reason: 'change-events-live' };
}
