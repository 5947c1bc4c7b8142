/** Signing out: the refresh token is revoked (bounded), every tab ends, and endSession signs out of Smartbills too. */
import { act, renderHook, screen, waitFor } from "@testing-library/react";
import { signOutOfSmartbillsUnderRequireAuth } from "./guardedSignOut";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { CLIENT_ID, createRecordingFetch, createWrapper, jsonResponse, storeToken } from "./helpers";
import { idTokenClaims, makeJwt } from "./jwt";

const storedToken = () => window.sessionStorage.getItem(`smartbills.token.${CLIENT_ID}`);

function signedIn(props: Parameters<typeof createWrapper>[0], answer: () => Response | Promise<Response> = () => new Response(null, { status: 204 })) {
  const fetch = createRecordingFetch(answer);
  const { Wrapper } = createWrapper({ fetch, ...props });
  const hook = renderHook(() => useSmartbillsAuth(), { wrapper: Wrapper });
  return { fetch, hook };
}

afterEach(() => vi.useRealTimers());

describe("logout() revokes the refresh token", () => {
  it("with a backend: DELETE on the exchange endpoint with the refresh token and the CSRF header, then signed out", async () => {
    storeToken({ refreshToken: "the-refresh-token" });
    const { fetch, hook } = signedIn({});
    await act(() => hook.result.current.logout());
    expect(fetch.requests).toHaveLength(1);
    const [request] = fetch.requests;
    expect(request!.url).toBe(`${window.location.origin}/api/smartbills/token`);
    expect(request!.method).toBe("DELETE");
    expect(request!.headers.get("x-smartbills-request")).toBe("1");
    expect(Object.fromEntries(request!.body)).toEqual({ refresh_token: "the-refresh-token" });
    expect(hook.result.current.status).toBe("unauthenticated");
    expect(storedToken()).toBeNull();
  });

  it("in public mode: POST to the revocation endpoint with token, token_type_hint and client_id, credentials omitted", async () => {
    storeToken({ refreshToken: "the-refresh-token" });
    const { fetch, hook } = signedIn({ exchangeEndpoint: undefined });
    await act(() => hook.result.current.logout());
    const [request] = fetch.requests;
    expect(request!.url).toBe("https://api.smartbills.io/connect/revocation");
    expect(request!.method).toBe("POST");
    expect(request!.init?.credentials).toBe("omit");
    expect(Object.fromEntries(request!.body)).toEqual({ token: "the-refresh-token", token_type_hint: "refresh_token", client_id: CLIENT_ID });
  });

  it("in cookie mode: DELETE with credentials and no token in the body (the backend revokes its cookie's)", async () => {
    // Cookie mode restores the session from the backend: answer the restore, then the DELETE.
    const { fetch, hook } = signedIn({ storage: "cookie" }, () => jsonResponse({ access_token: "at", token_type: "Bearer", expires_in: 3600 }));
    await waitFor(() => expect(hook.result.current.isAuthenticated).toBe(true));
    await act(() => hook.result.current.logout());
    const request = fetch.requests.at(-1)!;
    expect(request.method).toBe("DELETE");
    expect(request.init?.credentials).toBe("include");
    expect(request.body.toString()).toBe("");
  });

  it("still signs out, within 5 s, when the revocation endpoint never answers and fetch ignores the abort signal", async () => {
    vi.useFakeTimers();
    storeToken({ refreshToken: "the-refresh-token" });
    const { hook } = signedIn({}, () => new Promise<Response>(() => {}));
    let done = false;
    const pending = hook.result.current.logout().then(() => void (done = true));
    await act(() => vi.advanceTimersByTimeAsync(4_900));
    expect(done).toBe(false);
    await act(() => vi.advanceTimersByTimeAsync(200));
    await act(() => pending);
    expect(done).toBe(true);
    expect(hook.result.current.status).toBe("unauthenticated");
  });

  it("still signs out when the revocation fails (offline, 500)", async () => {
    storeToken();
    const { hook } = signedIn({}, () => Promise.reject(new TypeError("Failed to fetch")));
    await act(() => hook.result.current.logout());
    expect(hook.result.current.status).toBe("unauthenticated");
  });

  it("sends nothing without a refresh token in a token mode", async () => {
    storeToken({ refreshToken: undefined });
    const { fetch, hook } = signedIn({});
    await act(() => hook.result.current.logout());
    expect(fetch.requests).toHaveLength(0);
  });
});

describe("logout({ endSession: true })", () => {
  it("sends the browser to the end-session endpoint with id_token_hint, client_id, post_logout_redirect_uri and a fresh state", async () => {
    const idToken = makeJwt(idTokenClaims());
    const stored = storeToken();
    window.sessionStorage.setItem(`smartbills.token.${CLIENT_ID}`, JSON.stringify({ ...stored, idToken }));
    const { hook } = signedIn({});
    const opened: string[] = [];
    await act(() => hook.result.current.logout({ endSession: true, openUrl: (url) => void opened.push(url) }));
    await act(() => hook.result.current.logout({ endSession: true, openUrl: (url) => void opened.push(url) }));
    const url = new URL(opened[0]!);
    expect(url.origin + url.pathname).toBe("https://api.smartbills.io/connect/endsession");
    expect(url.searchParams.get("id_token_hint")).toBe(idToken);
    expect(url.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(`${window.location.origin}/`);
    expect(url.searchParams.get("state")).toMatch(/^[\w-]{43}$/);
    expect(new URL(opened[1]!).searchParams.get("state")).not.toBe(url.searchParams.get("state"));
    expect(hook.result.current.status).toBe("unauthenticated");
  });

  it("uses postLogoutRedirectUri and an explicit endSession endpoint", async () => {
    storeToken();
    const { hook } = signedIn({ postLogoutRedirectUri: "/bye", endpoints: { endSession: "https://auth.smartbills.io/logout" } });
    let opened = "";
    await act(() => hook.result.current.logout({ endSession: true, openUrl: (url) => void (opened = url) }));
    const url = new URL(opened);
    expect(url.origin + url.pathname).toBe("https://auth.smartbills.io/logout");
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(`${window.location.origin}/bye`);
    expect(url.searchParams.has("id_token_hint")).toBe(false);
  });

  it("rejects with unsupported after signing out here when discovery finds no end-session endpoint", async () => {
    storeToken();
    const metadata = { issuer: "https://api.smartbills.io", authorization_endpoint: "https://api.smartbills.io/connect/authorize", token_endpoint: "https://api.smartbills.io/connect/token" };
    const { hook, fetch } = signedIn({ discovery: true }, () => jsonResponse(metadata));
    await act(() => expect(hook.result.current.logout({ endSession: true, openUrl: () => {} })).rejects.toMatchObject({ code: "unsupported" }));
    expect(hook.result.current.status).toBe("unauthenticated");
    expect(storedToken()).toBeNull();
    expect(fetch.requests.map((r) => r.method)).toContain("DELETE");
  });
});

describe("logout({ endSession: true }) under <RequireAuth>", () => {
  it("does not start a new sign-in while the browser leaves for the end-session endpoint", async () => {
    storeToken();
    const { Wrapper } = createWrapper({ fetch: createRecordingFetch(() => new Response(null, { status: 204 })) });
    const { login, leave } = await signOutOfSmartbillsUnderRequireAuth(Wrapper);
    expect(new URL(leave.mock.calls[0]![0]).pathname).toBe("/connect/endsession");
    expect(screen.getByText("Redirecting…")).toBeTruthy();
    expect(login).not.toHaveBeenCalled();
  });
});
