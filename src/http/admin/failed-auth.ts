/**
 * Failed admin authentications per client, in a fixed window from the client's first failure. Past the limit the
 * client is refused (429) until the window ends, whatever it sends: answering a right guess differently would let
 * guessing go on. Only failures count, so a busy operator is never slowed. Per process, like the request budgets.
 */
export class FailedAuthCounter {
  private readonly clients = new Map<string, { startedAt: number; failures: number }>();
  private readonly budget: { windowMs: number; limit: number };
  private readonly now: () => number;
  private readonly maxClients: number;

  constructor(budget: { windowMs: number; limit: number }, now: () => number, maxClients = 10_000) {
    this.budget = budget;
    this.now = now;
    this.maxClients = maxClients;
  }

  /** Milliseconds until this client may try again, or undefined when it may try now. */
  retryAfterMs(client: string): number | undefined {
    const entry = this.current(client);
    if (!entry || entry.failures < this.budget.limit) return undefined;
    return entry.startedAt + this.budget.windowMs - this.now();
  }

  /** Counts a failure; true when it is the one that reaches the limit (the client is refused from now on). */
  fail(client: string): boolean {
    const entry = this.current(client);
    if (entry) {
      entry.failures += 1;
      return entry.failures === this.budget.limit;
    }
    if (this.clients.size >= this.maxClients) this.forgetOld();
    this.clients.set(client, { startedAt: this.now(), failures: 1 });
    return this.budget.limit === 1;
  }

  private current(client: string) {
    const entry = this.clients.get(client);
    if (entry && this.now() >= entry.startedAt + this.budget.windowMs) {
      this.clients.delete(client);
      return undefined;
    }
    return entry;
  }

  /** Keeps memory bounded under failures from many addresses: ended windows go, then the oldest. */
  private forgetOld(): void {
    for (const client of [...this.clients.keys()]) this.current(client);
    for (const client of this.clients.keys()) {
      if (this.clients.size < this.maxClients) break;
      this.clients.delete(client);
    }
  }
}
