import { SmartbillsAuthError } from "./errors.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** What a login leaves for its callback, under its own `state`. */
export interface LoginTransaction {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
  createdAt: number;
  /** The OpenID Connect nonce the ID token must carry (logins with the `openid` scope). */
  nonce?: string;
}

/** A pending login older than this is refused: a code should come back within minutes. */
export const TRANSACTION_TTL_MS = 10 * 60 * 1000;
/** At most this many pending logins per client; older ones are dropped first. */
const MAX_PENDING = 10;
/** A login "created" further ahead than this clock skew was tampered with. */
const MAX_CLOCK_SKEW_MS = 60_000;

/**
 * Keeps login transactions in sessionStorage, one record per `state`, so two logins in flight
 * (two tabs, a double click) never overwrite each other's verifier.
 */
export interface TransactionStore {
  save(transaction: LoginTransaction): void;
  /**
   * Takes (reads and deletes) the transaction of `state`: a transaction is single use, and deleting
   * it before the exchange means a replayed callback can never redeem a code.
   * Throws `state_mismatch` when other logins are pending, `missing_transaction` when none is.
   */
  take(state: string | undefined, now: number): LoginTransaction;
  /** Removes every pending login of this client (logout). */
  clear(): void;
}

/**
 * Makes the transaction store of a client. `getStorage` is called at each use so nothing touches
 * `window` at import time.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function createTransactionStore(clientId: string, getStorage: () => Storage | null = defaultStorage): TransactionStore {
  const keyPrefix = `smartbills.tx.${clientId}.`;

  /** The pending logins of this client; expired or tampered-with records are removed on the way. */
  const pendingLogins = (storage: Storage, now: number): LoginTransaction[] => {
    const found: LoginTransaction[] = [];
    // Backwards: removing a record moves the ones after it.
    for (let i = storage.length - 1; i >= 0; i--) {
      const key = storage.key(i);
      if (!key?.startsWith(keyPrefix)) continue;
      const state = key.slice(keyPrefix.length);
      // Another client's id may extend ours ("app" and "app.admin"): a state is base64url only, so
      // a remainder with anything else belongs to someone else and is left alone.
      if (!/^[\w-]+$/.test(state)) continue;
      let tx: LoginTransaction | undefined;
      try {
        tx = JSON.parse(storage.getItem(key)!);
      } catch {
        // Not JSON: removed below.
      }
      // Every field of the right type, the state the one of its key, and neither expired nor from the future.
      const valid =
        tx?.state === state &&
        [tx.codeVerifier, tx.redirectUri, tx.returnTo].every((field) => typeof field === "string") &&
        typeof tx.createdAt === "number" &&
        (tx.nonce === undefined || typeof tx.nonce === "string") &&
        now - tx.createdAt <= TRANSACTION_TTL_MS &&
        tx.createdAt <= now + MAX_CLOCK_SKEW_MS;
      if (valid) found.push(tx!);
      else storage.removeItem(key); // expired or tampered with: it can never complete
    }
    return found;
  };

  return {
    save(transaction) {
      const storage = getStorage();
      let cause: unknown;
      if (storage) {
        // Make room for this one: keep the newest MAX_PENDING - 1 (a negative end counts from the end).
        const pending = pendingLogins(storage, transaction.createdAt).sort((a, b) => a.createdAt - b.createdAt);
        for (const tx of pending.slice(0, 1 - MAX_PENDING)) storage.removeItem(keyPrefix + tx.state);
        try {
          storage.setItem(keyPrefix + transaction.state, JSON.stringify(transaction));
          return;
        } catch (error) {
          cause = error; // full or blocked
        }
      }
      throw new SmartbillsAuthError("unsupported_environment", {
        description: process.env.NODE_ENV !== "production" ? "sessionStorage is unavailable, full or blocked, so the login cannot be kept for its callback." : undefined,
        cause,
      });
    },
    take(state, now) {
      const storage = getStorage();
      const pending = storage ? pendingLogins(storage, now) : [];
      // Exact match only; a pending state is never empty, so no state (undefined, "") matches none.
      const match = pending.find((tx) => tx.state === state);
      if (match) {
        storage!.removeItem(keyPrefix + match.state); // a match implies storage
        return match;
      }
      const mismatch = pending.length > 0;
      throw new SmartbillsAuthError(
        mismatch ? "state_mismatch" : "missing_transaction",
        process.env.NODE_ENV !== "production"
          ? {
              description: mismatch
                ? "The sign-in response does not belong to the login started in this tab. Please sign in again."
                : "No sign-in is pending in this tab (it expired, was already completed, or started elsewhere). Please sign in again.",
            }
          : {},
      );
    },
    clear() {
      const storage = getStorage();
      if (storage) for (const tx of pendingLogins(storage, Date.now())) storage.removeItem(keyPrefix + tx.state);
    },
  };
}

function defaultStorage(): Storage | null {
  try {
    // Without a window (server rendering) this throws too.
    return window.sessionStorage;
  } catch {
    return null;
  }
}
