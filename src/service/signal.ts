/**
 * A one-way notice from a part started early to parts started later (e.g. "events were queued" from the
 * HTTP intake to the handoff worker, "a configuration was published" to the Lead field check). Until a
 * listener is attached a notice reaches no one, which is what the early part wants while the later one starts.
 */
export interface Signal<T = void> {
  emit(value: T): void;
  listen(listener: (value: T) => void): void;
}

export function createSignal<T = void>(): Signal<T> {
  const listeners: ((value: T) => void)[] = [];
  return {
    emit: (value) => {
      listeners.forEach((listener) => {
        listener(value);
      });
    },
    listen: (listener) => void listeners.push(listener),
  };
}
