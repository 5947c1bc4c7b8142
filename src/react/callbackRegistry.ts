/**
 * The one in-flight (or settled) callback of this page load. React StrictMode mounts effects twice
 * and routers re-mount routes; every one of them must join the same exchange, never start a second
 * (the authorization server would revoke the whole grant on a reused code).
 *
 * Module state, not React state: it must outlive unmounts. Nothing here touches `window` at import.
 */

/** Keyed by `${clientId} ${href}`, once for the URL as it arrived and once for its cleaned form. */
const runs = new Map<string, Promise<unknown>>();
/** The runs still in flight. */
const pending = new Set<unknown>();

/** Returns the callback run for `href` (or for its cleaned form), starting it with `run` if none exists. */
export function joinCallback<T>(key: string, href: string, run: () => { cleanedHref: string; promise: Promise<T> }): Promise<T> {
  let promise = runs.get(`${key} ${href}`);
  if (!promise) {
    const started = run();
    const settle = () => pending.delete(started.promise);
    promise = started.promise;
    pending.add(promise);
    promise.then(settle, settle);
    runs.set(`${key} ${href}`, promise).set(`${key} ${started.cleanedHref}`, promise);
  }
  return promise as Promise<T>;
}

/** Whether a callback run for `href` exists and is still in flight. */
export function isCallbackPending(key: string, href: string): boolean {
  return pending.has(runs.get(`${key} ${href}`));
}

/** Forgets every callback run (tests). */
export function resetCallbackRegistry(): void {
  runs.clear();
  pending.clear();
}
