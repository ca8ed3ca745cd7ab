/** One simulated API call: when it reached the simulator, and which endpoint it was. */
export interface LoggedCall {
  at: number;
  provider: 'hubspot' | 'salesforce';
  endpoint: string;
}

/**
 * Every call the simulators saw, in arrival order. Each call spends exactly `latencyMs` asleep in the
 * simulator before any work, so [at, at + latencyMs] is the simulated latency it adds.
 */
export class CallLog {
  readonly calls: LoggedCall[] = [];
  readonly latencyMs: number;
  constructor(latencyMs: number) {
    this.latencyMs = latencyMs;
  }

  record(call: LoggedCall): void {
    this.calls.push(call);
  }

  /** Calls that arrived in [from, to), per provider. */
  countBetween(from: number, to: number): Record<LoggedCall['provider'], number> {
    const counts = { hubspot: 0, salesforce: 0 };
    for (const call of this.calls) if (call.at >= from && call.at < to) counts[call.provider] += 1;
    return counts;
  }

  /** Calls that arrived in [from, to), per endpoint, for the report's breakdown. */
  endpointsBetween(from: number, to: number): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) {
      if (call.at < from || call.at >= to) continue;
      const key = `${call.provider} ${call.endpoint}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /**
   * Most calls of `provider` (those `picks` keeps) that arrived within any `windowMs` of [from, to): what a rolling-window
   * rate limit of that length saw at its fullest. A window starts at each call, so no window is missed.
   */
  peakInWindow(
    provider: LoggedCall['provider'],
    from: number,
    to: number,
    windowMs: number,
    picks: (endpoint: string) => boolean = () => true,
  ): number {
    const times = this.calls
      .filter((call) => call.provider === provider && call.at >= from && call.at < to && picks(call.endpoint))
      .map((call) => call.at);
    let peak = 0;
    let first = 0;
    for (let last = 0; last < times.length; last++) {
      while (times[last]! - times[first]! >= windowMs) first++;
      peak = Math.max(peak, last - first + 1);
    }
    return peak;
  }

  /**
   * Wall time inside [from, to] during which at least one simulated call was asleep in its injected latency:
   * the measure of the union of the calls' latency intervals, clipped to the window. For calls made one after
   * another this is (number of calls on the path) × latency; calls that overlap are counted once, so running
   * calls concurrently is not mistaken for overhead and overlapping calls are not subtracted twice.
   */
  latencyWithin(from: number, to: number): number {
    let total = 0;
    let coveredUntil = from;
    for (const call of this.calls) {
      const start = Math.max(call.at, coveredUntil);
      const end = Math.min(call.at + this.latencyMs, to);
      if (call.at >= to) break;
      if (end > start) {
        total += end - start;
        coveredUntil = end;
      }
    }
    return total;
  }
}
