/**
 * Runs a section so that no other section of this process holding one of the same keys is inside at the same
 * time; sections with no key in common run side by side.
 */
export type Turnstile = <T>(keys: readonly string[], section: () => Promise<T>) => Promise<T>;

/**
 * A first-come, first-served turnstile per key: a section waits for every earlier section that shares a key
 * with it (whether that one succeeded or failed), then runs. Waits only point at earlier sections, so they
 * never form a cycle. A key is forgotten once its last section is done.
 */
export function createTurnstile(): Turnstile {
  const last = new Map<string, Promise<unknown>>();
  return (keys, section) => {
    const unique = [...new Set(keys)];
    const earlier = unique.flatMap((key) => last.get(key) ?? []);
    const run = Promise.allSettled(earlier).then(section);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    for (const key of unique) last.set(key, done);
    void done.then(() => {
      for (const key of unique) if (last.get(key) === done) last.delete(key);
    });
    return run;
  };
}
