/** Meeting the real Smartbills: discovery, the account header, Retry-After, the user info. */
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { useSmartbillsFetch } from "../../src/react/useSmartbillsFetch";
import { useSmartbillsLogin } from "../../src/react/useSmartbillsLogin";
import { useSmartbillsUserInfo } from "../../src/react/useSmartbillsUserInfo";
import { CLIENT_ID, createRecordingFetch, createWrapper, jsonResponse, storeToken, tokenResponse } from "./helpers";
import { idTokenClaims, makeJwt } from "./jwt";

const AUTHORITY = "https://api.smartbills.io/auth";
const metadata = (overrides: Record<string, unknown> = {}) => ({
  issuer: AUTHORITY,
  authorization_endpoint: `${AUTHORITY}/connect/authorize`,
  token_endpoint: `${AUTHORITY}/connect/token`,
  revocation_endpoint: `${AUTHORITY}/connect/revocation`,
  userinfo_endpoint: `${AUTHORITY}/connect/userinfo`,
  end_session_endpoint: `${AUTHORITY}/connect/endsession`,
  ...overrides,
});

afterEach(() => vi.useRealTimers());

describe("discovery", () => {
  const discovering = (answer: () => Response | Promise<Response>) => {
    const fetch = createRecordingFetch(answer);
    const { Wrapper } = createWrapper({ fetch, authority: AUTHORITY, discovery: true });
    return { fetch, Wrapper };
  };

  it("makes no request at mount with a valid stored token, also after 10 s idle", async () => {
    vi.useFakeTimers();
    storeToken();
    const { fetch, Wrapper } = discovering(() => jsonResponse(metadata()));
    const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(result.current.isAuthenticated).toBe(true);
    expect(fetch.requests).toHaveLength(0);
  });

  it("reads the authorize endpoint from the metadata under the authority's path, once for concurrent logins, then from the tab's storage", async () => {
    const { fetch, Wrapper } = discovering(() => jsonResponse(metadata({ authorization_endpoint: `${AUTHORITY}/oauth/authorize` })));
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    const opened: string[] = [];
    await act(() => Promise.all([1, 2].map(() => result.current.login({ openUrl: (url) => void opened.push(url) }))));
    expect(fetch.requests.map((r) => r.url)).toEqual([`${AUTHORITY}/.well-known/openid-configuration`]);
    expect(opened.map((url) => new URL(url).pathname)).toEqual(["/auth/oauth/authorize", "/auth/oauth/authorize"]);
    // A new page of the same tab: the metadata comes from sessionStorage, no request.
    const again = createRecordingFetch(() => jsonResponse(metadata()));
    const { Wrapper: NextPage } = createWrapper({ fetch: again, authority: AUTHORITY, discovery: true });
    const next = renderHook(() => useSmartbillsLogin(), { wrapper: NextPage });
    await act(() => next.result.current.login({ openUrl: () => {} }));
    expect(again.requests).toHaveLength(0);
  });

  const hostile: [string, () => Response][] = [
    ["names another issuer", () => jsonResponse(metadata({ issuer: "https://evil.example" }))],
    ["has an http endpoint", () => jsonResponse(metadata({ authorization_endpoint: "http://api.smartbills.io/auth/connect/authorize" }))],
    ["is HTML", () => new Response("<html>login</html>", { headers: { "Content-Type": "text/html" } })],
    ["is a redirect", () => new Response(null, { status: 302, headers: { Location: "https://evil.example/.well-known/openid-configuration" } })],
    ["is huge", () => jsonResponse({ ...metadata(), padding: "x".repeat(200_000) })],
  ];
  for (const [name, answer] of hostile) {
    it(`refuses metadata that ${name} with invalid_metadata, and the browser goes nowhere`, async () => {
      const { Wrapper } = discovering(answer);
      const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
      const openUrl = vi.fn();
      await act(() => expect(result.current.login({ openUrl })).rejects.toMatchObject({ code: "invalid_metadata" }));
      expect(openUrl).not.toHaveBeenCalled();
      expect(Object.keys(window.sessionStorage).filter((key) => key.startsWith("smartbills.tx."))).toEqual([]);
    });
  }

  it("lets explicit endpoints win over the metadata", async () => {
    const { Wrapper } = discovering(() => jsonResponse(metadata()));
    const fetch = createRecordingFetch(() => jsonResponse(metadata()));
    const { Wrapper: Explicit } = createWrapper({ fetch, authority: AUTHORITY, discovery: true, endpoints: { authorization: "https://login.smartbills.io/authorize" } });
    void Wrapper;
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Explicit });
    let opened = "";
    await act(() => result.current.login({ openUrl: (url) => void (opened = url) }));
    expect(new URL(opened).origin + new URL(opened).pathname).toBe("https://login.smartbills.io/authorize");
  });

  it("without discovery, an authority with a path keeps it in every endpoint", async () => {
    const fetch = createRecordingFetch(() => tokenResponse());
    const { Wrapper } = createWrapper({ fetch, authority: AUTHORITY });
    const { result } = renderHook(() => useSmartbillsLogin(), { wrapper: Wrapper });
    let opened = "";
    await act(() => result.current.login({ openUrl: (url) => void (opened = url) }));
    expect(new URL(opened).pathname).toBe("/auth/connect/authorize");
    expect(fetch.requests).toHaveLength(0);
  });
});

