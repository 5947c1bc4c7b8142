import { describe, expect, it, vi } from "vitest";
import { TRANSACTION_TTL_MS, createTransactionStore, type LoginTransaction } from "../../src/core/transaction";
import { expectAuthError, thrownBy } from "./authError";
import { MemoryStorage } from "./memoryStorage";

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const CLIENT = "client-1";
const KEY_PREFIX = `smartbills.tx.${CLIENT}.`;

function transaction(state: string, overrides: Partial<LoginTransaction> = {}): LoginTransaction {
  return {
    state,
    codeVerifier: `verifier-of-${state}-${"v".repeat(40)}`,
    redirectUri: "https://app.example/callback",
    returnTo: `/from/${state}`,
    createdAt: T0,
    ...overrides,
  };
}

function setup(clientId = CLIENT) {
  const storage = new MemoryStorage();
  const store = createTransactionStore(clientId, () => storage);
  return { storage, store };
}

describe("transaction store", () => {
  it("gives back a saved transaction by its state", () => {
    const { store } = setup();
    const tx = transaction("state-a");
    store.save(tx);

    const taken = store.take("state-a", T0 + 1000);

    expect(taken).toEqual(tx);
  });

  it("keeps one record per state under the client's prefix", () => {
    const { store, storage } = setup();

    store.save(transaction("state-a"));

    expect(storage.keys()).toEqual([`${KEY_PREFIX}state-a`]);
  });

  it("deletes the record when it is taken", () => {
    const { store, storage } = setup();
    store.save(transaction("state-a"));

    store.take("state-a", T0);

    expect(storage.length).toBe(0);
  });

  it("refuses a second take of the same state with missing_transaction", () => {
    const { store } = setup();
    store.save(transaction("state-a"));
    store.take("state-a", T0);

    expectAuthError(thrownBy(() => store.take("state-a", T0)), "missing_transaction");
  });

  it("gives the first of two logins in flight its own verifier and keeps the second", () => {
    const { store } = setup();
    const first = transaction("state-a");
    const second = transaction("state-b", { createdAt: T0 + 10 });
    store.save(first);
    store.save(second);

    const taken = store.take("state-a", T0 + 20);

    expect(taken.codeVerifier).toBe(first.codeVerifier);
    expect(store.take("state-b", T0 + 30).codeVerifier).toBe(second.codeVerifier);
  });

  it("refuses an unknown state with state_mismatch while another login is pending", () => {
    const { store } = setup();
    store.save(transaction("state-a"));

    expectAuthError(thrownBy(() => store.take("state-unknown", T0)), "state_mismatch");
  });

  it("keeps the pending login when refusing an unknown state", () => {
    const { store } = setup();
    store.save(transaction("state-a"));
    thrownBy(() => store.take("state-unknown", T0));

    expect(store.take("state-a", T0).state).toBe("state-a");
  });

  it("refuses an undefined state with state_mismatch while another login is pending", () => {
    const { store } = setup();
    store.save(transaction("state-a"));

    expectAuthError(thrownBy(() => store.take(undefined, T0)), "state_mismatch");
  });

  it("refuses an unknown state with missing_transaction when nothing is pending", () => {
    const { store } = setup();

    expectAuthError(thrownBy(() => store.take("state-unknown", T0)), "missing_transaction");
  });

  it("refuses an undefined state with missing_transaction when nothing is pending", () => {
    const { store } = setup();

    expectAuthError(thrownBy(() => store.take(undefined, T0)), "missing_transaction");
  });

  it("refuses an empty state", () => {
    const { store } = setup();
    store.save(transaction("state-a"));

    expectAuthError(thrownBy(() => store.take("", T0)), "state_mismatch");
  });

  it("accepts a transaction exactly 10 minutes old", () => {
    const { store } = setup();
    store.save(transaction("state-a"));

    expect(store.take("state-a", T0 + TRANSACTION_TTL_MS).state).toBe("state-a");
  });

  it("refuses a transaction older than 10 minutes", () => {
    const { store } = setup();
    store.save(transaction("state-a"));

    expectAuthError(thrownBy(() => store.take("state-a", T0 + 10 * 60 * 1000 + 1)), "missing_transaction");
  });

  it("purges an expired transaction from storage", () => {
    const { store, storage } = setup();
    store.save(transaction("state-a"));

    thrownBy(() => store.take("state-a", T0 + TRANSACTION_TTL_MS + 1));

    expect(storage.length).toBe(0);
  });

  it("refuses a transaction older than 10 minutes on the fake clock too", () => {
    vi.useFakeTimers({ now: T0 });
    try {
      const { store } = setup();
      store.save(transaction("state-a", { createdAt: Date.now() }));

      vi.advanceTimersByTime(11 * 60 * 1000);

      expectAuthError(thrownBy(() => store.take("state-a", Date.now())), "missing_transaction");
    } finally {
      vi.useRealTimers();
    }
  });

  it("ignores and removes a record that is not JSON", () => {
    const { store, storage } = setup();
    storage.setItem(`${KEY_PREFIX}state-a`, "{not json");

    expectAuthError(thrownBy(() => store.take("state-a", T0)), "missing_transaction");
    expect(storage.getItem(`${KEY_PREFIX}state-a`)).toBeNull();
  });

  it("ignores and removes a record with a missing field", () => {
    const { store, storage } = setup();
    const { codeVerifier: _dropped, ...partial } = transaction("state-a");
    storage.setItem(`${KEY_PREFIX}state-a`, JSON.stringify(partial));

    expectAuthError(thrownBy(() => store.take("state-a", T0)), "missing_transaction");
    expect(storage.length).toBe(0);
  });

  it.each([
    ["a string createdAt", { createdAt: String(T0) }],
    ["a numeric codeVerifier", { codeVerifier: 42 }],
    ["a null returnTo", { returnTo: null }],
  ])("ignores and removes a record with %s", (_name, overrides) => {
    const { store, storage } = setup();
    storage.setItem(`${KEY_PREFIX}state-a`, JSON.stringify({ ...transaction("state-a"), ...overrides }));

    expectAuthError(thrownBy(() => store.take("state-a", T0)), "missing_transaction");
    expect(storage.length).toBe(0);
  });

  it("ignores and removes a record whose state does not match its key", () => {
    const { store, storage } = setup();
    storage.setItem(`${KEY_PREFIX}state-a`, JSON.stringify(transaction("state-attacker")));

    expectAuthError(thrownBy(() => store.take("state-a", T0)), "missing_transaction");
    expect(storage.length).toBe(0);
  });

  it("ignores and removes a record created in the far future", () => {
    const { store, storage } = setup();
    storage.setItem(`${KEY_PREFIX}state-a`, JSON.stringify(transaction("state-a", { createdAt: T0 + 365 * 24 * 3600 * 1000 })));

    expectAuthError(thrownBy(() => store.take("state-a", T0)), "missing_transaction");
    expect(storage.length).toBe(0);
  });

  it("keeps at most 10 pending logins, dropping the oldest", () => {
    const { store, storage } = setup();
    for (let i = 0; i < 11; i++) store.save(transaction(`state-${i}`, { createdAt: T0 + i * 1000 }));

    expect(storage.length).toBe(10);
    expect(storage.getItem(`${KEY_PREFIX}state-0`)).toBeNull();
    expect(storage.getItem(`${KEY_PREFIX}state-10`)).not.toBeNull();
  });

  it("refuses the dropped oldest login and still completes the newest", () => {
    const { store } = setup();
    for (let i = 0; i < 11; i++) store.save(transaction(`state-${i}`, { createdAt: T0 + i * 1000 }));

    expectAuthError(thrownBy(() => store.take("state-0", T0 + 20_000)), "state_mismatch");
    expect(store.take("state-10", T0 + 20_000).state).toBe("state-10");
  });

  it("clears every pending login of its client", () => {
    const { store, storage } = setup();
    store.save(transaction("state-a", { createdAt: Date.now() }));
    store.save(transaction("state-b", { createdAt: Date.now() }));

    store.clear();

    expect(storage.length).toBe(0);
  });

  it("clears nothing of another client or another app", () => {
    const storage = new MemoryStorage();
    const mine = createTransactionStore("client-1", () => storage);
    const theirs = createTransactionStore("client-2", () => storage);
    storage.setItem("unrelated", "keep me");
    mine.save(transaction("state-a", { createdAt: Date.now() }));
    theirs.save(transaction("state-b", { createdAt: Date.now() }));

    mine.clear();

    expect(storage.keys().sort()).toEqual(["smartbills.tx.client-2.state-b", "unrelated"]);
  });

  // Regression (was a bug): the key prefix of client "app" (`smartbills.tx.app.`) is also a prefix of every key of
  // client "app.admin" (`smartbills.tx.app.admin.<state>`). Client "app" reads such a record as
  // state "admin.<state>", sees it does not match, treats it as tampered and removes it: clear()
  // (and save/take) of one client deletes the pending logins of another.
  it("clears nothing of a client whose id starts with this client's id and a dot", () => {
    const storage = new MemoryStorage();
    const app = createTransactionStore("app", () => storage);
    const admin = createTransactionStore("app.admin", () => storage);
    admin.save(transaction("state-b", { createdAt: Date.now() }));

    app.clear();

    expect(storage.keys()).toEqual(["smartbills.tx.app.admin.state-b"]);
  });

  it("throws unsupported_environment on save when there is no storage", () => {
    const store = createTransactionStore(CLIENT, () => null);

    expectAuthError(thrownBy(() => store.save(transaction("state-a"))), "unsupported_environment");
  });

  it("throws unsupported_environment on save when storage refuses the write", () => {
    const { store, storage } = setup();
    storage.failWrites = true;

    expectAuthError(thrownBy(() => store.save(transaction("state-a"))), "unsupported_environment");
  });

  it("reports missing_transaction on take when there is no storage", () => {
    const store = createTransactionStore(CLIENT, () => null);

    expectAuthError(thrownBy(() => store.take("state-a", T0)), "missing_transaction");
  });

  it("uses no storage at all in node by default", () => {
    const store = createTransactionStore(CLIENT);

    expectAuthError(thrownBy(() => store.save(transaction("state-a"))), "unsupported_environment");
  });
});
