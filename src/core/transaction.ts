import { SmartbillsAuthError, SmartbillsErrorCodes } from "./errors.js";

/** What a login leaves for its callback, under its own `state`. */
export interface LoginTransaction {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
  createdAt: number;
}

/** A pending login older than this is refused: a code should come back within minutes. */
export const TRANSACTION_TTL_MS = 10 * 60 * 1000;
/** At most this many pending logins per client; older ones are dropped first. */
const MAX_PENDING = 10;

const prefix = (clientId: string) => `smartbills.tx.${clientId}.`;

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
  const keyPrefix = prefix(clientId);

  const entries = (storage: Storage, now: number) => {
    const found: { key: string; tx: LoginTransaction }[] = [];
    for (let i = storage.length - 1; i >= 0; i--) {
      const key = storage.key(i);
      // Another client's id may extend ours ("app" and "app.admin"): a state is base64url only, so
      // a remainder with anything else belongs to someone else and is left alone.
      if (!key || !key.startsWith(keyPrefix) || !/^[A-Za-z0-9_-]+$/.test(key.slice(keyPrefix.length))) continue;
      const tx = parse(storage.getItem(key));
      if (!tx || tx.state !== key.slice(keyPrefix.length) || now - tx.createdAt > TRANSACTION_TTL_MS || tx.createdAt > now + 60_000) {
        storage.removeItem(key); // expired or tampered with: it can never complete
        continue;
      }
      found.push({ key, tx });
    }
    return found;
  };

  return {
    save(transaction) {
      const storage = requireStorage(getStorage);
      const pending = entries(storage, transaction.createdAt).sort((a, b) => a.tx.createdAt - b.tx.createdAt);
      for (const { key } of pending.slice(0, Math.max(0, pending.length - (MAX_PENDING - 1)))) storage.removeItem(key);
      try {
        storage.setItem(keyPrefix + transaction.state, JSON.stringify(transaction));
      } catch (cause) {
        throw new SmartbillsAuthError(SmartbillsErrorCodes.UNSUPPORTED_ENVIRONMENT, {
          description: "sessionStorage is full or blocked, so the login cannot be kept for its callback.",
          cause,
        });
      }
    },
    take(state, now) {
      const storage = getStorage();
      const pending = storage ? entries(storage, now) : [];
      const match = state ? pending.find((entry) => entry.tx.state === state) : undefined;
      if (match && storage) {
        storage.removeItem(match.key);
        return match.tx;
      }
      if (pending.length > 0) {
        throw new SmartbillsAuthError(SmartbillsErrorCodes.STATE_MISMATCH, {
          description: "The sign-in response does not belong to the login started in this tab. Please sign in again.",
        });
      }
      throw new SmartbillsAuthError(SmartbillsErrorCodes.MISSING_TRANSACTION, {
        description: "No sign-in is pending in this tab (it expired, was already completed, or started elsewhere). Please sign in again.",
      });
    },
    clear() {
      const storage = getStorage();
      if (!storage) return;
      for (const { key } of entries(storage, Date.now())) storage.removeItem(key);
    },
  };
}

function defaultStorage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

function requireStorage(getStorage: () => Storage | null): Storage {
  const storage = getStorage();
  if (!storage) {
    throw new SmartbillsAuthError(SmartbillsErrorCodes.UNSUPPORTED_ENVIRONMENT, {
      description: "sessionStorage is not available, so the login cannot be kept for its callback.",
    });
  }
  return storage;
}

function parse(raw: string | null): LoginTransaction | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<LoginTransaction>;
    if (
      typeof v.state === "string" &&
      typeof v.codeVerifier === "string" &&
      typeof v.redirectUri === "string" &&
      typeof v.returnTo === "string" &&
      typeof v.createdAt === "number"
    ) {
      return { state: v.state, codeVerifier: v.codeVerifier, redirectUri: v.redirectUri, returnTo: v.returnTo, createdAt: v.createdAt };
    }
  } catch {
    // fall through
  }
  return null;
}
