/**
 * The one in-flight (or settled) callback of this page load. React StrictMode mounts effects twice
 * and routers re-mount routes; every one of them must join the same exchange, never start a second
 * (the authorization server would revoke the whole grant on a reused code).
 *
 * Module state, not React state: it must outlive unmounts. Nothing here touches `window` at import.
 */
interface Entry<T> {
  key: string;
  hrefs: Set<string>;
  promise: Promise<T>;
  settled: boolean;
}

const entries = new Map<string, Entry<unknown>>();

/** Returns the callback run for `href` (or for its cleaned form), starting it with `run` if none exists. */
export function joinCallback<T>(key: string, href: string, run: () => { cleanedHref: string; promise: Promise<T> }): Promise<T> {
  for (const entry of entries.values()) {
    if (entry.key === key && entry.hrefs.has(href)) return entry.promise as Promise<T>;
  }
  const { cleanedHref, promise } = run();
  const entry: Entry<T> = { key, hrefs: new Set([href, cleanedHref]), promise, settled: false };
  entries.set(`${key} ${href}`, entry as Entry<unknown>);
  promise.then(
    () => (entry.settled = true),
    () => (entry.settled = true),
  );
  return promise;
}

/** Whether a callback run for `href` exists and is still in flight. */
export function isCallbackPending(key: string, href: string): boolean {
  for (const entry of entries.values()) if (entry.key === key && !entry.settled && entry.hrefs.has(href)) return true;
  return false;
}

/** Forgets every callback run (tests). */
export function resetCallbackRegistry(): void {
  entries.clear();
}
