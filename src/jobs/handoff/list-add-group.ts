/**
 * Groups the sales-ready list adds of several handoff batches into one HubSpot call (a list add takes up to
 * 100,000 ids). The list add is not on the lead's path: the Lead already exists in Salesforce when it is made.
 * Each batch waits for the grouped call and then settles its inbox events as usual, so a crash before the call
 * leaves the events unsettled and the batch is retried: nothing is lost, only waited for.
 */
export type AddToList = (listId: string, contactIds: string[]) => Promise<unknown>;

export interface ListAddGroup {
  /** Resolves (or rejects, with the call's error) once these ids were sent in a grouped call. */
  add(listId: string, contactIds: string[]): Promise<void>;
  /** Sends everything waiting now, and each later add at once (shutdown: graceful stop waits for the lanes). */
  close(): void;
}

export interface ListAddGroupOptions {
  addToList: AddToList;
  /** Batches that may wait at once: the worker's lanes, so a lane is never left waiting for a batch that cannot come. */
  maxWaiting: number;
  /** The longest the first batch of a group waits. */
  spanMs: number;
}

interface Pending {
  ids: Set<string>;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
  timer: NodeJS.Timeout;
}

export function createListAddGroup(options: ListAddGroupOptions): ListAddGroup {
  const pending = new Map<string, Pending>();
  let closed = false;
  const send = (listId: string) => {
    const group = pending.get(listId);
    if (!group) return;
    pending.delete(listId);
    clearTimeout(group.timer);
    options.addToList(listId, [...group.ids]).then(
      () => {
        for (const waiter of group.waiters) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of group.waiters) waiter.reject(error);
      },
    );
  };
  return {
    add(listId, contactIds) {
      return new Promise<void>((resolve, reject) => {
        let group = pending.get(listId);
        if (!group) {
          const timer = setTimeout(() => send(listId), options.spanMs);
          group = { ids: new Set(), waiters: [], timer };
          pending.set(listId, group);
        }
        for (const id of contactIds) group.ids.add(id);
        group.waiters.push({ resolve, reject });
        if (closed || group.waiters.length >= options.maxWaiting) send(listId);
      });
    },
    close() {
      closed = true;
      for (const listId of [...pending.keys()]) send(listId);
    },
  };
}
