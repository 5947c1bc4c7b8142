import { act, render, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { SmartbillsProvider } from "../../src/react/SmartbillsProvider";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { CLIENT_ID, createRecordingFetch, createWrapper, jsonResponse, tokenResponse } from "./helpers";

const webStorageText = () => JSON.stringify({ ...window.sessionStorage }) + JSON.stringify({ ...window.localStorage });

describe('storage="cookie" (refresh token held by the backend)', () => {
  it("restores the session from the cookie with one request at load, keeping no token in web storage", async () => {
    const fetch = createRecordingFetch(() => tokenResponse({ access_token: "restored-at-1234", refresh_token: undefined }));
    const { Wrapper } = createWrapper({ fetch, storage: "cookie" });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    expect(result.current.status).toBe("loading");
    await waitFor(() => expect(result.current.status).toBe("authenticated"));
    expect(fetch.requests).toHaveLength(1);
    const [request] = fetch.requests;
    expect(Object.fromEntries(request!.body)).toEqual({ grant_type: "refresh_token", client_id: CLIENT_ID });
    expect(request!.init?.credentials).toBe("include");
    expect(request!.headers.get("x-smartbills-request")).toBe("1");
    expect(webStorageText()).not.toContain("restored-at-1234");
  });

  it("is signed out, with no error, when the backend has no session", async () => {
    const fetch = createRecordingFetch(() => jsonResponse({ error: "invalid_grant", error_description: "no session" }, 400));
    const { Wrapper } = createWrapper({ fetch, storage: "cookie" });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.status).toBe("unauthenticated"));
    expect(result.current.error).toBeNull();
    expect(fetch.requests).toHaveLength(1);
  });

  it("ends the backend session on logout with a DELETE to the endpoint", async () => {
    const fetch = createRecordingFetch((req) => (req.method === "DELETE" ? new Response(null, { status: 204 }) : tokenResponse({ refresh_token: undefined })));
    const { Wrapper } = createWrapper({ fetch, storage: "cookie" });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.status).toBe("authenticated"));
    await act(() => result.current.logout());
    await waitFor(() => expect(result.current.status).toBe("unauthenticated"));
    const logout = fetch.requests.find((r) => r.method === "DELETE");
    expect(logout?.init?.credentials).toBe("include");
    expect(logout?.headers.get("x-smartbills-request")).toBe("1");
  });

  it("refuses cookie storage without an exchange endpoint, naming the prop", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => render(<SmartbillsProvider clientId="c" storage="cookie" />)).toThrow(/"storage"/);
  });
});

describe('storage="local": tabs share the storage itself', () => {
  it("follows another tab's sign-in, refresh and logout through storage events", async () => {
    const { Wrapper } = createWrapper({ storage: "local", fetch: createRecordingFetch(() => tokenResponse()) });
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    expect(result.current.status).toBe("unauthenticated");
    const key = `smartbills.token.${CLIENT_ID}`;
    const now = Date.now();
    const otherTab = (accessToken: string, expiresAt: number) =>
      JSON.stringify({ v: 1, accessToken, tokenType: "Bearer", expiresAt, issuedAt: now, refreshToken: `rt-${accessToken}` });
    // Another tab writes localStorage; this tab only hears the event.
    act(() => {
      window.localStorage.setItem(key, otherTab("from-other-tab", now + 3_600_000));
      window.dispatchEvent(new StorageEvent("storage", { key, newValue: window.localStorage.getItem(key), storageArea: window.localStorage }));
    });
    await waitFor(() => expect(result.current.accessToken).toBe("from-other-tab"));
    act(() => {
      window.localStorage.setItem(key, otherTab("refreshed-elsewhere", now + 7_200_000));
      window.dispatchEvent(new StorageEvent("storage", { key, newValue: window.localStorage.getItem(key), storageArea: window.localStorage }));
    });
    await waitFor(() => expect(result.current.accessToken).toBe("refreshed-elsewhere"));
    act(() => {
      window.localStorage.removeItem(key);
      window.dispatchEvent(new StorageEvent("storage", { key, newValue: null, storageArea: window.localStorage }));
    });
    await waitFor(() => expect(result.current.status).toBe("unauthenticated"));
  });
});
