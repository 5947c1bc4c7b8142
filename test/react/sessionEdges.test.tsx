/**
 * Edges of the session's life found in review: another tab clearing the whole storage, the order of a
 * cookie-mode logout, a refused callback whose fallback load fails too, and a backoff that must give
 * way when another tab's refresh arrives.
 */
import { act, render, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SmartbillsAuthError } from "../../src/core/errors";
import { Callback } from "../../src/react/Callback";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { CLIENT_ID, createRecordingFetch, createWrapper, tokenResponse } from "./helpers";

const WAIT = { timeout: 2_000 };
const KEY = `smartbills.token.${CLIENT_ID}`;
const stored = (fields: Record<string, unknown> = {}) => {
  const now = Date.now();
  return JSON.stringify({ v: 1, accessToken: "local-at", tokenType: "Bearer", expiresAt: now + 3_600_000, issuedAt: now, refreshToken: "local-rt", ...fields });
};

afterEach(() => {
  vi.useRealTimers();
  window.localStorage.clear();
});

describe('storage="local" and another tab', () => {
  it("signs this tab out when another tab clears the whole localStorage (a storage event with a null key)", async () => {
    window.localStorage.setItem(KEY, stored());
    const { Wrapper } = createWrapper({ storage: "local", fetch: createRecordingFetch(() => tokenResponse()) });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    expect(result.current.status).toBe("authenticated");

    window.localStorage.clear();
    act(() => {
      window.dispatchEvent(new StorageEvent("storage", { key: null, storageArea: window.localStorage }));
    });
    await waitFor(() => expect(result.current.status).toBe("unauthenticated"), WAIT);
  });

  it("stays signed in when a null-key storage event leaves our token in place", async () => {
    window.localStorage.setItem(KEY, stored());
    const { Wrapper } = createWrapper({ storage: "local", fetch: createRecordingFetch(() => tokenResponse()) });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    // A null-key event whose clear() did not take our key (another storage area, say): nothing changes.
    act(() => {
      window.dispatchEvent(new StorageEvent("storage", { key: null, storageArea: window.sessionStorage }));
    });
    await act(async () => {});
    expect(result.current.status).toBe("authenticated");
    expect(result.current.accessToken).toBe("local-at");
  });

  it("ignores a storage event whose new value is garbage or a forged, expired token set", async () => {
    window.localStorage.setItem(KEY, stored());
    const { Wrapper } = createWrapper({ storage: "local", fetch: createRecordingFetch(() => tokenResponse()) });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    for (const newValue of ["{not json", JSON.stringify({ v: 2, accessToken: "x" }), stored({ accessToken: "forged", expiresAt: Date.now() - 1 })]) {
      act(() => {
        window.dispatchEvent(new StorageEvent("storage", { key: KEY, newValue, storageArea: window.localStorage }));
      });
    }
    await act(async () => {});
    expect(result.current.status).toBe("authenticated");
    expect(result.current.accessToken).toBe("local-at");
  });

  it("goes on refreshing on time after a failed attempt when another tab's refresh arrives through storage", async () => {
    vi.useFakeTimers({ now: new Date("2026-11-28T12:00:00Z") });
    const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
    // A token due for refresh (30 s left of 5 min); the first refresh fails on the network.
    window.localStorage.setItem(KEY, stored({ expiresAt: Date.now() + 30_000, issuedAt: Date.now() - 270_000 }));
    let offline = true;
    const fetch = createRecordingFetch(() => {
      if (offline) throw new TypeError("offline");
      return tokenResponse({ access_token: "ours-later", expires_in: 300 });
    });
    const { Wrapper } = createWrapper({ storage: "local", fetch });
    renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await advance(100);
    expect(fetch.requests).toHaveLength(1);

    // Meanwhile another tab refreshed and wrote a 5-minute token; its storage event got lost.
    window.localStorage.setItem(KEY, stored({ accessToken: "theirs", refreshToken: "theirs-rt", expiresAt: Date.now() + 300_000, issuedAt: Date.now() }));
    offline = false;
    // The backoff retry takes the other tab's token from storage under the lock: no request.
    await advance(3_000);
    expect(fetch.requests).toHaveLength(1);
    // That token is refreshed when it is due (60 s before its end), not left to expire.
    await advance(300_000);
    expect(fetch.requests.length).toBeGreaterThanOrEqual(2);
    expect(fetch.requests[1]!.body.get("refresh_token")).toBe("theirs-rt");
  });
});

describe('storage="cookie"', () => {
  it("keeps the session until the backend's DELETE has answered, so a guarded page cannot start a login first", async () => {
    let answerDelete!: () => void;
    const fetch = createRecordingFetch((request) =>
      request.method === "DELETE" ? new Promise<Response>((resolve) => (answerDelete = () => resolve(new Response(null, { status: 204 })))) : tokenResponse({ refresh_token: undefined }),
    );
    const { Wrapper } = createWrapper({ fetch, storage: "cookie" });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.status).toBe("authenticated"), WAIT);
    let done = false;
    act(() => {
      void result.current.logout().then(() => (done = true));
    });
    await waitFor(() => expect(fetch.requests.some((r) => r.method === "DELETE")).toBe(true), WAIT);
    expect(result.current.status).toBe("authenticated");
    answerDelete();
    await waitFor(() => expect(done).toBe(true), WAIT);
    expect(result.current.status).toBe("unauthenticated");
  });

  it("reports the callback's own error when the fallback load fails too", async () => {
    window.history.replaceState(null, "", `/callback?code=replayed&state=${"s".repeat(43)}`);
    const fetch = createRecordingFetch(() => {
      throw new TypeError("offline");
    });
    const onError = vi.fn<(error: SmartbillsAuthError) => void>();
    const { Wrapper } = createWrapper({ fetch, storage: "cookie" });
    render(<Callback onError={onError} />, { wrapper: Wrapper });
    await waitFor(() => expect(onError).toHaveBeenCalled(), WAIT);
    expect(onError.mock.calls[0]![0].code).toBe("missing_transaction");
  });
});
