import { act, render, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { vi } from "vitest";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { CLIENT_ID, createRecordingFetch, createWrapper, jsonResponse, storeToken, tokenResponse } from "./helpers";

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
const storedToken = () => window.sessionStorage.getItem(`smartbills.token.${CLIENT_ID}`);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-11-28T12:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("token state", () => {
  it("uses a still-valid stored token at mount with no request and no loading render", async () => {
    storeToken({ accessToken: "stored-at" });
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper } = createWrapper({ fetch });
    const statuses: string[] = [];
    renderHook(() => statuses.push(useSmartbillsAuth().status), { wrapper: Wrapper });
    await advance(10);
    expect(fetch.requests).toHaveLength(0);
    expect(statuses.every((s) => s === "authenticated")).toBe(true);
  });

  it("is unauthenticated at once, with no request, when nothing is stored", async () => {
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    expect(result.current.status).toBe("unauthenticated");
    await advance(10);
    expect(fetch.requests).toHaveLength(0);
  });

  it("refreshes a stored token that is due at mount, once, through the exchange endpoint", async () => {
    storeToken({ accessToken: "old-at", refreshToken: "old-rt", expiresAt: Date.now() + 10_000, issuedAt: Date.now() - 3_590_000 });
    const fetch = createRecordingFetch(() => tokenResponse({ access_token: "new-at", refresh_token: "new-rt" }));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    expect(result.current.status).toBe("loading");
    await advance(10);
    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]!.url).toBe(`${window.location.origin}/api/smartbills/token`);
    expect(Object.fromEntries(fetch.requests[0]!.body)).toEqual({ grant_type: "refresh_token", refresh_token: "old-rt", client_id: CLIENT_ID });
    expect(result.current.accessToken).toBe("new-at");
    expect(storedToken()).toContain("new-rt");
    expect(storedToken()).not.toContain("old-rt");
  });

  it("is unauthenticated when the stored token expired and there is no refresh token", async () => {
    storeToken({ refreshToken: undefined, expiresAt: Date.now() - 1000, issuedAt: Date.now() - 61_000 });
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(10);
    expect(result.current.status).toBe("unauthenticated");
    expect(fetch.requests).toHaveLength(0);
    expect(storedToken()).toBeNull();
  });

  it("re-renders a consumer once per refresh: when the new token arrives, not when the request starts", async () => {
    storeToken({ expiresAt: Date.now() + 5000, issuedAt: Date.now() });
    let answer = () => {};
    const fetch = createRecordingFetch(
      () => new Promise<Response>((resolve) => (answer = () => resolve(tokenResponse({ access_token: "new-at" })))),
    );
    // Without StrictMode, whose double render would count twice.
    const { Wrapper } = createWrapper({ fetch }, { strict: false });
    let renders = 0;
    const { result } = renderHook(
      () => {
        renders += 1;
        return useSmartbillsAuth();
      },
      { wrapper: Wrapper },
    );
    await advance(10);
    const before = renders;
    await advance(3_000); // past the half-life: the refresh is in flight
    expect(fetch.requests).toHaveLength(1);
    expect(renders).toBe(before);
    answer();
    await advance(10);
    expect(result.current.accessToken).toBe("new-at");
    expect(renders).toBe(before + 1);
  });

  it("refreshes a 5 s token about once per half-life while mounted, never in a storm", async () => {
    storeToken({ expiresAt: Date.now() + 5000, issuedAt: Date.now() });
    const fetch = createRecordingFetch(() => tokenResponse({ expires_in: 5 }));
    const { Wrapper } = createWrapper({ fetch });
    renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(20_000);
    // Every 2.5 s over 20 s: 8 refreshes.
    expect(fetch.requests.length).toBeGreaterThanOrEqual(7);
    expect(fetch.requests.length).toBeLessThanOrEqual(9);
    expect(fetch.requests.every((r) => r.body.get("grant_type") === "refresh_token")).toBe(true);
  });

  it("never refreshes more than once a second, even for a token the server says lasts 0 s", async () => {
    storeToken({ expiresAt: Date.now() + 5000, issuedAt: Date.now() });
    const fetch = createRecordingFetch(() => tokenResponse({ expires_in: 0 }));
    const { Wrapper } = createWrapper({ fetch });
    renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(10_000);
    expect(fetch.requests.length).toBeLessThanOrEqual(11);
  });

  it("shares one refresh request among 10 concurrent getAccessToken calls", async () => {
    storeToken({ accessToken: "old-at", expiresAt: Date.now() + 1000, issuedAt: Date.now() - 3_599_000 });
    const fetch = createRecordingFetch(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return tokenResponse({ access_token: "fresh-at" });
    });
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    const calls = Array.from({ length: 10 }, () => result.current.getAccessToken());
    await advance(100);
    await expect(Promise.all(calls)).resolves.toEqual(Array(10).fill("fresh-at"));
    expect(fetch.requests).toHaveLength(1);
  });

  it("ends the session with refresh_failed when the refresh token is refused", async () => {
    storeToken({ expiresAt: Date.now() + 1000, issuedAt: Date.now() - 3_599_000 });
    const fetch = createRecordingFetch(() => jsonResponse({ error: "invalid_grant", error_description: "grant revoked" }, 400));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(10);
    expect(result.current.status).toBe("unauthenticated");
    expect(result.current.error?.code).toBe("refresh_failed");
    expect(storedToken()).toBeNull();
    await act(async () => {
      await expect(result.current.getAccessToken()).rejects.toMatchObject({ code: "login_required" });
    });
    expect(fetch.requests).toHaveLength(1);
  });

  it("ends a live session with refresh_failed when a scheduled refresh is refused", async () => {
    storeToken({ expiresAt: Date.now() + 10_000, issuedAt: Date.now() });
    const fetch = createRecordingFetch(() => jsonResponse({ error: "invalid_grant" }, 400));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    expect(result.current.status).toBe("authenticated");
    await advance(5_100);
    expect(fetch.requests).toHaveLength(1);
    expect(result.current.status).toBe("unauthenticated");
    expect(result.current.error?.code).toBe("refresh_failed");
    expect(result.current.accessToken).toBeNull();
    await advance(30_000);
    expect(fetch.requests).toHaveLength(1);
  });

  it("keeps a still-valid token through network failures and retries with growing backoff", async () => {
    storeToken({ accessToken: "kept-at", expiresAt: Date.now() + 50_000, issuedAt: Date.now() - 3_550_000 });
    const times: number[] = [];
    let fail = true;
    const fetch = createRecordingFetch(() => {
      times.push(Date.now());
      return fail ? Promise.reject(new TypeError("Failed to fetch")) : tokenResponse({ access_token: "after-outage" });
    });
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(20_000);
    expect(result.current.accessToken).toBe("kept-at");
    expect(result.current.error).toBeNull();
    expect(result.current.status).toBe("authenticated");
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(gaps.length).toBeLessThanOrEqual(8);
    expect(gaps[gaps.length - 1]!).toBeGreaterThan(gaps[0]!);
    fail = false;
    await advance(35_000);
    expect(result.current.accessToken).toBe("after-outage");
  });

  it("surfaces network_error, not a logout, when the token expired while offline", async () => {
    storeToken({ expiresAt: Date.now() - 1000, issuedAt: Date.now() - 3_601_000 });
    const fetch = createRecordingFetch(() => Promise.reject(new TypeError("Failed to fetch")));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(10);
    expect(result.current.status).toBe("unauthenticated");
    expect(result.current.error?.code).toBe("network_error");
    expect(storedToken()).not.toBeNull();
  });

  it("loads the session again when a consumer mounts after a first load that failed offline", async () => {
    storeToken({ accessToken: "expired", expiresAt: Date.now() - 1000, issuedAt: Date.now() - 3_601_000 });
    let online = false;
    const fetch = createRecordingFetch(() => (online ? tokenResponse({ access_token: "after-outage" }) : Promise.reject(new TypeError("offline"))));
    const { Wrapper } = createWrapper({ fetch });
    const statuses: Record<string, string> = {};
    function Consumer({ name }: { name: string }) {
      statuses[name] = useSmartbillsAuth().status;
      return null;
    }
    const { rerender } = render(<Consumer name="first" />, { wrapper: Wrapper });
    await advance(10);
    expect(statuses.first).toBe("unauthenticated");
    const failed = fetch.requests.length;
    online = true;
    // A route with another consumer mounts, under the same provider: as a mounting useQuery would,
    // it loads the session again.
    rerender(
      <>
        <Consumer name="first" />
        <Consumer name="later" />
      </>,
    );
    await advance(10);
    expect(fetch.requests).toHaveLength(failed + 1);
    expect(statuses).toEqual({ first: "authenticated", later: "authenticated" });
  });
});