describe("accountHeader", () => {
  it("sends onBehalfOf in the configured header only, never both", async () => {
    storeToken();
    const fetch = createRecordingFetch(() => jsonResponse({}));
    vi.stubGlobal("fetch", fetch);
    const { Wrapper } = createWrapper({ accountHeader: "x-tenant-id", onBehalfOf: "biz_42" });
    const { result } = renderHook(() => useSmartbillsFetch(), { wrapper: Wrapper });
    await act(() => result.current("https://api.smartbills.io/v1/receipts"));
    expect(fetch.requests[0]!.headers.get("x-tenant-id")).toBe("biz_42");
    expect(fetch.requests[0]!.headers.has("on-behalf-of")).toBe(false);
  });

  it("refuses a header name that is not an HTTP token, at once", () => {
    const { Wrapper } = createWrapper({ accountHeader: "x tenant\r\n" });
    expect(() => renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper })).toThrow(/accountHeader/);
  });
});

describe("Retry-After on a refresh", () => {
  const due = () => ({ expiresAt: Date.now() + 30_000, issuedAt: Date.now() - 3_570_000 });
  for (const [name, header, waitMs] of [
    ["seconds", "120", 120_000],
    ["an HTTP date", () => new Date(Date.now() + 90_000).toUTCString(), 90_000],
    ["a year (capped at one hour)", String(365 * 24 * 3600), 3_600_000],
  ] as const) {
    it(`makes no new attempt before a 429's Retry-After as ${name}, and keeps using the token meanwhile`, async () => {
      vi.useFakeTimers({ now: new Date("2026-12-03T08:00:00Z") });
      storeToken(due());
      const retryAfter = typeof header === "function" ? header() : header;
      const fetch = createRecordingFetch((_request, index) =>
        index === 0 ? new Response(JSON.stringify({ error: "temporarily_unavailable" }), { status: 429, headers: { "Retry-After": retryAfter } }) : tokenResponse({ access_token: "after-pause" }),
      );
      const { Wrapper } = createWrapper({ fetch });
      const { result } = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
      await act(() => vi.advanceTimersByTimeAsync(10));
      expect(fetch.requests).toHaveLength(1);
      // Callers keep getting the still-valid token, with no request.
      let token = "";
      await act(async () => void (token = await result.current.getAccessToken()));
      expect(token).toBe("stored-at");
      await act(() => vi.advanceTimersByTimeAsync(Math.min(waitMs, 25_000) - 1_000));
      expect(fetch.requests).toHaveLength(1);
      if (waitMs > 30_000) {
        // The token expires during the pause: no request still, and the session is not ended.
        await act(() => vi.advanceTimersByTimeAsync(waitMs - 30_000));
        expect(fetch.requests).toHaveLength(1);
        expect(window.sessionStorage.getItem(`smartbills.token.${CLIENT_ID}`)).toContain("stored-rt");
      }
      await act(() => vi.advanceTimersByTimeAsync(waitMs + 2_000));
      expect(fetch.requests.length).toBeGreaterThanOrEqual(2);
      expect(result.current.accessToken).toBe("after-pause");
    });
  }

  for (const garbage of ["-5", "soon", ""]) {
    it(`ignores a Retry-After of ${JSON.stringify(garbage)}: the usual backoff applies`, async () => {
      vi.useFakeTimers({ now: new Date("2026-12-03T08:00:00Z") });
      storeToken(due());
      const fetch = createRecordingFetch((_request, index) => (index === 0 ? new Response(null, { status: 429, headers: { "Retry-After": garbage } }) : tokenResponse()));
      const { Wrapper } = createWrapper({ fetch });
      renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
      await act(() => vi.advanceTimersByTimeAsync(10));
      await act(() => vi.advanceTimersByTimeAsync(2_000));
      expect(fetch.requests.length).toBe(2);
    });
  }
});

