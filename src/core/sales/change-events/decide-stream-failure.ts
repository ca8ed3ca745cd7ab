/**
 * How a Change Data Capture stream ended. `silence` is ours: no event and no keep-alive for longer than the
 * keep-alive interval ("Subscribe RPC Method": an idle stream still answers within 270 s) means a dead stream.
 */
export type StreamFailureKind =
  | 'replay-rejected'
  | 'unauthenticated'
  | 'unavailable'
  | 'stream-ended'
  | 'topic-unavailable'
  | 'silence'
  | 'other';

export interface StreamFailure {
  kind: StreamFailureKind;
  message: string;
}

export type StreamAction =
  /** Open the stream again after `waitMs`, from the stored replay id. */
  | { action: 'reconnect'; waitMs: number; reason: string }
  /** The stored replay id is gone: forget it, let the poll catch up from its watermark, then subscribe at the tip. */
  | { action: 'catch-up'; reason: string }
  /** The org offers no change events here: the poll carries every change; ask again after `retryAfterMs`. */
  | { action: 'fall-back'; retryAfterMs: number; reason: string };

export interface ReconnectPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long an org without CDC waits before it is asked again (an admin may select the entity meanwhile). */
  unavailableRetryMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { baseDelayMs: 1_000, maxDelayMs: 60_000, unavailableRetryMs: 15 * 60_000 };

/**
 * Exponential backoff with jitter: half the ceiling is always waited (no reconnect storm after an outage), the other
 * half is random, so replicas and retries spread out.
 */
export function backoffMs(failuresInARow: number, policy: ReconnectPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failuresInARow - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * What to do once a stream ended. `failuresInARow` counts this one (1 after a stream that had delivered). A refused
 * token reaches here only after the client renewed it once and was refused again: it backs off like an outage, and
 * the REST side reports the credentials.
 */
export function decideStreamFailure(
  failure: StreamFailure,
  failuresInARow: number,
  policy: ReconnectPolicy = DEFAULT_RECONNECT_POLICY,
  random: () => number = Math.random,
): StreamAction {
  const reconnect = (why: string): StreamAction => ({
    action: 'reconnect',
    waitMs: backoffMs(failuresInARow, policy, random),
    reason: why,
  });
  switch (failure.kind) {
    case 'replay-rejected':
      return { action: 'catch-up', reason: `the stored replay id was refused (${failure.message})` };
    case 'topic-unavailable':
      return { action: 'fall-back', retryAfterMs: policy.unavailableRetryMs, reason: `no change events for this org: ${failure.message}` };
    case 'unauthenticated':
      return reconnect('the access token was refused, also after a renewal');
    case 'silence':
      return reconnect('no event and no keep-alive within the keep-alive interval');
    case 'stream-ended':
      return reconnect('Salesforce ended the stream');
    case 'unavailable':
      return reconnect(`Pub/Sub API unavailable: ${failure.message}`);
    default:
      return reconnect(`stream failed: ${failure.message}`);
  }
}
