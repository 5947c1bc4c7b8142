/** A tiny external store for `useSyncExternalStore`. */
export interface ExternalStore<T> {
  /** The current value. */
  get(): T;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** Makes a writable {@link ExternalStore}: listeners run only when the value really changes. */
export function createExternalStore<T>(initial: T): ExternalStore<T> & { set(value: T): void } {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
