import { describe, expect, it } from "vitest";
import { createTokenStore } from "../../src/core/storage";
import { parseTokenResponse } from "../../src/core/tokenResponse";
import { MemoryStorage } from "./memoryStorage";

const NOW = Date.UTC(2025, 0, 1);
const tokenSet = parseTokenResponse({ access_token: "ACCESS-TOKEN-xyz", token_type: "Bearer", expires_in: 60, refresh_token: "REFRESH-TOKEN-xyz" }, NOW);

describe("createTokenStore", () => {
  it("keys the token set by client id", () => {
    expect(createTokenStore("memory", "client-1").key).toBe("smartbills.token.client-1");
  });

  it("keeps nothing for the memory option", () => {
    const store = createTokenStore("memory", "client-1");

    store.save(tokenSet);

    expect(store.load()).toBeNull();
    expect(store.kind).toBe("memory");
  });

  it("keeps nothing in script-readable storage for the cookie option", () => {
    const store = createTokenStore("cookie", "client-1");

    store.save(tokenSet);

    expect(store.load()).toBeNull();
    expect(store.kind).toBe("cookie");
  });

  it("round-trips a token set through a storage object", () => {
    const storage = new MemoryStorage();
    const store = createTokenStore(storage, "client-1");

    store.save(tokenSet);

    expect(store.kind).toBe("custom");
    expect(store.load()?.accessToken).toBe("ACCESS-TOKEN-xyz");
  });

  it("clears the stored token set", () => {
    const storage = new MemoryStorage();
    const store = createTokenStore(storage, "client-1");
    store.save(tokenSet);

    store.clear();

    expect(storage.length).toBe(0);
  });

  it("reads a tampered value as no session and removes it", () => {
    const storage = new MemoryStorage();
    storage.setItem("smartbills.token.client-1", "{tampered");
    const store = createTokenStore(storage, "client-1");

    expect(store.load()).toBeNull();
    expect(storage.length).toBe(0);
  });

  it("does not throw when the storage refuses a write", () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    const store = createTokenStore(storage, "client-1");

    expect(() => store.save(tokenSet)).not.toThrow();
  });

  it("has no session storage where there is no window", () => {
    const store = createTokenStore("session", "client-1");

    expect(() => store.save(tokenSet)).not.toThrow();
    expect(store.load()).toBeNull();
    expect(store.kind).toBe("session");
  });
});