describe("useSmartbillsUserInfo", () => {
  const signedInWithUser = () => {
    const stored = storeToken({ accessToken: "live-at" });
    window.sessionStorage.setItem(`smartbills.token.${CLIENT_ID}`, JSON.stringify({ ...stored, idToken: makeJwt(idTokenClaims()) }));
  };

  it("GETs the user info endpoint with the bearer token, once for every consumer", async () => {
    signedInWithUser();
    const fetch = createRecordingFetch(() => jsonResponse({ sub: "user-1", email: "ada@example.com", locale: "fr-CA" }));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => [useSmartbillsUserInfo(), useSmartbillsUserInfo()], { wrapper: Wrapper });
    await waitFor(() => expect(result.current[0]!.data).toMatchObject({ locale: "fr-CA" }));
    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]!.url).toBe("https://api.smartbills.io/connect/userinfo");
    expect(fetch.requests[0]!.headers.get("authorization")).toBe("Bearer live-at");
  });

  it("refuses another user's claims with invalid_response", async () => {
    signedInWithUser();
    const fetch = createRecordingFetch(() => jsonResponse({ sub: "user-2", email: "eve@example.com" }));
    const { Wrapper } = createWrapper({ fetch });
    const { result } = renderHook(() => useSmartbillsUserInfo(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.error?.code).toBe("invalid_response"));
    expect(result.current.data).toBeUndefined();
  });

  for (const [name, answer] of [
    ["HTML", () => new Response("<html></html>", { headers: { "Content-Type": "text/html" } })],
    ["a JSON array", () => jsonResponse([{ sub: "user-1" }])],
    ["a 500", () => jsonResponse({ error: "server_error" }, 500)],
  ] as const) {
    it(`answers invalid_response to ${name}`, async () => {
      signedInWithUser();
      const { Wrapper } = createWrapper({ fetch: createRecordingFetch(answer) });
      const { result } = renderHook(() => useSmartbillsUserInfo(), { wrapper: Wrapper });
      await waitFor(() => expect(result.current.error?.code).toBe("invalid_response"));
    });
  }

  it("is not fetched while signed out, and is removed at logout", async () => {
    signedInWithUser();
    const fetch = createRecordingFetch((request) => (request.method === "DELETE" ? new Response(null, { status: 204 }) : jsonResponse({ sub: "user-1" })));
    const { Wrapper, queryClient } = createWrapper({ fetch });
    const { result } = renderHook(() => ({ info: useSmartbillsUserInfo(), auth: useSmartbillsAuth() }), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.info.data).toMatchObject({ sub: "user-1" }));
    await act(() => result.current.auth.logout());
    expect(queryClient.getQueryCache().findAll({ queryKey: ["smartbills", "userInfo", CLIENT_ID] }).every((query) => query.state.data === undefined)).toBe(true);
    expect(fetch.requests.filter((r) => r.url.endsWith("/userinfo"))).toHaveLength(1);
  });
});
