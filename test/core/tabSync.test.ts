import { afterEach, describe, expect, it } from "vitest";
import { createTabSync, type TabSync } from "../../src/core/tabSync";
import { createTokenSet, type TokenSet } from "../../src/core/tokenSet";

const open: TabSync[] = [];
afterEach(() => {
  for (const sync of open.splice(0)) sync.close();
});

function tab(shareTokens = true, current: TokenSet | null = null) {
  const events = { sessions: [] as TokenSet[], logouts: 0 };
  const sync = createTabSync("tab-test", { onSession: (t) => events.sessions.push(t), onLogout: () => (events.logouts += 1), currentSession: () => current }, shareTokens)!;
  open.push(sync);
  return { sync, events };
}

const token = (accessToken: string, expiresAt = Date.now() + 60_000) => createTokenSet({ accessToken, tokenType: "Bearer", expiresAt, issuedAt: Date.now(), refreshToken: `rt-${accessToken}` });
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("createTabSync", () => {
  it("hands a new token set to the other tabs", async () => {
    const a = tab();
    const b = tab();
    a.sync.publish(token("from-a"));
    await settle();
    expect(b.events.sessions.map((t) => t.accessToken)).toEqual(["from-a"]);
    expect(b.events.sessions[0]!.refreshToken).toBe("rt-from-a");
    expect(a.events.sessions).toHaveLength(0);
  });

  it("spreads logout to every tab, also when tokens are not shared", async () => {
    const a = tab(false);
    const b = tab(false);
    a.sync.publishLogout();
    await settle();
    expect(b.events.logouts).toBe(1);
  });

  it("never sends a token when sharing is off (memory storage)", async () => {
    const a = tab(false, token("private"));
    const b = tab(true);
    a.sync.publish(token("private"));
    await expect(b.sync.request(50)).resolves.toBeNull();
    expect(b.events.sessions).toHaveLength(0);
  });

  it("lets a new tab join the session of an open tab", async () => {
    tab(true, token("open-tab"));
    const newcomer = tab(true);
    const joined = await newcomer.sync.request(200);
    expect(joined?.accessToken).toBe("open-tab");
    expect(newcomer.sync.hasPeers()).toBe(true);
  });

  it("resolves null within the timeout when no tab answers", async () => {
    const alone = tab(true);
    const started = Date.now();
    await expect(alone.sync.request(50)).resolves.toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("ignores malformed messages", async () => {
    const b = tab(true);
    const raw = new BroadcastChannel("smartbills.tab-test");
    raw.postMessage({ t: "session", from: "x", token: "{not json" });
    raw.postMessage(null);
    raw.postMessage({ t: "session", token: 1 });
    await settle();
    raw.close();
    expect(b.events.sessions).toHaveLength(0);
  });
});
