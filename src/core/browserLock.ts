/**
 * Runs `fn` holding a browser-wide lock (Web Locks API), so only one tab refreshes at a time; where
 * the API is missing it runs at once (each tab then relies on the broadcast of the first refresh).
 *
 * @see https://w3c.github.io/web-locks/
 */
export async function withBrowserLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  // Optional: older browsers, and insecure origins (http), have no navigator.locks.
  const locks = typeof navigator !== "undefined" ? (navigator.locks as LockManager | undefined) : undefined;
  // An exclusive lock, the default mode.
  return locks?.request ? locks.request(name, fn) : fn();
}
