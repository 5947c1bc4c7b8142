/** A tiny external store for `useSyncExternalStore`. */
export interface ExternalStore<T> {
  /** The current value. */
  get(): T;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** Makes a writable {@link ExternalStore}: listeners run only when the value really changes. */
export function createExternalStore<T>(value: T): ExternalStore<T> & { set(value: T): void } {
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      // `!==` rather than Object.is: the stores hold booleans and errors, never NaN or -0.
      if (next !== value) {
        value = next;
        listeners.forEach((listener) => listener());
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
