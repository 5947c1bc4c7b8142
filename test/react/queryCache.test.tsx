/**
 * The token query lives in the app's QueryClient, where the app may clear, reset or re-hash it.
 * The hooks read it through the cache (no QueryObserver), so the client itself must notice.
 */
import { QueryClient } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { smartbillsKeys } from "../../src/react/smartbillsKeys";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { CLIENT_ID, createRecordingFetch, createWrapper, storeToken, tokenResponse } from "./helpers";

const WAIT = { timeout: 2_000 };

afterEach(() => {
  vi.useRealTimers();
});

describe("the token query in the app's QueryClient", () => {
  it("loads the session again after the app clears the whole cache (queryClient.clear())", async () => {
    storeToken({ accessToken: "kept-in-storage" });
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper, queryClient } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    expect(result.current.accessToken).toBe("kept-in-storage");

    act(() => queryClient.clear());
    await waitFor(() => expect(result.current.status).toBe("authenticated"), WAIT);
    expect(result.current.accessToken).toBe("kept-in-storage");
    expect(queryClient.getQueryData(smartbillsKeys.token(CLIENT_ID))).toMatchObject({ accessToken: "kept-in-storage" });
    expect(fetch.requests).toHaveLength(0);
  });

  it("loads the session again after resetQueries() puts the query back to its initial state", async () => {
    storeToken({ accessToken: "kept-in-storage" });
    const { Wrapper, queryClient } = createWrapper({ fetch: createRecordingFetch(() => tokenResponse()) });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await act(() => queryClient.resetQueries());
    await waitFor(() => expect(result.current.status).toBe("authenticated"), WAIT);
    expect(result.current.accessToken).toBe("kept-in-storage");
  });

  it("does not retry in a loop when loading again fails: the error stays for the UI", async () => {
    vi.useFakeTimers({ now: new Date("2026-11-28T12:00:00Z") });
    const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
    const fetch = createRecordingFetch(() => {
      throw new TypeError("offline");
    });
    storeToken({ accessToken: "expired", expiresAt: Date.now() - 1_000, issuedAt: Date.now() - 3_601_000 });
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(100);
    expect(result.current.error?.code).toBe("network_error");
    expect(fetch.requests).toHaveLength(1);
    // A minute on, with no event (no 'online', no new consumer): still the one attempt.
    await advance(60_000);
    expect(fetch.requests).toHaveLength(1);
    expect(result.current.error?.code).toBe("network_error");
  });

  it("tries again when the browser comes back online after a first load that failed offline", async () => {
    let online = false;
    const fetch = createRecordingFetch(() => {
      if (!online) throw new TypeError("offline");
      return tokenResponse({ access_token: "after-reconnect" });
    });
    storeToken({ accessToken: "expired", expiresAt: Date.now() - 1_000, issuedAt: Date.now() - 3_601_000 });
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.error?.code).toBe("network_error"), WAIT);
    expect(result.current.status).toBe("unauthenticated");

    online = true;
    act(() => {
      window.dispatchEvent(new Event("online"));
    });
    await waitFor(() => expect(result.current.accessToken).toBe("after-reconnect"), WAIT);
    expect(result.current.status).toBe("authenticated");
  });

  it("keeps one token query when the app's QueryClient hashes keys its own way (queryKeyHashFn)", async () => {
    storeToken({ accessToken: "one-query" });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, queryKeyHashFn: (key) => `custom:${JSON.stringify(key)}` } } });
    const { Wrapper } = createWrapper({ queryClient });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.status).toBe("authenticated"), WAIT);
    await act(() => result.current.getAccessToken());
    const queries = queryClient.getQueryCache().findAll({ queryKey: smartbillsKeys.all });
    expect(queries.map((query) => query.queryHash)).toEqual([`custom:${JSON.stringify(smartbillsKeys.token(CLIENT_ID))}`]);
  });
});
