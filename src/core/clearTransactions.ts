/**
 * Removes every pending login of a client (logout) without the rest of the store, so that the
 * start-up code of an app does not carry it.
 */
export function clearTransactions(clientId: string): void {
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    // No window (server rendering) or blocked storage: nothing to clear.
  }
  const prefix = `smartbills.tx.${clientId}.`;
  if (!storage) return;
  // Backwards: removing a key moves the ones after it. Only a base64url remainder is ours (see above).
  for (let i = storage.length - 1; i >= 0; i--) {
    const key = storage.key(i);
    if (key?.startsWith(prefix) && /^[\w-]+$/.test(key.slice(prefix.length))) storage.removeItem(key);
  }
}