describe("logout", () => {

  it("clears the query cache, storage and pending logins, and leaves no token anywhere", async () => {
    const stored = storeToken({ accessToken: "secret-at-123456", refreshToken: "secret-rt-123456" });
    window.sessionStorage.setItem(`smartbills.tx.${CLIENT_ID}.${"s".repeat(43)}`, JSON.stringify({ state: "s".repeat(43), codeVerifier: "v".repeat(64), redirectUri: "x", returnTo: "/", createdAt: Date.now() }));
    const logs: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(" ")));
    }
    const { Wrapper, queryClient } = createWrapper({ fetch: createRecordingFetch(() => tokenResponse()) });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    expect(result.current.accessToken).toBe(stored.accessToken);
    const { dehydrate } = await import("@tanstack/react-query");
    const secrets = [stored.accessToken, stored.refreshToken];
    const everywhereBut = () => [JSON.stringify(dehydrate(queryClient)), document.cookie, logs.join("\n")].join("\n");
    for (const secret of secrets) expect(everywhereBut()).not.toContain(secret);

    await act(() => result.current.logout());
    await advance(10);
    expect(result.current.status).toBe("unauthenticated");
    const everywhere = [everywhereBut(), JSON.stringify({ ...window.sessionStorage }), JSON.stringify({ ...window.localStorage })].join("\n");
    for (const secret of secrets) expect(everywhere).not.toContain(secret);
    expect(Object.keys(window.sessionStorage).filter((k) => k.startsWith("smartbills."))).toEqual([]);
  });
});

