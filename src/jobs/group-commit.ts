/**
 * Group commit: callers that arrive while a commit is running wait for the next one, and that next one
 * carries all of them, so N concurrent requests cost one statement instead of N. Nothing waits on a timer:
 * a lone caller commits at once; grouping happens only when commits are already queuing up — unless `holdMs`
 * says otherwise: while it returns more than 0 (a flood), the oldest caller waits up to that long for company
 * (or until a group reaches `maxWeight`), trading a little latency for far fewer statements.
 *
 * `commit` gets the items in arrival order and returns one result per item. If a grouped commit fails,
 * each item is committed on its own, so one caller's bad input never fails another caller's request.
 */
export function groupCommitter<T, R>(
  commit: (items: T[]) => Promise<R[]>,
  options: { maxWeight: number; weightOf: (item: T) => number; holdMs?: () => number },
): (item: T) => Promise<R> {
  const waiting: { item: T; since: number; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  let running = false;
  let wakeHold: (() => void) | undefined;

  const takeGroup = () => {
    let weight = 0;
    let count = 0;
    while (count < waiting.length) {
      const next = options.weightOf(waiting[count]!.item);
      if (count > 0 && weight + next > options.maxWeight) break;
      weight += next;
      count += 1;
    }
    return waiting.splice(0, count);
  };

  const commitGroup = async (group: typeof waiting) => {
    try {
      const results = await commit(group.map((entry) => entry.item));
      group.forEach((entry, index) => {
        entry.resolve(results[index]!);
      });
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const entry of group) {
        await commit([entry.item]).then((results) => entry.resolve(results[0]!), entry.reject);
      }
    }
  };

  const waitingWeight = () => waiting.reduce((sum, entry) => sum + options.weightOf(entry.item), 0);

  /** Resolves once the oldest caller has waited the hold, or sooner when a full group has gathered. */
  const hold = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(finish, Math.max(0, waiting[0]!.since + ms - performance.now()));
      function finish() {
        clearTimeout(timer);
        wakeHold = undefined;
        resolve();
      }
      wakeHold = () => {
        if (waitingWeight() >= options.maxWeight) finish();
      };
    });

  const drain = async () => {
    running = true;
    try {
      while (waiting.length > 0) {
        // One turn of the event loop first: requests whose bytes have already arrived join this group.
        await new Promise((resolve) => setImmediate(resolve));
        const holdMs = options.holdMs?.() ?? 0;
        if (holdMs > 0 && waitingWeight() < options.maxWeight) await hold(holdMs);
        await commitGroup(takeGroup());
      }
    } finally {
      running = false;
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, since: performance.now(), resolve, reject });
      if (!running) void drain();
      else wakeHold?.();
    });
}
