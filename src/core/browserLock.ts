/**
 * Runs `fn` holding a browser-wide lock (Web Locks API), so only one tab refreshes at a time; where
 * the API is missing it runs at once (each tab then relies on the broadcast of the first refresh).
 *
 * @see https://w3c.github.io/web-locks/
 */
export async function withBrowserLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (!locks || typeof locks.request !== "function") return fn();
  return locks.request(name, { mode: "exclusive" }, fn) as Promise<T>;
}