describe("render counts", () => {
  it("does not re-render a useSmartbillsLogin-only component when the token refreshes", async () => {
    storeToken({ expiresAt: Date.now() + 5000, issuedAt: Date.now() });
    const fetch = createRecordingFetch(() => tokenResponse({ expires_in: 5 }));
    const { Wrapper } = createWrapper({ fetch }, { strict: false });
    let renders = 0;
    const { useSmartbillsLogin } = await import("../../src/react/useSmartbillsLogin");
    function LoginOnly() {
      renders += 1;
      useSmartbillsLogin();
      return null;
    }
    render(<LoginOnly />, { wrapper: Wrapper });
    const before = renders;
    await advance(6_000);
    expect(fetch.requests.length).toBeGreaterThanOrEqual(2);
    expect(renders).toBe(before);
  });
});

describe("waking up", () => {
  it("refreshes once, at once, when the page becomes visible after sleeping past expiry", async () => {
    storeToken({ expiresAt: Date.now() + 600_000, issuedAt: Date.now() });
    const fetch = createRecordingFetch(() => tokenResponse({ access_token: "woken-at" }));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    // The lid closes: the clock jumps two hours while no timer runs.
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new Event("online"));
    await advance(50);
    expect(fetch.requests).toHaveLength(1);
    expect(result.current.accessToken).toBe("woken-at");
  });

  it("retries at once when the network comes back after failures", async () => {
    storeToken({ accessToken: "kept", expiresAt: Date.now() + 50_000, issuedAt: Date.now() - 3_550_000 });
    let online = false;
    const fetch = createRecordingFetch(() => (online ? tokenResponse({ access_token: "back-online" }) : Promise.reject(new TypeError("offline"))));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(10);
    expect(fetch.requests.length).toBeGreaterThanOrEqual(1);
    const before = fetch.requests.length;
    online = true;
    window.dispatchEvent(new Event("online"));
    await advance(1_100);
    expect(fetch.requests.length).toBe(before + 1);
    expect(result.current.accessToken).toBe("back-online");
  });
});
